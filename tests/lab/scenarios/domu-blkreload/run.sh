# dom0 side of domu-blkreload (see scenario.conf and ktest xbd_reload in
# sys/dev/xen/blkfront/blkfront_test.c).  Checks, one line each in
# $LAB_OUT/blkreload.txt:
#   dom0_run_a      once the guest says "written", blocks 0..1023 of
#                   /dev/ram8 carry run A (sampled)
#   plain_reload    with the disk connected rmmod is refused (blkback holds
#                   its module while bound); once the guest says it reads,
#                   unbind, rmmod and insmod with the same parameters:
#                   blkback is Connected again, the frontend stayed
#                   Connected, the guest's verify passes across it were
#                   clean with no reconnect and its slowest read waited
#                   out the reload (XBD-RELOAD plain max_ms >= HELD_MS)
#   refused_reload  after unbind, rmmod and insmod max_ring_page_order=0
#                   the guest reconnected (it says "back" and waits for our
#                   "checked"): blkback logged "prepare for reconnect" (the
#                   frontend went Closed -> Initialising), the new
#                   XBD-FEATURES line says ring-order=0, the frontend's
#                   nodes are ring-ref alone (no ring-page-order, no stale
#                   ring-ref1), both ends Connected
#   guest_verdict   ktest xbd_reload passed (run A intact after the
#                   reconnect, run B written and verified)
#   dom0_run_b      after the guest is gone, blocks 0..1023 carry run B
: "${LAB_OUT:=/tmp/lab-out/domu-blkreload}"
mkdir -p "$LAB_OUT"
res=$LAB_OUT/blkreload.txt
: >"$res"
# shellcheck disable=SC2034 # read by blk-lib
BLK_TAG=LAB-BLKRELOAD
name=domu-blkreload
DEV=/dev/ram8
# shellcheck disable=SC2034 # blk-lib's block size
BS=4096
NBLK=1024		# XBDT_RL_LEN (4 MiB) / 4 KiB
RUNA=1380729905		# 0x524c4431, XBDT_RL_RUNA
RUNB=1380729906
VBD=51712
# A read held on the ring while blkback is away (unbind to Connected, 1 s
# or more here) takes at least this long; without the reload the slowest
# of a pass is tens of ms.
HELD_MS=300
P=/sys/module/xen_blkback/parameters
glog=/var/log/xen/console/guest-$name.log
. /lab/bin/lab-lib
. /lab/bin/blk-lib
T0=$(now_ms)
CASES="dom0_run_a plain_reload refused_reload guest_verdict dom0_run_b"

fail_rest() {
	for c in $CASES; do
		grep -q "^$c " "$res" || result "$c" "fail: $1"
	done
}
lab_dir() { echo "/local/domain/$domid/data/xbd-lab"; }
phase() { xenstore-read "$(lab_dir)/phase" 2>/dev/null; }
phase_is() { [ "$(phase)" = "$1" ]; }
say() { xenstore-write "$(lab_dir)/dom0" "$1"; }
fe_state() { xenstore-read "/local/domain/$domid/device/vbd/$VBD/state" 2>/dev/null; }
be_state() { xenstore-read "/local/domain/0/backend/vbd/$domid/$VBD/state" 2>/dev/null; }
both_connected() { [ "$(fe_state)" = 4 ] && [ "$(be_state)" = 4 ]; }
gline() { tr -d '\r' <"$glog" 2>/dev/null | grep -a "$1" | sed -n "${2:-1}p"; }
# states: the frontend's and backend's states, sampled every 50 ms until
# $LAB_OUT/.stop exists, one line per change.
states() {
	_last=
	while [ ! -e "$LAB_OUT/.stop" ]; do
		_s="fe=$(fe_state) be=$(be_state)"
		[ "$_s" = "$_last" ] || echo "$(el "$T0") $_s"
		_last=$_s
		sleep 0.05
	done
}
# unload_bound: blkback unbound from the guest's disk and unloaded; prints
# what went wrong.
# blkback frees a disk's state (and its hold on the module) only once the
# requests it had in flight are done, so rmmod may be refused for a moment
# after unbind.  On failure blkback is bound to the disk again, so the
# guest's requests do not wait for ever.
rmmod_ok() { rmmod xen_blkback >"$LAB_OUT/.rmmod" 2>&1; }
unload_bound() {
	echo "vbd-$domid-$VBD" >/sys/bus/xen-backend/drivers/vbd/unbind 2>&1 || { echo "unbind failed"; return 1; }
	wait_until 10 rmmod_ok && return 0
	cat "$LAB_OUT/.rmmod"
	echo "vbd-$domid-$VBD" >/sys/bus/xen-backend/drivers/vbd/bind 2>&1
	return 1
}

