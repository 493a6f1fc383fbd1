/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Per-CPU data.  Each CPU reaches its own struct pcpu through %gs.
 */
#ifndef _SYS_PCPU_H_
#define _SYS_PCPU_H_

#include <sys/param.h>
#include <sys/queue.h>
#include <machine/pcpu.h>

struct thread;

struct pcpu {
	struct pcpu	*pc_self;
	struct thread	*pc_curthread;
	struct thread	*pc_idlethread;
	u_int		pc_cpuid;
	u_int		pc_apic_id;
	u_int		pc_acpi_id;
	bool		pc_started;	/* scheduling on this CPU */
	u_int		pc_start_method; /* how the CPU came up, see machine/smp.h */
	void		*pc_runq;	/* scheduler's per-CPU state */
	void		*pc_callout;	/* callout wheel of this CPU */
	void		*pc_et_state;	/* event-timer state of this CPU */
	PCPU_MD_FIELDS;			/* machine-dependent (GDT, TSS, ...) */
	/* Hypervisor per-CPU state (owned by the hypervisor layer). */
	u_int		pc_vcpu_id;
	void		*pc_vcpu_info;
	void		*pc_hv_spare[4];
};

extern struct pcpu	*cpuid_to_pcpu[MAXCPU];
extern u_int		mp_ncpus;	/* CPUs found */
extern u_int		mp_maxid;
#define CPU_FOREACH(i)	for ((i) = 0; (i) < mp_ncpus; (i)++)

#define curcpu		PCPU_GET(cpuid)
#define curthread	PCPU_GET(curthread)
#define pcpu_find(cpu)	(cpuid_to_pcpu[(cpu)])

#endif /* !_SYS_PCPU_H_ */
