#! /usr/bin/atf-sh
# A short libFuzzer run over the network stack's input path, the fuzzer
# playing the hosts on the wire (make fuzz runs it at length).

atf_test_case fuzz_brief
fuzz_brief_head() {
	atf_set descr "15 s of hostile frames find no crash, leak, bad checksum sent or broken bound"
	atf_set timeout 120
}
fuzz_brief_body() {
	fuzzer="$(atf_get_srcdir)/fuzz_netinput"
	atf_check -s exit:0 test -x "$fuzzer"
	mkdir corpus
	# Seeds: an ARP exchange, an echo, a UDP echo, a fragmented echo, sends.
	cp "$(atf_get_srcdir)"/seeds/* corpus/
	atf_check -s exit:0 -o ignore -e save:fuzz.log \
	    "$fuzzer" -max_total_time=15 -max_len=8192 -seed=1 corpus
	atf_check -s exit:0 -o ignore grep -E '^Done [0-9]+ runs' fuzz.log
}

atf_init_test_cases() {
	atf_add_test_case fuzz_brief
}
