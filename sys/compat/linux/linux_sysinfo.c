/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linux calls that describe the machine and the process's use of it:
 * sched_getaffinity/sched_setaffinity (glibc counts CPUs with it),
 * sysinfo, getrusage, times.  CPU time is what the scheduler charged
 * (thread_runtime, proc_cputime); system time is the part spent in system
 * calls, user time the rest.  Of struct rusage only the times are kept.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/pcpu.h>
#include <sys/physmem.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <asm/unistd_64.h>
#include <linux/resource.h>
#include <linux/sysinfo.h>
#include <linux/times.h>

#include <compat/linux/linux_syscall.h>

#include "../../kern/kern_proc_priv.h"

#define AFFINITY_BYTES	((MAXCPU + 63) / 64 * 8)

/*
 * The CPUs a thread may run on: all of them (a process is placed on one,
 * but the scheduler decides, not the program).
 */
LINUX_SYSCALL(__NR_sched_getaffinity, sched_getaffinity);
int
linux_sys_sched_getaffinity(struct thread *td, const uint64_t args[6],
    int64_t *rv)
{
	uint64_t mask[AFFINITY_BYTES / 8];
	int error;

	if (args[1] < AFFINITY_BYTES || (args[1] & 7) != 0)
		return (EINVAL);
	memset(mask, 0, sizeof(mask));
	for (u_int i = 0; i < mp_ncpus; i++)
		mask[i / 64] |= 1UL << (i % 64);
	if ((error = copyout(mask, (void *)args[2], sizeof(mask))) != 0)
		return (error);
	*rv = sizeof(mask);
	return (0);
}

/* Accepted and ignored: threads stay on their process's CPU. */
LINUX_SYSCALL(__NR_sched_setaffinity, sched_setaffinity);
int
linux_sys_sched_setaffinity(struct thread *td, const uint64_t args[6],
    int64_t *rv)
{
	uint64_t mask[AFFINITY_BYTES / 8];

	memset(mask, 0, sizeof(mask));
	return (copyin((void *)args[2], mask, MIN(args[1], sizeof(mask))));
}

LINUX_SYSCALL(__NR_sysinfo, sysinfo);
int
linux_sys_sysinfo(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct sysinfo si;

	memset(&si, 0, sizeof(si));
	si.uptime = sbttons(sbinuptime()) / 1000000000;
	si.totalram = phys_total_count();
	si.freeram = phys_free_count();
	si.procs = (uint16_t)MIN(proc_count(), 65535u);
	si.mem_unit = PAGE_SIZE;
	return (copyout(&si, (void *)args[0], sizeof(si)));
}

/* CPU time (ns) of who's choice: total and the part in system calls. */
static void
usage_ns(struct thread *td, int who, uint64_t *total, uint64_t *sys)
{
	struct proc *p = td->td_proc;

	switch (who) {
	case RUSAGE_THREAD:
		*total = thread_runtime(td);
		*sys = MIN(thread_systime(td), *total);
		break;
	case RUSAGE_CHILDREN:
		proctree_lock();
		*total = p->p_cruntime;
		*sys = MIN(p->p_csystime, *total);
		proctree_unlock();
		break;
	default:
		proc_cputime(p, total, sys);
		break;
	}
}

static void
ns_to_timeval(uint64_t ns, struct __kernel_old_timeval *tv)
{
	tv->tv_sec = (long)(ns / 1000000000);
	tv->tv_usec = (long)(ns % 1000000000 / 1000);
}

/* Clock ticks of AT_CLKTCK (100 Hz), as times(2) counts. */
#define NS_PER_TICK	10000000ULL

LINUX_SYSCALL(__NR_getrusage, getrusage);
int
linux_sys_getrusage(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct rusage ru;
	uint64_t total, sys;
	int who = (int)args[0];

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return (EINVAL);
	usage_ns(td, who, &total, &sys);
	memset(&ru, 0, sizeof(ru));
	ns_to_timeval(total - sys, &ru.ru_utime);
	ns_to_timeval(sys, &ru.ru_stime);
	return (copyout(&ru, (void *)args[1], sizeof(ru)));
}

LINUX_SYSCALL(__NR_times, times);
int
linux_sys_times(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct tms t;
	uint64_t total, sys;
	int error;

	usage_ns(td, RUSAGE_SELF, &total, &sys);
	t.tms_utime = (long)((total - sys) / NS_PER_TICK);
	t.tms_stime = (long)(sys / NS_PER_TICK);
	usage_ns(td, RUSAGE_CHILDREN, &total, &sys);
	t.tms_cutime = (long)((total - sys) / NS_PER_TICK);
	t.tms_cstime = (long)(sys / NS_PER_TICK);
	if (args[0] != 0 &&
	    (error = copyout(&t, (void *)args[0], sizeof(t))) != 0)
		return (error);
	*rv = sbttons(sbinuptime()) / (int64_t)NS_PER_TICK;
	return (0);
}
