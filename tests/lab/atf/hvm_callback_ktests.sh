#! /usr/bin/env atf-sh
# Our kernel as an HVM guest on the callback vector
# (xen.refuse=fifo,percpu): 2-level event channels and the domain-wide
# callback vector; the event-channel, upcall, IPI, callout, HVM and xenpci
# ktests on them (scenario "hvm_callback", group hvm).

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

KT_SCENARIO=hvm_callback
KT_NAMES=$(lab_ktests)
KT_FILTER='^(xen_evtchn_|xen_upcall_|xen_ipi_|xen_callout_|xen_hvm_|xenpci_)'

kt_boot() {
	lab_step_log hvm hvm-callback "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "hvm_callback: $(lab_step_reason hvm hvm-callback)"
}

lab_hvm_view_cases hvm-callback "the callback vector (type 3 in Xen)"

atf_init_test_cases() {
	kt_init_test_cases
	atf_add_test_case xen_callback_via
	atf_add_test_case xen_evtchn_2level
}
