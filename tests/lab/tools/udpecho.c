/*
 * udpecho: the lab's UDP echo check, both ends.
 *
 *	udpecho server [-p PORT] [-i IF] [-c COUNT] [-t IDLE_MS] [-T MAX_MS]
 *	udpecho client -h HOST [-p PORT] [-i IF] [-s SIZES] [-w WAIT_MS]
 *	    [-r RETRIES] [-T MAX_MS]
 *	udpecho send -h HOST -p PORT -m TEXT
 *
 * The client sends one datagram per size in SIZES (a list of N, A-B or
 * A-B/STEP, comma separated, 1 .. 65507 bytes) filled with netcheck's
 * pattern, waits for it to come back, and compares the echo byte for byte.
 * The server checks the pattern of each datagram and sends it back.  With
 * -i, each side also captures what arrives on interface IF and verifies the
 * UDP checksum of every datagram from the peer itself, after reassembly
 * (netcheck.h): a datagram the kernel took on trust (checksum offload) is
 * checked as well.  One result line at the end:
 *
 *	UDPECHO-CLIENT ... result=pass|fail
 *	UDPECHO-SERVER ... result=pass|fail
 *
 * pass: every datagram came back intact (client) or carried the pattern
 * (server), and with -i every one was seen with a correct checksum.  Exit
 * status 0 on pass.  "send" sends TEXT as one datagram (a control message,
 * e.g. "done" to netlab_hold's port 7779).
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "netcheck.h"

#define UE_PORT		7777
#define UE_MAXSIZES	70000
#define UE_DEFSIZES	"1-32,33-1472/97,1471-1474,1480-1481,2944-2953/9," \
			"4096,8192,8193,16384,32768-65507/4093,65500-65507"

static volatile sig_atomic_t ue_stop;

static void
ue_onsig(int sig)
{
	(void)sig;
	ue_stop = 1;
}

static uint64_t
ue_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

static int
ue_udp_socket(void)
{
	int fd, b = 4 << 20;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "udpecho: socket: %s\n", strerror(errno));
		exit(2);
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &b, sizeof(b));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &b, sizeof(b));
	return (fd);
}

/* Parses SIZES into sz[]; returns the count, or -1. */
static int
ue_parse_sizes(const char *spec, uint32_t *sz, int max)
{
	char *copy, *tok, *save, *end;
	unsigned long a, b, step;
	int n = 0;

	copy = strdup(spec);
	if (copy == NULL)
		return (-1);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		a = strtoul(tok, &end, 10);
		b = a;
		step = 1;
		if (*end == '-')
			b = strtoul(end + 1, &end, 10);
		if (*end == '/')
			step = strtoul(end + 1, &end, 10);
		if (*end != '\0' || a < 1 || b > NC_UDP_MAX || a > b ||
		    step == 0) {
			fprintf(stderr, "udpecho: bad size item '%s' "
			    "(1 .. %d)\n", tok, NC_UDP_MAX);
			free(copy);
			return (-1);
		}
		for (; a <= b; a += step) {
			if (n == max) {
				free(copy);
				return (-1);
			}
			sz[n++] = (uint32_t)a;
		}
	}
	free(copy);
	return (n);
}

static void
ue_cap_line(const char *ifname, const struct capture *c, char *out,
    size_t outlen)
{
	if (ifname == NULL) {
		snprintf(out, outlen, "capture=off");
		return;
	}
	snprintf(out, outlen,
	    "capture=%s seen=%" PRIu64 " csum_ok=%" PRIu64
	    " csum_offload_ok=%" PRIu64 " csum_bad=%" PRIu64
	    " csum_zero=%" PRIu64 " ip_bad=%" PRIu64 " frags_max=%" PRIu64
	    " truncated=%" PRIu64, ifname, c->c_st.seen,
	    c->c_st.by[NC_CSUM_OK], c->c_st.by[NC_CSUM_OFFLOAD_OK],
	    c->c_st.by[NC_CSUM_BAD], c->c_st.by[NC_CSUM_ZERO],
	    c->c_reasm->r_ip_bad, c->c_st.frags_max, c->c_st.truncated);
}

/* Every datagram accepted was also seen, each with a correct checksum. */
static bool
ue_cap_pass(const struct capture *c, uint64_t accepted)
{
	return (c->c_st.by[NC_CSUM_BAD] == 0 && c->c_st.by[NC_CSUM_ZERO] == 0 &&
	    c->c_st.by[NC_CSUM_OK] + c->c_st.by[NC_CSUM_OFFLOAD_OK] >=
	    accepted);
}