dd if=/dev/zero of=$DEV bs=65536 count=$((NBLK / 16)) 2>/dev/null
lab-domu "$name" "$LAB_SCEN/xl.cfg" 170 \
    '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10 &
ldpid=$!
rm -f "$LAB_OUT/.stop"
if ! wait_until 20 have_domid; then
	fail_rest "no domain $name 20 s after xl create"
elif ! wait_until 60 phase_is written; then
	fail_rest "the guest never reported written (phase '$(phase)')"
else
	states >"$LAB_OUT/states.txt" &
	stpid=$!
	if why=$(check_written 0 $NBLK $RUNA); then
		result dom0_run_a "pass blocks 0..$((NBLK - 1)) of $DEV carry run A"
	else
		result dom0_run_a "fail: run A not on $DEV: $why"
	fi
	# Round 1: the same blkback again, unbound while the guest reads.
	busy=$(rmmod xen_blkback 2>&1)
	brc=$?
	say go
	dm0=$(dmesg | wc -l)
	if [ $brc -eq 0 ]; then
		plain="fail: rmmod unloaded blkback with the disk bound: '$busy'"
		insmod "$BLKBACK_MOD"
	elif ! wait_until 30 phase_is reading; then
		plain="fail: the guest did not start reading (phase '$(phase)')"
	elif t=$(now_ms); ! out=$(unload_bound); then
		plain="fail: unbind and rmmod: $out"
	elif ! out=$(insmod "$BLKBACK_MOD" 2>&1); then
		plain="fail: insmod: $out"
	elif ! wait_until 20 both_connected; then
		plain="fail: not both Connected 20 s after the reload (frontend '$(fe_state)', backend '$(be_state)')"
	else
		rms=$(el "$t")
		say reloaded
		if ! wait_until 90 phase_is verified; then
			plain="fail: the guest did not report verified (phase '$(phase)'); its verdict: '$(gline '^KTEST xbd_reload ')'"
		else
			l=$(gline '^XBD-RELOAD plain ')
			fe_seen=$(sed -n 's/.* fe=\([0-9]*\) .*/\1/p' "$LAB_OUT/states.txt" | sort -u | tr '\n' ' ')
			mx=$(field "$l" max_ms)
			case $l in
			*" connects=1")
				if [ "$fe_seen" != "4 " ]; then
					plain="fail: the frontend left Connected during the plain reload (states seen: $fe_seen)"
				elif ! [ "$mx" -ge $HELD_MS ] 2>/dev/null; then
					plain="fail: the guest's slowest read took ${mx} ms: no read waited across the ${rms} ms reload (want >= $HELD_MS); $l"
				else
					plain="pass rmmod refused while bound ('${busy#rmmod: }'); unbind, rmmod, insmod: both Connected again ${rms} ms after the unbind; frontend stayed Connected; guest: $l"
				fi ;;
			*) plain="fail: guest's plain reload line: '$l'" ;;
			esac
		fi
	fi
	dmesg | sed -n "$((dm0 + 1)),\$p" >"$LAB_OUT/dmesg-plain.txt"
	result plain_reload "${plain:-fail: no verdict}"
	# Round 2: a blkback that refuses our rings.
	refused="fail: not run (plain_reload failed)"
	case $plain in
	pass*)
		dm0=$(dmesg | wc -l)
		t=$(now_ms)
		if ! out=$(unload_bound); then
			refused="fail: unbind and rmmod: $out"
		elif ! out=$(insmod "$BLKBACK_MOD" max_ring_page_order=0 2>&1); then
			refused="fail: insmod max_ring_page_order=0: $out"
		elif [ "$(cat $P/max_ring_page_order)" != 0 ]; then
			refused="fail: $P/max_ring_page_order is '$(cat $P/max_ring_page_order)'"
		elif ! wait_until 90 phase_is back; then
			refused="fail: the guest did not report back (phase '$(phase)'); its verdict: '$(gline '^KTEST xbd_reload ')'"
		else
			rms=$(el "$t")
			dmesg | sed -n "$((dm0 + 1)),\$p" >"$LAB_OUT/dmesg-refused.txt"
			xenstore-ls -f "/local/domain/$domid/device/vbd/$VBD" >"$LAB_OUT/xenstore-frontend.txt" 2>&1
			F=$LAB_OUT/xenstore-frontend.txt
			fe=/local/domain/$domid/device/vbd/$VBD
			l=$(gline 'XBD-FEATURES xbd0 ' 2)
			why=
			grep -q "backend/vbd/$domid/$VBD: prepare for reconnect" "$LAB_OUT/dmesg-refused.txt" ||
			    why="$why blkback did not log 'prepare for reconnect' (the frontend did not go Closed -> Initialising);"
			[ "$(field "$l" ring-order)" = 0 ] || why="$why second XBD-FEATURES line: '$l';"
			[ "$(node "$F" "$fe/ring-page-order")" = - ] && [ "$(node "$F" "$fe/ring-ref")" != - ] &&
			    [ "$(node "$F" "$fe/ring-ref1")" = - ] ||
			    why="$why frontend nodes: ring-page-order '$(node "$F" "$fe/ring-page-order")', ring-ref '$(node "$F" "$fe/ring-ref")', ring-ref1 '$(node "$F" "$fe/ring-ref1")';"
			both_connected || why="$why not both Connected (frontend '$(fe_state)', backend '$(be_state)');"
			say checked
			if [ -n "$why" ]; then
				refused="fail:$why"
			else
				refused="pass blkback with max_ring_page_order=0 closed our order-4 rings; the guest went Initialising ('prepare for reconnect') and is back on ring-ref alone, both ends Connected ${rms} ms from the unbind"
			fi
		fi
		;;
	esac
	result refused_reload "$refused"
	touch "$LAB_OUT/.stop"
	wait "$stpid"
