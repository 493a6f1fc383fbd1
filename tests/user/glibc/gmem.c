/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Anonymous memory: mmap, munmap (then SIGSEGV), mprotect read-only (then
 * SIGSEGV on a write), brk through malloc, MAP_SHARED between a parent
 * and its child; clocks and nanosleep.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static sigjmp_buf env;

static void
on_segv(int sig)
{
	siglongjmp(env, 1);
}

static int
faults(volatile char *p, int write)
{
	if (sigsetjmp(env, 1) != 0)
		return (1);
	if (write)
		*p = 1;
	else
		(void)*p;
	return (0);
}

int
main(void)
{
	struct timespec a, b, d = { 0, 20 * 1000 * 1000 };
	struct utsname u;
	char *m, *s;
	long ms;
	int st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGSEGV, on_segv);
	m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return (1);
	printf("gmem: fresh page reads %d\n", m[12345]);
	memset(m, 7, 1 << 20);
	printf("gmem: after memset %d, write fault %d\n", m[(1 << 20) - 1],
	    faults(m + 100, 1));
	mprotect(m, 4096, PROT_READ);
	printf("gmem: read-only: read fault %d, write fault %d\n",
	    faults(m, 0), faults(m, 1));
	madvise(m + 8192, 8192, MADV_DONTNEED);
	printf("gmem: after MADV_DONTNEED: %d, the page before %d\n",
	    m[8192] + m[16383], m[8191]);
	munmap(m, 1 << 20);
	printf("gmem: unmapped: read fault %d\n", faults(m + 8192, 0));

	s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	strcpy(s, "parent");
	if (fork() == 0) {
		strcpy(s, "child wrote this");
		_exit(0);
	}
	wait(&st);
	printf("gmem: shared page after the child: %s\n", s);
	madvise(s, 4096, MADV_DONTNEED);
	printf("gmem: shared page after MADV_DONTNEED: %s\n", s);

	char *big = malloc(8 << 20);
	memset(big, 1, 8 << 20);
	printf("gmem: 8 MiB malloc ok %d\n", big[(8 << 20) - 1]);
	free(big);

	clock_gettime(CLOCK_MONOTONIC, &a);
	nanosleep(&d, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	printf("gmem: slept at least 20 ms: %d\n", ms >= 20);
	uname(&u);
	printf("gmem: uname says %s, %s\n", u.sysname, u.machine);

	struct sysinfo si;
	struct rusage ru;
	struct tms tm;
	cpu_set_t cs;

	CPU_ZERO(&cs);
	memset(&si, 0, sizeof(si));
	int r1 = sysinfo(&si), r2 = sched_getaffinity(0, sizeof(cs), &cs);
	int r3 = getrusage(RUSAGE_SELF, &ru);
	clock_t r4 = times(&tm);

	printf("gmem: sysinfo %d (RAM counted %d), affinity %d with a CPU %d, "
	    "getrusage %d, times %d\n", r1, si.totalram > 0 && si.mem_unit > 0,
	    r2, CPU_COUNT(&cs) > 0, r3, r4 != (clock_t)-1);
	return (0);
}