static int
ue_server(uint16_t port, const char *ifname, uint64_t count, int idle_ms,
    int max_ms, int verbose)
{
	struct capture cap = { .c_fd = -1 };
	struct sockaddr_in sin, from;
	struct pollfd pfd[2];
	uint64_t rx = 0, bad = 0, txerr = 0, t0, last = 0, bytes = 0;
	socklen_t fl;
	uint8_t *buf;
	char cl[400];
	ssize_t n;
	size_t at;
	int fd, np;
	bool pass;

	buf = malloc(NC_IP_MAX);
	fd = ue_udp_socket();
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (buf == NULL || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		fprintf(stderr, "udpecho: bind port %u: %s\n", port,
		    strerror(errno));
		exit(2);
	}
	if (ifname != NULL) {
		if (cap_open(&cap, ifname) != 0)
			exit(2);
		cap.c_dport = port;
		cap.c_verbose = verbose;
	}
	printf("UDPECHO-SERVER-READY port=%u\n", port);
	fflush(stdout);
	t0 = ue_now_ms();
	while (!ue_stop && (count == 0 || rx < count)) {
		uint64_t now = ue_now_ms();

		if (max_ms > 0 && now - t0 >= (uint64_t)max_ms)
			break;
		if (idle_ms > 0 && rx > 0 && now - last >= (uint64_t)idle_ms)
			break;
		pfd[0].fd = fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = cap.c_fd;
		pfd[1].events = POLLIN;
		np = poll(pfd, ifname != NULL ? 2 : 1, 100);
		if (np <= 0)
			continue;
		if (ifname != NULL && (pfd[1].revents & POLLIN))
			cap_drain(&cap, 0);
		if (!(pfd[0].revents & POLLIN))
			continue;
		fl = sizeof(from);
		n = recvfrom(fd, buf, NC_IP_MAX, MSG_DONTWAIT,
		    (struct sockaddr *)&from, &fl);
		if (n < 0)
			continue;
		rx++;
		bytes += (uint64_t)n;
		last = ue_now_ms();
		at = nc_verify(buf, (size_t)n);
		if (at != (size_t)n) {
			bad++;
			printf("UDPECHO-BAD len=%zd from=%s:%u first_bad=%zu "
			    "got=0x%02x\n", n, inet_ntoa(from.sin_addr),
			    ntohs(from.sin_port), at, buf[at]);
		} else if (verbose) {
			printf("UDPECHO-RX len=%zd\n", n);
		}
		if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from,
		    fl) != n)
			txerr++;
	}
	if (ifname != NULL)
		cap_drain(&cap, 300);
	ue_cap_line(ifname, &cap, cl, sizeof(cl));
	pass = rx > 0 && bad == 0 && txerr == 0 &&
	    (ifname == NULL || ue_cap_pass(&cap, rx));
	printf("UDPECHO-SERVER port=%u rx=%" PRIu64 " bytes=%" PRIu64
	    " bad=%" PRIu64 " tx_err=%" PRIu64 " %s result=%s\n", port, rx,
	    bytes, bad, txerr, cl, pass ? "pass" : "fail");
	if (ifname != NULL)
		cap_close(&cap);
	free(buf);
	close(fd);
	return (pass ? 0 : 1);
}

static int
ue_client(const char *host, uint16_t port, const char *ifname,
    const char *sizes, int wait_ms, int retries, int max_ms, int verbose)
{
	struct capture cap = { .c_fd = -1 };
	struct sockaddr_in sin;
	struct pollfd pfd;
	uint64_t ok = 0, lost = 0, bad = 0, resent = 0, stale = 0, bytes = 0;
	uint64_t t0, tw;
	uint32_t *sz;
	uint8_t *tx, *rx;
	char cl[400];
	int fd, nsz, r, done;
	ssize_t n;
	bool pass, got;

	sz = calloc(UE_MAXSIZES, sizeof(*sz));
	tx = malloc(NC_IP_MAX);
	rx = malloc(NC_IP_MAX);
	if (sz == NULL || tx == NULL || rx == NULL)
		exit(2);
	nsz = ue_parse_sizes(sizes, sz, UE_MAXSIZES);
	if (nsz <= 0)
		exit(2);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		fprintf(stderr, "udpecho: bad address %s\n", host);
		exit(2);
	}
	fd = ue_udp_socket();
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		fprintf(stderr, "udpecho: connect %s: %s\n", host,
		    strerror(errno));
		exit(2);
	}
	if (ifname != NULL) {
		if (cap_open(&cap, ifname) != 0)
			exit(2);
		cap.c_peer = sin.sin_addr.s_addr;
		cap.c_sport = port;
		cap.c_verbose = verbose;
	}
	t0 = ue_now_ms();
	for (done = 0; done < nsz && !ue_stop; done++) {
		size_t len = sz[done];

		if (max_ms > 0 && ue_now_ms() - t0 >= (uint64_t)max_ms)
			break;
		nc_fill(tx, len);
		got = false;
		for (r = 0; r <= retries && !got; r++) {
			if (r > 0)
				resent++;
			if (send(fd, tx, len, 0) != (ssize_t)len) {
				printf("UDPECHO-SENDERR len=%zu: %s\n", len,
				    strerror(errno));
				continue;
			}
			tw = ue_now_ms();
			while (!got && ue_now_ms() - tw < (uint64_t)wait_ms) {
				pfd.fd = fd;
				pfd.events = POLLIN;
				if (poll(&pfd, 1, 20) <= 0)
					continue;
				n = recv(fd, rx, NC_IP_MAX, MSG_DONTWAIT);
				if (n < 0)
					continue;
				/* A late echo of an earlier size. */
				if ((size_t)n != len &&
				    nc_verify(rx, (size_t)n) == (size_t)n) {
					stale++;
					continue;
				}
				got = true;
				if ((size_t)n != len || memcmp(rx, tx, len) != 0) {
					bad++;
					printf("UDPECHO-BAD len=%zu got_len=%zd "
					    "first_bad=%zu\n", len, n,
					    nc_verify(rx, (size_t)n));
				} else {
					ok++;
					bytes += len;
				}
			}
			if (ifname != NULL)
				cap_drain(&cap, 0);
		}
		if (!got) {
			lost++;
			printf("UDPECHO-LOST len=%zu after %d tries\n", len, r);
		} else if (verbose) {
			printf("UDPECHO-OK len=%zu tries=%d\n", len, r);
		}
	}
	if (ifname != NULL)
		cap_drain(&cap, 300);
	ue_cap_line(ifname, &cap, cl, sizeof(cl));
	pass = done == nsz && lost == 0 && bad == 0 &&
	    (ifname == NULL || ue_cap_pass(&cap, ok));
	printf("UDPECHO-CLIENT peer=%s:%u sizes=%d done=%d ok=%" PRIu64
	    " lost=%" PRIu64 " bad=%" PRIu64 " resent=%" PRIu64
	    " stale=%" PRIu64 " bytes=%" PRIu64 " min=%u max=%u ms=%" PRIu64
	    " %s result=%s\n", host, port, nsz, done, ok, lost, bad, resent,
	    stale, bytes, sz[0], sz[nsz - 1], ue_now_ms() - t0, cl,
	    pass ? "pass" : "fail");
	if (ifname != NULL)
		cap_close(&cap);
	close(fd);
	free(sz);
	free(tx);
	free(rx);
	return (pass ? 0 : 1);
}

