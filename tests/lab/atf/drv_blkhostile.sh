#! /usr/bin/env atf-sh
# A hostile frontend against OUR blkback(4) (scenario drv-blkhostile,
# group drv): our kernel as a second domU runs ktest xbd_hostile on a disk
# of our driver domain's while a Linux guest uses another disk of the same
# blkback.  Every malformed request kind answered with an error, an event
# storm absorbed, a ring index past the ring disconnected (the hostile vbd
# Closing/Closed in xenstore) while the Linux guest's vbd stays Connected
# and its data verifies (sha256) afterwards; then drv-blk's detach /
# re-attach and the leak counts.  One case per verdict of
# steps/drv-blkhostile/drvblk.txt.

. "$(atf_get_srcdir)/lab-atf.subr"

STEP=drv-blkhostile

drv_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no blkback"
	lab_verdict drv "$STEP" drvblk.txt guest-hostile.log "$1" reports.txt \
	    xenstore-hostile.txt
}

atf_init_test_cases() {
	lab_case hostile_kinds "Our blkback answers each of ten malformed request kinds with an error" drv_check
	lab_case hostile_storm "After 200000 notifications in a row a plain read still completes" drv_check
	lab_case hostile_disconnected "A request index past the ring: the hostile vbd's backend goes Closing/Closed (dom0 reads xenstore)" drv_check
	lab_case linux_stays_connected "Meanwhile the Linux guest's vbd on the same blkback stays Connected at both ends" drv_check
	lab_case hostile_ktest "ktest xbd_hostile passes in the hostile domU" drv_check
	lab_case hostile_counted "blkback counted the rejects and the protocol error; the hostile device went with its domain" drv_check
	lab_case hostile_linux_bytes "The Linux guest's disk is untouched by the hostile run (our sha256 of md0)" drv_check
	lab_case linux_reattach "After detach / re-attach the Linux guest reads back what it wrote" drv_check
	lab_case linux_io_after_reattach "After the re-attach a new write reads back" drv_check
	lab_case linux_done "The Linux guest finishes all its checks clean" drv_check
	lab_case idle_after_guest "After every guest is gone: nothing held by blkback" drv_check
	lab_case no_leaks "Grant maps, bound event channels and live malloc allocations equal before the guests and after" drv_check
}
