# dom0 side of domu-blkreattach (see scenario.conf): clear /dev/ram7, boot
# our kernel, wait until blkback has served 256 of run 1's writes (its own
# counter, statistics/wr_req), xl block-detach the disk, read the guest's
# run 1 line (S blocks written without error) and check /dev/ram7 itself,
# xl block-attach it again, wait for the guest to finish, check its runs
# 2-4 and the RAM disk once more.  One line per check in
# $LAB_OUT/blkreattach.txt (CASE pass [detail] or CASE fail: reason):
#   detach_midrun   xl block-detach ran while run 1 was writing (wr_req
#                   >= 256 before it) and finished without a forced removal
#   run1_cut        run 1 ended (no hang): S of 4096 writes succeeded,
#                   0 < S < 4096, the other 4096 - S failed
#   dom0_prefix     on /dev/ram7 blocks 0..S-1 carry run id A and their own
#                   number, blocks S..4095 are still zero (sampled, plus
#                   S-1 and S themselves)
#   reattach_verify the disk came back as xbd0; run 2's verify of all of
#                   it finds exactly blocks S.. unwritten: bad_crc = 4096 -
#                   S, first_bad = S, nothing misplaced or stale, no error
#   resume_integrity runs 3 and 4 (write and verify, run id B) are clean
#                   and dom0 finds run id B on its RAM disk
: "${LAB_OUT:=/tmp/lab-out/domu-blkreattach}"
mkdir -p "$LAB_OUT"
res=$LAB_OUT/blkreattach.txt
: >"$res"
# shellcheck disable=SC2034 # read by blk-lib
BLK_TAG=LAB-BLKREATTACH
name=domu-blkreattach
domid=			# have_domid (blk-lib) sets it
DEV=/dev/ram7
SPEC="format=raw,vdev=xvda,access=rw,script=/lab/bin/block-lab,target=$DEV"
RUNA=1381192753		# scenario.conf's run ids
RUNB=1381192754
BS=4096
NBLK=4096		# 16 MiB brd disk / 4 KiB
MIDRUN=256		# blkback write requests before the detach
DETACH_S=25
glog=/var/log/xen/console/guest-$name.log
. /lab/bin/lab-lib
. /lab/bin/blk-lib
T0=$(now_ms)
CASES="detach_midrun run1_cut dom0_prefix reattach_verify resume_integrity"

fail_rest() {
	for c in $CASES; do
		grep -q "^$c " "$res" || result "$c" "fail: $1"
	done
}
wr_req() { vbd_stat 51712 wr_req; }
midrun() { [ "$(wr_req)" -ge $MIDRUN ] 2>/dev/null; }
# The Nth IOTOOL line for xbd0 with op OP, from the live console log.
ioline() {
	tr -d '\r' <"$glog" 2>/dev/null | grep -a "^IOTOOL disk=xbd0 op=$1 " | sed -n "${2}p"
}
have_run1() { [ -n "$(ioline write 1)" ]; }

dd if=/dev/zero of=$DEV bs=65536 2>/dev/null
lab-domu "$name" "$LAB_SCEN/xl.cfg" 120 \
    '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?IOTOOL-DONE' 10 &
ldpid=$!

S=
if ! wait_until 20 have_domid; then
	fail_rest "no domain $name 20 s after xl create"
elif ! wait_until 30 midrun; then
	fail_rest "blkback's wr_req never reached $MIDRUN (it is '$(wr_req)'); run 1 did not run"
