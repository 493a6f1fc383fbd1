# dom0 side of domu-net2 (see scenario.conf).
: "${LAB_OUT:=/tmp/lab-out/domu-net2}"
mkdir -p "$LAB_OUT"
: >"$LAB_OUT/net.txt"
. /lab/bin/lab-lib
. /lab/bin/net-lib
name=domu-net2
MQ=/sys/module/xen_netback/parameters/max_queues
mq_old=$(cat $MQ 2>/dev/null)
[ -w $MQ ] && echo 2 >$MQ
net_netback >"$LAB_OUT/netback.txt"
net_setup || { net_result dom0_bridge "fail: could not set up the bridges"; exit 1; }
lab-domu "$name" "$LAB_SCEN/xl.cfg" 225 '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10 &
ldpid=$!
have_domid() { domid=$(xl domid "$name" 2>/dev/null); [ -n "$domid" ]; }
both() { net_vif_connected "$domid" 0 && net_vif_connected "$domid" 1; }
domid=
if ! wait_until 20 have_domid; then
	net_result vifs_connected "fail: no domain $name 20 s after xl create"
elif ! wait_until 40 both; then
	net_snapshot "$domid"
	net_result vifs_connected "fail: both vifs not connected at both ends and on their bridges in 40 s: $(brctl show 2>&1 | tr '\n' ' ')"
else
	net_snapshot "$domid"
	net_result vifs_connected "pass vif$domid.0 on xenbr0, vif$domid.1 on xenbr1"
	for dev in 0 1; do
		fe=/local/domain/$domid/device/vif/$dev
		f() { net_xs "$LAB_OUT/xenstore-vif-front.txt" "$fe/$1"; }
		if [ "$(f multi-queue-num-queues)" = 2 ] && [ -n "$(f queue-0/tx-ring-ref)" ] &&
		    [ -n "$(f queue-1/rx-ring-ref)" ]; then
			net_result "two_queues_vif$dev" "pass queue-0 evtchn $(f queue-0/event-channel-tx)$(f queue-0/event-channel)/$(f queue-0/event-channel-rx), queue-1 evtchn $(f queue-1/event-channel-tx)$(f queue-1/event-channel)/$(f queue-1/event-channel-rx)"
		else
			net_result "two_queues_vif$dev" "fail: multi-queue-num-queues '$(f multi-queue-num-queues)' (netback max_queues $(cat $MQ)), queue-0/tx-ring-ref '$(f queue-0/tx-ring-ref)'"
		fi
	done
fi
if [ -z "$domid" ]; then
	:
elif ! net_wait_log "$name" 'NETLAB-ECHO-SERVER-READY|KTEST-SUMMARY' 180 "$ldpid" ||
    ! net_has_log "$name" 'NETLAB-ECHO-SERVER-READY' ""; then
	net_result dom0_ping "fail: the guest's netlab_echo_server never said ready"
else
	for v in "0 10.0.0.2 00:16:3e:10:00:02 xenbr0" "1 10.0.1.2 00:16:3e:10:01:02 xenbr1"; do
		set -- $v
		if p=$(net_ping "$2"); then
			net_result "dom0_ping_vif$1" "pass $p"
		else
			net_result "dom0_ping_vif$1" "fail: $p"
		fi
		a=$(ip neigh show "$2" dev "$4" 2>/dev/null)
		case $a in
		*$3*) net_result "dom0_arp_vif$1" "pass $a" ;;
		*) net_result "dom0_arp_vif$1" "fail: dom0's ARP entry for $2 is '$a'" ;;
		esac
		l=$($NET_BIN/udpecho client -h "$2" -i "$4" 2>&1 | tee "$LAB_OUT/dom0-echo-vif$1.txt" | tail -n 1)
		case $l in
		*result=pass*) net_result "dom0_echo_vif$1" "pass ${l#UDPECHO-CLIENT }" ;;
		*) net_result "dom0_echo_vif$1" "fail: ${l:-no output}" ;;
		esac
	done
fi
wait "$ldpid"
lrc=$?
[ -n "$mq_old" ] && [ -w $MQ ] && echo "$mq_old" >$MQ
echo "LAB-NET-DONE lab_domu_rc=$lrc"
! net_failed && [ $lrc -eq 0 ]
