/*
 * netbench count: the guest -> dom0 figures taken where netback hands the
 * guest's frames to dom0's stack, not at a dom0 socket.  dom0 (one TCG
 * vCPU) cannot read datagrams as fast as either frontend sends them, so a
 * socket receiver measures dom0; the vif's rx counters count what netback
 * took off the guest's tx ring, which is what the frontend achieved.
 *
 *	netbench count -c IFACE [-p PORT] [-r ROUNDS] [-T MAX_MS] [-i IDLE_MS]
 *	    [-S SIZES]
 *
 * IFACE's received bytes and packets (netback's counts for vifD.Q) are
 * read together, one read of /proc/net/dev, every 10 ms (read apart, from
 * sysfs, a descheduled reader saw packets without their bytes and took a
 * 64-byte round for 1472).  An interval with at least NBC_BUSY_PPS
 * frames a second is busy; its mean frame (rx_bytes / rx_packets) less
 * the IP and UDP headers is the payload size (a driver may count the
 * Ethernet header too), snapped to the nearest of SIZES (comma separated)
 * if given.  A
 * round runs from the start of its first busy interval to the end of its
 * last one of the same size, and ends when NBC_SWITCH busy intervals in a
 * row are of another size (the next round starts with them) or after
 * IDLE_MS (default 1000) without one.  PORT (default 7778) is bound with
 * the smallest receive buffer and never read, so the datagrams die at the
 * full socket (no ICMP errors back, least dom0 work).  Lines as recv's,
 * with sent=- lost=- reordered=- (a counter has no sequence numbers) and
 * at=netback frame=BYTES.
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netbench.h"

#define NBC_TICK_US	10000
#define NBC_BUSY_PPS	500
#define NBC_IPUDP	28	/* IPv4 + UDP headers, no options */
#define NBC_MAXSIZES	8
#define NBC_SWITCH	3

struct nbc_sample {
	uint64_t	t, pkts, bytes;
};

struct nbc_round {
	bool		on;
	size_t		size;
	struct nbc_sample first, last;	/* before the first, after the last busy */
};

/* IFACE's line of /proc/net/dev: "IFACE: rx_bytes rx_packets ...". */
static bool
nbc_read(const char *ifname, struct nbc_sample *s)
{
	char buf[16384], *l;
	size_t n = 0, len = strlen(ifname);
	ssize_t k;
	int fd;

	fd = open("/proc/net/dev", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return (false);
	while (n < sizeof(buf) - 1 &&
	    (k = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)k;
	close(fd);
	s->t = nb_now_us();
	buf[n] = '\0';
	for (l = buf; l != NULL; l = strchr(l, '\n'), l = l != NULL ? l + 1 : l) {
		while (*l == ' ')
			l++;
		if (strncmp(l, ifname, len) == 0 && l[len] == ':')
			return (sscanf(l + len + 1, "%" SCNu64 " %" SCNu64,
			    &s->bytes, &s->pkts) == 2);
	}
	return (false);
}

/* The payload size a mean frame of fr bytes stands for. */
static size_t
nbc_size(uint64_t fr, const size_t *sizes, int nsizes)
{
	size_t best, s = fr > NBC_IPUDP ? (size_t)(fr - NBC_IPUDP) : 0;
	int i;

	if (nsizes == 0)
		return (s);
	best = sizes[0];
	for (i = 1; i < nsizes; i++) {
		size_t d = sizes[i] > s ? sizes[i] - s : s - sizes[i];
		size_t db = best > s ? best - s : s - best;

		if (d < db)
			best = sizes[i];
	}
	return (best);
}

static void
nbc_print(const struct nbc_round *r)
{
	uint64_t pkts = r->last.pkts - r->first.pkts;
	uint64_t us = r->last.t - r->first.t;
	double pps = us > 0 ? (double)pkts * 1e6 / (double)us : 0;

	printf("NETBENCH-RECV size=%zu pkts=%" PRIu64 " ms=%" PRIu64
	    " pps=%.0f mbps=%.1f sent=- lost=- reordered=- at=netback"
	    " frame=%" PRIu64 "\n", r->size, pkts, us / 1000, pps,
	    pps * (double)r->size * 8 / 1e6,
	    pkts > 0 ? (r->last.bytes - r->first.bytes) / pkts : 0);
	fflush(stdout);
}

/* The drop socket: bound, smallest buffer, never read. */
static int
nbc_sink(uint16_t port)
{
	struct sockaddr_in sin;
	int fd, b = 1;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		fprintf(stderr, "netbench: bind %u: %s\n", port,
		    strerror(errno));
		exit(2);
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &b, sizeof(b));
	return (fd);
}

int
nb_count(const char *ifname, uint16_t port, int rounds, uint64_t max_ms,
    uint64_t idle_ms, const char *sizelist)
{
	size_t sizes[NBC_MAXSIZES];
	struct nbc_sample prev, cur, pend_first;
	struct nbc_round r;
	uint64_t start;
	const char *p = sizelist;
	size_t pend_size = 0;
	int nsizes = 0, done = 0, pend = 0, fd;

	while (p != NULL && *p != '\0' && nsizes < NBC_MAXSIZES) {
		char *e;

		sizes[nsizes++] = strtoul(p, &e, 10);
		p = *e == ',' ? e + 1 : NULL;
	}
	fd = nbc_sink(port);
	if (!nbc_read(ifname, &prev)) {
		fprintf(stderr, "netbench: no %s in /proc/net/dev\n", ifname);
		exit(2);
	}
	printf("NETBENCH-COUNT-READY if=%s\n", ifname);
	fflush(stdout);
	memset(&r, 0, sizeof(r));
	start = prev.t;
	while (done < rounds && !nb_stop &&
	    (max_ms == 0 || prev.t - start < max_ms * 1000)) {
		uint64_t dp;

		usleep(NBC_TICK_US);
		/* The vif went with its guest: the round under way counts. */
		if (!nbc_read(ifname, &cur))
			break;
		dp = cur.pkts - prev.pkts;
		if (cur.t > prev.t && dp >= 3 &&
		    dp * 1000000 / (cur.t - prev.t) >= NBC_BUSY_PPS) {
			size_t s = nbc_size((cur.bytes - prev.bytes) / dp,
			    sizes, nsizes);

			if (r.on && s == r.size) {
				/* Odd intervals in between are this round's. */
				pend = 0;
				r.last = cur;
			} else if (r.on) {
				if (pend == 0 || s != pend_size) {
					pend = 0;
					pend_size = s;
					pend_first = prev;
				}
				if (++pend == NBC_SWITCH) {
					nbc_print(&r);
					done++;
					r.on = false;
					pend = 0;
					if (done < rounds) {
						r.on = true;
						r.size = s;
						r.first = pend_first;
						r.last = cur;
					}
				}
			} else if (done < rounds) {
				r.on = true;
				r.size = s;
				r.first = prev;
				r.last = cur;
			}
		} else if (r.on && cur.t - r.last.t > idle_ms * 1000) {
			nbc_print(&r);
			done++;
			r.on = false;
			pend = 0;
		}
		prev = cur;
	}
	if (r.on) {
		nbc_print(&r);
		done++;
	}
	printf("NETBENCH-RECV-DONE rounds=%d\n", done);
	close(fd);
	return (done == rounds ? 0 : 1);
}
