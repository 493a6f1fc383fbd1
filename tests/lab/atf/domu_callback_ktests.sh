#! /usr/bin/env atf-sh
# Our kernel as a PVH domU with the event-channel upcall forced onto the
# global callback vector (xen.upcall=callback): the Xen and xenstore ktests
# again, on the fallback path (scenario "domu_callback").

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

KT_SCENARIO=domu_callback
KT_NAMES=$(lab_ktests)
KT_FILTER='^(xen_evtchn_|xen_upcall_|xen_ipi_|xen_ap_|xen_callout_|xenstore_)'

kt_boot() {
	lab_step_log domu domu-callback "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "domu_callback: $(lab_step_reason domu domu-callback)"
}

atf_init_test_cases() {
	kt_init_test_cases
}
