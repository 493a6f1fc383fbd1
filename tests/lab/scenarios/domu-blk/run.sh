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
name=domu-blk
DEV=/dev/ram2
MAGIC=1112297289	# 0x424c4f49, IOTOOL_BLK_MAGIC
RUNID=1651272497	# 0x626c6b31, XBDT_RUNID in blkfront_test.c
BS=4096
. /lab/bin/lab-lib

result() {
	echo "$1 $2" >>"$res"
	echo "LAB-BLK-RESULT $1 $2"
}

dd if=/dev/zero of=$DEV bs=65536 2>/dev/null
size=$(blockdev --getsize64 $DEV 2>/dev/null)
lab-domu "$name" "$LAB_SCEN/xl.cfg" 90 \
    '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10
lrc=$?
# lab-domu returns once the guest is gone (or destroyed).
nblk=$((size / BS))
bad=""
checked=0
i=0
while [ $i -lt "$nblk" ]; do
	set -- $(dd if=$DEV bs=$BS skip=$i count=1 2>/dev/null | od -A n -t u4 -N 24)
	# magic crc blkno_lo blkno_hi runid bsize
	if [ "$1" != $MAGIC ] || [ "$3" != $i ] || [ "$4" != 0 ] ||
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
