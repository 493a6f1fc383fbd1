#! /usr/bin/env atf-sh
# Our kernel as an idle HVM guest driven from dom0 by the real toolstack
# (scenario hvm-control, group hvm; the checks of domu_control): its
# xenstore control nodes, `xl console -t pv`, `xl shutdown` and `xl reboot`
# (the device model restarted with the domain).  Verdicts in
# steps/hvm-control/control.txt.

. "$(atf_get_srcdir)/lab-atf.subr"

STEP=hvm-control

# ctl_check CASE FILE...: the dom0 script's verdict for CASE (see lab_verdict).
ctl_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no control driver"
	lab_verdict hvm "$STEP" control.txt "" "$@"
}

atf_test_case xenstore_nodes
xenstore_nodes_head() {
	atf_set descr "The guest writes control/feature-poweroff=1 and control/feature-reboot=1 in its xenstore home (empty before it ran)"
	atf_set timeout 900
}
xenstore_nodes_body() {
	ctl_check xenstore_nodes xenstore-before.txt xenstore-ls.txt guest-hvm-control.log
}

atf_test_case xl_console
xl_console_head() {
	atf_set descr "xl console -t pv (no tty) shows the PV console boot log: xencons0 attach line and 'startup complete'"
	atf_set timeout 900
}
xl_console_body() {
	ctl_check xl_console xl-console.txt guest-hvm-control.log
}

atf_test_case xl_shutdown
xl_shutdown_head() {
	atf_set descr "xl shutdown: the guest prints 'received shutdown request: poweroff' and leaves xl list"
	atf_set timeout 900
}
xl_shutdown_body() {
	ctl_check xl_shutdown xl-shutdown.log guest-hvm-control.log hv-hvm-control.log
}

atf_test_case xl_reboot
xl_reboot_head() {
	atf_set descr "xl reboot: the guest prints 'received shutdown request: reboot', is restarted under the same name and boots again"
	atf_set timeout 900
}
xl_reboot_body() {
	ctl_check xl_reboot xl-reboot.log guest-hvm-control-rb.log hv-hvm-control-rb.log
}

atf_init_test_cases() {
	atf_add_test_case xenstore_nodes
	atf_add_test_case xl_console
	atf_add_test_case xl_shutdown
	atf_add_test_case xl_reboot
}
