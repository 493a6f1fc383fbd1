/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linux process and thread identity, exit, TLS and limits: what glibc's
 * start-up and exit need (getpid, gettid, set_tid_address, arch_prctl,
 * uname, prlimit64, exit, exit_group, ...).  Credentials are root's: there
 * is no user database yet.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/pcb.h>
#include <machine/pmap.h>

#include <asm/prctl.h>
#include <asm/unistd_64.h>
#include <linux/prctl.h>
#include <linux/resource.h>
#include <linux/utsname.h>

#include <compat/linux/linux_syscall.h>

#include "../../kern/kern_proc_priv.h"

LINUX_SYSCALL(__NR_getpid, getpid);
int
linux_sys_getpid(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	*rv = td->td_proc->p_pid;
	return (0);
}

LINUX_SYSCALL(__NR_getppid, getppid);
int
linux_sys_getppid(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	/*
	 * No lock: one aligned word, stored atomically under the proctree
	 * lock when the parent exits; either pid is a right answer then.
	 */
	*rv = __atomic_load_n(&td->td_proc->p_ppid, __ATOMIC_RELAXED);
	return (0);
}

LINUX_SYSCALL(__NR_gettid, gettid);
int
linux_sys_gettid(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	*rv = td->td_utid;
	return (0);
}

/* The real, effective and saved ids: root's, each copied out (EFAULT). */
static int
linux_getres(const uint64_t args[6])
{
	uint32_t id = 0;
	int error = 0;

	for (int i = 0; i < 3 && error == 0; i++)
		error = copyout(&id, (void *)args[i], sizeof(id));
	return (error);
}

LINUX_SYSCALL(__NR_getresuid, getresuid);
int
linux_sys_getresuid(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_getres(args));
}

LINUX_SYSCALL(__NR_getresgid, getresgid);
int
linux_sys_getresgid(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_getres(args));
}

/* No supplementary groups: nothing to copy, whatever the buffer. */
LINUX_SYSCALL(__NR_getgroups, getgroups);
int
linux_sys_getgroups(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	if ((int32_t)args[0] < 0)
		return (EINVAL);
	*rv = 0;
	return (0);
}

LINUX_SYSCALL(__NR_getuid, getuid);
/* getuid, geteuid, getgid, getegid: root. */
int
linux_sys_getuid(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	*rv = 0;
	return (0);
}

LINUX_SYSCALL(__NR_geteuid, geteuid);
int
linux_sys_geteuid(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	*rv = 0;
	return (0);
}

LINUX_SYSCALL(__NR_getgid, getgid);
int
linux_sys_getgid(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	*rv = 0;
	return (0);
}

LINUX_SYSCALL(__NR_getegid, getegid);
int
linux_sys_getegid(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	*rv = 0;
	return (0);
}

LINUX_SYSCALL(__NR_exit, exit);
int
linux_sys_exit(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct proc *p = td->td_proc;

	/* The last thread's exit is the process's. */
	mtx_lock_spin(p->p_spin_ptr);
	if ((p->p_flag & P_EXITING) == 0)
		p->p_xstat = W_EXITCODE((int)(args[0] & 0xff), 0);
	mtx_unlock_spin(p->p_spin_ptr);
	uthread_exit(td);
}

LINUX_SYSCALL(__NR_exit_group, exit_group);
int
linux_sys_exit_group(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	exit1(td, W_EXITCODE((int)(args[0] & 0xff), 0));
}

LINUX_SYSCALL(__NR_set_tid_address, set_tid_address);
int
linux_sys_set_tid_address(struct thread *td, const uint64_t args[6],
    int64_t *rv)
{
	td->td_clear_tid = args[0];
	*rv = td->td_utid;
	return (0);
}

LINUX_SYSCALL(__NR_arch_prctl, arch_prctl);
int
linux_sys_arch_prctl(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	switch (args[0]) {
	case ARCH_SET_FS:
		/* A non-canonical base would fault in the kernel at wrmsr. */
		if (args[1] >= VM_MAXUSER_ADDRESS)
			return (EPERM);
		cpu_set_fsbase(td, args[1]);
		return (0);
	case ARCH_GET_FS:
		return (copyout(&td->td_fsbase, (void *)args[1],
		    sizeof(td->td_fsbase)));
	default:
		return (EINVAL);
	}
}

