/*
 * netbench: the UDP sender and receiver of bench/net, for dom0 and for the
 * Linux PVH domU (our kernel has the same two in the kernel, speaking the
 * same datagrams and printing the same lines).
 *
 *	netbench send -h HOST [-p PORT] -s SIZE [-t MS]
 *	netbench recv [-p PORT] [-r ROUNDS] [-T MAX_MS] [-i IDLE_MS]
 *	netbench count -c IFACE [-p PORT] [-r ROUNDS] [-T MAX_MS] [-i IDLE_MS]
 *	    [-S SIZES]
 *
 * A datagram of SIZE (>= 16) payload bytes starts with, in network order,
 * uint32 magic 0x4e424e31 ("NBN1"), uint32 kind (0 data, 1 end), uint64
 * sequence number (data) or datagrams sent (end); the rest is zero.  The
 * sender sends data as fast as its socket takes them for MS milliseconds
 * (default 3000), then 5 end datagrams 20 ms apart.  The receiver counts
 * data datagrams from the first to the last of a round (one size), which
 * ends at its first end datagram, at a data datagram of another size, or
 * IDLE_MS (default 2000) without data, or SIGTERM; one line per round,
 * figures of the data received (UDP payload bytes):
 *
 *	NETBENCH-SEND size=S pkts=N ms=T pps=P mbps=M errors=E
 *	NETBENCH-RECV size=S pkts=N ms=T pps=P mbps=M sent=N lost=L
 *	    reordered=R
 *
 * count takes a receiver's figures from a network interface's counters
 * instead of a socket (netbench_count.c).
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netbench.h"

#define NB_MAGIC	0x4e424e31u
#define NB_KIND_DATA	0
#define NB_KIND_END	1
#define NB_HDR		16
#define NB_MAXSIZE	65507
#define NB_PORT		7778

volatile sig_atomic_t nb_stop;

static void
nb_onsig(int sig)
{
	(void)sig;
	nb_stop = 1;
}

uint64_t
nb_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000);
}

static void
nb_put(uint8_t *b, uint32_t kind, uint64_t v)
{
	uint32_t m = htonl(NB_MAGIC), k = htonl(kind);
	uint64_t n = htobe64(v);

	memcpy(b, &m, 4);
	memcpy(b + 4, &k, 4);
	memcpy(b + 8, &n, 8);
}

static bool
nb_get(const uint8_t *b, size_t len, uint32_t *kind, uint64_t *v)
{
	uint32_t m, k;
	uint64_t n;

	if (len < NB_HDR)
		return (false);
	memcpy(&m, b, 4);
	memcpy(&k, b + 4, 4);
	memcpy(&n, b + 8, 8);
	if (ntohl(m) != NB_MAGIC)
		return (false);
	*kind = ntohl(k);
	*v = be64toh(n);
	return (true);
}

/* Payload megabits per second and datagrams per second over us. */
static void
nb_rates(uint64_t pkts, uint64_t size, uint64_t us, double *pps, double *mbps)
{
	if (us == 0) {
		*pps = 0;
		*mbps = 0;
		return;
	}
	*pps = (double)pkts * 1e6 / (double)us;
	*mbps = (double)(pkts * size) * 8 / (double)us;
}

static int
nb_send(const char *host, uint16_t port, size_t size, uint64_t ms)
{
	struct sockaddr_in sin;
	uint64_t t0, t1, seq = 0, errors = 0;
	uint8_t *buf;
	double pps, mbps;
	int fd, b = 4 << 20, i;

	buf = calloc(1, size);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (buf == NULL || inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		fprintf(stderr, "netbench: bad address %s\n", host);
		exit(2);
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		fprintf(stderr, "netbench: socket/connect: %s\n",
		    strerror(errno));
		exit(2);
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &b, sizeof(b));
	t0 = nb_now_us();
	t1 = t0;
	while (t1 - t0 < ms * 1000) {
		nb_put(buf, NB_KIND_DATA, seq);
		if (send(fd, buf, size, 0) == (ssize_t)size) {
			seq++;
		} else {
			/* ENOBUFS: the queue below is full; try again. */
			errors++;
		}
		t1 = nb_now_us();
	}
	for (i = 0; i < 5; i++) {
		nb_put(buf, NB_KIND_END, seq);
		(void)send(fd, buf, size, 0);
		usleep(20000);
	}
	nb_rates(seq, size, t1 - t0, &pps, &mbps);
	printf("NETBENCH-SEND size=%zu pkts=%" PRIu64 " ms=%" PRIu64
	    " pps=%.0f mbps=%.1f errors=%" PRIu64 "\n", size, seq,
	    (t1 - t0) / 1000, pps, mbps, errors);
	close(fd);
	free(buf);
	return (0);
}

struct nb_round {
	uint64_t	pkts, maxseq, reord, sent;
	uint64_t	first, last;	/* us */
	size_t		size;
	bool		end;
};

static void
nb_round_print(const struct nb_round *r)
{
	double pps, mbps;

	nb_rates(r->pkts, r->size, r->last - r->first, &pps, &mbps);
	printf("NETBENCH-RECV size=%zu pkts=%" PRIu64 " ms=%" PRIu64
	    " pps=%.0f mbps=%.1f sent=%" PRIu64 " lost=%" PRId64
	    " reordered=%" PRIu64 "\n", r->size, r->pkts,
	    (r->last - r->first) / 1000, pps, mbps, r->sent,
	    r->end ? (int64_t)(r->sent - r->pkts) : -1, r->reord);
	fflush(stdout);
}

