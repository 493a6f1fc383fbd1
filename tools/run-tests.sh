#!/bin/bash
# Runs kyua over build/tests and prints a report whose last line is
# "N passed, N failed, N skipped" (broken cases count as failed; skipped
# ones are neither passed nor failed).  Exits non-zero if anything failed or broke.
set -u
testdir="$1"
db="$2"
rm -f "$db"
# Boot logs cached by a previous run must not be reused.
rm -rf "$testdir"/*/run-*
cd "$testdir" || exit 1
kyua test --results-file="$db" 2>&1 | grep -v -E -- '->  passed' | tail -n 300
summary=$(kyua report --results-file="$db" 2>/dev/null | grep '^Test cases:')
# Test cases: T total, S skipped, X expected failures, B broken, F failed
total=$(echo "$summary" | sed -n 's/.*: \([0-9]*\) total.*/\1/p')
broken=$(echo "$summary" | sed -n 's/.* \([0-9]*\) broken.*/\1/p')
failed=$(echo "$summary" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
skipped=$(echo "$summary" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
total=${total:-0}; broken=${broken:-0}; failed=${failed:-0}; skipped=${skipped:-0}
bad=$((broken + failed))
if [ "$bad" -ne 0 ]; then
	# What failed, without kyua's dump of the environment.
	kyua report --results-file="$db" --verbose \
	    --results-filter=broken,failed 2>/dev/null |
	    awk '/^===> Execution context/ { skip = 1; next } /^===> / { skip = 0 } !skip' |
	    grep -v '^$' | tail -n 400
fi
# Lab steps run again after a sign of an emulator fault (lab-step): listed,
# with the first attempt's files kept in the step's try1/.
for r in "$testdir"/../lab-runs/current/*/steps/*/retried; do
	[ -f "$r" ] || continue
	echo "lab: ${r%/retried} ran twice: $(cut -d' ' -f3- "$r")"
done
echo "$summary"
if [ "$total" -eq 0 ]; then
	echo "no test results"
	bad=1
fi
echo "$((total - bad - skipped)) passed, $bad failed, $skipped skipped"
[ "$bad" -eq 0 ]
