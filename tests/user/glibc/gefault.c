/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Bad user pointers: system calls that read or write user memory get
 * EFAULT for every kind of bad address (NULL, the first page, a page just
 * unmapped, a read-only page written to, a kernel address, a
 * non-canonical one, a buffer that runs off the end of a mapping), and
 * the process goes on.  Calls are made with syscall(), so glibc never
 * touches the pointers itself.  (No file calls: the process ktests run it
 * without a descriptor table.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *
ename(int e)
{
	switch (e) {
	case 0: return "ok";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case ECHILD: return "ECHILD";
	case EAGAIN: return "EAGAIN";
	case EBADF: return "EBADF";
	default: return "other";
	}
}

static void
show(const char *call, const char *kind, long r)
{
	printf("gefault: %s %s = %ld %s\n", call, kind, r < 0 ? -1L : r,
	    r < 0 ? ename(errno) : "ok");
}

enum { K_NULL, K_LOW, K_UNMAPPED, K_READONLY, K_KERNEL, K_NONCANON,
    K_STRADDLE, K_N };
static const char *const kind_name[K_N] = { "null", "low", "unmapped",
    "readonly", "kernel", "noncanonical", "straddle" };
static uintptr_t kind_addr[K_N];

int
main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *two, *ro;
	int st;

	/* Whole lines: write(2) below goes between them, not into one. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Two pages, the second unmapped again: a hole right after one. */
	two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (two == MAP_FAILED || ro == MAP_FAILED)
		return (1);
	munmap(two + pg, pg);
	kind_addr[K_NULL] = 0;
	kind_addr[K_LOW] = 8;
	kind_addr[K_UNMAPPED] = (uintptr_t)two + pg;
	kind_addr[K_READONLY] = (uintptr_t)ro;
	kind_addr[K_KERNEL] = 0xffffffff80001000UL;
	kind_addr[K_NONCANON] = 0x0000800000000000UL;
	kind_addr[K_STRADDLE] = (uintptr_t)two + pg - 8;

	/* Calls that write to user memory: every kind is bad. */
	for (int k = 0; k < K_N; k++) {
		void *b = (void *)kind_addr[k];
		const char *n = kind_name[k];

		errno = 0;
		show("clock_gettime", n, syscall(SYS_clock_gettime,
		    CLOCK_MONOTONIC, b));
		show("gettimeofday", n, syscall(SYS_gettimeofday, b, NULL));
		show("uname", n, syscall(SYS_uname, b));
		show("getrusage", n, syscall(SYS_getrusage, 0, b));
		show("sysinfo", n, syscall(SYS_sysinfo, b));
		show("times", n, syscall(SYS_times, b) == -1 ? -1 : 0);
		show("getrlimit", n, syscall(SYS_getrlimit, 7, b));
		show("sigprocmask old", n, syscall(SYS_rt_sigprocmask,
		    SIG_BLOCK, NULL, b, 8));
		show("sigaction old", n, syscall(SYS_rt_sigaction, SIGUSR1,
		    NULL, b, 8));
		/* 8 bytes: the size Linux copies depends on its build. */
		show("sched_getaffinity", n, syscall(SYS_sched_getaffinity, 0,
		    8, b));
		show("getrandom", n, syscall(SYS_getrandom, b, 16, 0));
	}

	/*
	 * Calls that read user memory: a read-only page is fine there, so
	 * it is left out (its zeros would be a real request).  What a
	 * partial write of the straddling buffer prints: blank lines.
	 */
	memset(two + pg - 8, '\n', 8);
	for (int k = 0; k < K_N; k++) {
		void *b = (void *)kind_addr[k];
		const char *n = kind_name[k];

		if (k == K_READONLY)
			continue;
		errno = 0;
		show("nanosleep", n, syscall(SYS_nanosleep, b, NULL));
		show("clock_nanosleep", n, syscall(SYS_clock_nanosleep,
		    CLOCK_MONOTONIC, 0, b, NULL));
		show("sigaction new", n, syscall(SYS_rt_sigaction, SIGUSR1, b,
		    NULL, 8));
		show("sigprocmask new", n, syscall(SYS_rt_sigprocmask,
		    SIG_BLOCK, b, NULL, 8));
		show("sigaltstack", n, syscall(SYS_sigaltstack, b, NULL));
		show("setrlimit", n, syscall(SYS_setrlimit, 7, b));
		show("futex wait", n, syscall(SYS_futex, b, 0 /* WAIT */, 0,
		    NULL, NULL, 0));
		show("write", n, syscall(SYS_write, 1, b, 16));
	}

	/*
	 * wait4 with a bad status pointer: EFAULT, and the child is reaped
	 * all the same (nothing left to wait for).
	 */
	pid_t pid = fork();
	if (pid == 0)
		_exit(5);
	errno = 0;
	show("wait4 bad status", "unmapped", syscall(SYS_wait4, pid,
	    kind_addr[K_UNMAPPED], 0, NULL));
	errno = 0;
	show("waitpid after", "-", waitpid(pid, &st, 0));

	/* The process is unharmed: the mapping around the hole still works. */
	two[pg - 1] = 'x';
	printf("gefault: still running, last byte %c\n", two[pg - 1]);
	return (0);
}
