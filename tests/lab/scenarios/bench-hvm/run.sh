# dom0 side of the HVM benchmark (bench/hvm/run): our kernel as PVH and as
# HVM (pvh.cfg, hvm.cfg: the same memory and vCPUs), alternating.
# Boots: N times each (LAB_BENCH_N, default 3); lab-domu prints create_ms
# and ready_ms (xl create start -> "startup complete" seen in dom0).
# Then LAB_BENCH_IO_N rounds (default 1) of bench-blk's and bench-net's
# figures for our kernel on each side: iotool= on xbd0 (dom0's brd RAM disk
# /dev/ram4 through Linux blkback, written whole before each guest), then
# netbench= over xenbr0 and Linux netback (dom0's netbench sends, and
# counts at netback what the guest sends).  An HVM guest is offered the
# vif emulated too and unplugs it (the disk is PV only: block-lab).
: "${LAB_OUT:=/tmp/lab-out/bench-hvm}"
mkdir -p "$LAB_OUT"
. /lab/bin/lab-lib
. /lab/bin/blk-lib
. /lab/bin/net-lib
printf '\0\0' >/tmp/sercon-port
n=${LAB_BENCH_N:-3}
i=1
while [ $i -le "$n" ]; do
	lab-domu "bench-pvh-$i" "$LAB_SCEN/pvh.cfg" 60 'startup complete' 0
	lab-domu "bench-hvm-$i" "$LAB_SCEN/hvm.cfg" 90 'startup complete' 0
	i=$((i + 1))
done

DEV=/dev/ram4
ms=${LAB_BENCH_IO_MS:-3000}
specs="op=write,bs=1m,time=$ms;op=read,bs=1m,time=$ms;pattern=rand,bs=4k,qd=1,time=$ms;pattern=rand,bs=4k,qd=32,time=$ms"
iot=$(blk_iotool_arg xbd0 "$specs")
# shellcheck disable=SC2034 # net_bench_guest's
NB_SIZES="64 1472" NB_MS=$ms
acts="recv:2"
for s in $NB_SIZES; do
	acts="$acts;send:$s:$ms"
done
# gen SIDE KIND CMDLINE DEVICE-LINE: SIDE's config with CMDLINE and one
# device, for one KIND of bench.
gen() {
	sed "s|^cmdline = .*|cmdline = \"$3\"|" "$LAB_SCEN/$1.cfg" >"/tmp/bench-$2-$1.cfg"
	echo "$4" >>"/tmp/bench-$2-$1.cfg"
}
rc=0
if ! net_setup; then
	echo "LAB-NETBENCH-ERROR no bridge"
	rc=1
fi
net_netback >"$LAB_OUT/netback.txt"
for side in pvh hvm; do
	gen $side blk "iotool=$iot" \
	    "disk = [ 'format=raw,vdev=xvda,access=rw,script=/lab/bin/block-lab,target=$DEV' ]"
	gen $side net "ip=10.0.0.2/24,10.0.0.1 netbench.peer=10.0.0.1 netbench=$acts" \
	    "vif = [ 'bridge=xenbr0,mac=00:16:3e:10:00:02' ]"
done
ion=${LAB_BENCH_IO_N:-1}
i=1
while [ $i -le "$ion" ]; do
	for side in pvh hvm; do
		dd if=/dev/zero of=$DEV bs=65536 2>/dev/null
		lab-domu "bench-blk-$side-$i" "/tmp/bench-blk-$side.cfg" 150 \
		    '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?IOTOOL-DONE ' 10 || rc=1
		net_bench_guest "bench-net-$side-$i" "/tmp/bench-net-$side.cfg" 10.0.0.2 \
		    'NETBENCH-(RECV-READY|DONE)' 'NETBENCH-DONE' "$side-$i" || rc=1
	done
	i=$((i + 1))
done
exit $rc
