#! /usr/bin/env atf-sh
# Our kernel as an idle PVH domU (vcpus=2, no ktest=) driven from the Linux
# dom0 by the real toolstack (scenario domu-control, booted in the same Xen
# as domu_ktests): its xenstore control nodes, `xl console`, `xl shutdown`
# and `xl reboot`. The dom0 script writes one verdict per case to
# steps/domu-control/control.txt; each case reads its own and, on failure,
# shows the reason and the logs that matter for it.

. "$(atf_get_srcdir)/lab-atf.subr"

STEP=domu-control

# ctl_check CASE FILE...: the dom0 script's verdict for CASE (see lab_verdict).
ctl_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no control driver"
	lab_verdict domu "$STEP" control.txt "" "$@"
}

atf_test_case xenstore_nodes
xenstore_nodes_head() {
	atf_set descr "The guest writes control/feature-poweroff=1 and control/feature-reboot=1 in its xenstore home (empty before it ran)"
	atf_set timeout 900
}
xenstore_nodes_body() {
	ctl_check xenstore_nodes xenstore-before.txt xenstore-ls.txt guest-domu-control.log
}

atf_test_case xl_console
xl_console_head() {
	atf_set descr "xl console (no tty) shows the PV console boot log: xencons0 attach line and 'startup complete'"
	atf_set timeout 900
}
xl_console_body() {
	ctl_check xl_console xl-console.txt guest-domu-control.log
}

atf_test_case xl_shutdown
xl_shutdown_head() {
	atf_set descr "xl shutdown: the guest prints 'received shutdown request: poweroff' and leaves xl list"
	atf_set timeout 900
}
xl_shutdown_body() {
	ctl_check xl_shutdown xl-shutdown.log guest-domu-control.log hv-domu-control.log
}

atf_test_case xl_reboot
xl_reboot_head() {
	atf_set descr "xl reboot: the guest prints 'received shutdown request: reboot', is restarted under the same name and boots again"
	atf_set timeout 900
}
xl_reboot_body() {
	ctl_check xl_reboot xl-reboot.log guest-domu-control-rb.log hv-domu-control-rb.log
}

atf_init_test_cases() {
	atf_add_test_case xenstore_nodes
	atf_add_test_case xl_console
	atf_add_test_case xl_shutdown
	atf_add_test_case xl_reboot
}