fi
[ -n "$domid" ] && say failed 2>/dev/null
wait "$ldpid"
lrc=$?
tr -d '\r' <"$LAB_OUT/guest-$name.log" >"$LAB_OUT/guest.txt" 2>/dev/null
if ! grep -q "^guest_verdict " "$res"; then
	k=$(grep -a -m1 '^KTEST xbd_reload ' "$LAB_OUT/guest.txt")
	case $k in
	*" PASS"*) result guest_verdict "pass $k" ;;
	*) result guest_verdict "fail: '$k' (lab-domu rc $lrc)" ;;
	esac
fi
if ! grep -q "^dom0_run_b " "$res"; then
	if why=$(check_written 0 $NBLK $RUNB); then
		result dom0_run_b "pass blocks 0..$((NBLK - 1)) of $DEV carry run B"
	else
		result dom0_run_b "fail: run B not on $DEV: $why"
	fi
fi
# The next steps want blkback's defaults.
if ! out=$(blkback_load); then
	echo "$BLK_TAG-WARN loading blkback's defaults failed: $out"
fi
[ "$(cat $P/max_ring_page_order 2>/dev/null)" = 4 ] || result defaults_restored "fail: max_ring_page_order '$(cat $P/max_ring_page_order 2>&1)' after the reload"
echo "$BLK_TAG-DONE total_ms=$(el "$T0") lab_domu_rc=$lrc"
! grep -qE "^[a-z0-9_]+ fail" "$res" && [ $lrc -eq 0 ]
