# dom0 side of bench/blk: the same patterns on the same RAM disk, first by
# our kernel (iotool= on xbd0), then by the Linux peer (blkload on xvda).
# Before each guest the disk is written whole, so that both read pages brd
# holds (brd reads of never-written pages are cheaper).  Results are in the
# guests' console logs (guest-bench-blk-{ours,linux}-N.log); blkback's limits in
# $LAB_OUT/blkback.txt.  Patterns: LAB_BLKBENCH_SPECS (iotool syntax without
# disk=, ';' between runs), each bounded by LAB_BLKBENCH_MS.
: "${LAB_OUT:=/tmp/lab-out/bench-blk}"
mkdir -p "$LAB_OUT"
. /lab/bin/lab-lib
. /lab/bin/blk-lib
DEV=/dev/ram4
ms=${LAB_BLKBENCH_MS:-3000}
specs=${LAB_BLKBENCH_SPECS:-op=write,bs=1m,time=$ms;op=read,bs=1m,time=$ms;pattern=rand,bs=4k,qd=1,time=$ms;pattern=rand,bs=4k,qd=32,time=$ms}
ovl=/lab/payload/blkbench-linux.cpio.gz
rd=/tmp/blkbench-initrd.cpio

p=/sys/module/xen_blkback/parameters
for f in "$p"/*; do
	[ -f "$f" ] && echo "${f##*/}=$(cat "$f")"
done >"$LAB_OUT/blkback.txt"
echo "disk=$DEV bytes=$(blockdev --getsize64 $DEV 2>/dev/null)" >>"$LAB_OUT/blkback.txt"
echo "specs=$specs" >>"$LAB_OUT/blkback.txt"

iot=$(blk_iotool_arg xbd0 "$specs")

# Alternate the sides, N rounds (LAB_BLKBENCH_N, default 3), so that drift
# on this shared host hits both alike; the Linux side's diagnostic run
# (linux-init) only in round 1.
n=${LAB_BLKBENCH_N:-3}
# LAB_BLKBENCH_OURS_ARGS: more words for our command line (bench/blk/run -o).
oargs=${LAB_BLKBENCH_OURS_ARGS:-}
sed -e "s|@IOTOOL@|${oargs:+$oargs }iotool=$iot|" -e "s|@DEV@|$DEV|" "$LAB_SCEN/ours.cfg" >/tmp/bench-blk-ours.cfg
if ! lab_linux_rd "$ovl" $rd; then
	echo "LAB-BLKBENCH-ERROR no $ovl in the payload (make bench-blk builds it)"
	exit 1
fi
# One round of one side: up to LAB_BLKBENCH_TRIES (3) attempts, until
# the guest ends clean.  This lab's emulator now and then kills a guest
# (a triple fault, a user program's heap corrupted: docs/lab.md,
# "Emulator faults"); a failed attempt's logs are kept under
# guest-NAME.tryK.log and bench/blk/run reports every one of them.
tries=${LAB_BLKBENCH_TRIES:-3}
# attempt NAME CFG DONE-REGEX CLEAN-REGEX
attempt() {
	_k=1
	while :; do
		dd if=/dev/zero of=$DEV bs=65536 2>/dev/null
		lab-domu "$1" "$2" 150 "$3" 10
		grep -aqE "$4" "$LAB_OUT/guest-$1.log" 2>/dev/null && return 0
		[ "$_k" -ge "$tries" ] && return 1
		for _f in "$LAB_OUT"/guest-"$1".log "$LAB_OUT"/hv-"$1".log; do
			[ -f "$_f" ] && mv "$_f" "${_f%.log}.try$_k.log"
		done
		echo "LAB-BLKBENCH-RETRY $1 attempt $_k not clean"
		_k=$((_k + 1))
	done
}
rc=0
i=1
while [ $i -le "$n" ]; do
	attempt "bench-blk-ours-$i" /tmp/bench-blk-ours.cfg \
	    '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?IOTOOL-DONE ' 'IOTOOL-DONE clean' || rc=1
	diag=
	[ $i -eq 1 ] && diag=pattern=rand,bs=4k,qd=1,time=$ms
	sed -e "s|@SPECS@|$specs|" -e "s|@DIAG@|$diag|" \
	    -e "s|@DEV@|$DEV|" -e "s|@RAMDISK@|$rd|" \
	    "$LAB_SCEN/linux.cfg" >/tmp/bench-blk-linux.cfg
	attempt "bench-blk-linux-$i" /tmp/bench-blk-linux.cfg 'BLKBENCH-DONE' \
	    'BLKBENCH-DONE clean' || rc=1
	i=$((i + 1))
done
exit $rc
