#! /usr/bin/env atf-sh
# Debian's xenstore-utils, unmodified, in our PVH domU through
# /dev/xen/xenbus (scenario domu-xsutils, group "user"): the dom0 side's
# verdicts in steps/domu-xsutils/xsutils.txt, each checked against dom0's
# own xenstore (xl's domid, the guest's write read by dom0, a watch event
# caused by dom0's write, xenstore-ls of the guest's home as dom0 lists it).

. "$(atf_get_srcdir)/lab-atf.subr"

STEP=domu-xsutils

xsu_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built"
	lab_verdict user "$STEP" xsutils.txt guest-domu-xsutils.log "$@"
}

xsu_case() {
	eval "atf_test_case $1
	$1_head() {
		atf_set descr '$2'
		atf_set timeout 900
	}
	$1_body() {
		xsu_check $1 xsu.txt
	}"
}

xsu_case read_domid "xenstore-read domid in the guest prints the domid xl gives it"
xsu_case read_name "xenstore-read name in the guest prints the name of its xl config"
xsu_case write_read "xenstore-write in the guest, read back there and by xenstore-read in dom0; xenstore-list shows it"
xsu_case rm "xenstore-rm in the guest removes the node: xenstore-exists and -read fail after"
xsu_case watch "xenstore-watch -n 2 in the guest prints its first event and the one a write from dom0 causes, and exits"
xsu_case ls "xenstore-ls of the home of the guest prints what xenstore-ls in dom0 prints"

atf_init_test_cases() {
	for c in read_domid read_name write_read rm watch ls; do
		atf_add_test_case $c
	done
}
