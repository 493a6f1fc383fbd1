/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Signals, Linux numbering (1-64, <asm/signal.h>).  A signal sent to a
 * process is pending on it until one of its threads that does not block
 * it returns to user mode; a fault's signal is the faulting thread's own.
 * Delivery runs a handler through the machine's signal frame (sendsig) or
 * applies the default action: ignore, or end the process with the
 * signal as its status, or stop it: a stopped process's threads sleep
 * on their way to user mode until SIGCONT (or SIGKILL), and the parent's
 * wait sees the stop and the continue.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/frame.h>
#include <machine/pcb.h>

#include <asm/signal.h>
#include <asm/siginfo.h>

#include "kern_proc_priv.h"
#include "kern_sig_priv.h"


#define SIGBIT(sig)	(1ULL << ((sig) - 1))
/* Signals whose default is to do nothing (SIGCONT acts when sent). */
#define SIG_DFL_IGNORE	(SIGBIT(SIGCHLD) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH) | \
	SIGBIT(SIGCONT))
#define SIG_STOPS	(SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | \
	SIGBIT(SIGTTOU))
#define SIG_CANTMASK	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

bool
sig_valid(int sig)
{
	return (sig >= 1 && sig <= PROC_NSIG);
}

ksigset_t
sig_bit(int sig)
{
	return (SIGBIT(sig));
}

ksigset_t
sig_cantmask(void)
{
	return (SIG_CANTMASK);
}

/* Whether sig, if delivered now, would be thrown away; p_spin held. */
static bool
sig_ignored(struct proc *p, int sig)
{
	uint64_t h = p->p_sigacts[sig - 1].ksa_handler;

	if (sig == SIGKILL)
		return (false);
	return (h == (uint64_t)(uintptr_t)SIG_IGN ||
	    (h == (uint64_t)(uintptr_t)SIG_DFL && (SIG_DFL_IGNORE & SIGBIT(sig))));
}

void
thread_interrupt(struct thread *td, u_int ast)
{
	atomic_set_int(&td->td_ast, ast);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	sleepq_abort(td);
}

/* Queues sig on p or on one thread (td != NULL); p_spin held. */
static void
sig_post_locked(struct proc *p, struct thread *td, int sig)
{
	struct thread *t;

	if (p->p_flag & P_EXITING)
		return;
	/* A stop and a continue cancel each other's pending signals. */
	if (sig == SIGCONT || sig == SIGKILL) {
		p->p_siglist &= ~SIG_STOPS;
		TAILQ_FOREACH(t, &p->p_threads, td_plist)
			t->td_siglist &= ~SIG_STOPS;
		if (p->p_flag & P_STOPPED) {
			atomic_clear_int(&p->p_flag, P_STOPPED | P_WAITSTOP);
			atomic_set_int(&p->p_flag, P_WAITCONT);
			wakeup(&p->p_stopsig);
			/* A stale parent pointer only wakes nobody. */
			if (p->p_pptr != NULL)
				wakeup(p->p_pptr);
		}
	} else if (SIG_STOPS & SIGBIT(sig)) {
		p->p_siglist &= ~SIGBIT(SIGCONT);
		TAILQ_FOREACH(t, &p->p_threads, td_plist)
			t->td_siglist &= ~SIGBIT(SIGCONT);
	}
	if (sig_ignored(p, sig))
		return;
	if (sig == SIGKILL) {
		p->p_xstat = W_EXITCODE(0, SIGKILL);
		atomic_set_int(&p->p_flag, P_EXITING);
		TAILQ_FOREACH(t, &p->p_threads, td_plist)
			thread_interrupt(t, TDA_EXIT);
		return;
	}
	if (td != NULL) {
		td->td_siglist |= SIGBIT(sig);
		if ((td->td_sigmask & SIGBIT(sig)) == 0)
			thread_interrupt(td, TDA_SIGNAL);
		return;
	}
	p->p_siglist |= SIGBIT(sig);
	TAILQ_FOREACH(t, &p->p_threads, td_plist) {
		if ((t->td_sigmask & SIGBIT(sig)) == 0) {
			thread_interrupt(t, TDA_SIGNAL);
			break;
		}
	}
}

int
kern_psignal(struct proc *p, int sig)
{
	if (!sig_valid(sig))
		return (EINVAL);
	mtx_lock_spin(p->p_spin_ptr);
	sig_post_locked(p, NULL, sig);
	mtx_unlock_spin(p->p_spin_ptr);
	return (0);
}

