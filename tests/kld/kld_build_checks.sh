#! /usr/bin/env atf-sh
# Checks over the image built without the hypervisor layer (kernel-noxen):
# no Xen code in it, a Multiboot entry instead of the PVH note.  Each check
# runs on the Xen-enabled image too, where it must find what it looks for,
# so a check that can no longer see anything fails instead of passing.

noxen() { echo "$(atf_get_srcdir)/kernel-noxen"; }
withxen() { echo "$(atf_get_srcdir)/kernel"; }

atf_test_case noxen_has_no_xen_symbol
noxen_has_no_xen_symbol_head() {
	atf_set descr "kernel-noxen's symbol table (every symbol, file names too) names no Xen"
	atf_set require.progs nm
}
noxen_has_no_xen_symbol_body() {
	n=$(nm -a "$(withxen)" | grep -ci xen)
	[ "$n" -gt 0 ] || atf_fail "the check sees no Xen symbol even in kernel"
	hits=$(nm -a "$(noxen)" | grep -i xen)
	if [ -n "$hits" ]; then
		echo "$hits" | head -20 >&2
		atf_fail "kernel-noxen has Xen symbols"
	fi
}

# The compilation units of an image, from its DWARF.
units() {
	readelf --debug-dump=info "$1" 2>/dev/null |
	    awk '/DW_TAG_compile_unit/ { cu = 1; next }
		cu && /DW_AT_name/ { print $NF; cu = 0 }'
}

atf_test_case noxen_links_no_xen_file
noxen_links_no_xen_file_head() {
	atf_set descr "No file of sys/xen, sys/x86/xen or sys/dev/xen is linked into kernel-noxen"
	atf_set require.progs readelf
}
noxen_links_no_xen_file_body() {
	re='(^|/)sys/(x86/|dev/)?xen/'
	n=$(units "$(withxen)" | grep -cE "$re")
	[ "$n" -gt 0 ] || atf_fail "the check sees no Xen file even in kernel"
	total=$(units "$(noxen)" | grep -c 'sys/')
	[ "$total" -gt 50 ] || atf_fail "only $total units found in kernel-noxen"
	hits=$(units "$(noxen)" | grep -E "$re")
	if [ -n "$hits" ]; then
		echo "$hits" >&2
		atf_fail "kernel-noxen links Xen files"
	fi
}

atf_test_case noxen_enters_by_multiboot
noxen_enters_by_multiboot_head() {
	atf_set descr "kernel-noxen has a Multiboot header in its first 8 KiB and no PVH note"
	atf_set require.progs "readelf od"
}
noxen_enters_by_multiboot_body() {
	k=$(noxen)
	if readelf -n "$k" | grep -q Xen; then
		atf_fail "kernel-noxen has a Xen note"
	fi
	readelf -n "$(withxen)" | grep -q Xen || atf_fail "kernel has no Xen note"
	# The magic, then flags and a checksum that sum to 0 (mod 2^32).
	found=""
	while read -r off magic flags sum; do
		[ $(( (0x$magic + 0x$flags + 0x$sum) & 0xffffffff )) -eq 0 ] &&
		    { found=$off; break; }
	done <<EOF_WORDS
$(od -A d -t x4 -v -w4 -N 8192 "$k" | awk '{ off[NR] = $1; w[NR] = $2 }
	END { for (i = 1; i + 2 <= NR; i++) if (w[i] == "1badb002")
	    print off[i], w[i], w[i+1], w[i+2] }')
EOF_WORDS
	[ -n "$found" ] || atf_fail "no valid Multiboot header in the first 8 KiB"
	echo "Multiboot header at file offset $found"
}

atf_init_test_cases() {
	atf_add_test_case noxen_has_no_xen_symbol
	atf_add_test_case noxen_links_no_xen_file
	atf_add_test_case noxen_enters_by_multiboot
}
