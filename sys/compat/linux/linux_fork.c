/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linux process calls: clone, fork, vfork, execve, wait4, waitid, and the
 * process group and session calls a shell's job control uses.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/imgact_elf.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/atomic.h>
#include <machine/frame.h>
#include <machine/pmap.h>

#include <asm/unistd_64.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include <linux/wait.h>
#include <asm/siginfo.h>

#include <compat/linux/linux_syscall.h>

#include "../../kern/kern_fork_priv.h"

#include "../../kern/kern_proc_priv.h"

MALLOC_DEFINE(M_LEXEC, "linuxexec", "execve arguments");

#pragma weak fdcloseexec

/* What a thread needs to share everything; other mixes are refused. */
#define CLONE_THREAD_SET	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
	CLONE_THREAD)
#define CLONE_KNOWN	(CSIGNAL | CLONE_THREAD_SET | CLONE_SYSVSEM | CLONE_SETTLS | \
	CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | \
	CLONE_VFORK | CLONE_DETACHED)

static int
clone_common(struct thread *td, uint64_t flags, uint64_t stack, uint64_t ptid,
    uint64_t ctid, uint64_t tls, int64_t *rv)
{
	struct fork_args fa;
	pid_t pid;
	int error;

	if (flags & ~(uint64_t)CLONE_KNOWN)
		return (EINVAL);
	memset(&fa, 0, sizeof(fa));
	if (flags & CLONE_THREAD) {
		if ((flags & CLONE_THREAD_SET) != CLONE_THREAD_SET)
			return (EINVAL);
		fa.fa_flags |= FORK_THREAD;
	} else if (flags & (CLONE_VM | CLONE_SIGHAND)) {
		/* A process sharing memory (posix_spawn's vfork): not yet. */
		if ((flags & CLONE_VM) && (flags & CLONE_VFORK) == 0)
			return (EINVAL);
	}
	if (flags & CLONE_FILES)
		fa.fa_flags |= FORK_FILES;
	if (flags & CLONE_SETTLS) {
		if (tls >= VM_MAXUSER_ADDRESS)
			return (EPERM);
		fa.fa_flags |= FORK_SETTLS;
	}
	if (flags & CLONE_PARENT_SETTID)
		fa.fa_flags |= FORK_PARENT_SETTID;
	if (flags & CLONE_CHILD_SETTID)
		fa.fa_flags |= FORK_CHILD_SETTID;
	if (flags & CLONE_CHILD_CLEARTID)
		fa.fa_flags |= FORK_CHILD_CLEARTID;
	fa.fa_exitsig = (int)(flags & CSIGNAL);
	fa.fa_stack = stack;
	fa.fa_tls = tls;
	fa.fa_parent_tid = ptid;
	fa.fa_child_tid = ctid;
	/*
	 * vfork with a shared address space becomes a copy: the child may
	 * only exec or exit, which a copy serves as well.
	 */
	if ((flags & (CLONE_VM | CLONE_VFORK)) == (CLONE_VM | CLONE_VFORK))
		fa.fa_stack = stack;
	if ((error = fork1(td, &fa, &pid)) != 0)
		return (error);
	*rv = pid;
	return (0);
}

/* clone(flags, stack, parent_tid, child_tid, tls): x86-64's order. */
LINUX_SYSCALL(__NR_clone, clone);
int
linux_sys_clone(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (clone_common(td, args[0], args[1], args[2], args[3], args[4],
	    rv));
}

LINUX_SYSCALL(__NR_fork, fork);
int
linux_sys_fork(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (clone_common(td, SIGCHLD, 0, 0, 0, 0, rv));
}

LINUX_SYSCALL(__NR_vfork, vfork);
int
linux_sys_vfork(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (clone_common(td, SIGCHLD, 0, 0, 0, 0, rv));
}

/* Whether child c matches wait's (idtype, id); proctree locked. */
static bool
wait_match(struct proc *parent, struct proc *c, int idtype, pid_t id)
{
	switch (idtype) {
	case P_ALL:
		return (true);
	case P_PID:
		return (c->p_pid == id);
	case P_PGID:
		return (c->p_pgrp != NULL && c->p_pgrp->pg_id ==
		    (id == 0 ? parent->p_pgrp->pg_id : id));
	default:
		return (false);
	}
}

/*
 * Waits for a child to exit (or, with WUNTRACED/WSTOPPED and WCONTINUED,
 * to stop or continue): 0 with *pidp = 0 (WNOHANG, none yet), or its pid
 * and wait status (an exited child freed unless WNOWAIT); ECHILD when
 * nothing matches.
 */
