#! /usr/bin/env atf-sh
# Our xenstored (build/bin/xenstored-shim, real-ring mode) as the lab dom0's
# xenstored, with the real xl and real guests (scenario shim-domains, its own
# Xen boot: group "shim"). The dom0 script writes one verdict per check to
# steps/shim-domains/shim.txt; each case reads its own and, on failure, shows
# the reason and the files that matter for it. Our kernel's xenstore and
# event channel ktests from that boot are cases too.

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

STEP=shim-domains
KT_SCENARIO=shim
# The ktests the scenario's command line selects (ktest=xenstore_*,xen_evtchn_*).
KT_GLOB_RE='^(xenstore_|xen_evtchn_)'

shim_require() {
	[ -x "$(lab_top)/build/bin/xenstored-shim" ] ||
	    atf_skip "build/bin/xenstored-shim is not built"
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no xenstore ktests"
}

# shim_check CASE FILE...: the dom0 script's verdict for CASE (see lab_verdict).
shim_check() {
	shim_require
	lab_verdict shim "$STEP" shim.txt xenstored-shim.log "$@"
}

atf_test_case dom0_ring
dom0_ring_head() {
	atf_set descr "dom0/init started xenstored-shim as dom0's xenstored; it serves dom0's own kernel ring (/proc/xen/xsd_kva): xenstore-read through /dev/xen/xenbus"
	atf_set timeout 900
}
dom0_ring_body() {
	shim_check dom0_ring
}

atf_test_case xl_create_ours
xl_create_ours_head() {
	atf_set descr "xl create of our kernel (PVH, vcpus=2, ktest=xenstore_*,xen_evtchn_*) against the shim: it runs to KTEST-SUMMARY"
	atf_set timeout 900
}
xl_create_ours_body() {
	shim_check xl_create_ours xl-create-shim-ours.log console-shim-ours.log
}

atf_test_case xl_create_linux
xl_create_linux_head() {
	atf_set descr "xl create of the Linux PVH peer against the shim: it reaches its init marker"
	atf_set timeout 900
}
xl_create_linux_body() {
	shim_check xl_create_linux xl-create-shim-linux.log guest-shim-linux.log
}

atf_test_case xl_list
xl_list_head() {
	atf_set descr "xl list shows both guests"
	atf_set timeout 900
}
xl_list_body() {
	shim_check xl_list xl-list.txt
}

atf_test_case xenstore_ls_both
xenstore_ls_both_head() {
	atf_set descr "xenstore-ls /local/domain in dom0 shows both guests (names, and the Linux guest's own control/feature-poweroff)"
	atf_set timeout 900
}
xenstore_ls_both_body() {
	shim_check xenstore_ls_both xenstore-ls.txt
}

atf_test_case release_domain
release_domain_head() {
	atf_set descr "xl destroy of the Linux guest: a dom0 xenstore-watch @releaseDomain sees the release; no zombie, home gone"
	atf_set timeout 900
}
release_domain_body() {
	shim_check release_domain watch-releaseDomain.txt xl-destroy.log xl-list-end.txt
}

# ktest.subr: our kernel's console from that boot.
kt_boot() {
	run=$(lab_group_run shim)
	cat "$run/steps/$STEP/console-shim-ours.log" >"$1" 2>/dev/null
	res=$(lab_step_reason shim "$STEP")
	[ "$res" = pass ] && return 0
	{
		echo "---- lab: $STEP: $res"
		tail -n 30 "$run/serial.txt" 2>/dev/null
	} >>"$1"
	return 1
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "shim: $(lab_step_reason shim "$STEP")"
}

atf_init_test_cases() {
	atf_add_test_case dom0_ring
	atf_add_test_case xl_create_ours
	atf_add_test_case xl_create_linux
	atf_add_test_case xl_list
	atf_add_test_case xenstore_ls_both
	atf_add_test_case release_domain
	# One case per selected ktest, as ktest.subr makes them (ktest_ prefix:
	# no clash with the cases above).
	eval "ktest_summary_head() { atf_set descr 'shim: our kernel ends its xenstore/evtchn ktests with a clean KTEST-SUMMARY'; atf_set timeout 900; }"
	eval "ktest_summary_body() { shim_require; kt_check_run; }"
	atf_add_test_case ktest_summary
	for n in $(grep -E "$KT_GLOB_RE" "$(lab_ktests)" 2>/dev/null); do
		case "$n" in
		*[!A-Za-z0-9_]*) continue ;;
		esac
		eval "ktest_${n}_head() { atf_set descr 'shim: in-kernel test ${n} against xenstored-shim'; atf_set timeout 900; }"
		eval "ktest_${n}_body() { shim_require; kt_check ${n}; }"
		atf_add_test_case "ktest_$n"
	done
}
