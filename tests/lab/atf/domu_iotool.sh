#! /usr/bin/env atf-sh
# The I/O tool from the command line in a PVH domU (scenario domu-iotool,
# booted in the same Xen as domu_ktests): md.size= makes an 8 MiB RAM disk,
# iotool= writes it with integrity blocks at QD 32, verifies it, then reads
# it at random.  Counts expected here follow from those sizes (8 MiB /
# 4 KiB = 2048 blocks), not from the kernel.

. "$(atf_get_srcdir)/lab-atf.subr"

STEP=domu-iotool
NBLK=2048
BYTES=8388608

atf_test_case iotool_md
iotool_md_head() {
	atf_set descr "iotool= in a domU: integrity write and verify of md0 at QD 32 are clean, random reads complete, IOTOOL-DONE clean"
	atf_set timeout 900
}
iotool_md_body() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built"
	lab_step_log domu "$STEP" console.txt
	rc=$?
	tr -d '\r' <console.txt >c.txt
	show() { tail -n 40 c.txt >&2; }
	[ "$rc" = 0 ] || { show; atf_fail "domu-iotool: $(lab_step_reason domu "$STEP")"; }
	for op in write read; do
		line=$(grep "^IOTOOL disk=md0 op=$op pattern=seq " c.txt)
		[ -n "$line" ] || { show; atf_fail "no IOTOOL line for the $op run"; }
		echo "$line" | grep -q " qd=32 verify=1 ios=$NBLK bytes=$BYTES " ||
		    atf_fail "$op run: wrong counts: $line"
		echo "$line" | grep -q " errors=0 bad_crc=0 bad_blkno=0 stale=0 first_bad=-1" ||
		    atf_fail "$op run: not clean: $line"
		echo "$op: $line"
	done
	line=$(grep "^IOTOOL disk=md0 op=read pattern=rand " c.txt)
	echo "$line" | grep -q " qd=8 verify=0 ios=4096 bytes=16777216 .* errors=0 " ||
	    { show; atf_fail "random run: $line"; }
	grep -q '^IOTOOL-DONE clean' c.txt || { show; atf_fail "no IOTOOL-DONE clean"; }
}

atf_init_test_cases() {
	atf_add_test_case iotool_md
}
