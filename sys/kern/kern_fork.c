/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * New processes and threads from a running one (Linux clone, fork,
 * vfork).  A new process gets a copy of the address space (resident
 * private pages shared copy-on-write), of the signal actions and
 * limits, and the file table copied or shared; a new thread shares all of
 * its process.  The child's registers are the parent's at the system
 * call, with %rax = 0, on a stack and TLS of its own when asked.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/frame.h>
#include <machine/pcb.h>

#include <vm/vm_map.h>

#include "kern_proc_priv.h"
#include "kern_fork_priv.h"

/* Until the VFS is linked in there is no file table to copy. */
#pragma weak fdcopy
#pragma weak fdshare
#pragma weak fdfree

/* A user thread like td (the caller, at its system call) in p. */
static int
thread_clone(struct thread *td, struct proc *p, const struct fork_args *fa,
    struct thread **ntdp)
{
	struct thread *ntd;
	int error;

	if ((error = uthread_create(p, &ntd)) != 0)
		return (error);
	*ntd->td_frame = *td->td_frame;
	ntd->td_frame->tf_rax = 0;
	if (fa->fa_stack != 0)
		ntd->td_frame->tf_rsp = fa->fa_stack;
	fpu_save(td);
	memcpy(ntd->td_fpusave, td->td_fpusave, 512);
	ntd->td_fsbase = (fa->fa_flags & FORK_SETTLS) ? fa->fa_tls :
	    td->td_fsbase;
	ntd->td_sigmask = td->td_sigmask;
	ntd->td_clear_tid = (fa->fa_flags & FORK_CHILD_CLEARTID) ?
	    fa->fa_child_tid : 0;
	*ntdp = ntd;
	return (0);
}

int
fork1(struct thread *td, const struct fork_args *fa, pid_t *pidp)
{
	struct proc *p = td->td_proc, *np;
	struct thread *ntd;
	pid_t tid;
	int error;

	if (fa->fa_flags & FORK_THREAD) {
		/* A thread of p: its id comes from the pid space. */
		proctree_lock();
		tid = pid_alloc_locked();
		proctree_unlock();
		if (tid == 0)
			return (EAGAIN);
		if ((error = thread_clone(td, p, fa, &ntd)) != 0)
			return (error);
		ntd->td_utid = tid;
		*pidp = tid;
		goto run;
	}

	if ((error = proc_create(p, p->p_comm, &np)) != 0)
		return (error);
	np->p_exitsig = fa->fa_exitsig;
	proc_set_exe(np, p->p_exe);	/* unlocked read: only p's execve writes it */
	memcpy(np->p_sigaltstack, p->p_sigaltstack, sizeof(np->p_sigaltstack));
	np->p_vmspace = vmspace_fork(p->p_vmspace);
	if (np->p_vmspace == NULL) {
		error = ENOMEM;
		goto fail;
	}
	if (p->p_fd != NULL) {
		if ((fa->fa_flags & FORK_FILES) && fdshare != NULL)
			np->p_fd = fdshare(p->p_fd);
		else if (fdcopy != NULL)
			np->p_fd = fdcopy(p->p_fd);
	}
	if ((error = thread_clone(td, np, fa, &ntd)) != 0)
		goto fail;
	ntd->td_utid = np->p_pid;
	*pidp = np->p_pid;
	proctree_lock();
	np->p_state = PRS_NORMAL;
	proctree_unlock();
run:
	if (fa->fa_flags & FORK_PARENT_SETTID)
		(void)copyout(pidp, (void *)fa->fa_parent_tid, sizeof(pid_t));
	/* The child's own view (a new process) or the shared one (a thread). */
	if (fa->fa_flags & FORK_CHILD_SETTID) {
		if (fa->fa_flags & FORK_THREAD)
			(void)copyout(pidp, (void *)fa->fa_child_tid,
			    sizeof(pid_t));
		else
			(void)vm_copyout_space(ntd->td_proc->p_vmspace, pidp,
			    fa->fa_child_tid, sizeof(pid_t));
	}
	uthread_run(ntd);
	return (0);
fail:
	if (np->p_vmspace != NULL) {
		vmspace_free(np->p_vmspace);
		np->p_vmspace = NULL;
	}
	if (np->p_fd != NULL && fdfree != NULL)
		fdfree(np->p_fd);
	proctree_lock();
	proc_free_locked(np);
	proctree_unlock();
	return (error);
}
