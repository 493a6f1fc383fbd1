/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Kernel threads: creation, exit and the list of all threads.  Stacks come
 * from the machine's stack allocator (guard pages below, kstack_alloc).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>
#include <machine/pcb.h>
#include <machine/trap.h>
#include <machine/vmparam.h>

#include "kern_priv.h"
#include "kern_proc_priv.h"

MALLOC_DEFINE(M_THREAD, "thread", "kernel threads");

static TAILQ_HEAD(, thread) allthreads = TAILQ_HEAD_INITIALIZER(allthreads);
static struct mtx	allthreads_lock;
static volatile u_int	next_tid = 1;
static volatile u_int	nthreads;

static void
thread_list_init(void *arg __unused)
{
	mtx_init(&allthreads_lock, "allthreads", NULL, MTX_SPIN);
	thread0.td_tid = 0;
	thread0.td_cpu = 0;
	TAILQ_INSERT_TAIL(&allthreads, &thread0, td_allq);
}
SYSINIT(thread_list, SI_SUB_LOCK, SI_ORDER_SECOND, thread_list_init, NULL);

int
kthread_add(void (*func)(void *), void *arg, struct thread **tdp, int cpu,
    const char *fmt, ...)
{
	struct thread *td;
	void *stack;
	va_list ap;

	if (cpu < 0)
		cpu = (int)curcpu;
	if ((u_int)cpu >= mp_ncpus || pcpu_find(cpu) == NULL)
		return (EINVAL);
	td = malloc(sizeof(*td), M_THREAD, M_NOWAIT | M_ZERO);
	if (td == NULL)
		return (ENOMEM);
	stack = kstack_alloc();
	if (stack == NULL) {
		free(td, M_THREAD);
		return (ENOMEM);
	}
	va_start(ap, fmt);
	vsnprintf(td->td_name, sizeof(td->td_name), fmt, ap);
	va_end(ap);
	td->td_kstack = stack;
	td->td_kstack_size = KSTACK_SIZE;
	td->td_cpu = cpu;
	td->td_tid = (int)atomic_fetchadd_int(&next_tid, 1);
	td->td_func = func;
	td->td_arg = arg;
	td->td_state = TDS_INACTIVE;
	cpu_thread_setup(td, func, arg);

	mtx_lock_spin(&allthreads_lock);
	TAILQ_INSERT_TAIL(&allthreads, td, td_allq);
	nthreads++;
	mtx_unlock_spin(&allthreads_lock);

	if (tdp != NULL)
		*tdp = td;
	sched_add(td);
	return (0);
}

/* First kernel code of a user thread: straight out to user mode. */
static void
uthread_start(void *arg)
{
	struct thread *td = arg;

	userret(td, td->td_frame);
	user_enter(td->td_frame);
}

int
uthread_create(struct proc *p, struct thread **tdp)
{
	struct thread *td;
	int error;

	td = malloc(sizeof(*td), M_THREAD, M_WAITOK | M_ZERO);
	if (td == NULL)
		return (ENOMEM);
	td->td_kstack = kstack_alloc();
	if (td->td_kstack == NULL) {
		free(td, M_THREAD);
		return (ENOMEM);
	}
	td->td_kstack_size = KSTACK_SIZE;
	strlcpy(td->td_name, p->p_comm, sizeof(td->td_name));
	td->td_cpu = p->p_cpu;
	td->td_tid = (int)atomic_fetchadd_int(&next_tid, 1);
	td->td_func = uthread_start;
	td->td_arg = td;
	td->td_state = TDS_INACTIVE;
	td->td_proc = p;
	if ((error = cpu_uthread_setup(td, uthread_start, td)) != 0) {
		kstack_free(td->td_kstack);
		free(td, M_THREAD);
		return (error);
	}
	mtx_lock_spin(&allthreads_lock);
	TAILQ_INSERT_TAIL(&allthreads, td, td_allq);
	nthreads++;
	mtx_unlock_spin(&allthreads_lock);
	PROC_LOCK(p);
	mtx_lock_spin(p->p_spin_ptr);
	TAILQ_INSERT_TAIL(&p->p_threads, td, td_plist);
	p->p_numthreads++;
	mtx_unlock_spin(p->p_spin_ptr);
	PROC_UNLOCK(p);
	*tdp = td;
	return (0);
}

void
uthread_destroy_unstarted(struct thread *td)
{
	struct proc *p = td->td_proc;

	KASSERT(td->td_state == TDS_INACTIVE, ("uthread_destroy_unstarted: "
	    "%s has run", td->td_name));
	PROC_LOCK(p);
	mtx_lock_spin(p->p_spin_ptr);
	TAILQ_REMOVE(&p->p_threads, td, td_plist);
	p->p_numthreads--;
	mtx_unlock_spin(p->p_spin_ptr);
	PROC_UNLOCK(p);
	mtx_lock_spin(&allthreads_lock);
	TAILQ_REMOVE(&allthreads, td, td_allq);
	nthreads--;
	mtx_unlock_spin(&allthreads_lock);
	cpu_uthread_free(td);
	kstack_free(td->td_kstack);
	free(td, M_THREAD);
}

void
uthread_run(struct thread *td)
{
	sched_add(td);
}

/* Called by the scheduler on the exited thread's CPU, off its stack. */
void
thread_reap(struct thread *td)
{
	mtx_lock_spin(&allthreads_lock);
	TAILQ_REMOVE(&allthreads, td, td_allq);
	nthreads--;
	mtx_unlock_spin(&allthreads_lock);
	kstack_free(td->td_kstack);
	td->td_state = TDS_DEAD;
	free(td, M_THREAD);
}

void
kthread_exit(void)
{
	struct thread *td = curthread;

	if (td == &thread0 || (td->td_flags & TDF_IDLE))
		panic("kthread_exit from %s", td->td_name);
	if (spinlock_count() != 0)
		panic("kthread_exit(%s) with spin lock %s held", td->td_name,
		    spinlock_held_name(NULL));
	sched_lock(td->td_cpu);
	td->td_state = TDS_DEAD;
	sched_set_dead(td);
	sched_switch_locked(td);
	panic("kthread_exit: dead thread %s ran again", td->td_name);
}

/* Number of threads made by kthread_add() that have not been reaped. */
u_int
kthread_count(void)
{
	return (nthreads);
}
