/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linux calls that describe the machine and the process's use of it:
 * sched_getaffinity/sched_setaffinity (glibc counts CPUs with it),
 * sysinfo, getrusage, times.  No CPU time is accounted yet: times and
 * resource usage read as zero.
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

LINUX_SYSCALL(__NR_getrusage, getrusage);
int
linux_sys_getrusage(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct rusage ru;
	int who = (int)args[0];

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return (EINVAL);
	memset(&ru, 0, sizeof(ru));
	return (copyout(&ru, (void *)args[1], sizeof(ru)));
}

LINUX_SYSCALL(__NR_times, times);
int
linux_sys_times(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct tms t;
	int error;

	memset(&t, 0, sizeof(t));
	if (args[0] != 0 &&
	    (error = copyout(&t, (void *)args[0], sizeof(t))) != 0)
		return (error);
	/* Clock ticks (AT_CLKTCK, 100 Hz) since boot. */
	*rv = sbttons(sbinuptime()) / 10000000;
	return (0);
}