static int
kern_wait(struct thread *td, int idtype, pid_t id, int options, pid_t *pidp,
    int *statusp)
{
	struct proc *p = td->td_proc, *c;
	bool found, interrupted = false;

	proctree_lock();
	for (;;) {
		found = false;
		LIST_FOREACH(c, &p->p_children, p_sibling) {
			if (!wait_match(p, c, idtype, id))
				continue;
			found = true;
			if (c->p_state == PRS_ZOMBIE && (options & WEXITED))
				break;
			if (c->p_state != PRS_NORMAL)
				continue;
			if ((options & WUNTRACED) && (c->p_flag & P_WAITSTOP)) {
				*statusp = W_STOPCODE(c->p_stopsig);
				if ((options & WNOWAIT) == 0)
					atomic_clear_int(&c->p_flag, P_WAITSTOP);
				goto report;
			}
			if ((options & WCONTINUED) && (c->p_flag & P_WAITCONT)) {
				*statusp = W_CONTINUED;
				if ((options & WNOWAIT) == 0)
					atomic_clear_int(&c->p_flag, P_WAITCONT);
				goto report;
			}
		}
		if (c != NULL) {
			*pidp = c->p_pid;
			*statusp = c->p_xstat;
			if ((options & WNOWAIT) == 0)
				proc_free_locked(c);
			proctree_unlock();
			return (0);
		}
		if (!found) {
			proctree_unlock();
			return (ECHILD);
		}
		if (options & WNOHANG) {
			proctree_unlock();
			*pidp = 0;
			return (0);
		}
		/* A signal ends the wait, but what came with it is reported. */
		if (interrupted) {
			proctree_unlock();
			return (EINTR);
		}
		interrupted = msleep_sig(p, &proctree_mtx, "wait", 0) != 0;
	}
report:
	*pidp = c->p_pid;
	proctree_unlock();
	return (0);
}

LINUX_SYSCALL(__NR_wait4, wait4);
int
linux_sys_wait4(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	pid_t pid = (pid_t)args[0], cpid;
	int idtype, st = 0, error;
	int options = (int)args[2];

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE |
	    __WNOTHREAD))
		return (EINVAL);
	if (pid == -1)
		idtype = P_ALL;
	else if (pid <= 0)
		idtype = P_PGID;
	else
		idtype = P_PID;
	error = kern_wait(td, idtype, pid < -1 ? -pid : pid, WEXITED | (options &
	    (WNOHANG | WUNTRACED | WCONTINUED)), &cpid, &st);
	if (error != 0)
		return (error);
	if (cpid != 0 && args[1] != 0 &&
	    (error = copyout(&st, (void *)args[1], sizeof(st))) != 0)
		return (error);
	if (args[3] != 0) {
		struct rusage ru;

		memset(&ru, 0, sizeof(ru));
		if ((error = copyout(&ru, (void *)args[3], sizeof(ru))) != 0)
			return (error);
	}
	*rv = cpid;
	return (0);
}

LINUX_SYSCALL(__NR_waitid, waitid);
int
linux_sys_waitid(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	int idtype = (int)args[0], options = (int)args[3], st = 0, error;
	pid_t cpid;
	siginfo_t si;

	if ((options & (WEXITED | WSTOPPED | WCONTINUED)) == 0 ||
	    idtype < P_ALL || idtype > P_PGID)
		return (EINVAL);
	/* WSTOPPED is WUNTRACED. */
	error = kern_wait(td, idtype, (pid_t)args[1], options &
	    (WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED), &cpid, &st);
	if (error != 0)
		return (error);
	memset(&si, 0, sizeof(si));
	if (cpid != 0) {
		si.si_signo = SIGCHLD;
		si.si_pid = cpid;
		if (st == W_CONTINUED) {
			si.si_code = CLD_CONTINUED;
			si.si_status = SIGCONT;
		} else if ((st & 0xff) == 0x7f) {
			si.si_code = CLD_STOPPED;
			si.si_status = (st >> 8) & 0xff;
		} else if (W_TERMSIG(st) != 0) {
			si.si_code = CLD_KILLED;
			si.si_status = W_TERMSIG(st);
		} else {
			si.si_code = CLD_EXITED;
			si.si_status = W_EXITSTATUS(st);
		}
	}
	if (args[2] != 0)
		return (copyout(&si, (void *)args[2], sizeof(si)));
	return (0);
}

