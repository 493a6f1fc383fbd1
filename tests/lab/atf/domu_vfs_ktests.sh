#! /usr/bin/env atf-sh
# Our kernel as a PVH domU with the VFS test initramfs as its ramdisk (xl's
# ramdisk=, a PVH start_info module; scenario domu-vfs, group "user"): the
# vfs ktests, the file-system conformance program and Debian's busybox sh.

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

KT_SCENARIO=domu_vfs
KT_NAMES=$(lab_ktests)
KT_FILTER='^vfs_'

kt_boot() {
	lab_step_log user domu-vfs "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "domu_vfs: $(lab_step_reason user domu-vfs)"
}

atf_init_test_cases() {
	kt_init_test_cases
}
