/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Xen's CPUID leaves: a block at base (0x40000000 + n * 0x100) whose first
 * leaf returns the signature, and in EAX the highest leaf of the block.
 */
#ifndef _X86_XEN_XEN_CPUID_H_
#define _X86_XEN_XEN_CPUID_H_

#include <sys/types.h>

/* True if leaf base + n exists, given EAX of the base leaf. */
static inline bool
xen_cpuid_has_leaf(u_int base, u_int base_eax, u_int n)
{
	return (base_eax >= base && base_eax - base >= n);
}

/* Runs CPUID leaf into regs (EAX, EBX, ECX, EDX). */
typedef void	xen_cpuid_fn_t(void *arg, u_int leaf, u_int regs[4]);

/*
 * The base of Xen's block (0 if none) among the 0x100-aligned bases from
 * 0x40000000 to 0x4000ff00; *maxp gets the base leaf's EAX.
 */
u_int	xen_cpuid_scan(xen_cpuid_fn_t *cpuid, void *arg, u_int *maxp);

#endif /* !_X86_XEN_XEN_CPUID_H_ */
