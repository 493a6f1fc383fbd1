#! /usr/bin/env atf-sh
# Our kernel as a Xen HVM guest (Debian's qemu-system-xen as device model,
# hvmloader, SeaBIOS, QEMU's PVH loader) with ktest=*: every KTEST line is
# one test case (scenario "hvm", group hvm).

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

KT_SCENARIO=hvm
KT_NAMES=$(lab_ktests)

kt_boot() {
	lab_step_log hvm hvm-boot "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "hvm: $(lab_step_reason hvm hvm-boot)"
}

atf_init_test_cases() {
	kt_init_test_cases
}
