#! /usr/bin/env atf-sh
# Our kernel as a PVH domU on the 2-level event-channel ABI (xen.evtchn=2l):
# the Xen and xenstore ktests again (scenario "domu_2l").

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

KT_SCENARIO=domu_2l
KT_NAMES=$(lab_ktests)
KT_FILTER='^(xen_evtchn_|xen_upcall_|xen_ipi_|xen_ap_|xen_callout_|xenstore_)'

kt_boot() {
	lab_step_log domu domu-2l "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "domu_2l: $(lab_step_reason domu domu-2l)"
}

atf_init_test_cases() {
	kt_init_test_cases
}
