#! /usr/bin/env atf-sh
# xbd(4) against Linux blkback (scenario domu-blk, booted in the same Xen as
# domu_ktests): two brd RAM disks, xvda read-write and xvdb read-only, and
# xvdc on a loop device (flush and discard).  The
# xbd ktests (one case each) and the dom0 side's verdicts in
# steps/domu-blk/blk.txt: the nodes both ends wrote agree (dom0_negotiated),
# and the blocks the guest wrote are on /dev/ram2 at their offsets with the
# run id and a CRC-32 dom0 recomputes (dom0_headers, dom0_crc); xvdb
# detached and attached again while the guest runs (xvdb_reattach); xvdc's
# flush and discard counted by blkback (xvdc_flush_discard).

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

STEP=domu-blk
KT_SCENARIO=domu_blk
KT_NAMES=$(lab_ktests)
KT_FILTER='^xbd_'

kt_boot() {
	lab_step_log domu "$STEP" "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "domu_blk: $(lab_step_reason domu "$STEP")"
}

blk_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no xbd"
	lab_verdict domu "$STEP" blk.txt guest-domu-blk.log "$@"
}

atf_test_case dom0_negotiated
dom0_negotiated_head() {
	atf_set descr "Both disks reach Connected; the frontend wrote protocol x86_64-abi, feature-persistent 0 and a ring as large as the backend allows; xvdb is served read-only"
	atf_set timeout 900
}
dom0_negotiated_body() {
	blk_check dom0_negotiated xenstore-device.txt xenstore-backend.txt
}

atf_test_case dom0_headers
dom0_headers_head() {
	atf_set descr "Read back in dom0 from /dev/ram2, sampled 4 KiB blocks carry their own block number and the guest's run id"
	atf_set timeout 900
}
dom0_headers_body() {
	blk_check dom0_headers
}

atf_test_case dom0_crc
dom0_crc_head() {
	atf_set descr "The CRC-32 dom0 computes over sampled blocks of /dev/ram2 matches the one the guest wrote"
	atf_set timeout 900
}
dom0_crc_body() {
	blk_check dom0_crc
}

atf_test_case xvdc_flush_discard
xvdc_flush_discard_head() {
	atf_set descr "Flush and discard sent by the guest to xvdc (a loop device, which offers both) are counted by blkback in dom0 (f_req, ds_req)"
	atf_set timeout 900
}
xvdc_flush_discard_body() {
	blk_check xvdc_flush_discard
}

atf_test_case xvdb_reattach
xvdb_reattach_head() {
	atf_set descr "xl block-detach of xvdb completes without forcing (xbd1 goes Closing, Closed and away), xl block-attach brings xbd1 back read-only and readable"
	atf_set timeout 900
}
xvdb_reattach_body() {
	blk_check xvdb_reattach xl-block-detach.log xl-block-attach.log
}

atf_init_test_cases() {
	kt_init_test_cases
	atf_add_test_case dom0_negotiated
	atf_add_test_case dom0_headers
	atf_add_test_case dom0_crc
	atf_add_test_case xvdc_flush_discard
	atf_add_test_case xvdb_reattach
}
