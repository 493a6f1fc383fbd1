#! /usr/bin/env atf-sh
# blkback(4) in our kernel as a driver domain (scenario drv-blk, group
# drv): Linux 6.1's blkfront on a disk our md0 backs.  One case per dom0
# verdict in steps/drv-blk/drvblk.txt (Linux's whole-disk write + verify
# and discard, our own sha256 of md0 against Linux's, blkback's counters
# while connected, xl block-detach / block-attach, everything back to 0
# after each detach, free pages steady) and the driver domain's ktest.

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

STEP=drv-blk
KT_SCENARIO=drv_blk
KT_NAMES=$(lab_ktests)
KT_FILTER='^blkback_lab_serve$'

lab_kt_step drv "$STEP"

drv_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no blkback"
	lab_verdict drv "$STEP" drvblk.txt guest-linux-blk.log "$1" reports.txt
}

atf_init_test_cases() {
	kt_init_test_cases
	lab_case drv_boot "Our kernel boots as driver domain and its ktest says ready" drv_check
	lab_case idle_before "Before any guest: no blkback device, ring map, port, thread or buffer" drv_check
	lab_case first_attach "xl block-attach of xvda on our md0 (backend=drv) succeeds" drv_check
	lab_case linux_features "Linux's blkfront connected to our blkback (features it saw)" drv_check
	lab_case linux_write_verify "Linux writes the whole disk (O_DIRECT, fsync) and reads back the same sha256" drv_check
	lab_case linux_discard "Linux's discard of the last MiB reads back as zeroes" drv_check
	lab_case backend_bytes "Our sha256 of md0, read through disk(9), equals what Linux wrote" drv_check
	lab_case backend_connected "While connected: one device, a port per queue, rings mapped, indirect, flush and discard requests counted" drv_check
	lab_case block_detach "xl block-detach completes and our backend directory goes" drv_check
	lab_case linux_detach "Linux sees xvda go" drv_check
	lab_case idle_after_detach "After the detach: nothing held by blkback" drv_check
	lab_case block_attach "xl block-attach again succeeds" drv_check
	lab_case linux_reattach "After the re-attach Linux reads back what it wrote" drv_check
	lab_case linux_io_after_reattach "After the re-attach a new write reads back" drv_check
	lab_case linux_done "The Linux guest finishes all its checks clean" drv_check
	lab_case idle_after_guest "After the guest is gone: nothing held by blkback" drv_check
	lab_case memory_steady "Free pages after the second cycle within 4 of the first" drv_check
	lab_case no_leaks "Grant maps, bound event channels and live malloc allocations (the whole kernel's) equal before the guest attaches and after it is gone" drv_check
}
