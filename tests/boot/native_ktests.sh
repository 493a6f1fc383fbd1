#! /usr/bin/env atf-sh
# The kernel booted natively in QEMU (TCG, q35, -smp 2) with ktest=*: every
# KTEST line is one test case.

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

kt_boot() {
	timeout -k 5 300 qemu-system-x86_64 -accel tcg -machine q35 -cpu max \
	    -smp 2 -m 256 -nodefaults -vga none -display none -no-reboot \
	    -monitor none -serial "file:$1" \
	    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	    -kernel "$(atf_get_srcdir)/kernel" -append "ktest=* ktest_unknown_option=1"
}

atf_init_test_cases() {
	kt_init_test_cases
}
