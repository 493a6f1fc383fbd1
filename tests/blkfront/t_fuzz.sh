#! /usr/bin/atf-sh
# A short libFuzzer run over blkfront's response path, the fuzzer playing
# the backend (make fuzz runs it at length).

FUZZ_PROG=fuzz_blkring
FUZZ_TIME=15
FUZZ_MAXLEN=4096
FUZZ_DESCR="15 s of a hostile backend finds no double completion, crash or UB"
. "$(atf_get_srcdir)/fuzz.subr"
