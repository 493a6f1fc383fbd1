#! /usr/bin/env atf-sh
# The PV disk and NIC of an HVM guest (scenario hvm-net, group hvm): one
# disk and one vif offered both emulated and PV; the guest unplugs the
# emulated ones (xen_hvm_unplugged: no NIC left on its own PCI bus), writes
# and verifies the whole disk through xbd(4) (xbd_integrity), and runs the
# netlab ktests over xn(4).  dom0's verdicts in steps/hvm-net/net.txt: the
# vif at both ends, ping, ARP, UDP echo both ways with checksums (as
# domu_net), the device model's own view after the unplug (dm_nic_unplugged:
# info pci through xl qemu-monitor-command, against a paused copy that
# still has the NIC), and the blocks the guest wrote, read back from the
# RAM disk (dom0_disk_blocks).  The disk is PV only (block-lab: libxl gives
# the device model no copy of a disk with a custom hotplug script).

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

STEP=hvm-net
KT_SCENARIO=hvm_net
KT_NAMES=$(lab_ktests)
KT_FILTER='^(netlab_(ping|echo_server|echo_client)|xbd_integrity|xen_hvm_detected|xen_hvm_unplugged)$'

kt_boot() {
	lab_step_log hvm "$STEP" "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "hvm_net: $(lab_step_reason hvm "$STEP")"
}

net_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no xn"
	lab_verdict hvm "$STEP" net.txt guest-hvm-net.log "$@"
}

atf_test_case vif_connected
vif_connected_head() {
	atf_set descr "The vif reaches Connected at both ends, hotplug done, on xenbr0; the frontend wrote request-rx-copy=1 and its rings"
	atf_set timeout 900
}
vif_connected_body() {
	net_check vif_connected xenstore-vif-front.txt xenstore-vif-back.txt
}

atf_test_case dom0_ping
dom0_ping_head() {
	atf_set descr "busybox ping from dom0 to the guest"
	atf_set timeout 900
}
dom0_ping_body() {
	net_check dom0_ping
}

atf_test_case dom0_arp
dom0_arp_head() {
	atf_set descr "dom0's ARP entry for the guest carries the guest's MAC"
	atf_set timeout 900
}
dom0_arp_body() {
	net_check dom0_arp
}

atf_test_case dom0_echo
dom0_echo_head() {
	atf_set descr "dom0's udpecho client: 75 sizes of 1 .. 65507 bytes echoed intact, every reply's UDP checksum right in dom0's capture"
	atf_set timeout 900
}
dom0_echo_body() {
	net_check dom0_echo dom0-echo-client.txt
}

atf_test_case dom0_echo_server
dom0_echo_server_head() {
	atf_set descr "dom0's udpecho server: the guest's datagrams carry the pattern and right UDP checksums in dom0's capture"
	atf_set timeout 900
}
dom0_echo_server_body() {
	net_check dom0_echo_server dom0-echo-server.txt
}

atf_test_case dm_nic_unplugged
dm_nic_unplugged_head() {
	atf_set descr "After the guest's unplug the device model's PCI bus (info pci) has no Ethernet controller"
	atf_set timeout 900
}
dm_nic_unplugged_body() {
	net_check dm_nic_unplugged qemu-info-pci.txt
}

atf_test_case dom0_disk_blocks
dom0_disk_blocks_head() {
	atf_set descr "The blocks the guest wrote through xbd(4) carry their own number and the run id on dom0's RAM disk"
	atf_set timeout 900
}
dom0_disk_blocks_body() {
	net_check dom0_disk_blocks
}

atf_init_test_cases() {
	kt_init_test_cases
	atf_add_test_case vif_connected
	atf_add_test_case dom0_ping
	atf_add_test_case dom0_arp
	atf_add_test_case dom0_echo
	atf_add_test_case dom0_echo_server
	atf_add_test_case dm_nic_unplugged
	atf_add_test_case dom0_disk_blocks
}
