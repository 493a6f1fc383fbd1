# dom0 side of linux-domu-netops (see scenario.conf).
: "${LAB_OUT:=/tmp/lab-out/linux-domu-netops}"
mkdir -p "$LAB_OUT"
: >"$LAB_OUT/net.txt"
. /lab/bin/lab-lib
. /lab/bin/net-lib
name=linux-netops
guest=10.0.0.3
gmac=00:16:3e:10:00:03
# xl network-attach takes the spec as separate words (unquoted below).
spec="bridge=xenbr0 mac=$gmac"
MQ=/sys/module/xen_netback/parameters/max_queues
mq_old=$(cat $MQ 2>/dev/null)
[ -w $MQ ] && echo 2 >$MQ
net_netback >"$LAB_OUT/netback.txt"
net_setup || { net_result dom0_bridge "fail: could not set up the bridges"; exit 1; }
rd=/tmp/linux-netops-initrd.cpio
lab_linux_rd /lab/payload/linux-net.cpio.gz $rd ||
    { net_result linux_up "fail: no linux-net overlay in the payload"; exit 1; }
sed -e "s|@RAMDISK@|$rd|" "$LAB_SCEN/xl.cfg" >/tmp/linux-netops.cfg
lab-domu "$name" /tmp/linux-netops.cfg 280 'LAB-LINUX-NET-DONE' 160 &
ldpid=$!
small=1-32,1400-1480/20,4000,65507
if ! net_wait_log "$name" 'LAB-LINUX-NET-(UP|DONE)' 120 "$ldpid"; then
	net_result linux_up "fail: the guest never reported its network up"
else
	net_ops_checks "$name"
	xl destroy "$domid" >/dev/null 2>&1
fi
wait "$ldpid"
[ -n "$mq_old" ] && [ -w $MQ ] && echo "$mq_old" >$MQ
g=$LAB_OUT/guest-$name.log
# The guest's echo servers (the one running during the injection also
# captured the malformed frames: its csum_bad/ip_bad are those, not a check).
tr -d '\r' <"$g" 2>/dev/null | grep -aoE '(LAB-LINUX-NET-(FEATURES|READDR)|UDPECHO-SERVER ).*' | sed 's/^/  /' >>"$LAB_OUT/net.txt"
echo "LAB-NET-DONE"
! net_failed
