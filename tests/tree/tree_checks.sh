#! /usr/bin/env atf-sh
# Checks over the source tree itself.

srcroot() {
	cat "$(atf_get_srcdir)/srcroot"
}

atf_test_case native_code_has_no_xen
native_code_has_no_xen_head() {
	atf_set descr "Native kernel code never mentions Xen: it plugs in through hooks"
}
native_code_has_no_xen_body() {
	cd "$(srcroot)" || atf_fail "no source tree"
	hits=$(grep -rn xen sys --exclude-dir=xen)
	if [ -n "$hits" ]; then
		echo "$hits" >&2
		atf_fail "native files mention xen"
	fi
}

atf_test_case man_pages_lint_clean
man_pages_lint_clean_head() {
	atf_set descr "Every mdoc page passes mandoc -T lint"
	atf_set require.progs mandoc
}
man_pages_lint_clean_body() {
	cd "$(srcroot)" || atf_fail "no source tree"
	pages=$(find share sys tools tests -name '*.[1-9]' -type f | sort)
	[ -n "$pages" ] || atf_skip "no man pages yet"
	bad=0
	for p in $pages; do
		if ! mandoc -T lint -W warning "$p" >&2; then
			bad=1
		fi
	done
	[ $bad -eq 0 ] || atf_fail "mandoc -T lint reported problems"
}

atf_test_case xen_abi_from_libxen
xen_abi_from_libxen_head() {
	atf_set descr "Xen's ABI is included from libxen-dev, never retyped"
}
xen_abi_from_libxen_body() {
	cd "$(srcroot)" || atf_fail "no source tree"
	# A few ABI names that must only ever come from <xen/...>.
	hits=$(grep -rnE '#define[[:space:]]+(XEN_HVM_START_MAGIC_VALUE|XENMEM_memory_map|SCHEDOP_shutdown|XS_WRITE|EVTCHNOP_send|__HYPERVISOR_[a-z_]+)[[:space:]]' \
	    sys tools tests --include='*.[ch]' --include='*.S')
	if [ -n "$hits" ]; then
		echo "$hits" >&2
		atf_fail "Xen ABI constants retyped"
	fi
}

atf_test_case kernel_lint_clean
kernel_lint_clean_head() {
	atf_set descr "cppcheck and clang-tidy find nothing in the kernel sources"
	atf_set require.progs "cppcheck clang-tidy"
	atf_set timeout 300
}
kernel_lint_clean_body() {
	cd "$(srcroot)" || atf_fail "no source tree"
	[ -d build/include ] || atf_skip "kernel not built (build/include missing)"
	if ! tools/lint.sh $(find sys -name '*.c' | sort) >lint.out 2>&1; then
		grep -E 'warning|error' lint.out | head -40 >&2
		rm -f lint.out
		atf_fail "lint findings in the kernel sources"
	fi
	rm -f lint.out
}

atf_test_case every_driver_has_a_man_page
every_driver_has_a_man_page_head() {
	atf_set descr "Each driver registered with DRIVER_MODULE under sys/dev/xen has a man page"
}
every_driver_has_a_man_page_body() {
	cd "$(srcroot)" || atf_fail "no source tree"
	missing=""
	# The driver's name is DRIVER_MODULE's first argument; two drivers
	# registered under generic names have pages named for Xen.
	for name in $(grep -rhso 'DRIVER_MODULE([a-z0-9_]*' sys/dev/xen |
	    sed 's/DRIVER_MODULE(//' | sort -u); do
		case "$name" in
		timer) page=xentimer ;;
		control) page=xencontrol ;;
		*) page=$name ;;
		esac
		[ -f "share/man/man4/$page.4" ] || missing="$missing $name"
	done
	[ -n "$(grep -rls 'DRIVER_MODULE(' sys/dev/xen)" ] ||
	    atf_fail "no driver found under sys/dev/xen: the check looks wrong"
	[ -z "$missing" ] || atf_fail "drivers without a man page:$missing"
}

atf_init_test_cases() {
	atf_add_test_case kernel_lint_clean
	atf_add_test_case every_driver_has_a_man_page
	atf_add_test_case native_code_has_no_xen
	atf_add_test_case man_pages_lint_clean
	atf_add_test_case xen_abi_from_libxen
}
