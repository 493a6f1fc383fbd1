/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The system-call table, built at boot from every LINUX_SYSCALL() in the
 * image (linux_syscall.h).  Two regular handlers for one number is a
 * build mistake and panics at boot naming both; a fallback yields to a
 * regular handler.  Names come from <asm/unistd_64.h> (generated
 * linux_sysnames.h), for the once-per-call "not implemented" line and
 * the linux.trace=1 trace of every call.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/linker_set.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>

#include <compat/linux/linux_dispatch.h>
#include <compat/linux/linux_syscall.h>

#define LINUX_NSYSCALLS	512

static const char *const linux_sysnames[LINUX_NSYSCALLS] = {
#include <linux_sysnames.h>
};

SET_DECLARE(linux_syscall_set, struct linux_syscall_ent);

static const struct linux_syscall_ent *linux_sysent[LINUX_NSYSCALLS];
static volatile u_long	linux_enosys_logged[LINUX_NSYSCALLS / 64];
static volatile uint64_t linux_enosys_calls;
static int		linux_trace;
TUNABLE_INT("linux.trace", &linux_trace, "print every Linux system call");

static void
linux_sysent_init(void *arg __unused)
{
	struct linux_syscall_ent **ep;

	SET_FOREACH(ep, linux_syscall_set) {
		const struct linux_syscall_ent *e = *ep, *old;

		if (e->lse_nr < 0 || e->lse_nr >= LINUX_NSYSCALLS)
			panic("linux: system call %s has number %d", e->lse_name,
			    e->lse_nr);
		old = linux_sysent[e->lse_nr];
		if (old != NULL && !old->lse_fallback && !e->lse_fallback)
			panic("linux: system call %d registered twice: %s and %s",
			    e->lse_nr, old->lse_name, e->lse_name);
		if (old == NULL || (old->lse_fallback && !e->lse_fallback))
			linux_sysent[e->lse_nr] = e;
	}
}
SYSINIT(linux_sysent, SI_SUB_DRIVERS, SI_ORDER_FIRST, linux_sysent_init, NULL);

const char *
linux_syscall_name(int nr)
{
	if (nr < 0 || nr >= LINUX_NSYSCALLS)
		return (NULL);
	return (linux_sysnames[nr]);
}

uint64_t
linux_syscall_enosys_count(void)
{
	return (linux_enosys_calls);
}

static int
linux_enosys(struct thread *td, uint64_t nr)
{
	const char *name = linux_syscall_name((int)MIN(nr, (uint64_t)INT32_MAX));
	u_long bit;

	atomic_add_64(&linux_enosys_calls, 1);
	if (nr < LINUX_NSYSCALLS) {
		bit = 1UL << (nr % 64);
		if (__atomic_fetch_or(&linux_enosys_logged[nr / 64], bit,
		    __ATOMIC_RELAXED) & bit)
			return (ENOSYS);
	}
	printf("linux: %s (pid %d): system call %s (%lu) not implemented\n",
	    td->td_proc->p_comm, td->td_proc->p_pid, name != NULL ? name : "?",
	    nr);
	return (ENOSYS);
}

int
linux_syscall_dispatch(struct thread *td, uint64_t nr, const uint64_t args[6],
    int64_t *rv)
{
	const struct linux_syscall_ent *e;
	int error;

	e = nr < LINUX_NSYSCALLS ? linux_sysent[nr] : NULL;
	if (e == NULL)
		return (linux_enosys(td, nr));
	/*
	 * CPU time on the thread's behalf here is system time (getrusage).
	 * Cycles, converted when read: the clock (pvclock under Xen) twice
	 * a call was most of what getppid cost beyond the trap itself.  The
	 * switch charges and restarts the count around a sleep (|1: never
	 * 0, which means "not in a call").
	 */
	td->td_sysc0 = rdtsc() | 1;
	error = e->lse_fn(td, args, rv);
	thread_syscall_charge(td);
	td->td_sysc0 = 0;
	if (linux_trace)
		printf("linux: %d %s(%#lx, %#lx, %#lx, %#lx) = %s%ld\n",
		    td->td_utid, e->lse_name, args[0], args[1], args[2], args[3],
		    error != 0 && error != EJUSTRETURN ? "error " : "",
		    error != 0 ? (long)error : (long)*rv);
	return (error);
}
