#! /usr/bin/env atf-sh
# Our kernel as a PVH domU on the FIFO event-channel ABI (xen.evtchn=fifo):
# the Xen and xenstore ktests again (scenario "domu_fifo").

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

KT_SCENARIO=domu_fifo
KT_NAMES=$(lab_ktests)
KT_FILTER='^(xen_|xenstore_)'

kt_boot() {
	lab_step_log domu domu-fifo "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "domu_fifo: $(lab_step_reason domu domu-fifo)"
}

atf_init_test_cases() {
	kt_init_test_cases
}
