# dom0 side of hvm-net: as domu-net for the vif (bridge, dom0's echo
# server, ping, ARP, echo client), plus the device model's view of the
# emulated NIC once the guest has unplugged it, and the disk's
# blocks read back from /dev/ram2 once the guest is gone.
: "${LAB_OUT:=/tmp/lab-out/hvm-net}"
mkdir -p "$LAB_OUT"
: >"$LAB_OUT/net.txt"
. /lab/bin/lab-lib
. /lab/bin/net-lib
. /lab/bin/blk-lib
name=hvm-net
guest=10.0.0.2
DEV=/dev/ram2
BS=4096
RUNID=1651272497	# 0x626c6b31, XBDT_RUNID in blkfront_test.c
BLK_TAG=LAB-NET
res=$LAB_OUT/net.txt
printf '\0\0' >/tmp/sercon-port
dd if=/dev/zero of=$DEV bs=65536 2>/dev/null
net_netback >"$LAB_OUT/netback.txt"
net_setup || { net_result dom0_bridge "fail: could not set up the bridges"; exit 1; }
$NET_BIN/udpecho server -i xenbr0 -t 6000 -T 180000 >"$LAB_OUT/dom0-echo-server.txt" 2>&1 &
srv=$!
# The positive control: the same config created paused (the guest has run
# nothing, so nothing is unplugged) shows the emulated NIC that
# the check below must find gone.  (The disk is PV only: with a custom
# hotplug script, and the stock one fails in this dom0, libxl gives the
# device model no copy of it.)
pre_nic=0
if xl create -p "$LAB_SCEN/xl.cfg" "name=\"$name-pre\"" >"$LAB_OUT/xl-create-pre.log" 2>&1; then
	xl qemu-monitor-command "$name-pre" "info pci" >"$LAB_OUT/qemu-info-pci-pre.txt" 2>&1
	pre_nic=$(grep -ci 'Ethernet' "$LAB_OUT/qemu-info-pci-pre.txt")
	xl destroy "$name-pre" >/dev/null 2>&1
else
	cp /var/log/xen/qemu-dm-$name-pre.log "$LAB_OUT/qemu-dm-pre.log" 2>/dev/null
fi
lab-domu "$name" "$LAB_SCEN/xl.cfg" 185 '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10 &
ldpid=$!
if net_vif_up "$name" 30 60; then
	net_result vif_connected "pass front $(xenstore-read /local/domain/$domid/device/vif/0/state) back $(xenstore-read /local/domain/0/backend/vif/$domid/0/state)"
fi
# The device model after the unplug (the guest does it before its device
# tree, long before its vif connects): no NIC on its PCI bus.
if [ -n "$domid" ]; then
	xl qemu-monitor-command "$domid" "info pci" >"$LAB_OUT/qemu-info-pci.txt" 2>&1
	if [ "$pre_nic" -lt 1 ]; then
		net_result dm_nic_unplugged "fail: no Ethernet controller even before the guest ran (info pci of a paused copy: $(grep -c Bus "$LAB_OUT/qemu-info-pci-pre.txt" 2>/dev/null) functions)"
	elif ! grep -q 'Bus' "$LAB_OUT/qemu-info-pci.txt"; then
		net_result dm_nic_unplugged "fail: no PCI list from the device model: $(head -n 2 "$LAB_OUT/qemu-info-pci.txt" | tr '\n' ' ')"
	elif grep -qi 'Ethernet' "$LAB_OUT/qemu-info-pci.txt"; then
		net_result dm_nic_unplugged "fail: the device model still has an Ethernet controller"
	else
		net_result dm_nic_unplugged "pass $(grep -c 'Bus' "$LAB_OUT/qemu-info-pci.txt") PCI functions, no Ethernet controller ($pre_nic before the guest ran)"
	fi
fi
if [ -z "$domid" ]; then
	:
elif ! net_wait_log "$name" 'NETLAB-ECHO-SERVER-READY|KTEST-SUMMARY' 150 "$ldpid" ||
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
	*00:16:3e:10:00:02*) net_result dom0_arp "pass $a" ;;
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
cp /var/log/xen/qemu-dm-$name.log "$LAB_OUT/qemu-dm.log" 2>/dev/null
kill "$srv" 2>/dev/null
wait "$srv"
l=$(tail -n 1 "$LAB_OUT/dom0-echo-server.txt")
case $l in
*result=pass*) net_result dom0_echo_server "pass ${l#UDPECHO-SERVER }" ;;
*) net_result dom0_echo_server "fail: ${l:-no output}" ;;
esac
size=$(blockdev --getsize64 $DEV 2>/dev/null)
nblk=$((${size:-0} / BS))
if [ "$nblk" -lt 1 ]; then
	net_result dom0_disk_blocks "fail: $DEV has size '$size'"
elif w=$(check_written 0 "$nblk" $RUNID); then
	net_result dom0_disk_blocks "pass every 61st of $nblk blocks of $DEV and both ends carry their number and run id"
else
	net_result dom0_disk_blocks "fail: $w"
fi
echo "LAB-NET-DONE lab_domu_rc=$lrc"
! net_failed && [ $lrc -eq 0 ]
