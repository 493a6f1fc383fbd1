#! /usr/bin/env atf-sh
# The lab's own test kernel (tests/lab/testkernel) as a PVH domU, booted in
# the same Xen as domu_ktests: proves the lab when our kernel fails.

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

KT_SCENARIO=lab_selftest
KT_NAMES="$(lab_top)/build/lab/testkernel/kernel.ktests"

kt_boot() {
	lab_step_log domu selftest-domu "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "lab_selftest: $(lab_step_reason domu selftest-domu)"
}

atf_init_test_cases() {
	kt_init_test_cases
}
