#! /usr/bin/env atf-sh
# xbd0 as a frontend that misbehaves on purpose (ktest xbd_hostile,
# scenario domu-blkhostile) against Linux 6.1's blkback in dom0: the
# reference the same ktest is held to against our own blkback.  Every
# malformed request kind must come back as an error, and after 200000
# notifications in a row a plain read must still complete.

. "$(atf_get_srcdir)/lab-atf.subr"

STEP=domu-blkhostile
KINDS="no_segments too_many_segments first_after_last last_past_page beyond_disk ungranted_ref bad_operation indirect_too_many indirect_ungranted_page indirect_bad_inner_op"

atf_test_case linux_blkback_refuses_each_kind
linux_blkback_refuses_each_kind_head() {
	atf_set descr "Linux's blkback answers each of ten malformed request kinds from xbd0 with an error, and still serves a read after an event storm"
	atf_set timeout 900
}
linux_blkback_refuses_each_kind_body() {
	[ -f "$(lab_top)/build/kernel" ] ||
	    atf_skip "our kernel (build/kernel) is not built"
	lab_step_log domu "$STEP" console.txt
	rc=$?
	tr -d '\r' <console.txt >c.txt
	show() { tail -n 40 c.txt >&2; }
	[ "$rc" = 0 ] || { show; atf_fail "domu-blkhostile: $(lab_step_reason domu "$STEP")"; }
	line=$(grep -a '^XBD-HOSTILE cases:' c.txt)
	[ -n "$line" ] || { show; atf_fail "no XBD-HOSTILE cases line"; }
	echo "$line"
	for k in $KINDS; do
		echo "$line" | grep -q " $k=error" || atf_fail "$k: not answered with an error: $line"
	done
	grep -aq '^XBD-HOSTILE storm notifies=200000 .* read=0$' c.txt ||
	    { show; atf_fail "no clean read after the storm: $(grep -a 'XBD-HOSTILE storm' c.txt)"; }
	grep -aq '^KTEST xbd_hostile PASS' c.txt || { show; atf_fail "ktest xbd_hostile did not pass"; }
}

atf_init_test_cases() {
	atf_add_test_case linux_blkback_refuses_each_kind
}
