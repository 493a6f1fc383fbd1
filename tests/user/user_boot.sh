#! /usr/bin/env atf-sh
# Static Linux programs as the first user process, natively in QEMU: the
# program is the boot module (-initrd), init=module:0 runs it, and the
# kernel powers off with its exit status once it ends.  What is checked
# comes from outside the kernel: the program's own line on the serial
# console and QEMU's exit status (isa-debug-exit: status * 2 + 1).

boot() {
	log=$1
	prog=$2
	shift 2
	timeout -k 5 120 qemu-system-x86_64 -accel tcg -machine q35 -cpu max \
	    -smp 2 -m 256 -nodefaults -vga none -display none -no-reboot \
	    -monitor none -serial "file:$log" \
	    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	    -kernel "$(atf_get_srcdir)/kernel" -initrd "$(atf_get_srcdir)/$prog" \
	    -append "$*" >/dev/null 2>&1
	echo $? >"$log.rc"
	tr -d '\r' <"$log" >"$log.txt"
}

show() {
	echo "---- console (last 30 lines) ----" >&2
	tail -n 30 "$1.txt" >&2
}

atf_test_case hello_as_init
hello_as_init_head() {
	atf_set descr "A static program with no libc runs as init from a boot module, prints with write(2) and its exit status (7) becomes the power-off status"
	atf_set require.progs "qemu-system-x86_64"
	atf_set timeout 150
}
hello_as_init_body() {
	boot log hello init=module:0
	grep -q '^hello from user mode$' log.txt || { show log; atf_fail "no line from the program"; }
	grep -q '^init: exited with status 7$' log.txt || { show log; atf_fail "exit status not seen"; }
	rc=$(cat log.rc)
	[ "$rc" = 15 ] || { show log; atf_fail "QEMU exit status $rc, want 15 (power-off status 7)"; }
}

atf_test_case glibc_as_init
glibc_as_init_head() {
	atf_set descr "A static glibc program runs as init: start-up, malloc, stdio, argv"
	atf_set require.progs "qemu-system-x86_64"
	atf_set timeout 150
}
glibc_as_init_body() {
	boot log ghello init=module:0
	grep -q '^hello from glibc 42 argc=1 argv0=module:0$' log.txt || { show log; atf_fail "no line from the program"; }
	rc=$(cat log.rc)
	[ "$rc" = 7 ] || { show log; atf_fail "QEMU exit status $rc, want 7 (power-off status 3)"; }
}

atf_test_case killed_init
killed_init_head() {
	atf_set descr "init killed by SIGSEGV: the kernel reports it and powers off with 128 + 11"
	atf_set require.progs "qemu-system-x86_64"
	atf_set timeout 150
}
killed_init_body() {
	boot log ufault init=module:0
	grep -q '^ufault: writing to 0x10$' log.txt || { show log; atf_fail "the program did not run"; }
	grep -q 'still alive' log.txt && atf_fail "the faulting store was resumed"
	grep -q '^init: exited with status 139 (killed by a signal)$' log.txt || { show log; atf_fail "no SIGSEGV status"; }
}

atf_test_case exec_from_initramfs
exec_from_initramfs_head() {
	atf_set descr "/init from a cpio initramfs forks and execs itself with new arguments and environment, and sees ENOENT and ENOEXEC: the same lines as on the build host"
	atf_set require.progs "qemu-system-x86_64"
	atf_set timeout 150
}
exec_from_initramfs_body() {
	boot log gexec.cpio
	grep '^gexec: ' log.txt > got || true
	grep '^gexec: ' "$(atf_get_srcdir)/gexec.expected" > want
	diff -u want got >&2 || { show log; atf_fail "output differs from the build host's"; }
	rc=$(cat log.rc)
	[ "$rc" = 1 ] || { show log; atf_fail "QEMU exit status $rc, want 1 (init exited 0)"; }
}

atf_test_case interp_from_initramfs
interp_from_initramfs_head() {
	atf_set descr "/init has a PT_INTERP interpreter: the kernel loads both, the interpreter finds AT_BASE, AT_ENTRY and AT_PHDR right and hands over; same lines as on the build host"
	atf_set require.progs "qemu-system-x86_64"
	atf_set timeout 150
}
interp_from_initramfs_body() {
	boot log uprog.cpio
	grep -E '^(uinterp|uprog): ' log.txt > got || true
	grep -E '^(uinterp|uprog): ' "$(atf_get_srcdir)/uprog.expected" > want
	diff -u want got >&2 || { show log; atf_fail "output differs from the build host's"; }
	rc=$(cat log.rc)
	[ "$rc" = 1 ] || { show log; atf_fail "QEMU exit status $rc, want 1 (init exited 0)"; }
}

atf_test_case dynamic_from_initramfs
dynamic_from_initramfs_head() {
	atf_set descr "/init is dynamically linked: Debian's ld.so and libc.so.6 from the initramfs (file mmap, mprotect); same line as on the build host"
	atf_set require.progs "qemu-system-x86_64"
	atf_set timeout 150
}
dynamic_from_initramfs_body() {
	boot log gdyn.cpio
	grep '^gdyn: ' log.txt > got || true
	grep '^gdyn: ' "$(atf_get_srcdir)/gdyn.expected" > want
	diff -u want got >&2 || { show log; atf_fail "output differs from the build host's"; }
	rc=$(cat log.rc)
	[ "$rc" = 1 ] || { show log; atf_fail "QEMU exit status $rc, want 1 (init exited 0)"; }
}

atf_test_case run_demo_session
run_demo_session_head() {
	atf_set descr "make run's initramfs (Debian's busybox-static as /init, tools/run/init.sh) runs its whole shell session: pipeline, awk, a background job and wait, then init exits 0"
	atf_set require.progs "qemu-system-x86_64"
	atf_set timeout 150
}
run_demo_session_body() {
	boot log demo-initramfs.cpio
	for l in '^run: busybox sh as /init, pid 1$' '^HELLO there$' \
	    '^sum 5050$' '^background job done$' '^wait: 0$' \
	    '^subshell saw /tmp, still in /$' '^run: end of the demo$' \
	    '^init: exited with status 0$'; do
		grep -q "$l" log.txt || { show log; atf_fail "no line matching $l"; }
	done
	rc=$(cat log.rc)
	[ "$rc" = 1 ] || { show log; atf_fail "QEMU exit status $rc, want 1 (init exited 0)"; }
}

atf_init_test_cases() {
	atf_add_test_case run_demo_session
	atf_add_test_case dynamic_from_initramfs
	atf_add_test_case interp_from_initramfs
	atf_add_test_case exec_from_initramfs
	atf_add_test_case hello_as_init
	atf_add_test_case glibc_as_init
	atf_add_test_case killed_init
}
