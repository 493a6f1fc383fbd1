# dom0 side of linux-domu-net: the bridges, the Linux peer with two vifs,
# then, once it says it reached dom0: its vifs on the bridges and connected
# at both ends, ARP and ping from dom0 on both vifs, UDP echo from dom0
# (client, capture on xenbr0) and from the guest (dom0's server, capture on
# xenbr0); the guest's own ping, echo client and echo server verdicts.
: "${LAB_OUT:=/tmp/lab-out/linux-domu-net}"
mkdir -p "$LAB_OUT"
: >"$LAB_OUT/net.txt"
. /lab/bin/lab-lib
. /lab/bin/net-lib
name=linux-net
guest=10.0.0.3
guest1=10.0.1.3
net_netback >"$LAB_OUT/netback.txt"
if ! net_setup; then
	net_result dom0_bridge "fail: could not set up xenbr0/xenbr1"
	exit 1
fi
ip addr show >"$LAB_OUT/dom0-ip.txt" 2>&1
rd=/tmp/linux-net-initrd.cpio
lab_linux_rd /lab/payload/linux-net.cpio.gz $rd ||
    { net_result linux_boot "fail: no linux-net overlay in the payload"; exit 1; }
sed -e "s|@RAMDISK@|$rd|" "$LAB_SCEN/xl.cfg" >/tmp/linux-net.cfg
# dom0's echo server for the guest's client (capture on the bridge).
$NET_BIN/udpecho server -i xenbr0 -t 5000 -T 120000 >"$LAB_OUT/dom0-echo-server.txt" 2>&1 &
srv=$!
lab-domu "$name" /tmp/linux-net.cfg 130 'LAB-LINUX-NET-DONE' 5 &
ldpid=$!
if ! net_wait_log "$name" 'LAB-LINUX-NET-(UP|DONE)' 110 "$ldpid"; then
	net_result linux_up "fail: the guest never reported its network up"
else
	domid=$(xl domid "$name")
	up=$(net_logline "$name" 'LAB-LINUX-NET-(UP|DONE)')
	case $up in
	*NET-DONE*) net_result linux_up "fail: $up" ;;
	*) net_result linux_up "pass ${up#LAB-LINUX-NET-UP }" ;;
	esac
	if wait_until 10 net_vif_connected "$domid" 0 && wait_until 10 net_vif_connected "$domid" 1; then
		net_result vif_hotplug "pass vif$domid.0 on $(basename "$(readlink /sys/class/net/vif$domid.0/brport/bridge)"), vif$domid.1 on $(basename "$(readlink /sys/class/net/vif$domid.1/brport/bridge)"), hotplug-status connected"
	else
		net_result vif_hotplug "fail: vifs not connected on both ends with the bridge port up: $(brctl show 2>&1 | tr '\n' ' ')"
	fi
	net_snapshot "$domid"
	if p=$(net_ping $guest); then
		net_result dom0_ping "pass $p"
	else
		net_result dom0_ping "fail: $p"
	fi
	mac=$(ip neigh show $guest dev xenbr0 2>/dev/null)
	case $mac in
	*00:16:3e:10:00:03*) net_result dom0_arp "pass $mac" ;;
	*) net_result dom0_arp "fail: dom0's ARP entry for $guest is '$mac'" ;;
	esac
	if p=$(net_ping $guest1); then
		net_result dom0_ping_vif1 "pass $p"
	else
		net_result dom0_ping_vif1 "fail: $p"
	fi
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
g=$LAB_OUT/guest-$name.log
for c in "linux_ping LAB-LINUX-NET-PING" "linux_echo_client UDPECHO-CLIENT" \
    "linux_echo_server UDPECHO-SERVER "; do
	set -- $c
	l=$(tr -d '\r' <"$g" 2>/dev/null | grep -aoE "$2.*" | tail -n 1)
	case $l in
	*-PING\ pass*) net_result "$1" "pass ${l#* pass }" ;;
	*result=pass*) net_result "$1" "pass ${l#* }" ;;
	*) net_result "$1" "fail: ${l:-no line $2 in the guest console}" ;;
	esac
done
tr -d '\r' <"$g" 2>/dev/null | grep -aoE 'LAB-LINUX-NET-FEATURES.*' | sed 's/^/  /' >>"$LAB_OUT/net.txt"
echo "LAB-NET-DONE lab_domu_rc=$lrc"
! net_failed && [ $lrc -eq 0 ]
