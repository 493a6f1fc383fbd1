/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linux signal calls: rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigreturn, sigaltstack, kill, tgkill, tkill.  The kernel's struct
 * sigaction for x86-64 is handler, flags, restorer, mask (ksigaction has
 * that layout); sigsetsize must be 8.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/frame.h>

#include <asm/unistd_64.h>
#include <linux/signal.h>

#include <compat/linux/linux_syscall.h>

#include "../../kern/kern_proc_priv.h"
#include "../../kern/kern_sig_priv.h"

CTASSERT(sizeof(struct ksigaction) == 32);
#define LINUX_SIGSETSIZE	8
#define MINSIGSTKSZ_LINUX	2048

LINUX_SYSCALL(__NR_rt_sigaction, rt_sigaction);
int
linux_sys_rt_sigaction(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct proc *p = td->td_proc;
	struct ksigaction nka = { 0, 0, 0, 0 }, oka;
	int sig = (int)args[0], error;

	if (args[3] != LINUX_SIGSETSIZE || !sig_valid(sig))
		return (EINVAL);
	if (args[1] != 0) {
		if ((error = copyin((void *)args[1], &nka, sizeof(nka))) != 0)
			return (error);
		if (sig_bit(sig) & sig_cantmask())
			return (EINVAL);
		nka.ksa_mask &= ~sig_cantmask();
	}
	mtx_lock_spin(p->p_spin_ptr);
	oka = p->p_sigacts[sig - 1];
	if (args[1] != 0) {
		p->p_sigacts[sig - 1] = nka;
		/* Setting SIG_IGN discards what is pending (POSIX). */
		if (nka.ksa_handler == (uint64_t)(uintptr_t)SIG_IGN) {
			struct thread *t;

			p->p_siglist &= ~sig_bit(sig);
			TAILQ_FOREACH(t, &p->p_threads, td_plist)
				t->td_siglist &= ~sig_bit(sig);
		}
	}
	mtx_unlock_spin(p->p_spin_ptr);
	if (args[2] != 0)
		return (copyout(&oka, (void *)args[2], sizeof(oka)));
	return (0);
}

LINUX_SYSCALL(__NR_rt_sigprocmask, rt_sigprocmask);
int
linux_sys_rt_sigprocmask(struct thread *td, const uint64_t args[6],
    int64_t *rv)
{
	struct proc *p = td->td_proc;
	ksigset_t set, old = td->td_sigmask;
	int error;

	if (args[3] != LINUX_SIGSETSIZE)
		return (EINVAL);
	if (args[1] != 0) {
		if ((error = copyin((void *)args[1], &set, sizeof(set))) != 0)
			return (error);
		set &= ~sig_cantmask();
		mtx_lock_spin(p->p_spin_ptr);
		switch (args[0]) {
		case SIG_BLOCK:
			td->td_sigmask |= set;
			break;
		case SIG_UNBLOCK:
			td->td_sigmask &= ~set;
			break;
		case SIG_SETMASK:
			td->td_sigmask = set;
			break;
		default:
			mtx_unlock_spin(p->p_spin_ptr);
			return (EINVAL);
		}
		/* Unblocked and pending: deliver on the way out. */
		if ((p->p_siglist | td->td_siglist) & ~td->td_sigmask)
			atomic_set_int(&td->td_ast, TDA_SIGNAL);
		mtx_unlock_spin(p->p_spin_ptr);
	}
	if (args[2] != 0)
		return (copyout(&old, (void *)args[2], sizeof(old)));
	return (0);
}

LINUX_SYSCALL(__NR_rt_sigpending, rt_sigpending);
int
linux_sys_rt_sigpending(struct thread *td, const uint64_t args[6],
    int64_t *rv)
{
	struct proc *p = td->td_proc;
	ksigset_t pend;

	if (args[1] != LINUX_SIGSETSIZE)
		return (EINVAL);
	mtx_lock_spin(p->p_spin_ptr);
	pend = (p->p_siglist | td->td_siglist) & td->td_sigmask;
	mtx_unlock_spin(p->p_spin_ptr);
	return (copyout(&pend, (void *)args[0], sizeof(pend)));
}

LINUX_SYSCALL(__NR_rt_sigreturn, rt_sigreturn);
int
linux_sys_rt_sigreturn(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct proc *p = td->td_proc;

	if (sigreturn(td, td->td_frame) != 0)
		sigexit(td, SIGSEGV);
	/* The restored mask may let a pending signal through. */
	mtx_lock_spin(p->p_spin_ptr);
	if ((p->p_siglist | td->td_siglist) & ~td->td_sigmask)
		atomic_set_int(&td->td_ast, TDA_SIGNAL);
	mtx_unlock_spin(p->p_spin_ptr);
	return (EJUSTRETURN);
}

