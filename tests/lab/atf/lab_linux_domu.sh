#! /usr/bin/env atf-sh
# The Linux peer: Debian's kernel as a PVH domU (vcpus=2, memory=256) with a
# busybox initramfs must reach its init marker in the lab.

. "$(atf_get_srcdir)/lab-atf.subr"

atf_test_case linux_domu_boot
linux_domu_boot_head() {
	atf_set descr "Debian's Linux boots as a PVH domU to its init marker"
	atf_set timeout 900
}
linux_domu_boot_body() {
	log=$(mktemp)
	if ! lab_step_log domu linux-domu-boot "$log"; then
		tail -n 40 "$log" >&2
		atf_fail "linux_domu: $(lab_step_reason domu linux-domu-boot)"
	fi
	grep -m1 'LAB-LINUX-DOMU-UP' "$log"
	run=$(lab_group_run domu)
	sed -n 's/^LAB-DOMU-\(READY\|CREATED\) /\1 /p' "$run/steps/linux-domu-boot/dom0.log"
	rm -f "$log"
}

atf_init_test_cases() {
	atf_add_test_case linux_domu_boot
}
