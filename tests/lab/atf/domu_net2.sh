#! /usr/bin/env atf-sh
# Two vifs, two queues each (scenario domu-net2, group net): netback's
# max_queues raised to 2; both vifs connect with two queues (rings and
# event channels under queue-0/ and queue-1/), dom0 pings, checks ARP and
# echoes 1 .. 65507 bytes on each (captures on xenbr0 and xenbr1); the
# netlab ktests netlab_ping and netlab_echo_server.

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

STEP=domu-net2
KT_SCENARIO=domu_net2
KT_NAMES=$(lab_ktests)
KT_FILTER='^netlab_(ping|echo_server)$'

kt_boot() {
	lab_step_log net "$STEP" "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "domu_net2: $(lab_step_reason net "$STEP")"
}

net_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no xn"
	lab_verdict net "$STEP" net.txt guest-domu-net2.log "$@"
}

atf_test_case vifs_connected
vifs_connected_head() {
	atf_set descr "Both vifs reach Connected at both ends, each on its bridge"
	atf_set timeout 900
}
vifs_connected_body() {
	net_check vifs_connected xenstore-vif-front.txt
}

atf_test_case two_queues_vif0
two_queues_vif0_head() {
	atf_set descr "vif 0: two queues, each with its rings and event channels"
	atf_set timeout 900
}
two_queues_vif0_body() {
	net_check two_queues_vif0 xenstore-vif-front.txt
}

atf_test_case two_queues_vif1
two_queues_vif1_head() {
	atf_set descr "vif 1: two queues, each with its rings and event channels"
	atf_set timeout 900
}
two_queues_vif1_body() {
	net_check two_queues_vif1 xenstore-vif-front.txt
}

atf_test_case dom0_ping_vif0
dom0_ping_vif0_head() {
	atf_set descr "ping on the first vif"
	atf_set timeout 900
}
dom0_ping_vif0_body() {
	net_check dom0_ping_vif0
}

atf_test_case dom0_arp_vif0
dom0_arp_vif0_head() {
	atf_set descr "ARP on the first vif"
	atf_set timeout 900
}
dom0_arp_vif0_body() {
	net_check dom0_arp_vif0
}

atf_test_case dom0_echo_vif0
dom0_echo_vif0_head() {
	atf_set descr "UDP echo 1 .. 65507 bytes on the first vif, checksums verified"
	atf_set timeout 900
}
dom0_echo_vif0_body() {
	net_check dom0_echo_vif0 dom0-echo-vif0.txt
}

atf_test_case dom0_ping_vif1
dom0_ping_vif1_head() {
	atf_set descr "ping on the second vif"
	atf_set timeout 900
}
dom0_ping_vif1_body() {
	net_check dom0_ping_vif1
}

atf_test_case dom0_arp_vif1
dom0_arp_vif1_head() {
	atf_set descr "ARP on the second vif"
	atf_set timeout 900
}
dom0_arp_vif1_body() {
	net_check dom0_arp_vif1
}

atf_test_case dom0_echo_vif1
dom0_echo_vif1_head() {
	atf_set descr "UDP echo 1 .. 65507 bytes on the second vif, checksums verified"
	atf_set timeout 900
}
dom0_echo_vif1_body() {
	net_check dom0_echo_vif1 dom0-echo-vif1.txt
}

atf_init_test_cases() {
	kt_init_test_cases
	atf_add_test_case vifs_connected
	atf_add_test_case two_queues_vif0
	atf_add_test_case two_queues_vif1
	atf_add_test_case dom0_ping_vif0
	atf_add_test_case dom0_arp_vif0
	atf_add_test_case dom0_echo_vif0
	atf_add_test_case dom0_ping_vif1
	atf_add_test_case dom0_arp_vif1
	atf_add_test_case dom0_echo_vif1
}
