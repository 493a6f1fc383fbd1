# dom0 side of domu-blkflush: a 16 MiB file in /tmp (tmpfs) on /dev/loop0,
# our kernel booted with it as xvda (ktests xbd_features and
# xbd_flush_aligned), and once the guest has powered off (preserved) the
# backend's nodes and blkback's counters read before xl destroy.  Checks,
# one line each in $LAB_OUT/blkflush.txt:
#   offered     blkback offers feature-flush-cache=1 and feature-discard=1
#               for the loop device, and the guest's XBD-FEATURES line
#               says flush=1 discard=1
#   flush_seen  the guest's xbd_flush_aligned passed having sent a flush,
#               and blkback counted exactly one (f_req=1), no discard
#               (ds_req=0), and its read (rd_req >= 1)
: "${LAB_OUT:=/tmp/lab-out/domu-blkflush}"
mkdir -p "$LAB_OUT"
res=$LAB_OUT/blkflush.txt
: >"$res"
name=domu-blkflush
IMG=/tmp/blkflush.img
LOOP=/dev/loop0
. /lab/bin/lab-lib
T0=$(now_ms)

result() {
	echo "$1 $2" >>"$res"
	echo "LAB-BLKFLUSH-RESULT $1 $2"
}
have_domid() {
	domid=$(xl domid "$name" 2>/dev/null)
	[ -n "$domid" ]
}
is_shutdown() {
	f=$(xl list "$domid" 2>/dev/null | awk 'NR == 2 { print $5 }')
	case $f in
	*s*|"") return 0 ;;
	esac
	return 1
}
field() {
	v=${1#* "$2"=}
	[ "$v" = "$1" ] && { echo "-"; return; }
	echo "${v%% *}"
}

dd if=/dev/zero of=$IMG bs=1048576 count=16 2>/dev/null
if ! losetup $LOOP $IMG >"$LAB_OUT/losetup.log" 2>&1; then
	for c in offered flush_seen; do result $c "fail: losetup $LOOP $IMG: $(cat "$LAB_OUT/losetup.log")"; done
	exit 1
fi
domid=
st=$LAB_OUT/stats.txt
if ! xl create -p "$LAB_SCEN/xl.cfg" "name=\"$name\"" >"$LAB_OUT/xl-create.log" 2>&1; then
	for c in offered flush_seen; do result $c "fail: xl create: $(tail -n 2 "$LAB_OUT/xl-create.log" | tr '\n' ' ')"; done
else
	have_domid && xl unpause "$domid"
	# run-lab takes the guest's port 0xe9 lines by this line's domid.
	echo "LAB-DOMU-CREATED name=$name domid=$domid"
	wait_until 40 is_shutdown || echo "LAB-BLKFLUSH the guest did not power off in 40 s"
	be=/local/domain/0/backend/vbd/$domid/51712
	s=/sys/bus/xen-backend/devices/vbd-$domid-51712/statistics
	for k in f_req ds_req rd_req wr_req oo_req; do
		echo "$k=$(cat "$s/$k" 2>&1)"
	done >"$st"
	xenstore-ls -f "$be" >"$LAB_OUT/xenstore-backend.txt" 2>&1
	wait_until 2 grep -aq '^KTEST-SUMMARY' "/var/log/xen/console/guest-$name.log"
	# As lab-domu does: the guest's console and its port 0xe9 lines for
	# run-lab (the step's console.log), a clean copy for the checks.
	cp "/var/log/xen/console/guest-$name.log" "$LAB_OUT/guest-$name.log" 2>/dev/null
	grep -a "^(d$domid)" /var/log/xen/console/hypervisor.log >"$LAB_OUT/hv-$name.log" 2>/dev/null
	tr -d '\r' <"/var/log/xen/console/guest-$name.log" >"$LAB_OUT/guest.txt" 2>/dev/null
	xl destroy "$domid" >/dev/null 2>&1
	ods=$(sed -n "s|^$be/feature-discard = \"\\(.*\\)\"|\\1|p" "$LAB_OUT/xenstore-backend.txt")
	ofl=$(sed -n "s|^$be/feature-flush-cache = \"\\(.*\\)\"|\\1|p" "$LAB_OUT/xenstore-backend.txt")
	l=$(grep -a -m1 'XBD-FEATURES xbd0 ' "$LAB_OUT/guest.txt")
	gfl=$(field "$l" flush)
	gds=$(field "$l" discard)
	if [ "$ofl" != 1 ] || [ "$ods" != 1 ]; then
		result offered "fail: blkback offers feature-flush-cache='$ofl' feature-discard='$ods' for $LOOP, want 1 and 1"
	elif [ "$gfl" != 1 ] || [ "$gds" != 1 ]; then
		result offered "fail: blkback offers flush and discard, the guest negotiated flush=$gfl discard=$gds: $l"
	else
		result offered "pass blkback offers feature-flush-cache=1 feature-discard=1; the guest negotiated flush=1 discard=1"
	fi
	kt=$(grep -a -m1 '^KTEST xbd_flush_aligned ' "$LAB_OUT/guest.txt")
	f=$(sed -n 's/^f_req=//p' "$st")
	d=$(sed -n 's/^ds_req=//p' "$st")
	r=$(sed -n 's/^rd_req=//p' "$st")
	case $kt in
	*" PASS"*"flush sent"*)
		if [ "$f" != 1 ] || [ "$d" != 0 ] || ! [ "$r" -ge 1 ] 2>/dev/null; then
			result flush_seen "fail: the guest sent one flush and a read; blkback counted $(tr '\n' ' ' <"$st")"
		else
			result flush_seen "pass the guest's flush reached blkback: $(tr '\n' ' ' <"$st")"
		fi ;;
	*) result flush_seen "fail: the guest's xbd_flush_aligned did not pass having sent a flush: '$kt'" ;;
	esac
fi
losetup -d $LOOP 2>/dev/null
rm -f $IMG
echo "LAB-BLKFLUSH-DONE total_ms=$(el "$T0")"
! grep -qE "^[a-z0-9_]+ fail" "$res"
