#! /usr/bin/env atf-sh
# Our kernel as a PVH domU in Xen's default TSC mode, running the PV clock
# ktests (scenario "domu_clock"): the PV clock against the TSC Xen describes.

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

KT_SCENARIO=domu_clock
KT_NAMES=$(lab_ktests)
KT_FILTER='^xen_pvclock_'

kt_boot() {
	lab_step_log domu domu-clock "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "domu_clock: $(lab_step_reason domu domu-clock)"
}

atf_init_test_cases() {
	kt_init_test_cases
}
