#! /usr/bin/env atf-sh
# xn(4) and the stack against Linux netback (scenario domu-net, group
# net): one vif on dom0's xenbr0; the netlab ktests (one case each: ping
# dom0, echo server, echo client over 1 .. 65507 bytes), the xn ktests
# (xn_connected, xn_ping_peer, xn_udp_echo, xn_udp_chain) and the dom0 side's
# verdicts in steps/domu-net/net.txt: the vif connected at both ends with
# request-rx-copy (vif_connected), dom0's ping and ARP entry (dom0_ping,
# dom0_arp), dom0's echo client with every reply's UDP checksum verified
# from a capture on the bridge (dom0_echo), dom0's echo server likewise for
# the guest's client (dom0_echo_server).

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

STEP=domu-net
KT_SCENARIO=domu_net
KT_NAMES=$(lab_ktests)
KT_FILTER='^(netlab_(ping|echo_server|echo_client)|xn_(connected|ping_peer|udp_echo|udp_chain))$'

kt_boot() {
	lab_step_log net "$STEP" "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "domu_net: $(lab_step_reason net "$STEP")"
}

net_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no xn"
	lab_verdict net "$STEP" net.txt guest-domu-net.log "$@"
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

atf_init_test_cases() {
	kt_init_test_cases
	atf_add_test_case vif_connected
	atf_add_test_case dom0_ping
	atf_add_test_case dom0_arp
	atf_add_test_case dom0_echo
	atf_add_test_case dom0_echo_server
}
