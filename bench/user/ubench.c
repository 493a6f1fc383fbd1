/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ubench: the user-space costs bench/user compares between our kernel and
 * Linux, as the same static binary in both guests (its /init).  Each
 * measure runs for about a second of CLOCK_MONOTONIC and prints
 *   UBENCH <name> <value> <unit> <count>
 * then UBENCH-END.  As pid 1 it sets up a console on Linux (devtmpfs)
 * and powers off at the end (reboot(2); our kernel powers off when init
 * exits).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUN_NS		1000000000LL
#define PAGE		4096
#define FAULT_BYTES	(16 << 20)
#define PIPE_CHUNK	65536

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
}

static void
report(const char *name, double v, const char *unit, long long n)
{
	printf("UBENCH %s %.1f %s %lld\n", name, v, unit, n);
	fflush(stdout);
}

/* A system call that does nothing but enter and leave the kernel. */
static void
bench_getppid(void)
{
	long long t0 = now_ns(), t, n = 0;

	do {
		for (int i = 0; i < 1000; i++)
			(void)syscall(SYS_getppid);
		n += 1000;
	} while ((t = now_ns()) - t0 < RUN_NS);
	report("getppid", (double)(t - t0) / (double)n, "ns", n);
}

static void
bench_spawn(const char *prog)
{
	long long t0 = now_ns(), t, n = 0;
	char *argv[] = { (char *)prog, NULL };
	char *envp[] = { NULL };

	do {
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			execve(prog, argv, envp);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0) {
			printf("UBENCH-ERROR spawn %s: pid %d status %#x errno %d\n",
			    prog, (int)pid, st, errno);
			return;
		}
		n++;
	} while ((t = now_ns()) - t0 < RUN_NS);
	report("fork_exec_wait", (double)(t - t0) / (double)n / 1000.0, "us", n);
}

static void
bench_pipe(void)
{
	static char buf[PIPE_CHUNK];
	long long t0, t = 0, bytes = 0;
	int p[2], st;
	pid_t pid;

	if (pipe(p) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		memset(buf, 'x', sizeof(buf));
		for (;;) {
			if (write(p[1], buf, sizeof(buf)) < 0)
				_exit(0);
		}
	}
	close(p[1]);
	t0 = now_ns();
	do {
		ssize_t r = read(p[0], buf, sizeof(buf));

		t = now_ns();
		if (r <= 0)
			break;
		bytes += r;
	} while (t - t0 < RUN_NS);
	close(p[0]);	/* the writer gets EPIPE (SIGPIPE) and ends */
	waitpid(pid, &st, 0);
	report("pipe", (double)bytes / (1 << 20) / ((double)(t - t0) / 1e9),
	    "MiB/s", bytes);
}

/* First touch of fresh anonymous pages, one 4 KiB page at a time. */
static void
bench_fault(void)
{
	long long t0 = now_ns(), spent = 0, n = 0;

	do {
		char *m = mmap(NULL, FAULT_BYTES, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		long long t1;

		if (m == MAP_FAILED)
			return;
		(void)madvise(m, FAULT_BYTES, MADV_NOHUGEPAGE);
		t1 = now_ns();
		for (size_t off = 0; off < FAULT_BYTES; off += PAGE)
			m[off] = 1;
		spent += now_ns() - t1;
		n += FAULT_BYTES / PAGE;
		munmap(m, FAULT_BYTES);
	} while (now_ns() - t0 < RUN_NS);
	report("page_fault", (double)spent / (double)n, "ns", n);
}

static void
console_setup(void)
{
	int fd;

	if (fcntl(1, F_GETFD) != -1)
		return;
	(void)mkdir("/dev", 0755);
	(void)mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	if ((fd = open("/dev/console", O_RDWR)) < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

int
main(int argc, char **argv)
{
	const char *tru = argc > 1 ? argv[1] : "/bin/true";

	if (getpid() == 1)
		console_setup();
	printf("UBENCH-BEGIN\n");
	bench_getppid();
	bench_spawn(tru);
	bench_pipe();
	bench_fault();
	printf("UBENCH-END\n");
	fflush(stdout);
	if (getpid() == 1) {
		sync();
		reboot(RB_POWER_OFF);
	}
	return (0);
}
