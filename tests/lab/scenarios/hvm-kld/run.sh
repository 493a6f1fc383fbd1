# dom0 side of hvm-kld: kernel-noxen + xenhvm.ko as an HVM guest.  Guest
# A (xl.cfg) runs the ktests with one disk and one vif: dom0 checks the
# vif, ping and UDP echo as hvm-net does, then the blocks the guest wrote,
# read back from /dev/ram2 once it is gone.  Guest B (idle.cfg) boots
# idle and must go away on `xl shutdown` (the module's control driver and
# its power-off through Xen).  One line per check in $LAB_OUT/net.txt.
: "${LAB_OUT:=/tmp/lab-out/hvm-kld}"
mkdir -p "$LAB_OUT"
: >"$LAB_OUT/net.txt"
. /lab/bin/lab-lib
. /lab/bin/net-lib
. /lab/bin/blk-lib
name=hvm-kld
guest=10.0.0.2
DEV=/dev/ram2
BS=4096
RUNID=1651272497	# 0x626c6b31, XBDT_RUNID in blkfront_test.c
BLK_TAG=LAB-KLD
logdir=/var/log/xen/console
printf '\0\0' >/tmp/sercon-port
dd if=/dev/zero of=$DEV bs=65536 2>/dev/null
net_netback >"$LAB_OUT/netback.txt"
net_setup || { net_result dom0_bridge "fail: could not set up the bridges"; exit 1; }
$NET_BIN/udpecho server -i xenbr0 -t 6000 -T 300000 >"$LAB_OUT/dom0-echo-server.txt" 2>&1 &
srv=$!
lab-domu "$name" "$LAB_SCEN/xl.cfg" 240 '^(\([a-z0-9]+\) )?(\[[ 0-9.]+\] )?KTEST-SUMMARY' 10 &
ldpid=$!
if net_vif_up "$name" 30 150; then
	net_result vif_connected "pass front $(xenstore-read /local/domain/$domid/device/vif/0/state) back $(xenstore-read /local/domain/0/backend/vif/$domid/0/state)"
fi
[ -n "$domid" ] && net_peer_checks "$name" $guest "$ldpid" 200
wait "$ldpid"
lrc=$?
cp /var/log/xen/qemu-dm-$name.log "$LAB_OUT/qemu-dm.log" 2>/dev/null
net_server_verdict "$srv"
net_result dom0_disk_blocks "$(written_verdict $RUNID)"

# Guest B: idle, then xl shutdown.
name=hvm-kld-idle
glog=$logdir/guest-$name.log
SC='startup complete'
gone() {
	! xl list "$name" >/dev/null 2>&1 && ! xenstore-exists "/local/domain/$domid" 2>/dev/null
}
t=$(now_ms)
if ! xl create "$LAB_SCEN/idle.cfg" "name=\"$name\"" >"$LAB_OUT/xl-create-$name.log" 2>&1; then
	net_result xl_shutdown "fail: xl create failed: $(tail -n 2 "$LAB_OUT/xl-create-$name.log" | tr '\n' ' ')"
elif ! have_domid || ! wait_until 90 grep -aq "$SC" "$glog"; then
	net_result xl_shutdown "fail: the idle guest did not print '$SC' within 90 s of xl create (xl: $(xl list "$name" 2>&1 | tail -n 1))"
else
	echo "LAB-DOMU-READY name=$name domid=$domid ready_ms=$(el "$t")"
	t=$(now_ms)
	if ! xl shutdown "$domid" >"$LAB_OUT/xl-shutdown.log" 2>&1; then
		net_result xl_shutdown "fail: xl shutdown $domid failed: $(tail -n 2 "$LAB_OUT/xl-shutdown.log" | tr '\n' ' ')"
	elif ! wait_until 20 gone; then
		why="domain still present 20 s after xl shutdown (xl: $(xl list "$name" 2>&1 | tail -n 1))"
		grep -aq 'received shutdown request: poweroff' "$glog" &&
		    why="$why; the guest did print the request" ||
		    why="$why; the guest never printed 'received shutdown request: poweroff'"
		net_result xl_shutdown "fail: $why"
	elif wait_until 2 grep -aq 'received shutdown request: poweroff' "$glog"; then
		net_result xl_shutdown "pass the guest took the request and was gone $(el "$t") ms after xl shutdown"
	else
		net_result xl_shutdown "fail: the domain went $(el "$t") ms after xl shutdown without 'received shutdown request: poweroff' in its console log"
	fi
fi
[ -n "$domid" ] && grep -a "^(d$domid)" "$logdir/hypervisor.log" >"$LAB_OUT/hv-$name.log" 2>/dev/null
xl destroy "$name" >/dev/null 2>&1
cp "$glog" "$LAB_OUT/guest-$name.log" 2>/dev/null
echo "LAB-KLD-DONE lab_domu_rc=$lrc"
! net_failed && [ $lrc -eq 0 ]
