#!/bin/sh
# Static checks of the C sources given as arguments: cppcheck (warnings,
# portability, performance) and clang-tidy (bug-prone patterns).  Kernel
# files are checked with the kernel's include paths.  Exits non-zero on any
# finding.
set -u
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "lint: no sources given" >&2; exit 2; }
status=0

kern="" ; other=""
for f in "$@"; do
	case "$f" in
	sys/*) kern="$kern $f" ;;
	*) other="$other $f" ;;
	esac
done

# The analyzer models malloc/free as libc's; the kernel's take a type and
# flags and M_WAITOK never fails, so they are renamed for clang-tidy.
# comparePointers: linker sets compare __start_/__stop_ bounds by design.
CPPCHECK="cppcheck -q --std=c11 --error-exitcode=1 --inline-suppr \
    --enable=warning,portability,performance \
    --suppress=missingIncludeSystem --suppress=comparePointers"
if [ -n "$kern" ]; then
	$CPPCHECK -D_KERNEL -DINVARIANTS -D__x86_64__ -D__dead2= \
	    -D__XEN_INTERFACE_VERSION__=0x00040e00 -Isys -Ibuild/include $kern || status=1
fi
if [ -n "$other" ]; then
	$CPPCHECK -D_GNU_SOURCE -Itools/xenstored-shim $other || status=1
fi

TIDY_CHECKS='-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-bugprone-macro-parentheses,-bugprone-narrowing-conversions,-bugprone-assignment-in-if-condition,-bugprone-branch-clone,-bugprone-implicit-widening-of-multiplication-result,-bugprone-sizeof-expression,clang-analyzer-core.*,clang-analyzer-unix.Malloc,-clang-analyzer-core.NullDereference'
if [ -n "$kern" ]; then
	inc=$(gcc -print-file-name=include)
	clang-tidy -quiet --checks="$TIDY_CHECKS" --warnings-as-errors='*' $kern -- \
	    -std=gnu11 -ffreestanding -nostdinc -isystem "$inc" -Ibuild/include -Isys \
	    -D_KERNEL -DINVARIANTS \
	    -D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__ \
	    -Dmalloc=kmalloc_ -Dfree=kfree_ -Drealloc=krealloc_ \
	    2>/dev/null || status=1
fi
exit $status
