# dom0 side of domu-blk: clear /dev/ram2, boot our kernel (ktest=xbd_*),
# and once it is gone read the blocks it wrote back from /dev/ram2: each
# 4 KiB block of a sample (first, last, every 64th) must carry the iotool
# header for its own block number and the test's run id, and for a few of
# them the CRC-32 dom0 computes (gzip's trailer, with the CRC field zeroed
# as the kernel does) must match the header's.  One line per check in
# $LAB_OUT/blk.txt: CASE pass [detail]  or  CASE fail: reason.
: "${LAB_OUT:=/tmp/lab-out/domu-blk}"
mkdir -p "$LAB_OUT"
res=$LAB_OUT/blk.txt
: >"$res"
# shellcheck disable=SC2034 # read by blk-lib
BLK_TAG=LAB-BLK
name=domu-blk
DEV=/dev/ram2
RUNID=1651272497	# 0x626c6b31, XBDT_RUNID in blkfront_test.c
BS=4096
. /lab/bin/lab-lib
. /lab/bin/blk-lib

dd if=/dev/zero of=$DEV bs=65536 2>/dev/null
# xvdc: a loop device on a tmpfs file, for flush (loop has a write cache)
# and discard (punched holes), which brd does not offer.
mkdir -p /tmp/xbdimg
mount -t tmpfs tmpfs /tmp/xbdimg 2>/dev/null
dd if=/dev/zero of=/tmp/xbdimg/xvdc.img bs=65536 count=128 2>/dev/null
losetup /dev/loop0 /tmp/xbdimg/xvdc.img 2>"$LAB_OUT/losetup.log" ||
    echo "LAB-BLK losetup failed: $(cat "$LAB_OUT/losetup.log")"
# dom0 has one vCPU, so blkback would offer one queue: ask it for two (the
# guest has two vCPUs), read back at the end.
MQ=/sys/module/xen_blkback/parameters/max_queues
mq_old=$(cat $MQ 2>/dev/null)
[ -w $MQ ] && echo 2 >$MQ
mq_set=$(cat $MQ 2>/dev/null)
size=$(blockdev --getsize64 $DEV 2>/dev/null)
lab-domu "$name" "$LAB_SCEN/xl.cfg" 120 \
    '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10 &
ldpid=$!

# While the guest runs: both disks connected, and what the frontend wrote
# agrees with what the backend offered (dom0's own reading of xenstore).
have_domid() {
	domid=$(xl domid "$name" 2>/dev/null)
	[ -n "$domid" ]
}
fe_connected() {
	[ "$(xenstore-read "/local/domain/$domid/device/vbd/$1/state" 2>/dev/null)" = 4 ] &&
	    [ "$(xenstore-read "/local/domain/0/backend/vbd/$domid/$1/state" 2>/dev/null)" = 4 ]
}
both_connected() { fe_connected 51712 && fe_connected 51728; }
# negotiated ID: checks one disk's nodes in the snapshots of both ends;
# prints the reason on failure.
negotiated() {
	fe=/local/domain/$domid/device/vbd/$1
	be=/local/domain/0/backend/vbd/$domid/$1
	# From the snapshots (one xenstore-ls per end, not a read per node).
	r() {
		grep -h "^$1 = " "$LAB_OUT/xenstore-device.txt" \
		    "$LAB_OUT/xenstore-backend.txt" | head -n 1 |
		    sed 's/^[^=]*= "\([^"]*\)".*/\1/'
	}
	max=$(r "$be/max-ring-page-order"); max=${max:-0}
	want=$((max < 4 ? max : 4))
	ord=$(r "$fe/ring-page-order")
	[ "$(r "$fe/protocol")" = x86_64-abi ] || { echo "$1: protocol '$(r "$fe/protocol")'"; return 1; }
	[ "$(r "$fe/feature-persistent")" = 1 ] || { echo "$1: feature-persistent '$(r "$fe/feature-persistent")'"; return 1; }
	# Queues: min(our 2 vCPUs, the backend's offer); one: no queue-N/.
	mqmax=$(r "$be/multi-queue-max-queues"); mqmax=${mqmax:-1}
	wantq=$((mqmax < 2 ? mqmax : 2)); [ "$wantq" -ge 1 ] || wantq=1
	nq=$(r "$fe/multi-queue-num-queues")
	if [ "$wantq" -eq 1 ]; then
		[ -z "$nq" ] || { echo "$1: multi-queue-num-queues '$nq' with one queue"; return 1; }
		dirs=$fe
	else
		[ "$nq" = "$wantq" ] || { echo "$1: multi-queue-num-queues '$nq', backend offers $mqmax"; return 1; }
		dirs=""
		q=0
		while [ $q -lt "$nq" ]; do dirs="$dirs $fe/queue-$q"; q=$((q + 1)); done
		[ -z "$(r "$fe/event-channel")" ] || { echo "$1: event-channel at the top with $nq queues"; return 1; }
	fi
	if [ "$want" -gt 0 ]; then
		[ "$ord" = "$want" ] || { echo "$1: ring-page-order '$ord', backend max $max"; return 1; }
	else
		[ -z "$ord" ] || { echo "$1: ring-page-order '$ord' for a one-page ring"; return 1; }
	fi
	for qd in $dirs; do
		[ -n "$(r "$qd/event-channel")" ] || { echo "$1: no $qd/event-channel"; return 1; }
		if [ "$want" -eq 0 ]; then
			[ -n "$(r "$qd/ring-ref")" ] || { echo "$1: no $qd/ring-ref"; return 1; }
			continue
		fi
		n=0
		while [ $n -lt $((1 << want)) ]; do
			[ -n "$(r "$qd/ring-ref$n")" ] || { echo "$1: no $qd/ring-ref$n"; return 1; }
			n=$((n + 1))
		done
		[ -z "$(r "$qd/ring-ref")" ] || { echo "$1: both ring-ref and ring-ref0 in $qd"; return 1; }
	done
	echo "$1: ring-page-order $ord (backend max $max), queues ${nq:-1} (backend max $mqmax), $(r "$be/feature-max-indirect-segments") indirect segments offered, mode $(r "$be/mode")"
}
if ! wait_until 20 have_domid; then
	result dom0_negotiated "fail: no domain $name 20 s after xl create"
