#!/bin/sh
# gen-ksyms.sh [IMAGE]: the assembly of the kernel's symbol table (.ksyms)
# for the module linker: every defined global symbol of IMAGE, sorted by
# name in byte order (the kernel searches it with strcmp).  Without IMAGE,
# an empty table with the same symbols, for the first link.  Linker-set
# bounds (__start_set_*, __stop_set_*) are left out: a module's own sets
# are its own.
set -e
LC_ALL=C
export LC_ALL
{
	if [ -n "$1" ]; then
		nm -g --defined-only "$1" | awk '$2 ~ /^[TtDdBbRrWwVvAa]$/ &&
		    $3 !~ /^__(start|stop)_set_/ { print $3, $1 }' | sort -u -k1,1
	fi
} | awk '
BEGIN {
	print "\t.section .ksyms, \"a\""
	print "\t.balign 8"
	print "\t.globl kern_ksyms"
	print "kern_ksyms:"
}
{ name[NR] = $1; val[NR] = $2; printf "\t.quad 0x%s, .Lksym%d\n", $2, NR }
END {
	print "\t.globl kern_ksyms_end"
	print "kern_ksyms_end:"
	for (i = 1; i <= NR; i++)
		printf ".Lksym%d:\t.asciz \"%s\"\n", i, name[i]
}'
