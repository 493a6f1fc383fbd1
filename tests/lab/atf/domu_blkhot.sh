#! /usr/bin/env atf-sh
# A disk hot-plugged under our kernel (scenario domu-blkhot, booted in the
# same Xen as domu_ktests): the guest boots with xvda, dom0 adds xvdb with
# xl block-attach, the guest's iotool= runs write 8 MiB of xbd1 with
# integrity blocks and verify them, and dom0 reads the blocks back from its
# RAM disk.  One case per verdict of steps/domu-blkhot/blkhot.txt.

. "$(atf_get_srcdir)/lab-atf.subr"

STEP=domu-blkhot

bh_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no xbd"
	lab_verdict domu "$STEP" blkhot.txt guest.txt "$@"
}

atf_test_case xbd1_hotplug
xbd1_hotplug_head() {
	atf_set descr "A disk added with xl block-attach while the guest runs connects as xbd1 with the size blkback gives"
	atf_set timeout 900
}
xbd1_hotplug_body() {
	bh_check xbd1_hotplug xl-block-attach.log xenstore-backend-51728.txt
}

atf_test_case guest_integrity
guest_integrity_head() {
	atf_set descr "The guest's integrity write and verify of 8 MiB of the hot-plugged xbd1 are clean (2048 blocks)"
	atf_set timeout 900
}
guest_integrity_body() {
	bh_check guest_integrity guest.txt
}

atf_test_case dom0_blocks
dom0_blocks_head() {
	atf_set descr "dom0 reads the hot-plugged disk's blocks from its RAM disk: own block number, run id and CRC-32; nothing past the region"
	atf_set timeout 900
}
dom0_blocks_body() {
	bh_check dom0_blocks
}

atf_init_test_cases() {
	atf_add_test_case xbd1_hotplug
	atf_add_test_case guest_integrity
	atf_add_test_case dom0_blocks
}
