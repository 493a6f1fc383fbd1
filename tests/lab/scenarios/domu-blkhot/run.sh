# dom0 side of domu-blkhot: clear /dev/ram5, boot our kernel with xvda only
# (its iotool= runs wait for xbd1), hot-plug /dev/ram5 as xvdb with xl
# block-attach once the guest's xbd0 is connected, wait for the guest's
# IOTOOL-DONE, then read the blocks it wrote back from /dev/ram5.  Checks,
# one line each in $LAB_OUT/blkhot.txt (CASE pass [detail] or CASE fail:
# reason):
#   xbd1_hotplug  the guest connected the new disk as xbd1, with the size
#                 blkback gives in its own sectors node
#   guest_integrity  both iotool runs on xbd1 are clean with the counts
#                 8 MiB / 4 KiB gives (2048 blocks)
#   dom0_blocks   a sample of the 4 KiB blocks of the first 8 MiB of
#                 /dev/ram5 carries the iotool header for its own number and
#                 the run id, a few the CRC-32 dom0 computes (gzip's
#                 trailer); the block after them is still zero
: "${LAB_OUT:=/tmp/lab-out/domu-blkhot}"
mkdir -p "$LAB_OUT"
res=$LAB_OUT/blkhot.txt
: >"$res"
# shellcheck disable=SC2034 # read by blk-lib
BLK_TAG=LAB-BLKHOT
name=domu-blkhot
domid=			# have_domid (blk-lib) sets it
DEV=/dev/ram5
XVDB_SPEC="format=raw,vdev=xvdb,access=rw,script=/lab/bin/block-lab,target=$DEV"
RUNID=1213158452	# runid= in scenario.conf
BS=4096
NBLK=2048		# length=8m in scenario.conf
glog=/var/log/xen/console/guest-$name.log
. /lab/bin/lab-lib
. /lab/bin/blk-lib
T0=$(now_ms)

gline() {
	tr -d '\r' <"$glog" 2>/dev/null | grep -a "$1" | head -n 1
}
has_line() { [ -n "$(gline "$1")" ]; }

dd if=/dev/zero of=$DEV bs=65536 2>/dev/null
lab-domu "$name" "$LAB_SCEN/xl.cfg" 90 \
    '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?IOTOOL-DONE' 10 &
ldpid=$!

attached=no
if ! wait_until 20 have_domid; then
	result xbd1_hotplug "fail: no domain $name 20 s after xl create"
elif ! wait_until 30 has_line 'XBD-FEATURES xbd0 '; then
	result xbd1_hotplug "fail: the guest's xbd0 never connected (no XBD-FEATURES xbd0 line in 30 s)"
else
	echo "LAB-BLKHOT xbd0 connected at $(el "$T0") ms"
	t=$(now_ms)
	if ! xl block-attach "$domid" "$XVDB_SPEC" >"$LAB_OUT/xl-block-attach.log" 2>&1; then
		result xbd1_hotplug "fail: xl block-attach: $(tail -n 2 "$LAB_OUT/xl-block-attach.log" | tr '\n' ' ')"
	elif ! wait_until 30 has_line 'XBD-FEATURES xbd1 '; then
		attached=yes
		result xbd1_hotplug "fail: xl block-attach done, but no XBD-FEATURES xbd1 line within 30 s"
	else
		attached=yes
		ms=$(el "$t")
		be=/local/domain/0/backend/vbd/$domid/51728
		# One snapshot, read once: the guest may already be closing
		# xbd1 (CI saw the directory go between an ls and a read).
		xenstore-ls -fp "$be" >"$LAB_OUT/xenstore-backend-51728.txt" 2>&1
		want=$(node "$LAB_OUT/xenstore-backend-51728.txt" "$be/sectors")
		l=$(gline 'XBD-FEATURES xbd1 ')
		got=${l#* sectors=}
		got=${got%% *}
		if [ "$got" != "$want" ]; then
			result xbd1_hotplug "fail: guest's xbd1 has sectors=$got, blkback's $be/sectors is '$want'"
		else
			result xbd1_hotplug "pass xbd1 connected ${ms} ms after xl block-attach began, sectors=$got as blkback says"
		fi
	fi
fi
wait "$ldpid"
lrc=$?
tr -d '\r' <"$LAB_OUT/guest-$name.log" >"$LAB_OUT/guest.txt" 2>/dev/null
bad=""
for op in write read; do
	l=$(grep -a "^IOTOOL disk=xbd1 op=$op " "$LAB_OUT/guest.txt")
	case $l in
	"") bad="$bad no IOTOOL line for the $op run;" ;;
	*" verify=1 ios=$NBLK bytes=$((NBLK * BS)) "*" errors=0 bad_crc=0 bad_blkno=0 stale=0 first_bad=-1"*) ;;
	*) bad="$bad $op run: $l;" ;;
	esac
