/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Local interrupt controller hooks.  The native table drives the local APIC
 * (xAPIC or x2APIC); a platform may install its own.  A platform that has no
 * use for a hook sets it to a function that panics with the hook's name.
 */
#ifndef _X86_APICVAR_H_
#define _X86_APICVAR_H_

#include <sys/types.h>

struct apic_ops {
	void	(*init)(void);			/* BSP, once */
	void	(*setup_cpu)(void);		/* every CPU as it starts */
	u_int	(*id)(void);			/* this CPU's APIC ID */
	void	(*eoi)(void);
	/* Sends a vectored IPI to one CPU's APIC ID. */
	void	(*ipi_vectored)(u_int vector, u_int apic_id);
	/* INIT, then two STARTUP IPIs, for the real-mode trampoline page. */
	int	(*ipi_startup)(u_int apic_id, vm_paddr_t trampoline);
	/*
	 * One-shot local timer in its own ticks; freq in Hz.  A platform
	 * with no local timer leaves these NULL (no LAPIC event timer).
	 */
	uint64_t (*timer_freq)(void);
	void	(*timer_oneshot)(u_int vector, uint32_t count);
	void	(*timer_stop)(void);
	const char *name;
};
extern struct apic_ops	apic_ops;

/* Native local APIC state, for tests. */
bool	lapic_is_x2apic(void);

#endif /* !_X86_APICVAR_H_ */
