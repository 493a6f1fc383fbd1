#! /usr/bin/env atf-sh
# kernel-noxen booted natively in QEMU (no Xen) with xenhvm.ko, kldtest.ko
# and the test initramfs as boot modules, module=xenhvm ktest=*: kldtest is
# left out, the Xen layer links, finds no Xen and attaches nothing; every
# ktest, the module's 64 included (the Xen ones skip without Xen, the pure
# ones run), is one test case.

. "$(atf_get_srcdir)/ktest.subr"

KT_SCENARIO=noxen_xenhvm
KT_NAMES="$(atf_get_srcdir)/native_xenhvm.ktests"

kt_check_exit() {
	case "$1" in
	1) ;;
	124) atf_fail "noxen_xenhvm: QEMU killed after the boot timeout" ;;
	*) atf_fail "noxen_xenhvm: QEMU exit status $1 (the kernel reported failure)" ;;
	esac
}

kt_boot() {
	d=$(atf_get_srcdir)
	timeout -k 5 300 qemu-system-x86_64 -accel tcg -machine q35 -cpu max \
	    -smp 2 -m 256 -nodefaults -vga none -display none -no-reboot \
	    -monitor none -serial "file:$1" \
	    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	    -kernel "$d/kernel-noxen" \
	    -initrd "$d/modules/kldtest.ko,$d/modules/xenhvm.ko,$d/initramfs-test.cpio" \
	    -append "module=xenhvm ktest=*"
}

atf_test_case xenhvm_declines
xenhvm_declines_head() {
	atf_set descr "noxen_xenhvm: xenhvm.ko links, says it found no Xen, and no Xen device attaches"
	atf_set timeout 900
}
xenhvm_declines_body() {
	kt_boot_once
	kt_require_summary
	log="$(kt_rundir)/log"
	# As many ktests as the build found in the object (xenhvm.ktests).
	n=$(wc -l <"$(atf_get_srcdir)/modules/xenhvm.ktests")
	tr -d '\r' <"$log" | grep -E "^kld: xenhvm version 1: .* [1-9][0-9]* drivers, .* $n ktests\$" ||
	    atf_fail "xenhvm.ko was not linked with its $n ktests"
	tr -d '\r' <"$log" | grep -x 'kld: boot module 0 (kldtest) not linked: module=xenhvm' ||
	    atf_fail "module=xenhvm did not leave kldtest out"
	if tr -d '\r' <"$log" | grep -q '^kld: kldtest version'; then
		atf_fail "kldtest was linked despite module=xenhvm"
	fi
	tr -d '\r' <"$log" | grep -x 'xenhvm: no Xen hypervisor (CPUID): nothing attaches' ||
	    atf_fail "xenhvm did not say it found no Xen"
	tr -d '\r' <"$log" | grep -x 'nexus0: <native nexus> on root0' ||
	    atf_fail "the native nexus did not attach"
	hits=$(tr -d '\r' <"$log" | grep -E '^(xenpv|xenstore|xencons|xbd|xn|control|timer|xenbusb_front)[0-9]+: ')
	if [ -n "$hits" ]; then
		echo "$hits" >&2
		atf_fail "Xen devices attached without Xen"
	fi
}

atf_init_test_cases() {
	kt_init_test_cases
	atf_add_test_case xenhvm_declines
}
