# dom0 side of domu-net: the bridge and dom0's echo server (capture on
# xenbr0) for the guest's netlab_echo_client; our kernel with ktest=netlab_*;
# once its vif is connected: what both ends wrote in xenstore; once the
# guest's netlab_echo_server says ready: ping and ARP from dom0 and dom0's
# echo client (capture on xenbr0); at the end dom0's server verdict.
: "${LAB_OUT:=/tmp/lab-out/domu-net}"
mkdir -p "$LAB_OUT"
: >"$LAB_OUT/net.txt"
. /lab/bin/lab-lib
. /lab/bin/net-lib
name=domu-net
guest=10.0.0.2
gmac=00:16:3e:10:00:02
net_netback >"$LAB_OUT/netback.txt"
net_setup || { net_result dom0_bridge "fail: could not set up the bridges"; exit 1; }
# Idle for up to a minute: the guest talks to it in two ktests
# (netlab_echo_client, the xn ones) with dom0's client in between.
$NET_BIN/udpecho server -i xenbr0 -t 60000 -T 220000 >"$LAB_OUT/dom0-echo-server.txt" 2>&1 &
srv=$!
lab-domu "$name" "$LAB_SCEN/xl.cfg" 225 '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10 &
ldpid=$!
if net_vif_up "$name" 20 40; then
	fe=/local/domain/$domid/device/vif/0
	f() { net_xs "$LAB_OUT/xenstore-vif-front.txt" "$fe/$1"; }
	if [ "$(f request-rx-copy)" = 1 ] && [ -n "$(f tx-ring-ref)$(f queue-0/tx-ring-ref)" ]; then
		net_result vif_connected "pass request-rx-copy=1 feature-sg=$(f feature-sg) feature-rx-notify=$(f feature-rx-notify) queues=$(f multi-queue-num-queues) event-channel=$(f event-channel)$(f event-channel-tx)/$(f event-channel-rx)"
	else
		net_result vif_connected "fail: frontend nodes: request-rx-copy '$(f request-rx-copy)', tx-ring-ref '$(f tx-ring-ref)'"
	fi
fi
if [ -z "$domid" ]; then
	:
elif ! net_wait_log "$name" 'NETLAB-ECHO-SERVER-READY|KTEST-SUMMARY' 180 "$ldpid" ||
    ! net_has_log "$name" 'NETLAB-ECHO-SERVER-READY' ""; then
	net_result dom0_ping "fail: the guest's netlab_echo_server never said ready"
else
	if p=$(net_ping $guest); then
		net_result dom0_ping "pass $p"
	else
		net_result dom0_ping "fail: $p"
	fi
	a=$(ip neigh show $guest dev xenbr0 2>/dev/null)
	case $a in
	*$gmac*) net_result dom0_arp "pass $a" ;;
	*) net_result dom0_arp "fail: dom0's ARP entry for $guest is '$a'" ;;
	esac
	l=$($NET_BIN/udpecho client -h $guest -i xenbr0 2>&1 | tee "$LAB_OUT/dom0-echo-client.txt" | tail -n 1)
	case $l in
	*result=pass*) net_result dom0_echo "pass ${l#UDPECHO-CLIENT }" ;;
	*) net_result dom0_echo "fail: ${l:-no output}" ;;
	esac
fi
wait "$ldpid"
lrc=$?
kill "$srv" 2>/dev/null
wait "$srv"
l=$(tail -n 1 "$LAB_OUT/dom0-echo-server.txt")
case $l in
*result=pass*) net_result dom0_echo_server "pass ${l#UDPECHO-SERVER }" ;;
*) net_result dom0_echo_server "fail: ${l:-no output}" ;;
esac
echo "LAB-NET-DONE lab_domu_rc=$lrc"
! net_failed && [ $lrc -eq 0 ]
