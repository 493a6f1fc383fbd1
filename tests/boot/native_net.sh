#! /usr/bin/env atf-sh
# The network stack's boot options and report, natively in QEMU: a bad
# ip= or ip.xnN= value is a warning naming the option, the value and the
# reason; good values raise none; the boot report has a network section.

boot() {
	log=$1
	shift
	timeout -k 5 120 qemu-system-x86_64 -accel tcg -machine q35 -cpu max \
	    -smp 2 -m 256 -nodefaults -vga none -display none -no-reboot \
	    -monitor none -serial "file:$log" \
	    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	    -kernel "$(atf_get_srcdir)/kernel" -append "$*" >/dev/null 2>&1
	echo $? >"$log.rc"
	tr -d '\r' <"$log" >"$log.txt"
}

show() {
	echo "---- console (last 30 lines) ----" >&2
	tail -n 30 "$1.txt" >&2
}

atf_test_case bad_values_warned
bad_values_warned_head() {
	atf_set descr "bad ip= and ip.xnN= values are warnings naming option, value and reason"
	atf_set require.progs "qemu-system-x86_64"
	atf_set timeout 150
}
bad_values_warned_body() {
	boot log "ip=10.0.0.256/24 ip.xn1=10.0.0.2/24,10.9.9.9 ip.xn2=10.0.0.0/24 ip.xn3=10.0.0.2 boot.report=1"
	grep -q '^WARNING: ip="10.0.0.256/24" ignored: address is not a.b.c.d' log.txt ||
	    { show log; atf_fail "bad address not reported"; }
	grep -q '^WARNING: ip.xn1="10.0.0.2/24,10.9.9.9" ignored: gateway is outside the prefix' log.txt ||
	    { show log; atf_fail "off-link gateway not reported"; }
	grep -q '^WARNING: ip.xn2="10.0.0.0/24" ignored: address is its network' log.txt ||
	    { show log; atf_fail "network address not reported"; }
	grep -q '^WARNING: ip.xn3="10.0.0.2" ignored: no /prefix length' log.txt ||
	    { show log; atf_fail "missing prefix not reported"; }
}

atf_test_case good_values_quiet
good_values_quiet_head() {
	atf_set descr "good ip= values raise no warning and the boot report has a network section"
	atf_set require.progs "qemu-system-x86_64"
	atf_set timeout 150
}
good_values_quiet_body() {
	boot log "ip=10.0.0.2/24,10.0.0.1 ip.xn1=192.168.7.9/32,192.168.0.1 boot.report=1"
	rc=$(cat log.rc)
	[ "$rc" = 1 ] || { show log; atf_fail "QEMU exit status $rc, want 1 (clean)"; }
	if grep -q '^WARNING' log.txt; then
		show log
		atf_fail "a warning for good values"
	fi
	grep -q '^network:' log.txt || { show log; atf_fail "no network section"; }
	grep -q '^  ip:' log.txt || { show log; atf_fail "no IPv4 counters"; }
}

atf_init_test_cases() {
	atf_add_test_case bad_values_warned
	atf_add_test_case good_values_quiet
}
