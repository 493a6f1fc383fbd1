#! /usr/bin/env atf-sh
# kernel-noxen booted natively in QEMU (Multiboot) with ktest=* and, as
# boot modules, the test module kldtest.ko, six damaged modules and the
# test initramfs: every KTEST line (the kernel's, and kldtest's own, which
# only exist once the module is linked) is one test case; the damaged
# modules must each be refused on the console, the kernel running on.

. "$(atf_get_srcdir)/ktest.subr"

KT_SCENARIO=noxen_kld
KT_NAMES="$(atf_get_srcdir)/native_kld.ktests"

BAD_MODULES="bad_trunc bad_machine bad_unresolved bad_reloc bad_shoff bad_symsize
	bad_depend bad_noversion bad_set"

kt_check_exit() {
	case "$1" in
	1) ;;
	124) atf_fail "noxen_kld: QEMU killed after the boot timeout" ;;
	*) atf_fail "noxen_kld: QEMU exit status $1 (the kernel reported failure)" ;;
	esac
}

kt_boot() {
	d=$(atf_get_srcdir)
	mods="$d/modules/kldtest.ko"
	for m in $BAD_MODULES; do
		mods="$mods,$d/modules/$m.ko"
	done
	mods="$mods,$d/initramfs-test.cpio"
	timeout -k 5 300 qemu-system-x86_64 -accel tcg -machine q35 -cpu max \
	    -smp 2 -m 256 -nodefaults -vga none -display none -no-reboot \
	    -monitor none -serial "file:$1" \
	    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	    -kernel "$d/kernel-noxen" -initrd "$mods" \
	    -append "ktest=* kldtest.value=42"
}

atf_test_case refusals_on_console
refusals_on_console_head() {
	atf_set descr "noxen_kld: each damaged boot module refused with its reason, kldtest linked"
	atf_set timeout 900
}
refusals_on_console_body() {
	kt_boot_once
	kt_require_summary
	log="$(kt_rundir)/log"
	grep -q '^kld: kldtest version 1: .* 3 SYSINITs (joining the start-up run), 1 drivers, 1 tunables, 4 ktests' "$log" ||
	    atf_fail "kldtest was not linked at boot"
	grep -q '^kldtest0: <kld test device> on nexus0' "$log" ||
	    atf_fail "kldtest0 did not attach"
	i=1
	for m in $BAD_MODULES; do
		case $m in
		bad_trunc) why='section headers at .* past the end of the image' ;;
		bad_machine) why='wrong machine 3 ' ;;
		bad_unresolved) why='unresolved symbol kld_no_such_symbol' ;;
		bad_reloc) why='unsupported relocation R_X86_64_REX_GOTPCRELX' ;;
		bad_shoff) why='section 1 (.text): offset .* past the end' ;;
		bad_symsize) why='does not match 24-byte symbols' ;;
		bad_depend) why='bad_depend needs kernel version 2 to 3, this is version 1' ;;
		bad_noversion) why='no MODULE_VERSION' ;;
		bad_set) why='linker set vfsops_set cannot be registered by a module' ;;
		esac
		line=$(tr -d '\r' <"$log" | grep -m1 "^kld: boot module $i ($m): ")
		[ -n "$line" ] || atf_fail "no line for boot module $i ($m)"
		echo "$line"
		echo "$line" | grep -q "$why.*; not loaded\$" ||
		    atf_fail "$m: \"$line\" does not say \"$why\""
		i=$((i + 1))
	done
	if grep -q 'a refused module ran' "$log"; then
		atf_fail "a refused module's SYSINIT ran"
	fi
}

atf_init_test_cases() {
	kt_init_test_cases
	atf_add_test_case refusals_on_console
}
