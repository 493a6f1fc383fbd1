# dom0 side of bench/net: for each guest (ours, then the Linux peer),
# LAB_NETBENCH_N rounds (default 1), alternating: dom0 -> guest (dom0's
# netbench send, the guest's sink counts) for 64- and 1472-byte payloads,
# then guest -> dom0 (the guest sends; dom0's netbench count reads what
# netback took off the guest's ring from the vif's rx counters, since dom0's
# one vCPU reads datagrams from a socket slower than either guest sends
# them), each for LAB_NETBENCH_MS ms (default 3000).  Figures: the guests' console logs
# (guest-bench-net-{ours,linux}-N.log) and dom0's files dom0-recv-*.txt,
# dom0-send-*.txt; netback's parameters and both ends' xenstore nodes too.
: "${LAB_OUT:=/tmp/lab-out/bench-net}"
mkdir -p "$LAB_OUT"
. /lab/bin/lab-lib
. /lab/bin/net-lib
ms=${LAB_NETBENCH_MS:-3000}
n=${LAB_NETBENCH_N:-1}
sizes="64 1472"
net_netback >"$LAB_OUT/netback.txt"
net_setup || { echo "LAB-NETBENCH-ERROR no bridge"; exit 1; }
rd=/tmp/bench-net-initrd.cpio
lab_linux_rd /lab/payload/linux-net.cpio.gz $rd ||
    { echo "LAB-NETBENCH-ERROR no linux-net overlay in the payload"; exit 1; }
nr=0
for s in $sizes; do nr=$((nr + 1)); done
acts_ours="recv:$nr"
acts_linux="nbrecv:$nr,nbwait"
for s in $sizes; do
	acts_ours="$acts_ours;send:$s:$ms"
	acts_linux="$acts_linux,nbsend:$s:$ms"
done
sed -e "s|@NETBENCH@|ip=10.0.0.2/24,10.0.0.1 netbench.peer=10.0.0.1 netbench=$acts_ours|" \
    "$LAB_SCEN/ours.cfg" >/tmp/bench-net-ours.cfg
sed -e "s|@RAMDISK@|$rd|" -e "s|@ACTS@|$acts_linux|" "$LAB_SCEN/linux.cfg" \
    >/tmp/bench-net-linux.cfg
rc=0
# shellcheck disable=SC2034 # net_bench_guest's
NB_SIZES=$sizes NB_MS=$ms
# one SIDE ROUND: one guest's run.
one() {
	case $1 in
	ours) set -- "$@" 10.0.0.2 'NETBENCH-(RECV-READY|DONE)' 'NETBENCH-DONE' ;;
	linux) set -- "$@" 10.0.0.3 'LAB-LINUX-NET-(UP|DONE)' 'LAB-LINUX-NET-DONE' ;;
	esac
	net_bench_guest "bench-net-$1-$2" "/tmp/bench-net-$1.cfg" "$3" "$4" "$5" \
	    "$1-$2" || rc=1
}
i=1
while [ $i -le "$n" ]; do
	one ours $i
	one linux $i
	i=$((i + 1))
done
exit $rc
