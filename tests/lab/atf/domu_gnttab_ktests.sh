#! /usr/bin/env atf-sh
# Our kernel as a PVH domU whose grants dom0 maps with its gntdev (the
# gntpeer tool): the grant-table ktests, gnttab_dom0_peer among them
# (scenario "domu_gnttab"; dom0's side in steps/domu-gnttab/peer.txt).

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

KT_SCENARIO=domu_gnttab
KT_NAMES=$(lab_ktests)
KT_FILTER='^gnttab_'

kt_boot() {
	lab_step_log domu domu-gnttab "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "domu_gnttab: $(lab_step_reason domu domu-gnttab)"
}

atf_init_test_cases() {
	kt_init_test_cases
}