elif ! wait_until 30 both_connected || ! wait_until 10 fe_connected 51744; then
	xenstore-ls -fp "/local/domain/$domid/device" >"$LAB_OUT/xenstore-device.txt" 2>&1
	result dom0_negotiated "fail: the disks did not both reach Connected on both ends within 30 s"
else
	xenstore-ls -fp "/local/domain/$domid/device" >"$LAB_OUT/xenstore-device.txt" 2>&1
	xenstore-ls -fp "/local/domain/0/backend/vbd/$domid" >"$LAB_OUT/xenstore-backend.txt" 2>&1
	if a=$(negotiated 51712) && b=$(negotiated 51728); then
		if [ "$(xenstore-read "/local/domain/0/backend/vbd/$domid/51728/mode")" != r ]; then
			result dom0_negotiated "fail: xvdb's backend mode is not r"
		else
			result dom0_negotiated "pass $a; $b"
		fi
	else
		result dom0_negotiated "fail: $a $b"
	fi
fi
# Detach and attach again: the guest reports under data/xbd-lab/phase
# (ready, detached, done; ktest xbd_reattach).
XVDB_SPEC='format=raw,vdev=xvdb,access=ro,script=/lab/bin/block-lab,target=/dev/ram3'
phase_is() {
	[ "$(xenstore-read "/local/domain/$domid/data/xbd-lab/phase" 2>/dev/null)" = "$1" ]
}
phase() { xenstore-read "/local/domain/$domid/data/xbd-lab/phase" 2>&1; }
if [ -z "$domid" ]; then
	result xvdb_reattach "fail: no domain"
elif ! wait_until 60 phase_is ready; then
	result xvdb_reattach "fail: the guest never reported ready (phase '$(phase)')"
