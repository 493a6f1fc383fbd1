/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Application-processor start-up hooks.
 */
#ifndef _X86_X86_SMP_H_
#define _X86_X86_SMP_H_

#include <sys/types.h>

struct pcpu;

/* How a CPU came up (struct pcpu pc_start_method). */
#define CPU_START_BSP		0
#define CPU_START_INIT_SIPI	1	/* native trampoline */
#define CPU_START_HYPERCALL	2	/* hypervisor vCPU start */

struct cpu_ops {
	/* Enumerates CPUs: fills APIC IDs, returns the count (>= 1). */
	int	(*enumerate)(u_int *apic_ids, int max);
	/* Starts one AP whose pcpu is set up; returns 0 once it runs. */
	int	(*start_ap)(struct pcpu *pc);
	const char *name;
};
extern struct cpu_ops	cpu_ops;

/*
 * Native start of one AP: INIT-SIPI-SIPI to the real-mode trampoline, then a
 * bounded wait for the AP to check in.  Returns 0 or ETIMEDOUT/ENXIO.
 */
int	mpboot_start_ap(struct pcpu *pc);
/* CPUs the last cpu_ops.enumerate() reported (mp_ncpus counts those running). */
extern u_int	mp_enumerated;

/* Called on each AP, in long mode on its boot stack, with its pcpu. */
void	init_secondary(struct pcpu *pc) __dead2;
/* Per-CPU descriptor tables; shared by the BSP and APs. */
void	cpu_setup_tables(struct pcpu *pc);

#endif /* !_X86_X86_SMP_H_ */
