/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linux clocks and sleeps: clock_gettime, clock_getres, gettimeofday,
 * time, nanosleep, clock_nanosleep; and getrandom.  There is no vDSO, so
 * glibc makes these calls for real.  CLOCK_REALTIME is the wall clock
 * (kern_wallclock.c: Xen's or the RTC's UTC, moving with uptime); the
 * monotonic clocks are uptime; the CPU-time clocks count the time the
 * process's threads, or the calling thread, spent on a CPU.  Clock ids
 * for other processes and threads (clock_getcpuclockid) are EINVAL.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/cpufunc.h>

#include <asm/unistd_64.h>
#include <linux/random.h>
#include <linux/time.h>

#include <compat/linux/linux_syscall.h>

#define NSEC_PER_SEC	1000000000LL

static int64_t
uptime_ns(void)
{
	return (sbttons(sbinuptime()));
}

static int
clock_ns(struct thread *td, uint64_t clock, int64_t *ns)
{
	uint64_t total, sys;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = realtime_ns();
		return (0);
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = uptime_ns();
		return (0);
	case CLOCK_PROCESS_CPUTIME_ID:
		proc_cputime(td->td_proc, &total, &sys);
		*ns = (int64_t)total;
		return (0);
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = (int64_t)thread_runtime(td);
		return (0);
	default:
		return (EINVAL);
	}
}

LINUX_SYSCALL(__NR_clock_gettime, clock_gettime);
int
linux_sys_clock_gettime(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct timespec ts;
	int64_t ns;
	int error;

	if ((error = clock_ns(td, args[0], &ns)) != 0)
		return (error);
	ts.tv_sec = ns / NSEC_PER_SEC;
	ts.tv_nsec = ns % NSEC_PER_SEC;
	return (copyout(&ts, (void *)args[1], sizeof(ts)));
}

LINUX_SYSCALL(__NR_clock_getres, clock_getres);
int
linux_sys_clock_getres(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct timespec ts = { 0, 1 };
	int64_t ns;
	int error;

	if ((error = clock_ns(td, args[0], &ns)) != 0)
		return (error);
	return (args[1] != 0 ? copyout(&ts, (void *)args[1], sizeof(ts)) : 0);
}

LINUX_SYSCALL(__NR_gettimeofday, gettimeofday);
int
linux_sys_gettimeofday(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct timeval tv;
	int64_t ns = realtime_ns();

	if (args[0] == 0)
		return (0);
	tv.tv_sec = ns / NSEC_PER_SEC;
	tv.tv_usec = (ns % NSEC_PER_SEC) / 1000;
	return (copyout(&tv, (void *)args[0], sizeof(tv)));
}

LINUX_SYSCALL(__NR_time, time);
int
linux_sys_time(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	int64_t t = realtime_ns() / NSEC_PER_SEC;

	*rv = t;
	return (args[0] != 0 ? copyout(&t, (void *)args[0], sizeof(t)) : 0);
}

/* Sleeps until the uptime deadline (ns); EINTR for a signal. */
static int
sleep_until(int64_t deadline)
{
	static int sleep_chan;	/* nobody wakes it: only timeouts and signals */
	int64_t now;
	int error;

	while ((now = uptime_ns()) < deadline) {
		error = msleep_sig(&sleep_chan, NULL, "nanslp",
		    nstosbt(deadline - now));
		if (error == EINTR)
			return (EINTR);
	}
	return (0);
}

static int
timespec_in(uint64_t uaddr, int64_t *ns)
{
	struct timespec ts;
	int error;

	if ((error = copyin((void *)uaddr, &ts, sizeof(ts))) != 0)
		return (error);
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return (EINVAL);
	/* Far futures are clamped (about 290 years of uptime). */
	if (ts.tv_sec > INT64_MAX / NSEC_PER_SEC - 1)
		*ns = INT64_MAX / 2;
	else
		*ns = ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return (0);
}

static int
remaining_out(uint64_t uaddr, int64_t deadline)
{
	struct timespec ts;
	int64_t left = MAX(deadline - uptime_ns(), 0);

	if (uaddr == 0)
		return (0);
	ts.tv_sec = left / NSEC_PER_SEC;
	ts.tv_nsec = left % NSEC_PER_SEC;
	return (copyout(&ts, (void *)uaddr, sizeof(ts)));
}

LINUX_SYSCALL(__NR_nanosleep, nanosleep);
int
linux_sys_nanosleep(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	int64_t ns, deadline;
	int error;

	if ((error = timespec_in(args[0], &ns)) != 0)
		return (error);
	deadline = uptime_ns() + ns;
	if ((error = sleep_until(deadline)) == EINTR)
		remaining_out(args[1], deadline);
	return (error);
}

LINUX_SYSCALL(__NR_clock_nanosleep, clock_nanosleep);
int
linux_sys_clock_nanosleep(struct thread *td, const uint64_t args[6],
    int64_t *rv)
{
	int64_t ns, now, deadline;
	int error;

	/*
	 * Sleeping until a CPU time is not supported: Linux refuses it for
	 * the thread's clock (EINVAL), this kernel for the process's too.
	 */
	if (args[0] == CLOCK_PROCESS_CPUTIME_ID ||
	    args[0] == CLOCK_THREAD_CPUTIME_ID)
		return (EINVAL);
	if ((error = clock_ns(td, args[0], &now)) != 0)
		return (error);
	if ((error = timespec_in(args[2], &ns)) != 0)
		return (error);
	/* Sleeps run on uptime: an absolute wall-clock time is moved there. */
	if ((args[1] & TIMER_ABSTIME) != 0)
		deadline = uptime_ns() + (ns - now);
	else
		deadline = uptime_ns() + ns;
	error = sleep_until(deadline);
	if (error == EINTR && (args[1] & TIMER_ABSTIME) == 0)
		remaining_out(args[3], deadline);
	return (error);
}

/*
 * getrandom: not a cryptographic generator yet (TSC mixing), enough for
 * glibc's malloc and hash seeds.
 */
LINUX_SYSCALL(__NR_getrandom, getrandom);
int
linux_sys_getrandom(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	uint64_t buf[32], len = MIN(args[1], (uint64_t)sizeof(buf));
	static uint64_t state;

	if (args[2] & ~(uint64_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return (EINVAL);
	for (size_t i = 0; i < nitems(buf); i++) {
		uint64_t x = state += rdtsc() | 1;

		x ^= x >> 31;
		x *= 0x9e3779b97f4a7c15ULL;
		buf[i] = x ^ (x >> 29);
	}
	/* As on Linux, the bytes before a bad page are the result. */
	if (!linux_range_ok(args[0], len))
		return (EFAULT);
	for (uint64_t off = 0, n; off < len; off += n) {
		n = MIN(len - off, PAGE_SIZE - (args[0] + off) % PAGE_SIZE);
		if (copyout((char *)buf + off, (void *)(args[0] + off), n) !=
		    0) {
			if (off == 0)
				return (EFAULT);
			len = off;
			break;
		}
	}
	*rv = (int64_t)len;
	return (0);
}
