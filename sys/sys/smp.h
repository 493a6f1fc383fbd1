/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef _SYS_SMP_H_
#define _SYS_SMP_H_

#include <sys/types.h>

extern volatile bool	smp_started;	/* every CPU found is scheduling */

/*
 * Runs setup, then action, then teardown on every CPU (each step finishes on
 * all CPUs before the next starts); NULL steps are skipped.  Called in thread
 * context; returns once every CPU has finished teardown.
 */
void	smp_rendezvous(void (*setup)(void *), void (*action)(void *),
	    void (*teardown)(void *), void *arg);

/* Machine-dependent IPI delivery used by the MI code. */
void	ipi_cpu(int cpu, u_int ipi);
void	ipi_all_but_self(u_int ipi);

#define IPI_RENDEZVOUS	1	/* run smp_rendezvous_action() */
#define IPI_AST		2	/* reschedule check: a thread was made runnable */
#define IPI_STOP	3	/* halt (panic on another CPU) */
#define IPI_COUNT	4

/* Called by the MD IPI handler on the receiving CPU. */
void	smp_rendezvous_action(void);
void	sched_ipi_ast(void);

#endif /* !_SYS_SMP_H_ */