LINUX_SYSCALL(__NR_sigaltstack, sigaltstack);
int
linux_sys_sigaltstack(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct proc *p = td->td_proc;
	stack_t ss, oss;
	uint64_t sp = td->td_frame->tf_rsp;
	bool onstack;
	int error;

	onstack = p->p_sigaltstack[2] != 0 &&
	    sp - p->p_sigaltstack[0] < p->p_sigaltstack[2];
	memset(&oss, 0, sizeof(oss));
	oss.ss_sp = (void *)p->p_sigaltstack[0];
	oss.ss_size = p->p_sigaltstack[2];
	oss.ss_flags = onstack ? SS_ONSTACK :
	    (p->p_sigaltstack[2] == 0 ? SS_DISABLE : 0);
	if (args[0] != 0) {
		if ((error = copyin((void *)args[0], &ss, sizeof(ss))) != 0)
			return (error);
		if (onstack)
			return (EPERM);
		if (ss.ss_flags & ~SS_DISABLE)
			return (EINVAL);
		if (ss.ss_flags & SS_DISABLE) {
			p->p_sigaltstack[0] = p->p_sigaltstack[1] = 0;
			p->p_sigaltstack[2] = 0;
		} else {
			if (ss.ss_size < MINSIGSTKSZ_LINUX)
				return (ENOMEM);
			p->p_sigaltstack[0] = (uint64_t)ss.ss_sp;
			p->p_sigaltstack[1] = 0;
			p->p_sigaltstack[2] = ss.ss_size;
		}
	}
	if (args[1] != 0)
		return (copyout(&oss, (void *)args[1], sizeof(oss)));
	return (0);
}

/* kill(pid, sig): one process, our group (0), every process (-1), a group. */
LINUX_SYSCALL(__NR_kill, kill);
int
linux_sys_kill(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	pid_t pid = (pid_t)args[0];
	int sig = (int)args[1];
	struct proc *p;
	struct pgrp *pg;
	int error = 0;

	if (sig != 0 && !sig_valid(sig))
		return (EINVAL);
	proctree_lock();
	if (pid > 0) {
		if ((p = pfind_locked(pid)) == NULL)
			error = ESRCH;
		else if (sig != 0)
			kern_psignal(p, sig);
	} else if (pid == -1) {
		bool any = false;

		LIST_FOREACH(p, &allproc, p_list) {
			if (p->p_state != PRS_NORMAL || p == td->td_proc ||
			    p == initproc)
				continue;
			any = true;
			if (sig != 0)
				kern_psignal(p, sig);
		}
		error = any ? 0 : ESRCH;
	} else {
		pg = pid == 0 ? td->td_proc->p_pgrp : pgfind(-pid);
		if (pg == NULL || LIST_EMPTY(&pg->pg_members))
			error = ESRCH;
		else if (sig != 0)
			pgsignal(pg, sig);
	}
	proctree_unlock();
	return (error);
}

/* The thread tid of thread group tgid (-1: any). */
static int
tdsignal_tid(pid_t tgid, pid_t tid, int sig)
{
	struct proc *p;
	struct thread *t;
	int error = ESRCH;

	if (tid <= 0 || (sig != 0 && !sig_valid(sig)))
		return (EINVAL);
	proctree_lock();
	LIST_FOREACH(p, &allproc, p_list) {
		if (p->p_state != PRS_NORMAL || (tgid > 0 && p->p_pid != tgid))
			continue;
		mtx_lock_spin(p->p_spin_ptr);
		TAILQ_FOREACH(t, &p->p_threads, td_plist) {
			if (t->td_utid == tid)
				break;
		}
		mtx_unlock_spin(p->p_spin_ptr);
		if (t != NULL) {
			error = sig != 0 ? kern_tdsignal_tkill(t, sig,
			    curthread->td_proc->p_pid) : 0;
			break;
		}
	}
	proctree_unlock();
	return (error);
}

LINUX_SYSCALL(__NR_tgkill, tgkill);
int
linux_sys_tgkill(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	if ((pid_t)args[0] <= 0)
		return (EINVAL);
	return (tdsignal_tid((pid_t)args[0], (pid_t)args[1], (int)args[2]));
}

LINUX_SYSCALL(__NR_tkill, tkill);
int
linux_sys_tkill(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (tdsignal_tid(-1, (pid_t)args[0], (int)args[1]));
}

/* pause: sleeps until a signal is delivered; always EINTR. */
LINUX_SYSCALL(__NR_pause, pause);
int
linux_sys_pause(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	static int pause_chan;	/* nobody wakes it: only signals */

	while (msleep_sig(&pause_chan, NULL, "pause", 0) != EINTR)
		;
	return (EINTR);
}

/*
 * rt_sigsuspend: the mask given while sleeping; the old one comes back
 * after the handler (through its frame) or at once if none runs.
 */
LINUX_SYSCALL(__NR_rt_sigsuspend, rt_sigsuspend);
int
linux_sys_rt_sigsuspend(struct thread *td, const uint64_t args[6],
    int64_t *rv)
{
	static int suspend_chan;
	struct proc *p = td->td_proc;
	ksigset_t set;
	int error;

	if (args[1] != LINUX_SIGSETSIZE)
		return (EINVAL);
	if ((error = copyin((void *)args[0], &set, sizeof(set))) != 0)
		return (error);
	mtx_lock_spin(p->p_spin_ptr);
	td->td_oldmask = td->td_sigmask;
	td->td_has_oldmask = true;
	td->td_sigmask = set & ~sig_cantmask();
	if ((p->p_siglist | td->td_siglist) & ~td->td_sigmask)
		atomic_set_int(&td->td_ast, TDA_SIGNAL);
	mtx_unlock_spin(p->p_spin_ptr);
	while (msleep_sig(&suspend_chan, NULL, "sigsusp", 0) != EINTR)
		;
	return (EINTR);
}
