#! /usr/bin/env atf-sh
# Our kernel as a PVH domU under Debian's Xen 4.17 (Linux dom0, real xl) with
# ktest=*: every KTEST line is one test case (scenario "domu").

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

KT_SCENARIO=domu
KT_NAMES=$(lab_ktests)

kt_boot() {
	lab_step_log domu domu-boot "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "domu: $(lab_step_reason domu domu-boot)"
}

atf_init_test_cases() {
	kt_init_test_cases
}