done
grep -aq '^IOTOOL-DONE clean' "$LAB_OUT/guest.txt" || bad="$bad no IOTOOL-DONE clean (lab-domu rc $lrc);"
if [ $attached = no ]; then
	result guest_integrity "fail: nothing was attached"
elif [ -n "$bad" ]; then
	result guest_integrity "fail:$bad"
else
	result guest_integrity "pass write and verify of $NBLK blocks of xbd1 clean"
fi
# dom0's own reading: every block's header, then the CRC of a few.
# A sample (forks are slow in dom0 under TCG): block 32k + k%32 for each k,
# which walks every offset within a 32-block stride, and the last block.
hbad=""
checked=0
k=0
while [ $k -le $((NBLK / 32)) ]; do
	i=$((k * 32 + k % 32))
	[ $i -ge $NBLK ] && i=$((NBLK - 1))
	k=$((k + 1))
	checked=$((checked + 1))
	# shellcheck disable=SC2046 # one word per header field
	set -- $(dd if=$DEV bs=$BS skip=$i count=1 2>/dev/null | od -A n -t u4 -N 24)
	# magic crc blkno_lo blkno_hi runid bsize
	if [ "$1" != "$MAGIC" ] || [ "$3" != $i ] || [ "$4" != 0 ] ||
	    [ "$5" != $RUNID ] || [ "$6" != $BS ]; then
		hbad="$hbad block $i: '$*'"
		[ ${#hbad} -gt 400 ] && break
	fi
done
crcbad=""
for i in 0 1 $((NBLK / 2)) $((NBLK - 1)); do
	dd if=$DEV of=/tmp/blkhot.bin bs=$BS skip=$i count=1 2>/dev/null
	want=$(od -A n -t u4 -j 4 -N 4 /tmp/blkhot.bin | tr -d ' ')
	printf '\000\000\000\000' | dd of=/tmp/blkhot.bin bs=1 seek=4 conv=notrunc 2>/dev/null
	got=$(gzip -c /tmp/blkhot.bin | tail -c 8 | od -A n -t u4 -N 4 | tr -d ' ')
	[ "$got" = "$want" ] || crcbad="$crcbad block $i: header $want, dom0 $got"
done
# The block past the region must still be zero: the guest wrote 8 MiB only.
past=$(dd if=$DEV bs=$BS skip=$NBLK count=1 2>/dev/null | od -A n -t u4 | tr -d ' 0\n*')
if [ -n "$hbad" ]; then
	result dom0_blocks "fail: wrong headers on $DEV:$hbad"
elif [ -n "$crcbad" ]; then
	result dom0_blocks "fail: CRC-32:$crcbad"
elif [ -n "$past" ]; then
	result dom0_blocks "fail: block $NBLK (past the 8 MiB written) is not zero"
else
	result dom0_blocks "pass $checked of $NBLK blocks of $DEV (a sample over every stride offset) carry their own number and run id; CRC-32 of 4 recomputed in dom0 matches; block $NBLK untouched"
fi
echo "LAB-BLKHOT-DONE total_ms=$(el "$T0") lab_domu_rc=$lrc"
! grep -qE "^[a-z0-9_]+ fail" "$res" && [ $lrc -eq 0 ]
