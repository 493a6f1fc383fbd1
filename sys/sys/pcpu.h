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

struct mtx;
struct thread;

/* Spin mutexes a CPU can name in a panic; deeper nesting is only counted. */
#define PCPU_SPIN_HELD_MAX	8

struct pcpu {
	struct pcpu	*pc_self;
	struct thread	*pc_curthread;
	struct thread	*pc_idlethread;
	u_int		pc_cpuid;
	u_int		pc_apic_id;
	bool		pc_started;	/* scheduling on this CPU */
	u_int		pc_start_method; /* how the CPU came up, see machine/smp.h */
	/*
	 * spinlock_enter() nesting and the interrupt flag saved by the
	 * outermost one; the spin mutexes held, oldest first (sys/mutex.h).
	 */
	u_int		pc_spin_count;
	register_t	pc_spin_flags;
	u_int		pc_spin_nheld;
	struct mtx	*pc_spin_held[PCPU_SPIN_HELD_MAX];
	PCPU_MD_FIELDS;			/* machine-dependent (GDT, TSS, ...) */
	/* Hypervisor per-CPU state (owned by the hypervisor layer). */
	u_int		pc_vcpu_id;
	void		*pc_vcpu_info;
};

/* machine/pcpu.h reads pc_self at %gs:0. */
_Static_assert(__builtin_offsetof(struct pcpu, pc_self) == 0, "pc_self first");

extern struct pcpu	*cpuid_to_pcpu[MAXCPU];
extern u_int		mp_ncpus;	/* CPUs found */
extern u_int		mp_maxid;
#define CPU_FOREACH(i)	for ((i) = 0; (i) < mp_ncpus; (i)++)

#define curcpu		PCPU_GET(cpuid)
#define curthread	PCPU_GET(curthread)
#define pcpu_find(cpu)	(cpuid_to_pcpu[(cpu)])

#endif /* !_SYS_PCPU_H_ */
