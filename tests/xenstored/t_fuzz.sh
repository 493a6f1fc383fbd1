#! /usr/bin/atf-sh
# A short libFuzzer run over the parser, handlers and ring transport
# (make fuzz runs it at length).

atf_test_case fuzz_brief
fuzz_brief_head() {
	atf_set descr "20 s of fuzzing finds no crash, leak or UB"
	atf_set timeout 120
}
fuzz_brief_body() {
	fuzzer="$(atf_get_srcdir)/fuzz_xsd"
	atf_check -s exit:0 test -x "$fuzzer"
	mkdir corpus
	atf_check -s exit:0 -o ignore -e save:fuzz.log \
	    "$fuzzer" -max_total_time=20 -max_len=9000 -seed=1 corpus
	atf_check -s exit:0 -o ignore grep -E '^Done [0-9]+ runs' fuzz.log
}

atf_init_test_cases() {
	atf_add_test_case fuzz_brief
}
