#! /usr/bin/env atf-sh
# The lab's acceptance rule, tested against the lab itself: a kernel that
# hangs, panics Xen or never prints KTEST-SUMMARY fails its test with the log
# tail and a clear reason, within the timeout, and nothing is left running.
#
# The lab test kernel misbehaves on request (labtest=hang, labtest=triplefault
# on its command line; tests/lab/testkernel/main.c), Xen is made to panic at
# boot with `dom0=pvh` on the pc machine (no IOMMU: "Presently, iommu must be
# enabled for PVH hardware domain"). Every run here is EXPECTED to fail; the
# cases fail when the lab stops detecting, explaining or bounding it.
#
# Three run-lab invocations, each once per `make test` (make lab-reset drops
# them), under build/lab-runs/current/failmode-*:
#   domu   failmode-hang + failmode-triplefault + failmode-rc (a guest that
#          passes under a dom0 script exiting 3) + failmode-retry (a step
#          that fails once with an emulator fault's sign) in one Xen boot, guest
#          timeout FM_GUEST_S (about 30 s)
#   panic  -x dom0=pvh: Xen panics before dom0 (about 5 s)
#   dom0   failmode-dom0-hang: the test kernel hanging as PVH dom0, stopped
#          by run-lab's own deadline (LAB_TIMEOUT=4 there; about 10 s)

. "$(atf_get_srcdir)/lab-atf.subr"

# The guest timeouts given to lab-domu: the hanging guest's, and the triple
# faulting one's (which must be noticed well before it).
FM_GUEST_S=6
FM_TF_S=15
# Slack for TCG, a loaded host (other labs running) and lab-domu's ~1 s
# polling; well below the 20 s of lab-step's own limit, which a broken
# guest timeout would fall back on.
FM_SLACK_MS=6000

fm_now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

# fm_run NAME RUN-LAB-ARGS...: run-lab once (per make test) into
# build/lab-runs/current/failmode-NAME; sets $run, $rc (run-lab's exit
# status) and $wall_ms (wall-clock time of the whole run-lab invocation).
fm_run() {
	name=$1
	shift
	cur=$(lab_top)/build/lab-runs/current
	run=$cur/failmode-$name
	mkdir -p "$cur"
	(
		flock 8
		if [ ! -f "$run.rc" ]; then
			t0=$(fm_now_ms)
			"$(lab_top)/tests/lab/run-lab" -o "$run" "$@" >"$run.out" 2>&1
			r=$?
			t1=$(fm_now_ms)
			echo "rc=$r wall_ms=$((t1 - t0))" >"$run.rc"
			# lab_step_log (lab-atf.subr) reads the status file.
			[ -f "$run/status" ] ||
			    { mkdir -p "$run"; printf 'result=fail\nreason=run-lab failed before the boot (see %s)\n' \
			        "$run.out" >"$run/status"; }
		fi
	) 8>"$run.lock"
	rc=$(sed -n 's/^rc=\([0-9]*\).*/\1/p' "$run.rc")
	wall_ms=$(sed -n 's/.*wall_ms=\([0-9]*\).*/\1/p' "$run.rc")
	echo "run-lab ${name}: exit $rc in ${wall_ms} ms, run folder $run"
}

fm_run_domu() {
	fm_run domu -k "$(lab_top)/build/lab/testkernel/kernel" \
	    -e "LAB_FAILMODE_GUEST_S=$FM_GUEST_S" -e "LAB_FAILMODE_TF_S=$FM_TF_S" failmode-hang failmode-triplefault failmode-rc failmode-retry
}
fm_run_panic() {
	fm_run panic -k "$(lab_top)/build/lab/testkernel/kernel" -x dom0=pvh failmode-hang
}
fm_run_dom0() {
	fm_run dom0 -k "$(lab_top)/build/lab/testkernel/kernel" failmode-dom0-hang
}

# lab_step_log (lab-atf.subr) takes a group; ours are the failmode-* runs.
lab_group_scenarios() {
	case $1 in
	failmode-domu) echo "failmode-hang failmode-triplefault failmode-rc failmode-retry" ;;
	failmode-panic) echo "failmode-hang" ;;
	failmode-dom0) echo "failmode-dom0-hang" ;;
	esac
}

# On failure, show what the lab said.
fm_fail() {
	echo "---- run-lab's output ($run.out, last 40 lines) ----" >&2
	tail -n 40 "$run.out" >&2 2>/dev/null
	echo "---- $run/status ----" >&2
	cat "$run/status" >&2 2>/dev/null
	atf_fail "$*"
}

fm_reason() {
	sed -n 's/^reason=//p' "$run/status" 2>/dev/null
}

# fm_timing KEY: ms from QEMU start, from the run's timings file.
fm_timing() {
	awk -v k="$1" '$1 == k { print $2 }' "$run/timings" 2>/dev/null
}

