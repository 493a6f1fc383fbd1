/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Between the process files of sys/kern (kern_proc, kern_exit, kern_fork,
 * kern_exec, kern_sig, kern_userret) and the Linux handlers that drive
 * them; not a KPI.
 */
#ifndef _KERN_KERN_PROC_PRIV_H_
#define _KERN_KERN_PROC_PRIV_H_

#include <sys/queue.h>
#include <sys/types.h>

struct mtx;
struct pgrp;
struct proc;
struct session;
struct thread;
struct trapframe;

LIST_HEAD(proclist, proc);
extern struct proclist	allproc;
extern struct mtx	proctree_mtx;
extern struct proc	*initproc;

pid_t	pid_alloc_locked(void);
void	pgrp_enter_locked(struct proc *, struct pgrp *);
void	pgrp_leave_locked(struct proc *);
int	pgrp_create_locked(struct proc *, pid_t pgid, struct session *,
	    struct pgrp **);
void	proc_free_locked(struct proc *);
u_int	proc_count(void);

/*
 * A new user thread of p, not yet runnable: its trapframe (td_frame) is
 * zeroed but for the user selectors; uthread_run() queues it.
 */
int	uthread_create(struct proc *p, struct thread **tdp);
void	uthread_run(struct thread *td);
/* Frees a thread uthread_create made that never ran. */
void	uthread_destroy_unstarted(struct thread *td);
/* Ends the calling user thread; the last one turns p into a zombie. */
void	uthread_exit(struct thread *td) __dead2;

/*
 * Work before returning to user mode (signals, exit, the end of a time
 * slice).  Called with the frame about to be resumed; returns with
 * interrupts off.
 */
void	userret(struct thread *td, struct trapframe *tf);
/* Default action of a signal nobody handles: exit with W_EXITCODE(0, sig). */
void	sigexit(struct thread *td, int sig) __dead2;
/* A synchronous fault of the current thread (SIGSEGV at addr, ...). */
void	trapsignal(struct thread *td, int sig, int code, uint64_t addr);
/*
 * Asks td (a thread of the caller's process, or any thread under its
 * p_spin) to do ast work on its way out, aborting an interruptible sleep.
 */
void	thread_interrupt(struct thread *td, u_int ast);
/* Sleeps while the process is stopped (SIGSTOP and co.). */
void	thread_stopped_wait(struct thread *td);
/* Delivers pending signals, called by userret. */
void	postsig(struct thread *td, struct trapframe *tf);

#endif /* !_KERN_KERN_PROC_PRIV_H_ */
