# dom0 side of drv-net (see scenario.conf): our kernel as driver domain,
# then the Linux guests whose vifs it serves; dom0 steps in for the
# detach/attach when our ktest says it is ready for it.
: "${LAB_OUT:=/tmp/lab-out/drv-net}"
mkdir -p "$LAB_OUT"
: >"$LAB_OUT/net.txt"
. /lab/bin/lab-lib
. /lab/bin/net-lib
drv=drv-net
l1=drvnet-linux1
l2=drvnet-linux2
mac1=00:16:3e:10:00:03
# One uncompressed archive: libxc sizes a gzip'ed ramdisk from its last
# member's trailer and fails on concatenated ones ("inflate failed").
rd=/tmp/linux-net-initrd.cpio
{ gzip -dc /lab/linux/initrd.gz && gzip -dc /lab/payload/linux-net.cpio.gz; } >$rd ||
    { net_result linux_boot "fail: no linux-net overlay in the payload"; exit 1; }
for g in 1 2; do
	sed -e "s|@RAMDISK@|$rd|" "$LAB_SCEN/linux$g.cfg" >/tmp/drvnet-linux$g.cfg
done
# The guest's verdict line (pass/fail) for a marker, into a CASE line.
guest_case() {
	l=$(net_logline "$2" "$3")
	case $l in
	*" pass"*|*result=pass*) net_result "$1" "pass ${l#* }" ;;
	*) net_result "$1" "fail: ${l:-no line $3 from $2}" ;;
	esac
}
t0=$(now_ms)
lab-domu "$drv" "$LAB_SCEN/xl.cfg" 400 '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10 &
dpid=$!
l1pid=
if ! net_wait_log "$drv" 'NETBACK-DRV-WAITING|KTEST-SUMMARY' 40 "$dpid" ||
    ! net_has_log "$drv" 'NETBACK-DRV-WAITING' ""; then
	net_result drv_up "fail: our kernel never said NETBACK-DRV-WAITING"
else
	net_result drv_up "pass $(el $t0) ms"
	lab-domu "$l1" /tmp/drvnet-linux1.cfg 380 'LAB-LINUX-NET-DONE' 370 &
	l1pid=$!
	if net_wait_log "$l1" 'LAB-LINUX-NET-(PING|DONE)' 200 "$l1pid"; then
		guest_case linux_ping_us "$l1" 'LAB-LINUX-NET-PING'
	else
		net_result linux_ping_us "fail: $(net_logline "$l1" 'LAB-LINUX-NET-DONE')"
	fi
	xenstore-ls -f /local/domain/$(xl domid $drv)/backend >"$LAB_OUT/backend-xs.txt" 2>&1
	if net_wait_log "$drv" 'NETBACK-DRV-TRAFFIC' 30 "$dpid"; then
		net_result drv_traffic "pass $(net_logline "$drv" 'NETBACK-DRV-TRAFFIC')"
		t1=$(now_ms)
		if xl network-detach "$l1" 0 >"$LAB_OUT/detach.txt" 2>&1; then
			net_result detach "pass $(el $t1) ms"
		else
			net_result detach "fail: $(tr '\n' ' ' <"$LAB_OUT/detach.txt")"
		fi
		if net_wait_log "$drv" 'NETBACK-DRV-DETACHED' 30 "$dpid"; then
			net_result drv_detached "pass $(net_logline "$drv" 'NETBACK-DRV-DETACHED')"
		else
			net_result drv_detached "fail: no NETBACK-DRV-DETACHED"
		fi
		t1=$(now_ms)
		# xl network-attach takes the spec as separate words.
		if xl network-attach "$l1" backend=$drv mac=$mac1 >"$LAB_OUT/attach.txt" 2>&1; then
			net_result attach "pass $(el $t1) ms"
		else
			net_result attach "fail: $(tr '\n' ' ' <"$LAB_OUT/attach.txt")"
		fi
		if net_wait_log "$drv" 'NETBACK-DRV-REATTACHED' 60 "$dpid"; then
			net_result traffic_resumes "pass $(el $t1) ms after the attach"
		else
			net_result traffic_resumes "fail: no NETBACK-DRV-REATTACHED"
		fi
	else
		net_result drv_traffic "fail: no NETBACK-DRV-TRAFFIC"
	fi
	if net_wait_log "$drv" 'NETBACK-DRV-PAIR-WAITING' 30 "$dpid"; then
		lab-domu "$l2" /tmp/drvnet-linux2.cfg 200 'LAB-LINUX-NET-DONE' 5
		guest_case guest_to_guest_ping "$l2" 'LAB-LINUX-NET-PING'
		if net_wait_log "$drv" 'NETBACK-DRV-PAIR ' 20 "$dpid"; then
			net_result drv_pair "pass $(net_logline "$drv" 'NETBACK-DRV-PAIR ')"
		else
			net_result drv_pair "fail: no NETBACK-DRV-PAIR"
		fi
	fi
fi
wait "$dpid"
drc=$?
if [ -n "$l1pid" ]; then
	guest_case linux_echo_server "$l1" 'UDPECHO-SERVER .*result='
	xl destroy "$l1" 2>/dev/null
	wait "$l1pid"
fi
echo "LAB-NET-DONE lab_domu_rc=$drc"
! net_failed && [ $drc -eq 0 ]
