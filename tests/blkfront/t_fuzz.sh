#! /usr/bin/atf-sh
# A short libFuzzer run over blkfront's response path, the fuzzer playing
# the backend (make fuzz runs it at length).

atf_test_case fuzz_brief
fuzz_brief_head() {
	atf_set descr "15 s of a hostile backend finds no double completion, crash or UB"
	atf_set timeout 120
}
fuzz_brief_body() {
	fuzzer="$(atf_get_srcdir)/fuzz_blkring"
	atf_check -s exit:0 test -x "$fuzzer"
	mkdir corpus
	atf_check -s exit:0 -o ignore -e save:fuzz.log \
	    "$fuzzer" -max_total_time=15 -max_len=4096 -seed=1 corpus
	atf_check -s exit:0 -o ignore grep -E '^Done [0-9]+ runs' fuzz.log
}

atf_init_test_cases() {
	atf_add_test_case fuzz_brief
}