static int
ue_send(const char *host, uint16_t port, const char *text)
{
	struct sockaddr_in sin;
	size_t len = strlen(text);
	int fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		fprintf(stderr, "udpecho: bad address %s\n", host);
		return (2);
	}
	fd = ue_udp_socket();
	if (sendto(fd, text, len, 0, (struct sockaddr *)&sin, sizeof(sin)) !=
	    (ssize_t)len) {
		fprintf(stderr, "udpecho: send: %s\n", strerror(errno));
		close(fd);
		return (1);
	}
	close(fd);
	return (0);
}

static void
ue_usage(void)
{
	fprintf(stderr,
	    "usage: udpecho server [-p PORT] [-i IF] [-c COUNT] [-t IDLE_MS] "
	    "[-T MAX_MS] [-v]\n"
	    "       udpecho client -h HOST [-p PORT] [-i IF] [-s SIZES] "
	    "[-w WAIT_MS] [-r RETRIES] [-T MAX_MS] [-v]\n"
	    "       udpecho send -h HOST -p PORT -m TEXT\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *host = NULL, *ifname = NULL, *sizes = UE_DEFSIZES;
	const char *text = NULL;
	unsigned long port = UE_PORT;
	uint64_t count = 0;
	int idle_ms = 0, max_ms = 0, wait_ms = 500, retries = 3, verbose = 0;
	int opt, mode;

	if (argc < 2)
		ue_usage();
	if (strcmp(argv[1], "server") == 0)
		mode = 0;
	else if (strcmp(argv[1], "client") == 0)
		mode = 1;
	else if (strcmp(argv[1], "send") == 0)
		mode = 2;
	else
		ue_usage();
	optind = 2;
	while ((opt = getopt(argc, argv, "p:i:c:t:T:h:s:w:r:m:v")) != -1) {
		switch (opt) {
		case 'p':
			port = strtoul(optarg, NULL, 10);
			break;
		case 'i':
			ifname = optarg;
			break;
		case 'c':
			count = strtoull(optarg, NULL, 10);
			break;
		case 't':
			idle_ms = atoi(optarg);
			break;
		case 'T':
			max_ms = atoi(optarg);
			break;
		case 'h':
			host = optarg;
			break;
		case 's':
			sizes = optarg;
			break;
		case 'w':
			wait_ms = atoi(optarg);
			break;
		case 'r':
			retries = atoi(optarg);
			break;
		case 'm':
			text = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			ue_usage();
		}
	}
	if (port == 0 || port > 65535 || (mode != 0 && host == NULL) ||
	    (mode == 2 && text == NULL))
		ue_usage();
	signal(SIGTERM, ue_onsig);
	signal(SIGINT, ue_onsig);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mode == 2)
		return (ue_send(host, (uint16_t)port, text));
	if (mode == 0)
		return (ue_server((uint16_t)port, ifname, count, idle_ms,
		    max_ms, verbose));
	return (ue_client(host, (uint16_t)port, ifname, sizes, wait_ms,
	    retries, max_ms, verbose));
}
