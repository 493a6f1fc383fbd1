#! /usr/bin/env atf-sh
# Our kernel as Xen's PVH dom0 (no Linux; q35 + emulated VT-d) with ktest=*:
# every KTEST line is one test case (scenario "dom0").

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

KT_SCENARIO=dom0
KT_NAMES=$(lab_ktests)

kt_boot() {
	lab_step_log dom0 dom0-boot "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "dom0: $(lab_step_reason dom0 dom0-boot)"
}

atf_init_test_cases() {
	kt_init_test_cases
}
