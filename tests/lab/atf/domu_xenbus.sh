#! /usr/bin/env atf-sh
# Our kernel as a PVH domU with a disk served by Linux blkback from a brd RAM
# disk (scenario domu-xenbus, booted in the same Xen as domu_ktests): the
# xenbus ktests (one case each), and the dom0 side's verdicts in
# steps/domu-xenbus/xenbus.txt: xvda enumerated as dom0's xenstore has it,
# xvdb hot-plugged with xl block-attach, then removed with xl block-detach.

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

STEP=domu-xenbus
KT_SCENARIO=domu_xenbus
KT_NAMES=$(lab_ktests)
KT_FILTER='^xenbus_'

kt_boot() {
	lab_step_log domu "$STEP" "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "domu_xenbus: $(lab_step_reason domu "$STEP")"
}

# xb_check CASE FILE...: the dom0 script's verdict for CASE (see lab_verdict).
xb_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no xenbus"
	lab_verdict domu "$STEP" xenbus.txt guest-domu-xenbus.log "$@"
}

atf_test_case xvda_enumerated
xvda_enumerated_head() {
	atf_set descr "The guest's xenbus child for xvda has the backend path, backend-id 0 and blkback's InitWait that dom0's xenstore shows"
	atf_set timeout 900
}
xvda_enumerated_body() {
	xb_check xvda_enumerated xenstore-device-51712.txt xenstore-backend-51712.txt
}

atf_test_case xvdb_hotplug
xvdb_hotplug_head() {
	atf_set descr "A disk added with xl block-attach while the guest runs appears as a new xenbus child with the right ivars"
	atf_set timeout 900
}
xvdb_hotplug_body() {
	xb_check xvdb_hotplug xl-block-attach.log xenstore-device-51728.txt xenstore-backend-51728.txt
}

atf_test_case xvdb_detach
xvdb_detach_head() {
	atf_set descr "xl block-detach completes without a forced removal (the guest's child goes Closing -> Closed) and the child goes away"
	atf_set timeout 900
}
xvdb_detach_body() {
	xb_check xvdb_detach xl-block-detach.log states-backend.txt states-frontend.txt
}

atf_init_test_cases() {
	kt_init_test_cases
	atf_add_test_case xvda_enumerated
	atf_add_test_case xvdb_hotplug
	atf_add_test_case xvdb_detach
}
