#! /usr/bin/env atf-sh
# Our kernel as an HVM guest playing an old Xen
# (xen.refuse=fifo,percpu,vector): 2-level event channels and the platform
# device's PCI INTx, the last-resort upcall; the event-channel, upcall, IPI,
# AP, callout, xenstore, HVM and xenpci ktests again on those fallbacks
# (scenario "hvm_fallback", group hvm).

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

KT_SCENARIO=hvm_fallback
KT_NAMES=$(lab_ktests)
KT_FILTER='^(xen_evtchn_|xen_upcall_|xen_ipi_|xen_ap_|xen_callout_|xenstore_|xen_hvm_|xenpci_|xen_pv_console_is_console$)'

kt_boot() {
	lab_step_log hvm hvm-fallback "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "hvm_fallback: $(lab_step_reason hvm hvm-fallback)"
}

lab_hvm_view_cases hvm-fallback "the platform device's PCI INTx (type 2 in Xen, device = its slot in the device model's info pci, INTA)"

atf_init_test_cases() {
	kt_init_test_cases
	atf_add_test_case xen_callback_via
	atf_add_test_case xen_evtchn_2level
}
