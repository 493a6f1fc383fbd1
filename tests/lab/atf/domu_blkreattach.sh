#! /usr/bin/env atf-sh
# A disk detached and attached again while our kernel writes it (scenario
# domu-blkreattach, booted in the same Xen as domu_ktests): dom0's xl
# block-detach cuts an integrity write; the blocks on dom0's RAM disk are
# exactly those the guest saw succeed; after xl block-attach the guest's
# xbd0 comes back, its verify finds exactly the unwritten rest, and a new
# write+verify is clean.  One case per verdict of
# steps/domu-blkreattach/blkreattach.txt.

. "$(atf_get_srcdir)/lab-atf.subr"

STEP=domu-blkreattach

br_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no xbd"
	lab_verdict domu "$STEP" blkreattach.txt guest.txt "$@"
}

atf_test_case detach_midrun
detach_midrun_head() {
	atf_set descr "xl block-detach while the guest writes (blkback's wr_req >= 256) finishes without a forced removal"
	atf_set timeout 900
}
detach_midrun_body() {
	br_check detach_midrun xl-block-detach.log
}

atf_test_case run1_cut
run1_cut_head() {
	atf_set descr "The write run cut by the detach ends (no hang): some writes succeeded, the rest failed, every request completed once"
	atf_set timeout 900
}
run1_cut_body() {
	br_check run1_cut
}

atf_test_case dom0_prefix
dom0_prefix_head() {
	atf_set descr "dom0's RAM disk holds exactly the writes the guest saw succeed (a prefix): nothing lost, nothing failed reached the disk"
	atf_set timeout 900
}
dom0_prefix_body() {
	br_check dom0_prefix
}

atf_test_case reattach_verify
reattach_verify_head() {
	atf_set descr "After xl block-attach the disk reconnects as xbd0 and a verify finds exactly the blocks written before the detach"
	atf_set timeout 900
}
reattach_verify_body() {
	br_check reattach_verify xl-block-attach.log
}

atf_test_case resume_integrity
resume_integrity_head() {
	atf_set descr "After the re-attach a whole-disk integrity write and verify are clean, and dom0 finds the new run id"
	atf_set timeout 900
}
resume_integrity_body() {
	br_check resume_integrity
}

atf_init_test_cases() {
	atf_add_test_case detach_midrun
	atf_add_test_case run1_cut
	atf_add_test_case dom0_prefix
	atf_add_test_case reattach_verify
	atf_add_test_case resume_integrity
}
