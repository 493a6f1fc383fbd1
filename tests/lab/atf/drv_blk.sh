#! /usr/bin/env atf-sh
# Our kernel as a driver domain serving the Linux peer's disk (scenario
# drv-blk, group "drv"): blkback(4) over md0, the Linux guest's
# whole-disk write and verify, discard, our own hash of md0, xl
# block-detach / block-attach, and blkback's counters back to zero after
# each detach.  Verdicts from steps/drv-blk/drvblk.txt.

. "$(atf_get_srcdir)/lab-atf.subr"

STEP=drv-blk

db_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no blkback"
	lab_verdict drv "$STEP" drvblk.txt reports.txt "$@"
}

atf_test_case drv_boot
drv_boot_head() {
	atf_set descr "Our kernel boots as a driver domain (driver_domain=1) and its lab ktest is ready"
	atf_set timeout 900
}
drv_boot_body() {
	db_check drv_boot linux-checks.txt
}

atf_test_case idle_before
idle_before_head() {
	atf_set descr "Before any guest: blkback holds no device, queue, ring mapping, event channel, thread or buffer"
	atf_set timeout 900
}
idle_before_body() {
	db_check idle_before linux-checks.txt
}

atf_test_case first_attach
first_attach_head() {
	atf_set descr "xl block-attach gives the running Linux peer xvda on our driver domain's md0"
	atf_set timeout 900
}
first_attach_body() {
	db_check first_attach linux-checks.txt
}

atf_test_case linux_features
linux_features_head() {
	atf_set descr "Linux's xen-blkfront connects to our blkback (features it negotiated)"
	atf_set timeout 900
}
linux_features_body() {
	db_check linux_features linux-checks.txt
}

atf_test_case linux_write_verify
linux_write_verify_head() {
	atf_set descr "Linux writes a random pattern over the whole disk (O_DIRECT, fsync) and reads the same sha256 back"
	atf_set timeout 900
}
linux_write_verify_body() {
	db_check linux_write_verify linux-checks.txt
}

atf_test_case linux_discard
linux_discard_head() {
	atf_set descr "A discard of the last MiB reads back as zeroes in Linux"
	atf_set timeout 900
}
linux_discard_body() {
	db_check linux_discard linux-checks.txt
}

atf_test_case backend_bytes
backend_bytes_head() {
	atf_set descr "Our kernel's own sha256 of md0, read through disk(9), is the pattern Linux wrote"
	atf_set timeout 900
}
backend_bytes_body() {
	db_check backend_bytes linux-checks.txt
}

atf_test_case backend_connected
backend_connected_head() {
	atf_set descr "While connected: one device, one ring mapping and event channel per queue, indirect requests, flushes and discards seen"
	atf_set timeout 900
}
backend_connected_body() {
	db_check backend_connected linux-checks.txt
}

atf_test_case block_detach
block_detach_head() {
	atf_set descr "xl block-detach completes and our backend directory is removed"
	atf_set timeout 900
}
block_detach_body() {
	db_check block_detach linux-checks.txt
}

atf_test_case idle_after_detach
idle_after_detach_head() {
	atf_set descr "After the detach blkback holds nothing"
	atf_set timeout 900
}
idle_after_detach_body() {
	db_check idle_after_detach linux-checks.txt
}

atf_test_case linux_detach
linux_detach_head() {
	atf_set descr "Linux sees xvda go"
	atf_set timeout 900
}
linux_detach_body() {
	db_check linux_detach linux-checks.txt
}

atf_test_case block_attach
block_attach_head() {
	atf_set descr "xl block-attach to our driver domain again"
	atf_set timeout 900
}
block_attach_body() {
	db_check block_attach linux-checks.txt
}

atf_test_case linux_reattach
linux_reattach_head() {
	atf_set descr "After the re-attach Linux reads the whole disk with the same sha256"
	atf_set timeout 900
}
linux_reattach_body() {
	db_check linux_reattach linux-checks.txt
}

atf_test_case linux_io_after_reattach
linux_io_after_reattach_head() {
	atf_set descr "Linux writes and reads back a MiB after the re-attach"
	atf_set timeout 900
}
linux_io_after_reattach_body() {
	db_check linux_io_after_reattach linux-checks.txt
}

atf_test_case linux_done
linux_done_head() {
	atf_set descr "The Linux guest ends clean"
	atf_set timeout 900
}
linux_done_body() {
	db_check linux_done linux-checks.txt
}

atf_test_case idle_after_guest
idle_after_guest_head() {
	atf_set descr "After the guest is gone blkback holds nothing"
	atf_set timeout 900
}
idle_after_guest_body() {
	db_check idle_after_guest linux-checks.txt
}

atf_test_case memory_steady
memory_steady_head() {
	atf_set descr "Free pages after the second connection as after the first (nothing leaked)"
	atf_set timeout 900
}
memory_steady_body() {
	db_check memory_steady linux-checks.txt
}

atf_init_test_cases() {
	atf_add_test_case drv_boot
	atf_add_test_case idle_before
	atf_add_test_case first_attach
	atf_add_test_case linux_features
	atf_add_test_case linux_write_verify
	atf_add_test_case linux_discard
	atf_add_test_case backend_bytes
	atf_add_test_case backend_connected
	atf_add_test_case block_detach
	atf_add_test_case idle_after_detach
	atf_add_test_case linux_detach
	atf_add_test_case block_attach
	atf_add_test_case linux_reattach
	atf_add_test_case linux_io_after_reattach
	atf_add_test_case linux_done
	atf_add_test_case idle_after_guest
	atf_add_test_case memory_steady
}
