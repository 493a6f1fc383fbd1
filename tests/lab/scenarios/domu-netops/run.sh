# dom0 side of domu-netops (see scenario.conf); the same checks as
# linux-domu-netops, which proves them with the Linux peer.
: "${LAB_OUT:=/tmp/lab-out/domu-netops}"
mkdir -p "$LAB_OUT"
: >"$LAB_OUT/net.txt"
. /lab/bin/lab-lib
. /lab/bin/net-lib
name=domu-netops
guest=10.0.0.2
gmac=00:16:3e:10:00:02
# xl network-attach takes the spec as separate words (unquoted below).
spec="bridge=xenbr0 mac=$gmac"
MQ=/sys/module/xen_netback/parameters/max_queues
mq_old=$(cat $MQ 2>/dev/null)
[ -w $MQ ] && echo 2 >$MQ
net_netback >"$LAB_OUT/netback.txt"
net_setup || { net_result dom0_bridge "fail: could not set up the bridges"; exit 1; }
lab-domu "$name" "$LAB_SCEN/xl.cfg" 280 '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10 &
ldpid=$!
small=1-32,1400-1480/20,4000,65507
if ! net_wait_log "$name" 'NETLAB-HOLD-READY|KTEST-SUMMARY' 90 "$ldpid" ||
    ! net_has_log "$name" 'NETLAB-HOLD-READY' ""; then
	net_result guest_up "fail: the guest's netlab_hold never said ready"
else
	net_ops_checks "$name"
	# The guest's turn: it pings dom0 and prints its counters.
	$NET_BIN/udpecho send -h $guest -p 7779 -m "done"
fi
wait "$ldpid"
[ -n "$mq_old" ] && [ -w $MQ ] && echo "$mq_old" >$MQ
g=$LAB_OUT/guest-$name.log
# The guest's counters after it all (net_report between the markers).
tr -d '\r' <"$g" 2>/dev/null | sed -n '/NETLAB-COUNTERS$/,/NETLAB-COUNTERS-END/p' >"$LAB_OUT/guest-counters.txt"
if [ -s "$LAB_OUT/guest-counters.txt" ]; then
	net_result guest_counters "pass $(grep -v NETLAB-COUNTERS "$LAB_OUT/guest-counters.txt" | tr -s ' \n' ' ')"
else
	net_result guest_counters "fail: no NETLAB-COUNTERS block in the guest's console"
fi
echo "LAB-NET-DONE"
! net_failed