# fm_expect_fail: run-lab failed, and said so with a reason and the log tail.
fm_expect_fail() {
	[ "$rc" != 0 ] || fm_fail "run-lab exited 0 for a run that must fail"
	grep -q '^result=fail$' "$run/status" 2>/dev/null || fm_fail "status does not say result=fail"
	[ -n "$(fm_reason)" ] || fm_fail "status gives no reason"
	grep -q -- "^---- last lines of .*serial.log ----" "$run.out" ||
	    fm_fail "run-lab did not print the tail of the serial log"
	last=$(grep 'lab run fail in ' "$run.out" | tail -n1)
	case $last in
	*": $(fm_reason | cut -c1-40)"*) ;;
	*) fm_fail "run-lab's last line does not give the reason: '$last'" ;;
	esac
}

# fm_nothing_left: the run's QEMU is gone (its pid file, and any process
# with the run folder on its command line).
fm_nothing_left() {
	[ -s "$run/qemu.pid" ] || fm_fail "no qemu.pid in $run: was QEMU ever started?"
	pid=$(cat "$run/qemu.pid")
	if kill -0 "$pid" 2>/dev/null &&
	    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$run/"; then
		fm_fail "QEMU (pid $pid) of $run is still running"
	fi
	left=$(pgrep -f -- "qemu-system.*$run/" 2>/dev/null)
	[ -z "$left" ] || fm_fail "processes still running for $run: $(echo "$left" | tr "\n" " ")"
	echo "nothing left running for $run (QEMU pid $pid gone)"
}

atf_test_case domu_hang
domu_hang_head() {
	atf_set descr "labtest=hang as a domU: run-lab fails, the guest is timed out after ${FM_GUEST_S}s and destroyed, its last lines are in the run's logs"
	atf_set timeout 300
}
domu_hang_body() {
	fm_run_domu
	fm_expect_fail
	d=$run/steps/failmode-hang
	res=$(cat "$d/result" 2>/dev/null)
	echo "step result: $res"
	case $res in
	"fail: "*"guest still running at its timeout, destroyed"*) ;;
	*) fm_fail "failmode-hang result does not say the guest timed out and was destroyed: '$res'" ;;
	esac
	# lab-domu in dom0: timed out at its limit (not later), then xl destroy.
	line=$(grep -m1 '^LAB-DOMU-RESULT name=failmode-hang ' "$d/dom0.log" 2>/dev/null)
	echo "dom0: $line"
	case $line in
	*" state=timeout end=destroyed "*) ;;
	*) fm_fail "lab-domu did not report state=timeout end=destroyed: '$line'" ;;
	esac
	ms=$(echo "$line" | sed -n 's/.* total_ms=\([0-9]*\).*/\1/p')
	[ -n "$ms" ] && [ "$ms" -ge $((FM_GUEST_S * 1000)) ] &&
	    [ "$ms" -le $((FM_GUEST_S * 1000 + FM_SLACK_MS)) ] ||
	    fm_fail "lab-domu gave up after ${ms:-?} ms, not within ${FM_GUEST_S}s + ${FM_SLACK_MS} ms"
	# The whole step (create, timeout, destroy, log dump) is bounded too.
	b=$(fm_timing step_failmode-hang_begin)
	e=$(fm_timing step_failmode-hang_end)
	[ -n "$b" ] && [ -n "$e" ] || fm_fail "no timings for the failmode-hang step"
	echo "step took $((e - b)) ms (guest timeout ${FM_GUEST_S} s)"
	[ $((e - b)) -le $((FM_GUEST_S * 1000 + FM_SLACK_MS)) ] ||
	    fm_fail "step failmode-hang took $((e - b)) ms: more than ${FM_GUEST_S}s + ${FM_SLACK_MS} ms"
	# The whole run: one Xen boot (~14 s), both steps, power-off.
	[ "$wall_ms" -le 90000 ] || fm_fail "run-lab took $wall_ms ms (limit 90 s)"
	# The guest's last lines, in the step's console log and the serial log.
	grep -q 'lab test kernel: hanging as asked' "$d/console.log" 2>/dev/null ||
	    fm_fail "the guest's last line is not in $d/console.log"
	# Anywhere on the line: dom0's console output can land in front of it.
	grep -Eq '\(d[0-9]+\) .*lab test kernel: hanging as asked' "$run/serial.txt" ||
	    fm_fail "the guest's last line is not in $run/serial.txt"
	# What an ATF case built on lab-atf.subr would show: a timeout (124),
	# the reason, and the guest's console.
	out=$(mktemp)
	lab_step_log failmode-domu failmode-hang "$out"
	r=$?
	[ $r = 124 ] || { cat "$out" >&2; fm_fail "lab_step_log returned $r, not 124 (timeout)"; }
	grep -q 'hanging as asked' "$out" && grep -q -- '---- lab: failmode-hang: fail: .*timeout' "$out" ||
	    { cat "$out" >&2; fm_fail "lab_step_log output lacks the guest's lines or the reason"; }
	rm -f "$out"
	fm_nothing_left
}

