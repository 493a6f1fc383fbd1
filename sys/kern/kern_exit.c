/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Thread and process exit, and waiting for a child.  The last thread of
 * a process tears the address space down, hands its children to init
 * and leaves a zombie holding the wait status; the parent's wait frees it.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>
#include <machine/pcb.h>
#include <machine/pmap.h>

#include <vm/vm_map.h>

#include "kern_proc_priv.h"

/* Until the VFS is linked in there is no file table to free. */
#pragma weak fdfree

void	futex_wake_addr(struct proc *p, uint64_t uaddr, int n);
#pragma weak futex_wake_addr
void	futex_robust_exit(struct thread *td);
#pragma weak futex_robust_exit
void	itimer_proc_exit(struct proc *p);
#pragma weak itimer_proc_exit

static void
reparent_children_locked(struct proc *p)
{
	struct proc *c;

	while ((c = LIST_FIRST(&p->p_children)) != NULL) {
		LIST_REMOVE(c, p_sibling);
		if (initproc != NULL && initproc != p) {
			c->p_pptr = initproc;
			__atomic_store_n(&c->p_ppid, initproc->p_pid,
			    __ATOMIC_RELAXED);
			LIST_INSERT_HEAD(&initproc->p_children, c, p_sibling);
			if (c->p_state == PRS_ZOMBIE)
				wakeup(initproc);
			continue;
		}
		c->p_pptr = NULL;
		__atomic_store_n(&c->p_ppid, 0, __ATOMIC_RELAXED);
		if (c->p_state == PRS_ZOMBIE)
			proc_free_locked(c);
		else
			atomic_set_int(&c->p_flag, P_NOWAITER);
	}
}

/* The last thread is leaving: tear p down to a zombie. */
static void
proc_exit_last(struct proc *p)
{
	struct vmspace *vs = p->p_vmspace;
	struct proc *parent;

	if (p->p_fd != NULL && fdfree != NULL) {
		fdfree(p->p_fd);
		p->p_fd = NULL;
	}
	/* No timer may fire on a zombie the parent can free at any time. */
	if (itimer_proc_exit != NULL)
		itimer_proc_exit(p);
	/* Off the dying address space before it goes. */
	pmap_activate(NULL);
	p->p_vmspace = NULL;
	if (vs != NULL)
		vmspace_free(vs);

	proctree_lock();
	reparent_children_locked(p);
	if (p->p_flag & P_NOWAITER) {
		proc_free_locked(p);
		proctree_unlock();
		return;
	}
	p->p_state = PRS_ZOMBIE;
	parent = p->p_pptr;
	wakeup(p);
	if (parent != NULL) {
		wakeup(parent);
		if (p->p_exitsig != 0)
			kern_psignal(parent, p->p_exitsig);
	}
	/* From here the parent may free p at any time. */
	proctree_unlock();
}

void
uthread_exit(struct thread *td)
{
	struct proc *p = td->td_proc;
	bool last;

	KASSERT(td == curthread, ("uthread_exit of another thread"));
	enable_intr();
	/* The robust mutexes it still holds: marked, a waiter woken. */
	if (td->td_robust_head != 0 && futex_robust_exit != NULL)
		futex_robust_exit(td);
	PROC_LOCK(p);
	mtx_lock_spin(p->p_spin_ptr);
	/*
	 * Its CPU time stays with the process (getrusage, the parent's
	 * wait), moved in the same step as it leaves the list.
	 */
	p->p_runtime_gone += thread_runtime(td);
	p->p_systime_gone += thread_systime(td);
	TAILQ_REMOVE(&p->p_threads, td, td_plist);
	last = --p->p_numthreads == 0;
	wakeup(&p->p_numthreads);	/* an execve waiting to be alone */
	mtx_unlock_spin(p->p_spin_ptr);
	PROC_UNLOCK(p);
	/* CLONE_CHILD_CLEARTID: a joiner waits on this word. */
	if (!last && td->td_clear_tid != 0) {
		uint32_t zero = 0;

		if (copyout(&zero, (void *)td->td_clear_tid, sizeof(zero)) == 0 &&
		    futex_wake_addr != NULL)
			futex_wake_addr(p, td->td_clear_tid, 1);
	}
	cpu_uthread_free(td);
	if (last)
		proc_exit_last(p);
	td->td_proc = NULL;
	kthread_exit();
}

void
exit1(struct thread *td, int xstat)
{
	struct proc *p = td->td_proc;
	struct thread *t;

	mtx_lock_spin(p->p_spin_ptr);
	if ((p->p_flag & P_EXITING) == 0) {
		p->p_xstat = xstat;
		atomic_set_int(&p->p_flag, P_EXITING);
	}
	TAILQ_FOREACH(t, &p->p_threads, td_plist) {
		if (t != td)
			thread_interrupt(t, TDA_EXIT);
	}
	mtx_unlock_spin(p->p_spin_ptr);
	uthread_exit(td);
}

int
proc_wait(struct proc *p, int *statusp, sbintime_t timo)
{
	int error = 0;

	proctree_lock();
	while (p->p_state != PRS_ZOMBIE && error == 0)
		error = msleep(p, &proctree_mtx, "pwait", timo);
	if (error == 0) {
		if (statusp != NULL)
			*statusp = p->p_xstat;
		proc_free_locked(p);
	}
	proctree_unlock();
	return (error);
}
