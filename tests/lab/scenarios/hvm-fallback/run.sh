# dom0 side of hvm-fallback (hvm-callback runs it too, a link): our kernel
# as an HVM guest, its ktests; while they run, Xen's own view of the guest
# (hvm-lib: debug keys 'I' and 'e', the device model's info pci) is checked
# against what the step's refusals must leave: one line per check in
# $LAB_OUT/xen-view.txt, "CASE pass ..." or "CASE fail: why", read by the
# step's ATF program.  The device model's log is collected with the rest
# (the console is port 0xe9 and the PV console).
step=${LAB_STEP:-hvm-fallback}
: "${LAB_OUT:=/tmp/lab-out/$step}"
mkdir -p "$LAB_OUT"
. /lab/bin/lab-lib
. /lab/bin/net-lib
. /lab/bin/hvm-lib
res=$LAB_OUT/xen-view.txt
: >"$res"
verdict() {
	echo "$1 $2" >>"$res"
	echo "LAB-HVM-RESULT $1 $2"
}
# shellcheck disable=SC2317 # called through wait_until
have_domid() {
	domid=$(xl domid "$step" 2>/dev/null)
	[ -n "$domid" ]
}
# The platform device's slot and pin from the device model, asked as soon
# as the domain exists (the device model may still be starting: asked
# again while the domain lives); later, a guest with few ktests can be
# gone before xl reaches its device model.
# shellcheck disable=SC2317 # called through wait_until
have_slot() {
	slot=$(hvm_platform_slot "$domid" "$LAB_OUT/qemu-info-pci.txt")
	[ -n "$slot" ] || ! xl list "$domid" >/dev/null 2>&1
}
# What the step's xen.refuse= leaves (scenario.conf): the PCI INTx of the
# platform device (Xen's type 2) or the callback vector (3), on 2-level
# event channels either way.
case $step in
hvm-callback) want_type=3 want_name=vector ;;
*) want_type=2 want_name="PCI INTx" ;;
esac
printf '\0\0' >/tmp/sercon-port
lab-domu "$step" "$LAB_SCEN/xl.cfg" "${LAB_GUEST_TIMEOUT:-80}" '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10 &
ldpid=$!
# Look once the guest's xenstore is up: long after its upcall and
# event-channel ABI are set up (the FIFO ABI starts only at the guest's
# EVTCHNOP_init_control, so an earlier look would see 2-level ports
# whatever the guest does), and before its ktests end and it powers off.
domid=
slot=
wait_until 30 have_domid && wait_until 30 have_slot
if ! net_wait_log "$step" 'xenstore0: ring|(^|[) ])KTEST[ -]' 60 "$ldpid" ||
    [ -z "$domid" ]; then
	verdict xen_callback_via "fail: the guest's xenstore never came up to look at Xen's view by"
	verdict xen_evtchn_2level "fail: the guest's xenstore never came up to look at Xen's view by"
else
	hvm_xen_view "$domid" "$LAB_OUT/xen-view-dump.txt"
	if [ ! -s "$LAB_OUT/xen-view-dump.txt" ]; then
		verdict xen_callback_via "fail: no 'I'/'e' dump of domain $domid in xl dmesg (xl list: $(xl list "$domid" 2>&1 | tail -n 1))"
		verdict xen_evtchn_2level "fail: no 'I'/'e' dump of domain $domid in xl dmesg"
	else
		cv=$(hvm_callback_via "$LAB_OUT/xen-view-dump.txt")
		t=${cv%% *} v=${cv#* }
		if [ -z "$t" ]; then
			verdict xen_callback_via "fail: no Callback via line for domain $domid"
		elif [ "$t" != "$want_type" ]; then
			verdict xen_callback_via "fail: Xen holds callback type $t value $v, want $want_type ($want_name)"
		elif [ "$t" = 3 ]; then
			verdict xen_callback_via "pass Xen holds callback type 3 (vector) value $v"
		elif [ -z "$slot" ]; then
			verdict xen_callback_via "fail: no platform device 5853:0001 with its pin in the device model's info pci"
		else
			# Xen's value: the device number, then the INTx (0 = INTA).
			pin=${slot#* } slot=${slot% *}
			case $pin in
			A) intx=0 ;; B) intx=1 ;; C) intx=2 ;; *) intx=3 ;;
			esac
			if [ $((v & 0xff)) -ne "$slot" ] || [ $((v >> 8 & 0xff)) -ne "$intx" ]; then
				verdict xen_callback_via "fail: Xen holds PCI INTx device $((v & 0xff)) INTx $((v >> 8 & 0xff)); the device model has the platform device in slot $slot, INT$pin"
			else
				verdict xen_callback_via "pass Xen holds callback type 2 (PCI INTx) value $v: device $slot INT$pin, the platform device's slot and pin in the device model"
			fi
		fi
		abi=$(hvm_evtchn_abi "$LAB_OUT/xen-view-dump.txt")
		case $abi in
		2l*) verdict xen_evtchn_2level "pass all ${abi#2l } ports of domain $domid print as 2-level ports" ;;
		fifo*) verdict xen_evtchn_2level "fail: FIFO event channels: $abi (ports, FIFO ones)" ;;
		*) verdict xen_evtchn_2level "fail: no port of domain $domid in Xen's 'e' dump (xl list: $(xl list "$domid" 2>&1 | tail -n 1))" ;;
		esac
	fi
fi
wait "$ldpid"
rc=$?
cp "/var/log/xen/qemu-dm-$step.log" "$LAB_OUT/qemu-dm.log" 2>/dev/null
exit $rc
