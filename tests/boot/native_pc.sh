#! /usr/bin/env atf-sh
# The PCI and I/O APIC ktests on QEMU's i440FX/PIIX3 machine (-machine pc,
# the chipset of Xen's HVM device model) instead of q35: edu on bus 0, a
# PCI-PCI bridge with pci-testdev behind it.  Every KTEST line of that
# boot is one test case; report_matches_qemu compares the kernel's
# listing of bus 0 with QEMU's own ("info pci" of the same machine).

. "$(atf_get_srcdir)/ktest.subr"

KT_SCENARIO=native_pc
KT_NAMES="$(atf_get_srcdir)/kernel.ktests"
KT_FILTER='^(pci|ioapic)_'

QEMU_DEVICES="-device edu -device pci-bridge,id=br1,chassis_nr=1
    -device pci-testdev,bus=br1,addr=3,membar=64M"

kt_check_exit() {
	case "$1" in
	1) ;;
	124) atf_fail "native_pc: QEMU killed after the boot timeout" ;;
	*) atf_fail "native_pc: QEMU exit status $1 (the kernel reported failure)" ;;
	esac
}

kt_boot() {
	timeout -k 5 120 qemu-system-x86_64 -accel tcg -machine pc -cpu max \
	    -smp 2 -m 256 -nodefaults -vga none -display none -no-reboot \
	    -monitor none -serial "file:$1" \
	    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	    $QEMU_DEVICES \
	    -kernel "$(atf_get_srcdir)/kernel" \
	    -append "ktest=pci_*,ioapic_* ktest.pci_qemu=1 ktest.pci_membar=0x4000000 ktest.pci_bridge=1 pci.report=1 bootverbose=1"
}

# QEMU's view of bus 0 before the firmware ran (-S): one line per
# function ("B:D.F id VVVV:DDDD"), interrupt pin and BAR size.  An
# unassigned BAR shows as "at 0xffffffffffffffff [END]" with END =
# size - 2.
qemu_view() {
	printf 'info pci\nquit\n' | timeout -k 5 30 qemu-system-x86_64 \
	    -accel tcg -machine pc -cpu max -m 256 -nodefaults -vga none \
	    -display none -S -serial none -monitor stdio $QEMU_DEVICES |
	    tr -d '\r' | sed 's/\x1b\[[0-9]*[A-Z]//g' | awk '
	    /^  Bus +[0-9]+, device +[0-9]+, function [0-9]+:/ {
		gsub(",", ""); k = $2 ":" $4 "." substr($6, 1, 1); next }
	    /PCI device [0-9a-f]+:[0-9a-f]+/ { print k, "id", $NF }
	    /pin [A-D]$/ { print k, "pin", $NF }
	    /BAR[0-5]: .*\[0x[0-9a-f]+\]/ {
		n = substr($1, 4, 1)
		match($0, /\[0x[0-9a-f]+\]/)
		print k, "bar" n, substr($0, RSTART + 1, RLENGTH - 2) }' |
	    while read -r k what v; do
		case "$what" in
		bar*) v=$(printf '%#x' $((v + 2))) ;;
		esac
		echo "$k $what $v"
	    done | grep '^0:' | sort
}

# The kernel's pci.report listing of bus 0, in the same form.
kernel_view() {
	tr -d '\r' <"$1" | awk '
	    /@pci0:[0-9]+:[0-9]+:[0-9]+:/ {
		split(substr($1, index($1, "@pci0:") + 6), p, ":")
		k = p[1] ":" p[2] "." p[3]
		for (i = 2; i <= NF; i++) {
			if ($i ~ /^vendor=/) v = substr($i, 10)
			if ($i ~ /^device=/) d = substr($i, 10)
		}
		print k, "id", v ":" d; next }
	    k != "" && /^    .*intpin [A-D],/ {
		match($0, /intpin [A-D]/); print k, "pin", substr($0, RSTART + 7, 1) }
	    k != "" && /^    bar \[[0-9a-f]+\]/ {
		r = substr($2, 2, 2); print k, "bar" (index("0123456789abcdef", substr(r, 1, 1)) - 2) * 4 + (index("0123456789abcdef", substr(r, 2, 1)) - 1) / 4, $NF }
	    /^[^ ]/ && !/@pci0:/ { k = "" }' | grep '^0:' | sort
}

atf_test_case report_matches_qemu
report_matches_qemu_head() {
	atf_set descr "native_pc: the kernel's pci.report of bus 0 (IDs, pins, BAR sizes) is QEMU's info pci"
	atf_set require.progs "qemu-system-x86_64"
	atf_set timeout 300
}
report_matches_qemu_body() {
	kt_boot_once
	qemu_view >qemu.txt
	kernel_view "$(kt_rundir)/log" >kernel.txt
	[ "$(grep -c ' id ' qemu.txt)" -ge 5 ] || { cat qemu.txt >&2; atf_fail "QEMU listed too few functions"; }
	if ! diff -u qemu.txt kernel.txt >&2; then
		atf_fail "the kernel's bus 0 differs from QEMU's"
	fi
}

atf_init_test_cases() {
	kt_init_test_cases
	atf_add_test_case report_matches_qemu
}