int
kern_tdsignal(struct thread *td, int sig)
{
	struct proc *p = td->td_proc;

	if (!sig_valid(sig))
		return (EINVAL);
	mtx_lock_spin(p->p_spin_ptr);
	sig_post_locked(p, td, sig);
	mtx_unlock_spin(p->p_spin_ptr);
	return (0);
}

int
kern_tdsignal_tkill(struct thread *td, int sig, pid_t sender)
{
	struct proc *p = td->td_proc;

	if (!sig_valid(sig))
		return (EINVAL);
	mtx_lock_spin(p->p_spin_ptr);
	sig_post_locked(p, td, sig);
	/* glibc's SIGCANCEL handler acts only on its own process's tkill. */
	if ((td->td_siglist & SIGBIT(sig)) != 0) {
		td->td_sitkill |= SIGBIT(sig);
		td->td_sitkill_pid[sig - 1] = sender;
	}
	mtx_unlock_spin(p->p_spin_ptr);
	return (0);
}

void
pgsignal(struct pgrp *pg, int sig)
{
	struct proc *p;

	mtx_assert(&proctree_mtx, MA_OWNED);
	if (pg == NULL)
		return;
	LIST_FOREACH(p, &pg->pg_members, p_pglist) {
		if (p->p_state == PRS_NORMAL)
			kern_psignal(p, sig);
	}
}

void
sigexit(struct thread *td, int sig)
{
	exit1(td, W_EXITCODE(0, sig));
}

void
trapsignal(struct thread *td, int sig, int code, uint64_t addr)
{
	struct proc *p = td->td_proc;
	uint64_t h;
	bool fatal;

	mtx_lock_spin(p->p_spin_ptr);
	h = p->p_sigacts[sig - 1].ksa_handler;
	/* A fault that is blocked or not handled cannot be retried: it kills. */
	fatal = (td->td_sigmask & SIGBIT(sig)) != 0 ||
	    h == (uint64_t)(uintptr_t)SIG_DFL || h == (uint64_t)(uintptr_t)SIG_IGN;
	if (!fatal) {
		td->td_siglist |= SIGBIT(sig);
		td->td_sicode = code;
		td->td_siaddr = addr;
		td->td_sifault = sig;
		atomic_set_int(&td->td_ast, TDA_SIGNAL);
	}
	mtx_unlock_spin(p->p_spin_ptr);
	if (fatal)
		sigexit(td, sig);
}

/*
 * Sleeps while p is stopped (a thread on its way to user mode), until
 * SIGCONT or the process's end; other signals stay pending meanwhile.
 */
void
thread_stopped_wait(struct thread *td)
{
	struct proc *p = td->td_proc;

	mtx_lock_spin(p->p_spin_ptr);
	while ((p->p_flag & (P_STOPPED | P_EXITING)) == P_STOPPED &&
	    (td->td_ast & TDA_EXIT) == 0) {
		atomic_clear_int(&td->td_ast, TDA_SIGNAL);
		msleep_sig(&p->p_stopsig, p->p_spin_ptr, "stopped", 0);
	}
	mtx_unlock_spin(p->p_spin_ptr);
}

/* The default action of a stop signal: stop p and tell the parent. */
static void
proc_stop(struct thread *td, int sig)
{
	struct proc *p = td->td_proc, *parent;
	bool chld;

	/*
	 * The stop becomes visible to wait4 (which scans under the tree
	 * lock) only together with the parent's SIGCHLD: a parent that
	 * finds the child stopped has the signal pending on its way out.
	 */
	proctree_lock();
	mtx_lock_spin(p->p_spin_ptr);
	if (p->p_flag & P_EXITING) {
		mtx_unlock_spin(p->p_spin_ptr);
		proctree_unlock();
		return;
	}
	p->p_stopsig = sig;
	atomic_clear_int(&p->p_flag, P_WAITCONT);
	atomic_set_int(&p->p_flag, P_STOPPED | P_WAITSTOP);
	mtx_unlock_spin(p->p_spin_ptr);
	if ((parent = p->p_pptr) != NULL) {
		mtx_lock_spin(parent->p_spin_ptr);
		chld = (parent->p_sigacts[SIGCHLD - 1].ksa_flags &
		    SA_NOCLDSTOP) == 0;
		mtx_unlock_spin(parent->p_spin_ptr);
		if (chld)
			kern_psignal(parent, SIGCHLD);
		wakeup(parent);
	}
	proctree_unlock();
	thread_stopped_wait(td);
}