atf_test_case domu_triplefault
domu_triplefault_head() {
	atf_set descr "labtest=triplefault as a domU (no KTEST-SUMMARY): the reason names the triple fault, found before the guest timeout"
	atf_set timeout 300
}
domu_triplefault_body() {
	fm_run_domu
	fm_expect_fail
	d=$run/steps/failmode-triplefault
	res=$(cat "$d/result" 2>/dev/null)
	echo "step result: $res"
	case $res in
	"fail: "*"not seen"*"Triple fault"*) ;;
	*) fm_fail "failmode-triplefault result does not name the triple fault: '$res'" ;;
	esac
	line=$(grep -m1 '^LAB-DOMU-RESULT name=failmode-triplefault ' "$d/dom0.log" 2>/dev/null)
	echo "dom0: $line"
	case $line in
	*" state=shutdown "*|*" state=crashed "*) ;;
	*) fm_fail "lab-domu did not see the guest shut down or crash: '$line'" ;;
	esac
	# Seen when it happened, not waited out as a hang.
	ms=$(echo "$line" | sed -n 's/.* total_ms=\([0-9]*\).*/\1/p')
	[ -n "$ms" ] && [ "$ms" -lt $((FM_TF_S * 1000)) ] ||
	    fm_fail "lab-domu took ${ms:-?} ms: the triple fault was not noticed before the ${FM_TF_S}s guest timeout"
	grep -q 'lab test kernel: triple fault as asked' "$d/console.log" 2>/dev/null ||
	    fm_fail "the guest's last line is not in $d/console.log"
	out=$(mktemp)
	lab_step_log failmode-domu failmode-triplefault "$out"
	r=$?
	[ $r = 1 ] || { cat "$out" >&2; fm_fail "lab_step_log returned $r, not 1 (failure, not a timeout)"; }
	grep -q -- '---- lab: failmode-triplefault: fail: .*Triple fault' "$out" ||
	    { cat "$out" >&2; fm_fail "lab_step_log output lacks the reason"; }
	rm -f "$out"
	fm_nothing_left
}

atf_test_case domu_script_rc
domu_script_rc_head() {
	atf_set descr "A step whose guest shows its marker but whose dom0 script exits 3 fails, and the reason gives the status"
	atf_set timeout 300
}
domu_script_rc_body() {
	fm_run_domu
	fm_expect_fail
	d=$run/steps/failmode-rc
	res=$(cat "$d/result" 2>/dev/null)
	echo "step result: $res"
	# The guest did its part: the marker is there.
	grep -aq '^KTEST-SUMMARY ' "$d/console.log" 2>/dev/null ||
	    fm_fail "the test kernel's KTEST-SUMMARY is not in $d/console.log: the case proves nothing"
	grep -q '^LAB-STEP-END failmode-rc rc=3 ' "$run/serial.txt" 2>/dev/null ||
	    fm_fail "lab-step did not report rc=3 for failmode-rc"
	[ "$res" = "fail: the step's dom0 script (run.sh) exited with status 3" ] ||
	    fm_fail "failmode-rc's result does not fail on the script's status: '$res'"
	# A failure with no sign of an emulator fault is never run again.
	[ ! -f "$d/retried" ] && ! grep -q '^LAB-STEP-RETRY failmode-rc ' "$run/serial.txt" ||
	    fm_fail "failmode-rc was run again: $(cat "$d/retried" 2>/dev/null)"
	fm_nothing_left
}

atf_test_case domu_retry
domu_retry_head() {
	atf_set descr "A step that fails with the sign of an emulator fault (a dom0 program's SIGSEGV) runs once more: judged by its second attempt, the first one's files kept, the retry reported"
	atf_set timeout 300
}
domu_retry_body() {
	fm_run_domu
	d=$run/steps/failmode-retry
	res=$(cat "$d/result" 2>/dev/null)
	echo "step result: $res"
	[ "$res" = pass ] || fm_fail "failmode-retry's second attempt passes, but its result is '$res'"
	grep -q '^LAB-STEP-RETRY failmode-retry attempt=1 rc=1 why=Segmentation fault' "$d/retried" 2>/dev/null ||
	    fm_fail "no retry record naming the sign in $d/retried: '$(cat "$d/retried" 2>/dev/null)'"
	[ "$(cat "$d/try1/first.txt" 2>/dev/null)" = "attempt 1" ] ||
	    fm_fail "the first attempt's file is not in $d/try1/first.txt"
	[ "$(cat "$d/second.txt" 2>/dev/null)" = "attempt 2" ] && [ ! -f "$d/first.txt" ] ||
	    fm_fail "the step's files are not the second attempt's alone"
	# The step's own lines are its last attempt's.
	grep -q '^LAB-FAILMODE-RETRY attempt=2' "$d/dom0.log" && ! grep -q 'attempt=1' "$d/dom0.log" ||
	    fm_fail "dom0.log is not the second attempt's: $(tr '\n' ' ' <"$d/dom0.log")"
	[ "$(grep -c '^LAB-STEP-BEGIN failmode-retry ' "$run/serial.txt")" = 2 ] ||
	    fm_fail "failmode-retry did not run exactly twice"
}

