/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Clocks and CPU time: CLOCK_REALTIME is a wall clock (after 2020, in step
 * with gettimeofday and time), CPU-time clocks count time on a CPU and not
 * time asleep, getrusage and times agree with them, a finished thread's
 * time stays with its process, a child's reaches its parent when it is
 * waited for.  Prints only comparisons that hold on any correct kernel
 * (no times): the program burns CPU until the process clock has moved, so
 * a slow machine only takes longer.  (No file calls: the process ktests
 * run it without a descriptor table.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS		1000000LL
#define YEAR2020	1577836800LL	/* 2020-01-01T00:00:00Z */

static const char *
yesno(int c)
{
	return (c ? "yes" : "no");
}

static int64_t
clock_ns(clockid_t c)
{
	struct timespec ts;

	/* syscall(), not the vDSO: the same path on both kernels. */
	if (syscall(SYS_clock_gettime, c, &ts) != 0)
		return (-1);
	return ((int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec);
}

static int64_t
tv_ns(struct timeval tv)
{
	return ((int64_t)tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL);
}

/* User plus system time from getrusage(who). */
static int64_t
rusage_ns(int who, int64_t *user)
{
	struct rusage ru;

	if (getrusage(who, &ru) != 0)
		return (-1);
	if (user != NULL)
		*user = tv_ns(ru.ru_utime);
	return (tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime));
}

static volatile unsigned long sink;

/*
 * Runs user code until clock c has advanced by ms (true), or gives up
 * after 20 s of wall time.  Checks the clock rarely: the time is meant to
 * be user time.
 */
static int
burn(clockid_t c, int ms)
{
	int64_t c0 = clock_ns(c), w0 = clock_ns(CLOCK_MONOTONIC);

	for (;;) {
		for (int i = 0; i < 200000; i++)
			sink += (unsigned long)i * 7;
		if (clock_ns(c) - c0 >= ms * MS)
			return (1);
		if (clock_ns(CLOCK_MONOTONIC) - w0 > 20000 * MS)
			return (0);
	}
}

static void *
burner(void *arg)
{
	*(int *)arg = burn(CLOCK_THREAD_CPUTIME_ID, 100);
	return (NULL);
}

int
main(void)
{
	struct timespec ts, d = { 0, 200 * MS };
	struct timeval tv;
	struct tms tm0, tm1;
	int64_t rt, mono, off0, off1, p0, p1, w0, w1, r0, r1, u0, u1, t0, t1;
	long tick = sysconf(_SC_CLK_TCK);
	int ok, st;
	pid_t pid;
	pthread_t th;

	rt = clock_ns(CLOCK_REALTIME);
	syscall(SYS_gettimeofday, &tv, NULL);
	time_t now = (time_t)syscall(SYS_time, NULL);
	printf("gclock: realtime after 2020: %s\n", yesno(rt / 1000000000LL >
	    YEAR2020));
	printf("gclock: realtime, gettimeofday and time agree: %s\n",
	    yesno(tv_ns(tv) - rt < 1000 * MS && rt - tv_ns(tv) < 1000 * MS &&
	    now - rt / 1000000000LL <= 1 && rt / 1000000000LL - now <= 1));
	mono = clock_ns(CLOCK_MONOTONIC);
	off0 = clock_ns(CLOCK_REALTIME) - mono;
	nanosleep(&(struct timespec){ 0, 50 * MS }, NULL);
	mono = clock_ns(CLOCK_MONOTONIC);
	off1 = clock_ns(CLOCK_REALTIME) - mono;
	printf("gclock: realtime moves with monotonic: %s\n",
	    yesno(off1 - off0 < 20 * MS && off0 - off1 < 20 * MS));
	printf("gclock: realtime coarse after 2020: %s\n",
	    yesno(clock_ns(CLOCK_REALTIME_COARSE) / 1000000000LL > YEAR2020));

	syscall(SYS_clock_getres, CLOCK_PROCESS_CPUTIME_ID, &ts);
	printf("gclock: process cputime resolution %ld ns\n", ts.tv_nsec);
	errno = 0;
	long r = syscall(SYS_clock_gettime, 1234, &ts);
	printf("gclock: bad clock id: %ld %s\n", r,
	    errno == EINVAL ? "EINVAL" : strerror(errno));

	/* Asleep: the CPU-time clocks stand (nearly) still. */
	p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	w0 = clock_ns(CLOCK_MONOTONIC);
	nanosleep(&d, NULL);
	w1 = clock_ns(CLOCK_MONOTONIC);
	p1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	t1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	printf("gclock: a 200 ms sleep: slept %s, process cpu under 50 ms %s, "
	    "thread cpu under 50 ms %s\n", yesno(w1 - w0 >= 200 * MS),
	    yesno(p1 - p0 < 50 * MS), yesno(t1 - t0 < 50 * MS));

	/* On the CPU: every clock and counter of CPU time moves. */
	r0 = rusage_ns(RUSAGE_SELF, &u0);
	times(&tm0);
	/* The wall-clock interval encloses the CPU-time one. */
	w0 = clock_ns(CLOCK_MONOTONIC);
	p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	ok = burn(CLOCK_PROCESS_CPUTIME_ID, 150);
	p1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	w1 = clock_ns(CLOCK_MONOTONIC);
	times(&tm1);
	r1 = rusage_ns(RUSAGE_SELF, &u1);
	printf("gclock: burn 150 ms: done %s, no more than the wall clock %s\n",
	    yesno(ok), yesno(p1 - p0 <= w1 - w0));
	printf("gclock: rusage self grew 120 ms %s, mostly user time %s, "
	    "not past the process clock %s\n", yesno(r1 - r0 >= 120 * MS),
	    yesno((u1 - u0) * 2 > r1 - r0), yesno(r1 <= p1 + 10 * MS));
	printf("gclock: times grew 12 ticks %s, rusage thread %s\n",
	    yesno((tm1.tms_utime + tm1.tms_stime) - (tm0.tms_utime +
	    tm0.tms_stime) >= 12 * tick / 100),
	    yesno(rusage_ns(RUSAGE_THREAD, NULL) >= r1 - r0 - 10 * MS));

	/*
	 * System time is time on the CPU in calls: a call's sleep is not in
	 * it (after the sleep, the burn is still mostly user time).
	 */
	r0 = rusage_ns(RUSAGE_THREAD, &u0);
	nanosleep(&d, NULL);
	ok = burn(CLOCK_THREAD_CPUTIME_ID, 150);
	r1 = rusage_ns(RUSAGE_THREAD, &u1);
	printf("gclock: sleep 200 ms then burn 150 ms: done %s, mostly user "
	    "time %s\n", yesno(ok), yesno((u1 - u0) * 2 > r1 - r0));

	/* A thread's time stays with the process once it has gone. */
	p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	ok = 0;
	pthread_create(&th, NULL, burner, &ok);
	pthread_join(th, NULL);
	t1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	p1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	printf("gclock: thread burned 100 ms: %s, the joiner's clock under "
	    "50 ms %s, the process's grew 90 ms %s\n", yesno(ok),
	    yesno(t1 - t0 < 50 * MS), yesno(p1 - p0 >= 90 * MS));

	/* A child's time reaches the parent when the child is reaped. */
	r0 = rusage_ns(RUSAGE_CHILDREN, NULL);
	times(&tm0);
	pid = fork();
	if (pid == 0)
		_exit(burn(CLOCK_PROCESS_CPUTIME_ID, 100) ? 0 : 1);
	siginfo_t si;
	waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT);
	r1 = rusage_ns(RUSAGE_CHILDREN, NULL);
	printf("gclock: children before any wait: %s, unreaped child not "
	    "counted %s\n", yesno(r0 == 0 && tm0.tms_cutime + tm0.tms_cstime == 0),
	    yesno(r1 == 0));
	waitpid(pid, &st, 0);
	r1 = rusage_ns(RUSAGE_CHILDREN, NULL);
	times(&tm1);
	printf("gclock: child burned: %s, children 90 ms after wait %s, "
	    "times cutime+cstime 9 ticks %s, self within its clock %s\n",
	    yesno(WIFEXITED(st) && WEXITSTATUS(st) == 0), yesno(r1 >= 90 * MS),
	    yesno(tm1.tms_cutime + tm1.tms_cstime >= 9 * tick / 100),
	    yesno(rusage_ns(RUSAGE_SELF, NULL) < clock_ns(CLOCK_PROCESS_CPUTIME_ID)
	    + 10 * MS));
	return (0);
}
