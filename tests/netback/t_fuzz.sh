#! /usr/bin/atf-sh
# A short libFuzzer run over netback's tx slot path, the fuzzer playing a
# hostile netfront (make fuzz runs it at length).

FUZZ_PROG=fuzz_nbtx
FUZZ_TIME=15
FUZZ_MAXLEN=4096
FUZZ_DESCR="15 s of a hostile netfront finds no unanswered or doubled request, out-of-page or overrunning copy, crash or UB"
. "$(atf_get_srcdir)/fuzz.subr"
