#! /usr/bin/atf-sh
# A short libFuzzer run over netfront's receive path, the fuzzer playing
# netback (make fuzz runs it at length).

FUZZ_PROG=fuzz_nfrx
FUZZ_TIME=15
FUZZ_MAXLEN=4096
FUZZ_DESCR="15 s of a hostile netback finds no lost or doubled buffer, out-of-page piece, crash or UB"
. "$(atf_get_srcdir)/fuzz.subr"
