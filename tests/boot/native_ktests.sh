#! /usr/bin/env atf-sh
# The kernel booted natively in QEMU (TCG, q35, -smp 2, QEMU's edu and
# pci-testdev devices) with ktest=*: every KTEST line is one test case.

. "$(atf_get_srcdir)/ktest.subr"

KT_SCENARIO=native
KT_NAMES="$(atf_get_srcdir)/kernel.ktests"

# QEMU's isa-debug-exit: status 0 becomes exit code 1, failures 3 and up.
kt_check_exit() {
	case "$1" in
	1) ;;
	124) atf_fail "native: QEMU killed after the boot timeout" ;;
	*) atf_fail "native: QEMU exit status $1 (the kernel reported failure)" ;;
	esac
}

# QEMU's PCI test devices for the pci_* and ioapic_* ktests
# (docs/specs/edu.txt, pci-testdev.txt); the options say they are there.
PCI_KTEST_OPTS="ktest.pci_qemu=1 ktest.pci_membar=0x4000000"

kt_boot() {
	log=$1
	# The VFS ktests read the test initramfs (mk/vfs.mk) as a boot module.
	initrd=$(atf_get_srcdir)/initramfs-test.cpio
	if [ -f "$initrd" ]; then set -- -initrd "$initrd"; else set --; fi
	timeout -k 5 300 qemu-system-x86_64 -accel tcg -machine q35 -cpu max \
	    -smp 2 -m 256 -nodefaults -vga none -display none -no-reboot \
	    -monitor none -serial "file:$log" \
	    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	    -device edu -device pci-testdev,membar=64M \
	    -kernel "$(atf_get_srcdir)/kernel" "$@" \
	    -append "ktest=* ktest_unknown_option=1 $PCI_KTEST_OPTS"
}

atf_init_test_cases() {
	kt_init_test_cases
}
