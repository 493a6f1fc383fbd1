#! /usr/bin/env atf-sh
# xen-blkback unloaded and loaded again under a connected disk (scenario
# domu-blkreload, booted in the same Xen as domu_ktests, before
# domu_blkfeat): a plain reload the guest's verify passes run across (Linux
# 6.1's blkback takes the rings up again), then a reload with
# max_ring_page_order=0 that refuses our rings, after which xbd(4) goes
# Initialising by itself and reconnects on a one-page ring with its data
# intact; dom0 reads both runs back from its RAM disk.  One case per
# verdict of steps/domu-blkreload/blkreload.txt.

. "$(atf_get_srcdir)/lab-atf.subr"

STEP=domu-blkreload

rl_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no xbd"
	lab_verdict domu "$STEP" blkreload.txt guest.txt "$@"
}

atf_test_case dom0_run_a
dom0_run_a_head() {
	atf_set descr "The guest's first integrity write (run A) is on dom0's RAM disk before blkback is reloaded"
	atf_set timeout 900
}
dom0_run_a_body() {
	rl_check dom0_run_a
}

atf_test_case plain_reload
plain_reload_head() {
	atf_set descr "blkback unbound, unloaded and loaded again with the same parameters under the guest's verify passes: both ends Connected again, no reconnect, every pass clean"
	atf_set timeout 900
}
plain_reload_body() {
	rl_check plain_reload states.txt dmesg-plain.txt
}

atf_test_case refused_reload
refused_reload_head() {
	atf_set descr "blkback loaded with max_ring_page_order=0 closes our order-4 rings; xbd0 goes Initialising by itself and comes back on one page"
	atf_set timeout 900
}
refused_reload_body() {
	rl_check refused_reload states.txt dmesg-refused.txt xenstore-frontend.txt
}

atf_test_case guest_verdict
guest_verdict_head() {
	atf_set descr "The guest's ktest xbd_reload passes: run A intact after the reconnect, run B written and verified"
	atf_set timeout 900
}
guest_verdict_body() {
	rl_check guest_verdict
}

atf_test_case dom0_run_b
dom0_run_b_head() {
	atf_set descr "After the reconnect the guest's second run (run B) is on dom0's RAM disk"
	atf_set timeout 900
}
dom0_run_b_body() {
	rl_check dom0_run_b
}

atf_init_test_cases() {
	atf_add_test_case dom0_run_a
	atf_add_test_case plain_reload
	atf_add_test_case refused_reload
	atf_add_test_case guest_verdict
	atf_add_test_case dom0_run_b
}
