#! /usr/bin/env atf-sh
# A cache flush seen on the backend's side (scenario domu-blkflush, booted
# in the same Xen as domu_ktests): xvda is a loop device on a tmpfs file in
# dom0, which blkback offers flush and discard for; the guest negotiates
# them and its xbd_flush_aligned ktest sends one flush, which blkback's own
# counter (statistics/f_req) must show; xbd_discard_granules sends one
# discard on blkback's granules (ds_req=1), whose bytes dom0 finds zeroed
# in the file.  Verdicts from
# steps/domu-blkflush/blkflush.txt.

. "$(atf_get_srcdir)/lab-atf.subr"

STEP=domu-blkflush

bl_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no xbd"
	lab_verdict domu "$STEP" blkflush.txt guest.txt "$@"
}

atf_test_case offered
offered_head() {
	atf_set descr "blkback offers flush and discard for a loop device on tmpfs, and the guest negotiates both"
	atf_set timeout 900
}
offered_body() {
	bl_check offered xenstore-backend.txt
}

atf_test_case flush_seen
flush_seen_head() {
	atf_set descr "The guest's one cache flush is counted by blkback (f_req=1)"
	atf_set timeout 900
}
flush_seen_body() {
	bl_check flush_seen stats.txt
}

atf_test_case discard_seen
discard_seen_head() {
	atf_set descr "The guest's discard on blkback's granules is counted once (ds_req=1, the misaligned one refused in the guest) and the range is zeroes in dom0's file"
	atf_set timeout 900
}
discard_seen_body() {
	bl_check discard_seen stats.txt
}

atf_init_test_cases() {
	atf_add_test_case offered
	atf_add_test_case flush_seen
	atf_add_test_case discard_seen
}