#define EXEC_PATH_MAX	1024
#define EXEC_STR_MAX	(128 * 1024)
#define EXEC_NSTR_MAX	4096
#define EXEC_TOTAL_MAX	(256 * 1024)

/* Copies a NULL-terminated user array of strings into a kernel vector. */
static int
copyin_strv(uint64_t uvec, char ***vp, size_t *budget)
{
	char **v;
	uint64_t up;
	size_t n = 0, done;
	int error = 0;

	v = malloc((EXEC_NSTR_MAX + 1) * sizeof(char *), M_LEXEC,
	    M_WAITOK | M_ZERO);
	if (v == NULL)
		return (ENOMEM);
	*vp = v;
	if (uvec == 0)
		return (0);
	for (;;) {
		if ((error = copyin((void *)(uvec + n * 8), &up, 8)) != 0)
			return (error);
		if (up == 0)
			return (0);
		if (n == EXEC_NSTR_MAX)
			return (E2BIG);
		v[n] = malloc(MIN(*budget, (size_t)EXEC_STR_MAX) + 1, M_LEXEC,
		    M_WAITOK);
		if (v[n] == NULL)
			return (ENOMEM);
		error = copyinstr((void *)up, v[n], MIN(*budget,
		    (size_t)EXEC_STR_MAX), &done);
		n++;
		if (error == ENAMETOOLONG)
			return (E2BIG);
		if (error != 0)
			return (error);
		*budget -= done;
	}
}

static void
free_strv(char **v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i], M_LEXEC);
	free(v, M_LEXEC);
}

/* Ends every other thread of td's process and waits for them to go. */
static int
single_thread(struct thread *td)
{
	struct proc *p = td->td_proc;
	struct thread *t;

	mtx_lock_spin(p->p_spin_ptr);
	TAILQ_FOREACH(t, &p->p_threads, td_plist) {
		if (t != td)
			thread_interrupt(t, TDA_EXIT);
	}
	while (p->p_numthreads > 1) {
		if (p->p_flag & P_EXITING) {
			mtx_unlock_spin(p->p_spin_ptr);
			return (EINTR);	/* exit_group or SIGKILL won */
		}
		msleep(&p->p_numthreads, p->p_spin_ptr, "execsingle",
		    10 * SBT_1MS);
	}
	mtx_unlock_spin(p->p_spin_ptr);
	td->td_utid = p->p_pid;
	return (0);
}

/* The VFS's, when it is linked in (the file table is opaque here). */
int	kern_getcwd(struct filedesc *fdp, char *buf, size_t buflen);
#pragma weak kern_getcwd

/*
 * /proc/<pid>/exe after execve of a relative path: the working directory
 * in front (not canonical: "." and ".." stay, as they do not for Linux).
 */
static void
exec_exe_absolute(struct proc *p, const char *path)
{
	size_t len = EXEC_PATH_MAX * 2, n;
	char *abs;

	if (kern_getcwd == NULL || p->p_fd == NULL)
		return;
	abs = malloc(len, M_LEXEC, M_WAITOK);
	if (abs == NULL)
		return;
	if (kern_getcwd(p->p_fd, abs, EXEC_PATH_MAX) == 0) {
		n = strlen(abs);
		snprintf(abs + n, len - n, "%s%s", n > 1 ? "/" : "",
		    path[0] == '.' && path[1] == '/' ? path + 2 : path);
		proc_set_exe(p, abs);
	}
	free(abs, M_LEXEC);
}

