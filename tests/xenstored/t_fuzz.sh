#! /usr/bin/atf-sh
# A short libFuzzer run over the parser, handlers and ring transport
# (make fuzz runs it at length).

FUZZ_PROG=fuzz_xsd
FUZZ_TIME=20
FUZZ_MAXLEN=9000
FUZZ_DESCR="20 s of fuzzing finds no crash, leak or UB"
. "$(atf_get_srcdir)/fuzz.subr"