LINUX_SYSCALL(__NR_uname, uname);
int
linux_sys_uname(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Linux", sizeof(u.sysname));
	strlcpy(u.nodename, "localhost", sizeof(u.nodename));
	/* glibc refuses to start on kernels older than it was built for. */
	strlcpy(u.release, "6.1.0-bsdref", sizeof(u.release));
	strlcpy(u.version, "#1 XenBSD-ref", sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return (copyout(&u, (void *)args[0], sizeof(u)));
}

LINUX_SYSCALL(__NR_prlimit64, prlimit64);
int
linux_sys_prlimit64(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct proc *p = td->td_proc;
	struct rlimit64 nl = { 0, 0 }, ol;
	uint64_t res = args[1];
	int error;

	if (args[0] != 0 && args[0] != (uint64_t)p->p_pid)
		return (ESRCH);		/* only our own, for now */
	if (res >= PROC_NLIMITS)
		return (EINVAL);
	if (args[2] != 0) {
		if ((error = copyin((void *)args[2], &nl, sizeof(nl))) != 0)
			return (error);
		if (nl.rlim_cur > nl.rlim_max)
			return (EINVAL);
	}
	PROC_LOCK(p);
	ol.rlim_cur = p->p_limit.pl_cur[res];
	ol.rlim_max = p->p_limit.pl_max[res];
	if (args[2] != 0) {
		/* Root may raise the hard limit; nobody else exists yet. */
		p->p_limit.pl_cur[res] = nl.rlim_cur;
		p->p_limit.pl_max[res] = nl.rlim_max;
	}
	PROC_UNLOCK(p);
	if (args[3] != 0)
		return (copyout(&ol, (void *)args[3], sizeof(ol)));
	return (0);
}

LINUX_SYSCALL(__NR_getrlimit, getrlimit);
int
linux_sys_getrlimit(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	uint64_t a[6] = { 0, args[0], 0, args[1], 0, 0 };

	/* Here the pointer is required: NULL is a bad one, not "none". */
	if (args[1] == 0)
		return (EFAULT);
	return (linux_sys_prlimit64(td, a, rv));
}

LINUX_SYSCALL(__NR_setrlimit, setrlimit);
int
linux_sys_setrlimit(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	uint64_t a[6] = { 0, args[0], args[1], 0, 0, 0 };

	if (args[1] == 0)
		return (EFAULT);
	return (linux_sys_prlimit64(td, a, rv));
}

LINUX_SYSCALL(__NR_sched_yield, sched_yield);
int
linux_sys_sched_yield(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	kern_yield();
	return (0);
}

/* prctl: the thread's name and a few flags busybox and glibc touch. */
LINUX_SYSCALL(__NR_prctl, prctl);
int
linux_sys_prctl(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	char name[16];
	int error;

	switch (args[0]) {
	case PR_SET_NAME:
		if ((error = copyinstr((void *)args[1], name, sizeof(name),
		    NULL)) == ENAMETOOLONG) {
			/* Linux cuts the name at 15 bytes. */
			if ((error = copyin((void *)args[1], name,
			    sizeof(name) - 1)) != 0)
				return (error);
			name[sizeof(name) - 1] = '\0';
		} else if (error != 0)
			return (error);
		strlcpy(td->td_name, name, sizeof(td->td_name));
		return (0);
	case PR_GET_NAME:
		memset(name, 0, sizeof(name));
		strlcpy(name, td->td_name, sizeof(name));
		return (copyout(name, (void *)args[1], sizeof(name)));
	case PR_SET_PDEATHSIG:
	case PR_SET_DUMPABLE:
		return (0);
	case PR_GET_DUMPABLE:
		*rv = 1;
		return (0);
	default:
		return (EINVAL);
	}
}