else
	w0=$(wr_req)
	t=$(now_ms)
	timeout $DETACH_S xl block-detach "$domid" xvda >"$LAB_OUT/xl-block-detach.log" 2>&1
	drc=$?
	dms=$(el "$t")
	if [ $drc -ne 0 ]; then
		result detach_midrun "fail: xl block-detach rc $drc after ${dms} ms: $(tail -n 2 "$LAB_OUT/xl-block-detach.log" | tr '\n' ' ')"
	elif grep -qiE 'timed? ?out|forc' "$LAB_OUT/xl-block-detach.log"; then
		result detach_midrun "fail: xl block-detach needed a forced removal: $(tail -n 2 "$LAB_OUT/xl-block-detach.log" | tr '\n' ' ')"
	else
		result detach_midrun "pass xl block-detach began at wr_req=$w0 and finished cleanly in ${dms} ms"
	fi
	if ! wait_until 10 have_run1; then
		result run1_cut "fail: run 1 did not end within 10 s of the detach (no IOTOOL line)"
	else
		l=$(ioline write 1)
		bytes=$(field "$l" bytes)
		errs=$(field "$l" errors)
		ios=$(field "$l" ios)
		S=$((bytes / BS))
		if [ "$ios" != $NBLK ] || [ $((S + errs)) -ne $NBLK ] || [ $((S * BS)) -ne "$bytes" ]; then
			result run1_cut "fail: inconsistent run 1: $l"
			S=
		elif [ "$S" -eq $NBLK ] || [ "$errs" -eq 0 ]; then
			result run1_cut "fail: run 1 was not cut by the detach: $l"
			S=
		elif [ "$S" -lt "$w0" ]; then
			result run1_cut "fail: run 1 saw $S writes succeed, but blkback had served $w0 before the detach: $l"
			S=
		else
			result run1_cut "pass run 1 ended: $S writes succeeded, $errs failed"
		fi
	fi
	if [ -n "$S" ]; then
		if ! why=$(check_written 0 "$S" $RUNA); then
			result dom0_prefix "fail: blocks 0..$((S - 1)) should carry run id A: $why"
		elif ! why=$(check_zero "$S" $NBLK); then
			result dom0_prefix "fail: blocks $S..$((NBLK - 1)) should be untouched: $why"
		else
			result dom0_prefix "pass blocks 0..$((S - 1)) carry run A, $S..$((NBLK - 1)) are zero"
		fi
	else
		result dom0_prefix "fail: run 1's count unknown"
	fi
	t=$(now_ms)
	if ! xl block-attach "$domid" "$SPEC" >"$LAB_OUT/xl-block-attach.log" 2>&1; then
		fail_rest "xl block-attach: $(tail -n 2 "$LAB_OUT/xl-block-attach.log" | tr '\n' ' ')"
	fi
	echo "LAB-BLKREATTACH attach took $(el "$t") ms"
fi
wait "$ldpid"
lrc=$?
tr -d '\r' <"$LAB_OUT/guest-$name.log" >"$LAB_OUT/guest.txt" 2>/dev/null
if ! grep -q "^reattach_verify " "$res"; then
	l=$(grep -a "^IOTOOL disk=xbd0 op=read " "$LAB_OUT/guest.txt" | sed -n 1p)
	n=$(grep -ac "XBD-FEATURES xbd0 " "$LAB_OUT/guest.txt")
	if [ -z "$S" ]; then
		result reattach_verify "fail: run 1's count unknown; run 2: '$l'"
	elif [ "$n" -ne 2 ]; then
		result reattach_verify "fail: xbd0 connected $n times, want 2 (boot and re-attach); run 2: '$l'"
	else
		case $l in
		*" ios=$NBLK bytes=$((NBLK * BS)) "*" errors=0 bad_crc=$((NBLK - S)) bad_blkno=0 stale=0 first_bad=$S")
			result reattach_verify "pass run 2 on the re-attached xbd0 finds blocks 0..$((S - 1)) intact and $((NBLK - S)) unwritten from $S: $l" ;;
		*)
			result reattach_verify "fail: want errors=0 bad_crc=$((NBLK - S)) bad_blkno=0 stale=0 first_bad=$S, run 2 gives: '$l'" ;;
		esac
	fi
fi
if ! grep -q "^resume_integrity " "$res"; then
	w=$(grep -a "^IOTOOL disk=xbd0 op=write " "$LAB_OUT/guest.txt" | sed -n 2p)
	r=$(grep -a "^IOTOOL disk=xbd0 op=read " "$LAB_OUT/guest.txt" | sed -n 2p)
	clean=" ios=$NBLK bytes=$((NBLK * BS)) "
	tail=" errors=0 bad_crc=0 bad_blkno=0 stale=0 first_bad=-1"
	case $w in *"$clean"*"$tail") wok=1 ;; *) wok=0 ;; esac
	case $r in *"$clean"*"$tail") rok=1 ;; *) rok=0 ;; esac
	if [ $wok = 0 ] || [ $rok = 0 ]; then
		result resume_integrity "fail: runs 3 and 4 not clean: write '$w', read '$r'"
	elif ! why=$(check_written 0 $NBLK $RUNB); then
		result resume_integrity "fail: runs 3 and 4 clean, but on $DEV: $why"
	else
		result resume_integrity "pass write and verify of all $NBLK blocks after the re-attach clean; dom0 finds run B on $DEV"
	fi
fi
echo "LAB-BLKREATTACH-DONE total_ms=$(el "$T0") lab_domu_rc=$lrc"
! grep -qE "^[a-z0-9_]+ fail" "$res" && [ $lrc -eq 0 ]