/*
 * A round is one size: a data datagram of another size ends the round
 * under way (its end datagrams lost) and starts the next; data of the
 * size just finished, at or below its last sequence number, came late
 * and are not counted.
 */
static int
nb_recv(uint16_t port, int rounds, uint64_t max_ms, uint64_t idle_ms)
{
	struct sockaddr_in sin;
	struct pollfd pfd;
	struct nb_round r;
	uint64_t start, v, now, prev_max = 0;
	size_t prev_size = 0;
	uint32_t kind;
	uint8_t *buf;
	ssize_t n;
	int fd, b = 16 << 20, done = 0;

	buf = malloc(NB_MAXSIZE + 1);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (buf == NULL || fd < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		fprintf(stderr, "netbench: bind %u: %s\n", port,
		    strerror(errno));
		exit(2);
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &b, sizeof(b));
	printf("NETBENCH-RECV-READY port=%u\n", port);
	fflush(stdout);
	memset(&r, 0, sizeof(r));
	start = nb_now_us();
	while (done < rounds) {
		now = nb_now_us();
		/* Stopped or out of time: the round under way still counts. */
		if (nb_stop || (max_ms > 0 && now - start > max_ms * 1000)) {
			if (r.pkts > 0) {
				nb_round_print(&r);
				done++;
			}
			break;
		}
		if (r.pkts > 0 && (r.end || now - r.last > idle_ms * 1000)) {
			nb_round_print(&r);
			done++;
			prev_size = r.size;
			prev_max = r.maxseq;
			memset(&r, 0, sizeof(r));
			continue;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		n = recv(fd, buf, NB_MAXSIZE + 1, MSG_DONTWAIT);
		if (n < 0 || !nb_get(buf, (size_t)n, &kind, &v))
			continue;
		now = nb_now_us();
		if (kind == NB_KIND_END) {
			if (r.pkts > 0 && (size_t)n == r.size) {
				r.end = true;
				r.sent = v;
			}
			continue;
		}
		if (kind != NB_KIND_DATA)
			continue;
		if (r.pkts == 0 && (size_t)n == prev_size && v <= prev_max)
			continue;
		if (r.pkts > 0 && (size_t)n != r.size) {
			nb_round_print(&r);
			done++;
			prev_size = r.size;
			prev_max = r.maxseq;
			memset(&r, 0, sizeof(r));
			if (done == rounds)
				break;
		}
		if (r.pkts == 0) {
			r.first = now;
			r.size = (size_t)n;
		} else if (v < r.maxseq) {
			r.reord++;
		}
		if (v > r.maxseq)
			r.maxseq = v;
		r.pkts++;
		r.last = now;
	}
	printf("NETBENCH-RECV-DONE rounds=%d\n", done);
	close(fd);
	free(buf);
	return (done == rounds ? 0 : 1);
}

static void
nb_usage(void)
{
	fprintf(stderr, "usage: netbench send -h HOST [-p PORT] -s SIZE [-t MS]\n"
	    "       netbench recv [-p PORT] [-r ROUNDS] [-T MAX_MS] "
	    "[-i IDLE_MS]\n"
	    "       netbench count -c IFACE [-p PORT] [-r ROUNDS] [-T MAX_MS] "
	    "[-i IDLE_MS] [-S SIZES]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *host = NULL, *dir = NULL, *sizes = NULL;
	unsigned long port = NB_PORT, size = 0;
	uint64_t ms = 3000, max_ms = 0, idle_ms = 0;
	int opt, rounds = 1;
	bool send = false, count = false;

	if (argc < 2)
		nb_usage();
	if (strcmp(argv[1], "send") == 0)
		send = true;
	else if (strcmp(argv[1], "count") == 0)
		count = true;
	else if (strcmp(argv[1], "recv") != 0)
		nb_usage();
	optind = 2;
	while ((opt = getopt(argc, argv, "h:p:s:t:r:T:i:c:S:")) != -1) {
		switch (opt) {
		case 'h':
			host = optarg;
			break;
		case 'p':
			port = strtoul(optarg, NULL, 10);
			break;
		case 's':
			size = strtoul(optarg, NULL, 10);
			break;
		case 't':
			ms = strtoull(optarg, NULL, 10);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'T':
			max_ms = strtoull(optarg, NULL, 10);
			break;
		case 'i':
			idle_ms = strtoull(optarg, NULL, 10);
			break;
		case 'c':
			dir = optarg;
			break;
		case 'S':
			sizes = optarg;
			break;
		default:
			nb_usage();
		}
	}
	if (port == 0 || port > 65535 || rounds < 1)
		nb_usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGTERM, nb_onsig);
	signal(SIGINT, nb_onsig);
	if (send) {
		if (host == NULL || size < NB_HDR || size > NB_MAXSIZE)
			nb_usage();
		return (nb_send(host, (uint16_t)port, size, ms));
	}
	if (count) {
		if (dir == NULL)
			nb_usage();
		return (nb_count(dir, (uint16_t)port, rounds, max_ms,
		    idle_ms > 0 ? idle_ms : 1000, sizes));
	}
	return (nb_recv((uint16_t)port, rounds, max_ms,
	    idle_ms > 0 ? idle_ms : 2000));
}
