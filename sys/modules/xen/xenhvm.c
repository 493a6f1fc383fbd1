/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xenhvm.ko (xenhvm(4)): the Xen layer (sys/xen, sys/x86/xen) and the PV
 * drivers (sys/dev/xen) as one module for the kernel built without them.
 *
 * In that kernel nothing of Xen ran at boot: the early probe (PVH: CPUID,
 * hypercall page, the init_ops, apic_ops, cpu_ops and power hooks) is
 * read before any module is linked, so the linker does not run the one
 * this module carries.  The machine hooks stay native, as an HVM guest
 * wants them (it has an emulated local APIC and firmware tables); this
 * late probe does the rest of the detection, before the Xen SYSINITs at
 * SI_SUB_HYPERVISOR, which start only on Xen.  Without Xen everything
 * stays idle: the Xen nexus and the PV drivers are registered but attach
 * to nothing.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/linker.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/vmparam.h>

#include <x86/xen/hypercall.h>
#include <x86/xen/xen_cpuid.h>

#include <xen/arch-x86/cpuid.h>
#include <xen/version.h>
#include <xen/xen_guest.h>

MODULE_VERSION(xenhvm, 1);
MODULE_DEPEND(xenhvm, kernel, 1, 1);

/*
 * The base of Xen's CPUID block, as the early probe finds it (the HVM
 * work makes that search a shared function: use it here once it lands).
 */
static u_int
xenhvm_cpuid_base(u_int *maxp)
{
	u_int regs[4];

	for (u_int base = XEN_CPUID_FIRST_LEAF;
	    base < XEN_CPUID_FIRST_LEAF + 0x10000; base += 0x100) {
		do_cpuid(base, regs);
		if (regs[1] == XEN_CPUID_SIGNATURE_EBX &&
		    regs[2] == XEN_CPUID_SIGNATURE_ECX &&
		    regs[3] == XEN_CPUID_SIGNATURE_EDX &&
		    xen_cpuid_has_leaf(base, regs[0], 2)) {
			*maxp = regs[0];
			return (base);
		}
	}
	return (0);
}

static void
xenhvm_probe(void *arg __unused)
{
	u_int regs[4], max_leaf = 0;
	int ver;

	if (xen_guest.present)
		return;		/* the early probe found it: Xen is built in */
	xen_guest.cpuid_base = xenhvm_cpuid_base(&max_leaf);
	if (xen_guest.cpuid_base == 0) {
		printf("xenhvm: no Xen hypervisor (CPUID): nothing attaches\n");
		return;
	}
	do_cpuid(xen_guest.cpuid_base + 1, regs);
	xen_guest.version_major = regs[0] >> 16;
	xen_guest.version_minor = regs[0] & 0xffff;
	/* A page of the module: below 2 GiB, reached through KERNBASE. */
	do_cpuid(xen_guest.cpuid_base + 2, regs);
	wrmsr(regs[1], KVA_TO_PHYS((vm_offset_t)hypercall_page));
	/* Xen filled the page if a hypercall answers what CPUID said. */
	ver = HYPERVISOR_xen_version(XENVER_version, NULL);
	xen_guest.hypercall_page_ok = ver == (int)((xen_guest.version_major <<
	    16) | xen_guest.version_minor);
	xen_guest.present = xen_guest.hypercall_page_ok;
	printf("xenhvm: Xen %u.%u (CPUID base %#x), hypercall page %s\n",
	    xen_guest.version_major, xen_guest.version_minor,
	    xen_guest.cpuid_base, xen_guest.hypercall_page_ok ? "installed" :
	    "NOT answering: staying idle");
}
SYSINIT(xenhvm_probe, SI_SUB_HYPERVISOR_PROBE, SI_ORDER_FIRST, xenhvm_probe,
    NULL);