else
	# xvdc's flush and discard (ktest xbd_flush_discard, run before),
	# as blkback counted them.
	st=/sys/bus/xen-backend/devices/vbd-$domid-51744/statistics
	f=$(cat $st/f_req 2>&1); ds=$(cat $st/ds_req 2>&1); wr=$(cat $st/wr_req 2>&1)
	if [ "${f:-0}" -ge 1 ] 2>/dev/null && [ "${ds:-0}" -ge 1 ] 2>/dev/null; then
		result xvdc_flush_discard "pass blkback counted f_req=$f ds_req=$ds wr_req=$wr for xvdc"
	else
		result xvdc_flush_discard "fail: blkback's counts for xvdc: f_req '$f' ds_req '$ds' wr_req '$wr' (want both >= 1)"
	fi
	t=$(now_ms)
	if ! timeout 25 xl block-detach "$domid" xvdb >"$LAB_OUT/xl-block-detach.log" 2>&1; then
		# What libxl found missing: its own record and both ends, kept
		# for the run folder (CI once saw /libxl/<domid>/device/vbd/51728
		# without its backend node).
		xenstore-ls -f "/libxl/$domid" >"$LAB_OUT/xenstore-libxl.txt" 2>&1
		xenstore-ls -f "/local/domain/0/backend/vbd/$domid" >"$LAB_OUT/xenstore-backend-detach.txt" 2>&1
		xenstore-ls -f "/local/domain/$domid/device/vbd" >"$LAB_OUT/xenstore-device-detach.txt" 2>&1
		result xvdb_reattach "fail: xl block-detach: $(tail -n 2 "$LAB_OUT/xl-block-detach.log" | tr '\n' ' ') (libxl's vbd records: $(grep -c '/device/vbd/[0-9]*/backend =' "$LAB_OUT/xenstore-libxl.txt"), backends: $(xenstore-list "/local/domain/0/backend/vbd/$domid" 2>&1 | tr '\n' ' '))"
	elif grep -qiE 'timed? ?out|forc' "$LAB_OUT/xl-block-detach.log"; then
		result xvdb_reattach "fail: xl block-detach needed a forced removal: $(tail -n 2 "$LAB_OUT/xl-block-detach.log" | tr '\n' ' ')"
	else
		dms=$(el "$t")
		if ! wait_until 20 phase_is detached; then
			result xvdb_reattach "fail: detach took ${dms} ms but the guest did not see xbd1 go (phase '$(phase)')"
		else
			t=$(now_ms)
			if ! xl block-attach "$domid" "$XVDB_SPEC" >"$LAB_OUT/xl-block-attach.log" 2>&1; then
				result xvdb_reattach "fail: xl block-attach: $(tail -n 2 "$LAB_OUT/xl-block-attach.log" | tr '\n' ' ')"
			elif ! wait_until 25 phase_is done; then
				result xvdb_reattach "fail: attached again, but the guest did not get xbd1 back (phase '$(phase)')"
			else
				result xvdb_reattach "pass xl block-detach ${dms} ms (clean), xbd1 back and readable $(el "$t") ms after xl block-attach"
			fi
		fi
	fi
fi
wait "$ldpid"
lrc=$?
losetup -d /dev/loop0 2>/dev/null
umount /tmp/xbdimg 2>/dev/null
[ -n "$mq_old" ] && [ -w $MQ ] && echo "$mq_old" >$MQ
echo "LAB-BLK blkback max_queues was '$mq_old', set '$mq_set'"
# lab-domu returns once the guest is gone (or destroyed).
nblk=$((size / BS))
bad=""
checked=0
i=0
while [ $i -lt "$nblk" ]; do
	set -- $(dd if=$DEV bs=$BS skip=$i count=1 2>/dev/null | od -A n -t u4 -N 24)
	# magic crc blkno_lo blkno_hi runid bsize
	if [ "$1" != "$MAGIC" ] || [ "$3" != $i ] || [ "$4" != 0 ] ||
	    [ "$5" != $RUNID ] || [ "$6" != $BS ]; then
		bad="$bad block $i: '$*'"
	fi
	checked=$((checked + 1))
	if [ $i -eq 0 ]; then
		i=63
	elif [ $i -eq $((nblk - 1)) ]; then
		break
	else
		i=$((i + 64))
		[ $i -ge "$nblk" ] && i=$((nblk - 1))
	fi
done
if [ "$nblk" -lt 1 ]; then
	result dom0_headers "fail: $DEV has size '$size'"
elif [ -n "$bad" ]; then
	result dom0_headers "fail: $checked blocks read from $DEV, wrong:$bad"
else
	result dom0_headers "pass $checked of $nblk blocks of $DEV carry their own number and run id"
fi
crcbad=""
crcn=0
for i in 0 1 $((nblk / 2)) $((nblk - 1)); do
	dd if=$DEV of=/tmp/blk.bin bs=$BS skip=$i count=1 2>/dev/null
	want=$(od -A n -t u4 -j 4 -N 4 /tmp/blk.bin | tr -d ' ')
	printf '\000\000\000\000' | dd of=/tmp/blk.bin bs=1 seek=4 conv=notrunc 2>/dev/null
	got=$(gzip -c /tmp/blk.bin | tail -c 8 | od -A n -t u4 -N 4 | tr -d ' ')
	[ "$got" = "$want" ] || crcbad="$crcbad block $i: header $want, dom0 $got"
	crcn=$((crcn + 1))
done
if [ -n "$crcbad" ]; then
	result dom0_crc "fail:$crcbad"
else
	result dom0_crc "pass CRC-32 of $crcn blocks recomputed in dom0 matches"
fi
echo "LAB-BLK-DONE lab_domu_rc=$lrc"
! grep -qE "^[a-z0-9_]+ fail" "$res" && [ $lrc -eq 0 ]
