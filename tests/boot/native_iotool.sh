#! /usr/bin/env atf-sh
# The I/O tool from the command line, natively in QEMU: iotool= runs on a
# RAM disk made by md.size=, one IOTOOL line per run, then power-off with
# the runs' verdict as the exit status.  Expected counts follow from the
# sizes given here (4 MiB / 4 KiB = 1024 blocks), not from the kernel.

MD_SIZE=4194304
BS=4096
NBLK=$((MD_SIZE / BS))

# Boots with a command line; the console goes to $1, QEMU's status to $1.rc.
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

atf_test_case write_then_verify
write_then_verify_head() {
	atf_set descr "iotool= writes md0 with integrity blocks at QD 32 and verifies it clean"
	atf_set require.progs "qemu-system-x86_64"
	atf_set timeout 150
}
write_then_verify_body() {
	boot log "md.size=$MD_SIZE iotool=disk=md0,op=write,verify=1,qd=32,bs=4k;disk=md0,op=read,verify=1,qd=32,bs=$BS"
	rc=$(cat log.rc)
	# isa-debug-exit: power-off status 0 exits QEMU with 1.
	[ "$rc" = 1 ] || { show log; atf_fail "QEMU exit status $rc, want 1 (clean)"; }
	for op in write read; do
		line=$(grep "^IOTOOL disk=md0 op=$op " log.txt)
		[ -n "$line" ] || { show log; atf_fail "no IOTOOL line for the $op run"; }
		echo "$line" | grep -q " bs=$BS qd=32 verify=1 ios=$NBLK bytes=$MD_SIZE " ||
		    atf_fail "$op run: wrong counts: $line"
		echo "$line" | grep -q " errors=0 bad_crc=0 bad_blkno=0 stale=0 first_bad=-1" ||
		    atf_fail "$op run: not clean: $line"
		echo "$line" | grep -Eq " MB/s=[0-9]+\.[0-9]{2} iops=[1-9][0-9]* p50_us=[0-9]+ p99_us=[0-9]+ " ||
		    atf_fail "$op run: no rate or latencies: $line"
	done
	grep -q '^IOTOOL-DONE clean' log.txt || { show log; atf_fail "no IOTOOL-DONE clean"; }
}

atf_test_case failures_reported
failures_reported_head() {
	atf_set descr "iotool= runs on a missing disk or with a bad specification fail by name and power off with failure"
	atf_set require.progs "qemu-system-x86_64"
	atf_set timeout 150
}
failures_reported_body() {
	boot log "md.size=$MD_SIZE iotool.wait=0 iotool=disk=md7;disk=md0,qd=0;disk=md0,bs=1000"
	rc=$(cat log.rc)
	[ "$rc" = 3 ] || { show log; atf_fail "QEMU exit status $rc, want 3 (failure)"; }
	grep -q '^IOTOOL disk=md7 error=6 ' log.txt || { show log; atf_fail "missing disk not reported"; }
	grep -q '^IOTOOL error=22 bad specification "disk=md0,qd=0"' log.txt ||
	    { show log; atf_fail "bad specification not reported"; }
	grep -q '^IOTOOL disk=md0 error=22 arguments refused "disk=md0,bs=1000"' log.txt ||
	    { show log; atf_fail "block size the disk cannot take not reported"; }
	grep -q '^IOTOOL-DONE failed' log.txt || { show log; atf_fail "no IOTOOL-DONE failed"; }
}

atf_init_test_cases() {
	atf_add_test_case write_then_verify
	atf_add_test_case failures_reported
}
