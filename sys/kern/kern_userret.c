/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The way back to user mode, and time slices.  The scheduler never
 * preempts the kernel; a user thread is preempted on its way back to user
 * mode once its slice is over: a per-CPU callout, armed while user code
 * runs, marks the running user thread (TDA_RESCHED) and the interrupt's
 * return to user mode yields.  A busy loop in user mode thus gives the CPU
 * up every slice.
 */
#include <sys/param.h>
#include <sys/callout.h>
#include <sys/kernel.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>

#include "kern_proc_priv.h"

#define SLICE_SBT	(10 * SBT_1MS)

static struct callout	slice_callout[MAXCPU];
static uint64_t		slice_expiries[MAXCPU];

static void
slice_init(void *arg __unused)
{
	for (int i = 0; i < MAXCPU; i++)
		callout_init(&slice_callout[i], 1);
}
SYSINIT(slice, SI_SUB_CALLOUT, SI_ORDER_ANY, slice_init, NULL);

/* Timer interrupt on this CPU: whatever user thread runs has had its turn. */
static void
slice_expired(void *arg __unused)
{
	struct thread *td = curthread;

	slice_expiries[curcpu]++;
	if (td != NULL && td->td_proc != NULL)
		atomic_set_int(&td->td_ast, TDA_RESCHED);
}

uint64_t	slice_expiry_count(int cpu);

uint64_t
slice_expiry_count(int cpu)
{
	return (slice_expiries[cpu]);
}

void
userret(struct thread *td, struct trapframe *tf)
{
	struct proc *p = td->td_proc;
	u_int cpu, ast;

	KASSERT(p != NULL, ("userret: kernel thread %s", td->td_name));
	for (;;) {
		enable_intr();
		ast = __atomic_exchange_n(&td->td_ast, 0, __ATOMIC_SEQ_CST);
		if ((ast & TDA_EXIT) ||
		    (__atomic_load_n(&p->p_flag, __ATOMIC_ACQUIRE) & P_EXITING))
			uthread_exit(td);
		if (ast & TDA_RESCHED)
			kern_yield();
		if (__atomic_load_n(&p->p_flag, __ATOMIC_ACQUIRE) & P_STOPPED)
			thread_stopped_wait(td);
		postsig(td, tf);
		disable_intr();
		if (td->td_ast == 0)
			break;
	}
	cpu = curcpu;
	if (!callout_pending(&slice_callout[cpu]))
		callout_reset_sbt_on(&slice_callout[cpu], SLICE_SBT,
		    slice_expired, NULL, (int)cpu);
}
