#! /usr/bin/atf-sh
# A short libFuzzer run over blkback's request path, the fuzzer playing
# the frontend (make fuzz runs it at length).

FUZZ_PROG=fuzz_blkback
FUZZ_TIME=15
FUZZ_MAXLEN=70000
FUZZ_DESCR="15 s of a hostile frontend finds no access outside the disk or a page, crash or UB"
. "$(atf_get_srcdir)/fuzz.subr"