atf_test_case xen_panic
xen_panic_head() {
	atf_set descr "Xen panics at boot (dom0=pvh without an IOMMU): run-lab stops at once with Xen's panic text as the reason"
	atf_set timeout 300
}
xen_panic_body() {
	fm_run_panic
	fm_expect_fail
	reason=$(fm_reason)
	echo "reason: $reason"
	case $reason in
	"Xen panicked during stage xen: "*"iommu must be enabled for PVH hardware domain"*) ;;
	*) fm_fail "the reason is not Xen's panic text: '$reason'" ;;
	esac
	grep -q '^stage=xen$' "$run/status" || fm_fail "status does not name stage xen"
	grep -q 'Panic on CPU' "$run.out" || fm_fail "the printed log tail does not show Xen's panic"
	res=$(cat "$run/steps/failmode-hang/result" 2>/dev/null)
	case $res in
	"fail: lab run failed: Xen panicked"*) ;;
	*) fm_fail "the scenario's result does not pass on the panic: '$res'" ;;
	esac
	# Stopped ~1.5 s after the panic, not at the 60 s Xen-stage deadline
	# (nor by Xen's own "Reboot in five seconds").
	total=$(fm_timing total)
	echo "run-lab's run took $total ms (QEMU start to stop)"
	[ -n "$total" ] && [ "$total" -le 15000 ] || fm_fail "the panicked run took ${total:-?} ms (limit 15 s)"
	[ "$wall_ms" -le 45000 ] || fm_fail "run-lab took $wall_ms ms (limit 45 s)"
	fm_nothing_left
}

atf_test_case dom0_hang
dom0_hang_head() {
	atf_set descr "labtest=hang as PVH dom0 (never prints KTEST-SUMMARY): run-lab's own deadline stops the run after LAB_TIMEOUT and kills QEMU"
	atf_set timeout 300
}
dom0_hang_body() {
	fm_run_dom0
	fm_expect_fail
	LAB_TIMEOUT=
	. "$(lab_top)/tests/lab/scenarios/failmode-dom0-hang/scenario.conf"
	reason=$(fm_reason)
	echo "reason: $reason"
	[ "$reason" = "timeout: kernel did not print KTEST-SUMMARY within ${LAB_TIMEOUT}s" ] ||
	    fm_fail "the reason does not say the kernel timed out: '$reason'"
	up=$(fm_timing xen_up)
	total=$(fm_timing total)
	[ -n "$up" ] && [ -n "$total" ] || fm_fail "no timings (xen_up, total)"
	echo "from Xen handing over to the end: $((total - up)) ms (limit ${LAB_TIMEOUT} s)"
	[ $((total - up)) -ge $((LAB_TIMEOUT * 1000)) ] &&
	    [ $((total - up)) -le $((LAB_TIMEOUT * 1000 + FM_SLACK_MS)) ] ||
	    fm_fail "stopped $((total - up)) ms after Xen handed over, not within ${LAB_TIMEOUT}s + ${FM_SLACK_MS} ms"
	[ "$wall_ms" -le 60000 ] || fm_fail "run-lab took $wall_ms ms (limit 60 s)"
	grep -q 'lab test kernel: hanging as asked' "$run/steps/failmode-dom0-hang/console.log" 2>/dev/null ||
	    fm_fail "the kernel's last line is not in the step's console.log"
	grep -q 'hanging as asked' "$run.out" || fm_fail "the printed log tail does not show the kernel's last line"
	fm_nothing_left
}

atf_test_case nothing_left_running
nothing_left_running_head() {
	atf_set descr "After every failing run (domU hang and triple fault, Xen panic, dom0 hang) no QEMU of it is alive"
	atf_set timeout 600
}
nothing_left_running_body() {
	fm_run_domu
	fm_nothing_left
	fm_run_panic
	fm_nothing_left
	fm_run_dom0
	fm_nothing_left
}

atf_init_test_cases() {
	atf_add_test_case domu_hang
	atf_add_test_case domu_triplefault
	atf_add_test_case domu_script_rc
	atf_add_test_case domu_retry
	atf_add_test_case xen_panic
	atf_add_test_case dom0_hang
	atf_add_test_case nothing_left_running
}
