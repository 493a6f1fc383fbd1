#! /usr/bin/env atf-sh
# kernel-noxen (no Xen code linked) with xenhvm.ko as an HVM guest
# (scenario hvm-kld, group kld; not in make test yet, see docs/lab.md): xl's ramdisk= hands the module over as a
# Multiboot module, kld(4) links it, and the module finds Xen, attaches to
# the platform PCI device, unplugs the emulated disk and NIC and brings up
# the Xen layer and the PV drivers.  Each selected ktest (the module's,
# registered at load, and kernel-noxen's netlab ones and kld_boot_modules,
# which checks the module linked) is a case; so are
# the module's own lines and dom0's verdicts in steps/hvm-kld/net.txt:
# the vif at both ends, ping, the UDP echo both ways, the blocks the guest
# wrote on dom0's RAM disk, and xl shutdown of an idle guest of the pair.

. "$(atf_get_srcdir)/ktest.subr"
. "$(atf_get_srcdir)/lab-atf.subr"

STEP=hvm-kld
KT_SCENARIO=hvm_kld
# kernel-noxen's ktests and the module's, as the build read them.
KT_NAMES=$(lab_top)/build/tests/kld/native_xenhvm.ktests
# The scenario's ktest= glob, as a regex.
KT_FILTER='^(kld_.*|xen_.*|xenpci_.*|xenstore_.*|xencons_.*|xenbus_front_.*|gnttab_.*|xbd_integrity|xn_connected|netlab_.*)$'

kt_boot() {
	lab_step_log kld "$STEP" "$1"
}

kt_check_exit() {
	[ "$1" = 0 ] || atf_fail "hvm_kld: $(lab_step_reason kld "$STEP")"
}

# kld_line REGEX WHAT: the guest's console has a line matching REGEX.
kld_line() {
	kt_boot_once
	log="$(kt_rundir)/log"
	if ! tr -d '\r' <"$log" | grep -E "$1"; then
		kt_tail "$log"
		atf_fail "hvm_kld: $2"
	fi
}

kld_check() {
	lab_verdict kld "$STEP" net.txt guest-hvm-kld.log "$@"
}

atf_test_case module_finds_xen
module_finds_xen_head() {
	atf_set descr "The module's late probe finds Xen by CPUID, installs the hypercall page and the Xen machine hooks"
	atf_set timeout 900
}
module_finds_xen_body() {
	kld_line '^xenhvm: Xen [0-9]+\.[0-9]+ .*hypercall page installed, Xen machine hooks in place$' \
	    "the module did not find Xen"
	kld_line '^Xen [0-9.]+ detected .*, HVM domU, hypercall page installed$' \
	    "the module did not take the guest for an HVM domU"
}

atf_test_case platform_pci_attached
platform_pci_attached_head() {
	atf_set descr "xenpci(4) attaches to the Xen platform PCI device and the emulated disk and NIC are unplugged"
	atf_set timeout 900
}
platform_pci_attached_body() {
	kld_line '^xenpci0: ' "xenpci(4) did not attach"
	kld_line '^xen: HVM: emulated devices unplugged ' "the emulated devices were not unplugged"
}

atf_test_case pv_devices_attached
pv_devices_attached_head() {
	atf_set descr "xenstore, the PV console, xbd0, xn0 and the control driver attach from the module"
	atf_set timeout 900
}
pv_devices_attached_body() {
	for d in xenstore0 xencons0 xbd0 xn0 control0; do
		kld_line "^$d: " "$d did not attach"
	done
}

atf_test_case vif_connected
vif_connected_head() {
	atf_set descr "The vif reaches Connected at both ends (xn(4) from the module against Linux netback)"
	atf_set timeout 900
}
vif_connected_body() {
	kld_check vif_connected xenstore-vif-front.txt xenstore-vif-back.txt
}

atf_test_case dom0_ping
dom0_ping_head() {
	atf_set descr "busybox ping from dom0 to the guest"
	atf_set timeout 900
}
dom0_ping_body() {
	kld_check dom0_ping
}

atf_test_case dom0_echo
dom0_echo_head() {
	atf_set descr "dom0's udpecho client: every size echoed intact by the guest"
	atf_set timeout 900
}
dom0_echo_body() {
	kld_check dom0_echo dom0-echo-client.txt
}

atf_test_case dom0_echo_server
dom0_echo_server_head() {
	atf_set descr "dom0's udpecho server: the guest's datagrams carry the pattern"
	atf_set timeout 900
}
dom0_echo_server_body() {
	kld_check dom0_echo_server dom0-echo-server.txt
}

atf_test_case dom0_disk_blocks
dom0_disk_blocks_head() {
	atf_set descr "The blocks the guest wrote through xbd(4) carry their own number and the run id on dom0's RAM disk"
	atf_set timeout 900
}
dom0_disk_blocks_body() {
	kld_check dom0_disk_blocks
}

atf_test_case xl_shutdown
xl_shutdown_head() {
	atf_set descr "xl shutdown of an idle kernel-noxen + xenhvm.ko guest: the module's control driver takes the request and the guest leaves xl list"
	atf_set timeout 900
}
xl_shutdown_body() {
	kld_check xl_shutdown xl-shutdown.log guest-hvm-kld-idle.log hv-hvm-kld-idle.log
}

atf_init_test_cases() {
	kt_init_test_cases
	atf_add_test_case module_finds_xen
	atf_add_test_case platform_pci_attached
	atf_add_test_case pv_devices_attached
	atf_add_test_case vif_connected
	atf_add_test_case dom0_ping
	atf_add_test_case dom0_echo
	atf_add_test_case dom0_echo_server
	atf_add_test_case dom0_disk_blocks
	atf_add_test_case xl_shutdown
}