LINUX_SYSCALL(__NR_execve, execve);
int
linux_sys_execve(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct proc *p = td->td_proc;
	struct exec_image img;
	char *path, **argv = NULL, **envp = NULL;
	size_t budget = EXEC_TOTAL_MAX;
	int error;

	path = malloc(EXEC_PATH_MAX, M_LEXEC, M_WAITOK);
	if (path == NULL)
		return (ENOMEM);
	if ((error = copyinstr((void *)args[0], path, EXEC_PATH_MAX, NULL)) != 0 ||
	    (error = copyin_strv(args[1], &argv, &budget)) != 0 ||
	    (error = copyin_strv(args[2], &envp, &budget)) != 0)
		goto out;
	if (exec_file_open == NULL) {
		error = ENOENT;
		goto out;
	}
	if ((error = exec_file_open(td, path, &img)) != 0)
		goto out;
	/*
	 * The other threads end first and the caller carries on as the
	 * process's only thread, with the process's id, as on Linux.  (Linux
	 * does it once the new image is known to load; here a load that
	 * fails after it leaves the caller alone in the old image.)
	 */
	if (p->p_numthreads > 1 && (error = single_thread(td)) != 0) {
		if (exec_file_close != NULL)
			exec_file_close(&img);
		goto out;
	}
	img.ei_path = path;
	error = exec_image_activate(p, td, &img, argv, envp);
	if (exec_file_close != NULL)
		exec_file_close(&img);
	if (error != 0)
		goto out;
	/* Handlers do not survive the old image; ignored signals stay so. */
	mtx_lock_spin(p->p_spin_ptr);
	for (int i = 0; i < PROC_NSIG; i++) {
		if (p->p_sigacts[i].ksa_handler != (uint64_t)(uintptr_t)SIG_IGN)
			memset(&p->p_sigacts[i], 0, sizeof(p->p_sigacts[i]));
	}
	memset(p->p_sigaltstack, 0, sizeof(p->p_sigaltstack));
	atomic_set_int(&p->p_flag, P_EXECED);
	mtx_unlock_spin(p->p_spin_ptr);
	td->td_clear_tid = 0;
	td->td_robust_head = 0;		/* the new image registers its own */
	/*
	 * A relative path left no name (a script's absolute interpreter
	 * did, and stays).
	 */
	if (path[0] != '/' && p->p_exe == NULL)
		exec_exe_absolute(p, path);
	if (p->p_fd != NULL && fdcloseexec != NULL)
		fdcloseexec(p->p_fd);
	error = EJUSTRETURN;
out:
	free_strv(argv);
	free_strv(envp);
	free(path, M_LEXEC);
	return (error);
}

LINUX_SYSCALL(__NR_getpgid, getpgid);
int
linux_sys_getpgid(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct proc *p;
	int error = 0;

	proctree_lock();
	p = args[0] == 0 ? td->td_proc : pfind_locked((pid_t)args[0]);
	if (p == NULL)
		error = ESRCH;
	else
		*rv = p->p_pgrp->pg_id;
	proctree_unlock();
	return (error);
}

LINUX_SYSCALL(__NR_getpgrp, getpgrp);
int
linux_sys_getpgrp(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	uint64_t a[6] = { 0 };

	return (linux_sys_getpgid(td, a, rv));
}

LINUX_SYSCALL(__NR_getsid, getsid);
int
linux_sys_getsid(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct proc *p;
	int error = 0;

	proctree_lock();
	p = args[0] == 0 ? td->td_proc : pfind_locked((pid_t)args[0]);
	if (p == NULL)
		error = ESRCH;
	else
		*rv = p->p_pgrp->pg_session->s_sid;
	proctree_unlock();
	return (error);
}

LINUX_SYSCALL(__NR_setsid, setsid);
int
linux_sys_setsid(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct proc *p = td->td_proc;
	int error;

	proctree_lock();
	/* A group leader cannot start a session (its group would split). */
	if (pgfind(p->p_pid) != NULL)
		error = EPERM;
	else
		error = pgrp_create_locked(p, p->p_pid, NULL, NULL);
	if (error == 0)
		*rv = p->p_pid;
	proctree_unlock();
	return (error);
}

/* setpgid(pid, pgid): ourselves or a child, within our session. */
LINUX_SYSCALL(__NR_setpgid, setpgid);
int
linux_sys_setpgid(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct proc *self = td->td_proc, *p;
	pid_t pid = (pid_t)args[0], pgid = (pid_t)args[1];
	struct pgrp *pg;
	int error = 0;

	if (pgid < 0)
		return (EINVAL);
	proctree_lock();
	p = pid == 0 ? self : pfind_locked(pid);
	if (p == NULL || (p != self && p->p_pptr != self)) {
		error = ESRCH;
		goto out;
	}
	if (p->p_pgrp->pg_session->s_leader == p) {
		error = EPERM;
		goto out;
	}
	if (pgid == 0)
		pgid = p->p_pid;
	pg = pgfind(pgid);
	if (pg == NULL) {
		if (pgid != p->p_pid)
			error = EPERM;
		else
			error = pgrp_create_locked(p, pgid,
			    p->p_pgrp->pg_session, NULL);
	} else if (pg->pg_session != p->p_pgrp->pg_session) {
		error = EPERM;
	} else {
		pgrp_enter_locked(p, pg);
	}
out:
	proctree_unlock();
	return (error);
}
