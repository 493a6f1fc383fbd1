#! /usr/bin/env atf-sh
# Linux blkback's features turned off in turn through its module parameters
# (scenario domu-blkfeat, booted in the same Xen as domu_ktests): one case
# per boot of our kernel, each after blkback was reloaded with one option;
# the verdicts come from steps/domu-blkfeat/blkfeat.txt, where dom0
# compares the guest's negotiated values with blkback's offer and the
# frontend's nodes in xenstore and checks the integrity runs.

. "$(atf_get_srcdir)/lab-atf.subr"

STEP=domu-blkfeat

bf_check() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built; the test kernel has no xbd"
	lab_verdict domu "$STEP" blkfeat.txt "guest-$1.txt" "feat_$1" \
	    "xenstore-backend-$1.txt" "xenstore-frontend-$1.txt"
}

# bf_case ROUND DESCR (atf_test_case first: it defines stub functions).
bf_case() {
	atf_test_case "feat_$1"
	eval "feat_$1_head() { atf_set descr \"$2\"; atf_set timeout 900; }"
	eval "feat_$1_body() { bf_check $1; }"
}

bf_case default "blkback with its defaults (ring order 4, one queue per dom0 CPU, persistent grants offered): negotiated as offered, integrity clean"
bf_case order0 "blkback max_ring_page_order=0: the guest uses a one-page ring (ring-ref), integrity clean"
bf_case order2 "blkback max_ring_page_order=2: the guest uses a four-page ring, integrity clean"
bf_case queues2 "blkback max_queues=2: the guest (2 vCPUs) uses two queues, integrity clean"
bf_case nopersist "blkback feature_persistent=0: no persistent grants offered, the guest still negotiates and runs clean"
bf_case persist "blkback feature_persistent=1: both ends agree, the guest's pool pages are mapped by blkback, no bounces, integrity clean"

atf_init_test_cases() {
	for r in default order0 order2 queues2 nopersist persist; do
		atf_add_test_case "feat_$r"
	done
}
