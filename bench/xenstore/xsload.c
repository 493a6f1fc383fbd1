/*
 * xsload: concurrent libxenstore load, where the daemon is the bottleneck.
 * C client processes (each its own synchronous libxenstore handle, each in
 * its own subtree /bench/<i>, as guests are) run N operations each; the
 * parent prints aggregate ops/s, the p99 latency over all operations, and
 * the daemon's CPU time per operation (all its threads' run time from
 * /proc, before and after) and, with XSALLOC_FILE, its allocations per
 * operation (xsalloc.c).
 *
 * usage: xsload OP CLIENTS N DAEMON_PID
 * OP: read, write, rmw (read-modify-write transaction, retried on
 * EAGAIN), dir (listing a directory of 1000 children), watch100 (a write
 * firing 100 watches held by one more connection, which drains them).
 * XENSTORED_PATH names the daemon's socket.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xenstore.h>

#include "xsclock.h"

/*
 * The daemon's allocation count, kept by xsalloc.so (LD_PRELOAD) in the
 * file XSALLOC_FILE names; -1 without it.
 */
static double
allocs_of(void)
{
	const char *p = getenv("XSALLOC_FILE");
	unsigned long long v;
	FILE *f;

	if (p == NULL || (f = fopen(p, "r")) == NULL)
		return -1;
	if (fread(&v, sizeof(v), 1, f) != 1)
		v = 0;
	fclose(f);
	return (double)v;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
one_op(struct xs_handle *h, const char *op, int id, long k)
{
	char path[64], val[32];
	unsigned len;
	char *v, **d;

	snprintf(path, sizeof(path), "/bench/%d/k", id);
	snprintf(val, sizeof(val), "%ld", k);
	if (strcmp(op, "read") == 0) {
		v = xs_read(h, XBT_NULL, path, &len);
		free(v);
		return v != NULL ? 0 : -1;
	}
	if (strcmp(op, "write") == 0)
		return xs_write(h, XBT_NULL, path, val, strlen(val)) ? 0 : -1;
	if (strcmp(op, "watch100") == 0) {
		snprintf(path, sizeof(path), "/bench/w/%d", id);
		return xs_write(h, XBT_NULL, path, val, strlen(val)) ? 0 : -1;
	}
	if (strcmp(op, "dir") == 0) {
		d = xs_directory(h, XBT_NULL, "/bench/dir", &len);
		free(d);
		return d != NULL ? 0 : -1;
	}
	for (;;) { /* rmw */
		xs_transaction_t t = xs_transaction_start(h);

		if (t == XBT_NULL)
			return -1;
		v = xs_read(h, t, path, &len);
		free(v);
		if (!xs_write(h, t, path, val, strlen(val))) {
			xs_transaction_end(h, t, true);
			return -1;
		}
		if (xs_transaction_end(h, t, false))
			return 0;
		if (errno != EAGAIN)
			return -1;
	}
}

static void
setup(const char *op, int clients)
{
	struct xs_handle *h = xs_open(0);
	char path[64];
	int i;

	if (h == NULL) {
		perror("xsload: xs_open");
		exit(1);
	}
	for (i = 0; i < clients; i++) {
		snprintf(path, sizeof(path), "/bench/%d/k", i);
		xs_write(h, XBT_NULL, path, "0", 1);
	}
	if (strcmp(op, "dir") == 0)
		for (i = 0; i < 1000; i++) {
			snprintf(path, sizeof(path), "/bench/dir/c%04d", i);
			xs_write(h, XBT_NULL, path, "", 0);
		}
	xs_close(h);
}

/* The watch100 watcher: 100 watches on /bench/w, drained until killed. */
static pid_t
watcher(void)
{
	int pfd[2];
	pid_t pid;
	char c = 0;

	if (pipe(pfd) != 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		struct xs_handle *h = xs_open(0);
		char tok[16];
		unsigned n;
		int i;

		close(pfd[0]);
		for (i = 0; h != NULL && i < 100; i++) {
			snprintf(tok, sizeof(tok), "t%d", i);
			xs_watch(h, "/bench/w", tok);
		}
		/* The initial events first, then tell the parent. */
		for (i = 0; h != NULL && i < 100; i++)
			free(xs_read_watch(h, &n));
		(void)!write(pfd[1], &c, 1);
		for (;;)
			free(xs_read_watch(h, &n));
	}
	close(pfd[1]);
	(void)!read(pfd[0], &c, 1);
	close(pfd[0]);
	return pid;
}

int
main(int argc, char **argv)
{
	const char *op;
	int clients, i, fails = 0, st;
	long n, k;
	pid_t daemon, wpid = -1;
	double *lat, t0, t1, c0, c1, a0, a1, p99;
	size_t total;

	if (argc != 5) {
		fprintf(stderr, "usage: xsload OP CLIENTS N DAEMON_PID\n");
		return 2;
	}
	op = argv[1];
	clients = atoi(argv[2]);
	n = atol(argv[3]);
	daemon = (pid_t)atol(argv[4]);
	if (clients < 1 || n < 1)
		return 2;
	total = (size_t)clients * (size_t)n;
	lat = mmap(NULL, total * sizeof(*lat), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (lat == MAP_FAILED)
		return 1;
	setup(op, clients);
	if (strcmp(op, "watch100") == 0)
		wpid = watcher();
	c0 = cpu_of(daemon);
	a0 = allocs_of();
	t0 = now();
	for (i = 0; i < clients; i++) {
		if (fork() == 0) {
			struct xs_handle *h = xs_open(0);
			int bad = h == NULL;

			for (k = 0; h != NULL && k < n; k++) {
				double a = now();

				bad |= one_op(h, op, i, k) != 0;
				lat[(size_t)i * (size_t)n + (size_t)k] = now() - a;
			}
			_exit(bad);
		}
	}
	for (i = 0; i < clients; i++)
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			fails++;
	t1 = now();
	c1 = cpu_of(daemon);
	a1 = allocs_of();
	if (wpid > 0) {
		kill(wpid, SIGKILL);
		waitpid(wpid, NULL, 0);
	}
	qsort(lat, total, sizeof(*lat), cmp_double);
	p99 = lat[total * 99 / 100];
	printf("%-8s clients %2d  %9.0f ops/s  p99 %8.1f us  daemon CPU %6.2f "
	       "us/op  allocs/op %6.2f%s\n",
	    op, clients, (double)total / (t1 - t0), p99 * 1e6,
	    c0 >= 0 && c1 >= 0 ? (c1 - c0) * 1e6 / (double)total : -1.0,
	    a0 >= 0 && a1 >= 0 ? (a1 - a0) / (double)total : -1.0,
	    fails ? "  (client failures)" : "");
	return fails != 0;
}