void
postsig(struct thread *td, struct trapframe *tf)
{
	struct proc *p = td->td_proc;
	struct ksigaction ka;
	ksigset_t pend;
	int sig;

	/*
	 * The common case, nothing pending, mask not to restore, no call to
	 * restart, without the lock (every system call returns through
	 * here).  The words are aligned and the mask is the thread's own; a
	 * signal posted after these loads sets td_ast (thread_interrupt),
	 * which userret looks at again with interrupts off.
	 */
	if (((__atomic_load_n(&p->p_siglist, __ATOMIC_RELAXED) |
	    __atomic_load_n(&td->td_siglist, __ATOMIC_RELAXED)) &
	    ~td->td_sigmask) == 0 && !td->td_has_oldmask &&
	    td->td_sysrestart == 0)
		return;
	for (;;) {
		mtx_lock_spin(p->p_spin_ptr);
		pend = (p->p_siglist | td->td_siglist) & ~td->td_sigmask;
		if (pend == 0) {
			/* sigsuspend woke for nothing deliverable: mask back. */
			if (td->td_has_oldmask) {
				td->td_sigmask = td->td_oldmask;
				td->td_has_oldmask = false;
			}
			mtx_unlock_spin(p->p_spin_ptr);
			/* No handler ran: the interrupted call goes on (Linux too). */
			if (td->td_sysrestart != 0) {
				cpu_syscall_restart(tf, td->td_sysrestart - 1);
				td->td_sysrestart = 0;
			}
			return;
		}
		sig = __builtin_ctzll(pend) + 1;
		td->td_sicur_code = SI_USER;
		td->td_sicur_pid = 0;
		if (td->td_siglist & SIGBIT(sig)) {
			td->td_siglist &= ~SIGBIT(sig);
			if (td->td_sitkill & SIGBIT(sig)) {
				td->td_sicur_code = SI_TKILL;
				td->td_sicur_pid = td->td_sitkill_pid[sig - 1];
			}
		} else
			p->p_siglist &= ~SIGBIT(sig);
		td->td_sitkill &= ~SIGBIT(sig);
		ka = p->p_sigacts[sig - 1];
		if (ka.ksa_handler != (uint64_t)(uintptr_t)SIG_DFL &&
		    ka.ksa_handler != (uint64_t)(uintptr_t)SIG_IGN &&
		    (ka.ksa_flags & SA_RESETHAND))
			p->p_sigacts[sig - 1].ksa_handler =
			    (uint64_t)(uintptr_t)SIG_DFL;
		mtx_unlock_spin(p->p_spin_ptr);

		if (ka.ksa_handler == (uint64_t)(uintptr_t)SIG_IGN)
			continue;
		if (ka.ksa_handler == (uint64_t)(uintptr_t)SIG_DFL) {
			if (SIG_DFL_IGNORE & SIGBIT(sig))
				continue;
			if (SIG_STOPS & SIGBIT(sig)) {
				proc_stop(td, sig);
				continue;
			}
			sigexit(td, sig);
		}
		/* An interrupted call: again after the handler, or EINTR. */
		if (td->td_sysrestart != 0) {
			if (ka.ksa_flags & SA_RESTART)
				cpu_syscall_restart(tf, td->td_sysrestart - 1);
			td->td_sysrestart = 0;
		}
		/* sigsuspend: the handler's frame carries the mask to restore. */
		if (td->td_has_oldmask) {
			ksigset_t cur = td->td_sigmask;

			td->td_sigmask = td->td_oldmask;
			td->td_has_oldmask = false;
			if (sendsig(td, tf, sig, &ka) != 0)
				sigexit(td, SIGSEGV);
			td->td_sigmask = cur;
		} else if (sendsig(td, tf, sig, &ka) != 0)
			sigexit(td, SIGSEGV);	/* no room for the frame */
		td->td_sifault = 0;
		/* The handler runs with its mask (and sig unless SA_NODEFER). */
		td->td_sigmask |= ka.ksa_mask & ~SIG_CANTMASK;
		if ((ka.ksa_flags & SA_NODEFER) == 0)
			td->td_sigmask |= SIGBIT(sig);
		return;
	}
}
