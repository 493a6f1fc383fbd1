#! /usr/bin/env atf-sh
# Two queues, malformed frames, detach/attach (scenario domu-netops, group
# net): while the ktest netlab_hold serves echo, dom0 checks two queues,
# pings and echoes, sends every rawinject kind straight into the vif (none
# may be answered; ping and echo still work), detaches and attaches the vif
# (traffic resumes), then tells the guest, which pings dom0 and prints its
# counters (guest_counters).

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

STEP=domu-netops
KT_SCENARIO=domu_netops
KT_NAMES=$(lab_ktests)
KT_FILTER='^netlab_hold$'

kt_boot() {
	lab_step_log net "$STEP" "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "domu_netops: $(lab_step_reason net "$STEP")"
}

net_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no xn"
	lab_verdict net "$STEP" net.txt guest-domu-netops.log "$@"
}

atf_test_case two_queues
two_queues_head() {
	atf_set descr "netback asked for two queues: the frontend takes two"
	atf_set timeout 900
}
two_queues_body() {
	net_check two_queues xenstore-vif-front.txt
}

atf_test_case dom0_ping_before
dom0_ping_before_head() {
	atf_set descr "ping before"
	atf_set timeout 900
}
dom0_ping_before_body() {
	net_check dom0_ping_before
}

atf_test_case dom0_echo_before
dom0_echo_before_head() {
	atf_set descr "echo before"
	atf_set timeout 900
}
dom0_echo_before_body() {
	net_check dom0_echo_before dom0-echo-dom0_echo_before.txt
}

atf_test_case inject
inject_head() {
	atf_set descr "Every rawinject kind sent into the vif, none answered"
	atf_set timeout 900
}
inject_body() {
	net_check inject inject.txt
}

atf_test_case dom0_ping_after_inject
dom0_ping_after_inject_head() {
	atf_set descr "ping after the malformed frames"
	atf_set timeout 900
}
dom0_ping_after_inject_body() {
	net_check dom0_ping_after_inject
}

atf_test_case dom0_echo_after_inject
dom0_echo_after_inject_head() {
	atf_set descr "echo after the malformed frames"
	atf_set timeout 900
}
dom0_echo_after_inject_body() {
	net_check dom0_echo_after_inject dom0-echo-dom0_echo_after_inject.txt
}

atf_test_case reattach
reattach_head() {
	atf_set descr "xl network-detach, then network-attach: connected again and answering ping"
	atf_set timeout 900
}
reattach_body() {
	net_check reattach xl-network-detach.log xl-network-attach.log
}

atf_test_case dom0_ping_after_reattach
dom0_ping_after_reattach_head() {
	atf_set descr "ping after the re-attach"
	atf_set timeout 900
}
dom0_ping_after_reattach_body() {
	net_check dom0_ping_after_reattach
}

atf_test_case dom0_echo_after_reattach
dom0_echo_after_reattach_head() {
	atf_set descr "echo after the re-attach"
	atf_set timeout 900
}
dom0_echo_after_reattach_body() {
	net_check dom0_echo_after_reattach dom0-echo-dom0_echo_after_reattach.txt
}

atf_test_case guest_counters
guest_counters_head() {
	atf_set descr "The guest's counters after it all (drops by reason)"
	atf_set timeout 900
}
guest_counters_body() {
	net_check guest_counters guest-counters.txt
}

atf_init_test_cases() {
	kt_init_test_cases
	atf_add_test_case two_queues
	atf_add_test_case dom0_ping_before
	atf_add_test_case dom0_echo_before
	atf_add_test_case inject
	atf_add_test_case dom0_ping_after_inject
	atf_add_test_case dom0_echo_after_inject
	atf_add_test_case reattach
	atf_add_test_case dom0_ping_after_reattach
	atf_add_test_case dom0_echo_after_reattach
	atf_add_test_case guest_counters
}
