#! /usr/bin/atf-sh
# The differential test: the same seeded scripts sent to xenstored-shim and
# to Debian's C xenstored 4.17 (both under xenstub), replies compared byte
# for byte.  Longer runs: make xs-diff SEED=.. N=..

cxs() {
	for c in "$(atf_get_srcdir)"/../../cache/lab/tree-*/usr/lib/xen-4.17/bin/xenstored \
	    /usr/lib/xen-4.17/bin/xenstored; do
		[ -x "$c" ] && { echo "$c"; return; }
	done
}

atf_test_case seeded_scripts
seeded_scripts_head() {
	atf_set descr "seeded request scripts get identical replies from the shim and C xenstored, and reach every feature of issue 14"
	atf_set timeout 60
}
seeded_scripts_body() {
	dir="$(atf_get_srcdir)"
	c="$(cxs)"
	[ -n "$c" ] || atf_skip "no C xenstored (make lab-fetch)"
	# The seeds of 1-40 whose scripts avoid the divergences listed in
	# xenstored-shim(8) (5 and 39: C lists a child twice in a
	# transaction's view; 23: C's ENOMEM at commit), 300 steps each.
	for seed in $(seq 1 40); do
		case $seed in 5|23|39) continue ;; esac
		mkdir "tr-$seed"
		atf_check -s exit:0 -o match:identical -e ignore \
		    env TMPDIR="$PWD" "$dir/xsdiff" -s "$seed" -n 300 \
		    -o "tr-$seed" -x "$dir/xenstub.so" c="c:$c" \
		    shim="shim:$dir/../../bin/xenstored-shim"
	done
	# Identical transcripts say nothing of a feature no step reached:
	# the seeds together must reach each one the issue names.
	atf_check -s exit:0 -o save:cover -e empty \
	    awk -f "$dir/xsdiff_cover.awk" tr-*/c.txt
	cat cover
}

atf_init_test_cases() {
	atf_add_test_case seeded_scripts
}
