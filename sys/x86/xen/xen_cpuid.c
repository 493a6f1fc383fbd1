/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Finding Xen's CPUID block.  It is at 0x40000000 unless another interface
 * sits there first (with viridian, Hyper-V's leaves take 0x40000000 and Xen
 * moves up by 0x100), so every 0x100-aligned base up to 0x4000ff00 is
 * tried.  The CPUID instruction is passed in, so tests can feed a table.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <x86/xen/xen_cpuid.h>

#include <xen/arch-x86/cpuid.h>

#define XEN_CPUID_LAST_BASE	(XEN_CPUID_FIRST_LEAF + 0xff00)

u_int
xen_cpuid_scan(xen_cpuid_fn_t *cpuid, void *arg, u_int *maxp)
{
	u_int regs[4];

	for (u_int base = XEN_CPUID_FIRST_LEAF; base <= XEN_CPUID_LAST_BASE;
	    base += 0x100) {
		cpuid(arg, base, regs);
		/* The hypercall page MSR is in leaf 2: a block without it is no use. */
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
