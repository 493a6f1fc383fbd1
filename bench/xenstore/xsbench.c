/*
 * Synchronous libxenstore benchmark: N reads, N writes and N
 * read-modify-write transactions, one request at a time, printing ops/s
 * per operation.  Talks to whatever XENSTORED_PATH (or the default) names.
 * "xsbench fill N" instead writes N new nodes (/bench/fill/dNN/nNNNNNN,
 * 100 directories, 12-byte values), for measuring the daemon's memory
 * per node.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xenstore.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
report(const char *what, long n, double secs)
{
	printf("%-10s %8ld ops %8.3f s %10.0f ops/s\n", what, n, secs,
	    secs > 0 ? (double)n / secs : 0.0);
}

static int
fill(struct xs_handle *h, long n)
{
	char path[64], val[32];
	double t0 = now();
	long i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/bench/fill/d%02ld/n%06ld",
		    i % 100, i);
		snprintf(val, sizeof(val), "value%07ld", i);
		if (!xs_write(h, XBT_NULL, path, val, strlen(val))) {
			perror("xsbench: fill write");
			return 1;
		}
	}
	report("fill", n, now() - t0);
	return 0;
}

int
main(int argc, char **argv)
{
	bool do_fill = argc > 2 && strcmp(argv[1], "fill") == 0;
	long n = argc > 1 ? strtol(argv[do_fill ? 2 : 1], NULL, 10) : 10000, i;
	struct xs_handle *h = xs_open(0);
	char path[64], val[32], *v;
	unsigned len;
	double t0;
	long retries = 0;

	if (n <= 0 || h == NULL) {
		fprintf(stderr, "usage: xsbench [N] | xsbench fill N  "
				"(xs_open: %s)\n",
		    strerror(errno));
		return 1;
	}
	if (do_fill) {
		i = fill(h, n);
		xs_close(h);
		return (int)i;
	}
	for (i = 0; i < 100; i++) {
		snprintf(path, sizeof(path), "/bench/k%ld", i);
		if (!xs_write(h, XBT_NULL, path, "0", 1)) {
			perror("xsbench: setup write");
			return 1;
		}
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/bench/k%ld", i % 100);
		v = xs_read(h, XBT_NULL, path, &len);
		if (v == NULL) {
			perror("xsbench: read");
			return 1;
		}
		free(v);
	}
	report("read", n, now() - t0);
	t0 = now();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/bench/k%ld", i % 100);
		snprintf(val, sizeof(val), "%ld", i);
		if (!xs_write(h, XBT_NULL, path, val, strlen(val))) {
			perror("xsbench: write");
			return 1;
		}
	}
	report("write", n, now() - t0);
	t0 = now();
	for (i = 0; i < n; i++) {
		xs_transaction_t t;

		snprintf(path, sizeof(path), "/bench/k%ld", i % 100);
		for (;;) {
			t = xs_transaction_start(h);
			if (t == XBT_NULL) {
				perror("xsbench: transaction_start");
				return 1;
			}
			v = xs_read(h, t, path, &len);
			snprintf(val, sizeof(val), "%ld",
			    (v != NULL ? strtol(v, NULL, 10) : 0) + 1);
			free(v);
			if (!xs_write(h, t, path, val, strlen(val))) {
				perror("xsbench: tx write");
				return 1;
			}
			if (xs_transaction_end(h, t, false))
				break;
			if (errno != EAGAIN) {
				perror("xsbench: transaction_end");
				return 1;
			}
			retries++;
		}
	}
	report("rmw-tx", n, now() - t0);
	if (retries > 0)
		printf("transaction retries: %ld\n", retries);
	xs_close(h);
	return 0;
}
