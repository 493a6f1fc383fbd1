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
# one SIDE ROUND: one guest's run.
one() {
	side=$1 i=$2
	name=bench-net-$side-$i
	case $side in
	ours) ip=10.0.0.2 ready='NETBENCH-(RECV-READY|DONE)' done_re='NETBENCH-DONE' ;;
	linux) ip=10.0.0.3 ready='LAB-LINUX-NET-(UP|DONE)' done_re='LAB-LINUX-NET-DONE' ;;
	esac
	rpid=
	lab-domu "$name" "/tmp/bench-net-$side.cfg" 200 "$done_re" 5 &
	lpid=$!
	if net_wait_log "$name" "$ready" 150 "$lpid" &&
	    ! net_has_log "$name" "$done_re" ""; then
		domid=$(xl domid "$name")
		$NET_BIN/netbench count -c "vif$domid.0" \
		    -r "$nr" -S "$(echo $sizes | tr ' ' ,)" -T 240000 \
		    >"$LAB_OUT/dom0-recv-$side-$i.txt" 2>&1 &
		rpid=$!
		# ARP both ways before the clock starts.
		net_ping $ip 2 >"$LAB_OUT/dom0-ping-$side-$i.txt"
		net_snapshot "$domid"
		cp "$LAB_OUT/xenstore-vif-front.txt" "$LAB_OUT/xenstore-vif-front-$side.txt"
		cp "$LAB_OUT/xenstore-vif-back.txt" "$LAB_OUT/xenstore-vif-back-$side.txt"
		for s in $sizes; do
			$NET_BIN/netbench send -h $ip -s "$s" -t "$ms" >>"$LAB_OUT/dom0-send-$side-$i.txt" 2>&1
			sleep 0.3
		done
	else
		echo "LAB-NETBENCH-ERROR $name: its sink never said ready"
		rc=1
	fi
	wait "$lpid" || rc=1
	# The counter stops when its rounds are done or the vif is gone; on
	# SIGTERM it prints the round under way.
	[ -n "$rpid" ] || return
	wait_until 10 sh -c "! kill -0 $rpid 2>/dev/null"
	kill "$rpid" 2>/dev/null
	wait "$rpid"
}
i=1
while [ $i -le "$n" ]; do
	one ours $i
	one linux $i
	i=$((i + 1))
done
exit $rc
