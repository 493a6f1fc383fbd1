/*
 * xsring: the ring path (guests) on the host, under xenstub.  G guest
 * processes, each a synchronous xenbus driver on its own ring
 * (XENSTUB_DIR/ring-<domid>, domids 1..G), alternate N reads and writes
 * in their own subtree /local/domain/<domid>: a request is copied into
 * the request ring and announced on the evtchn FIFO, as a guest's
 * notification; the guest then waits on its FIFO notify-<port>, which
 * xenstub feeds with the daemon's notifications, for the whole reply.  A
 * wait that sees no notification for 20 ms counts as a stall (a reply
 * left unannounced).  Prints requests/s, the daemon's CPU time per
 * request (its threads' run time) and its notifications per request
 * (XENSTUB_DIR/notify-count), before and after.
 *
 * usage: xsring DIR SOCKET GUESTS N DAEMON_PID   (the daemon runs under
 * xenstub with XENSTUB_DIR=DIR and listens on SOCKET)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

#include "../../tests/xenstored/xenstub.h"
#include "xsclock.h"

static const char *dir;

static void __attribute__((noreturn))
die(const char *what)
{
	fprintf(stderr, "xsring: %s: %s\n", what, strerror(errno));
	exit(1);
}

static char *
in_dir(const char *name)
{
	static char p[4096];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

/* One request over the socket as dom0; the reply's type. */
static uint32_t
sock_call(int fd, uint32_t type, const char *a, size_t alen)
{
	struct xsd_sockmsg h = { type, 1, 0, (uint32_t)alen };
	char buf[sizeof(h) + XENSTORE_PAYLOAD_MAX];
	size_t got = 0;
	ssize_t r;

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), a, alen);
	if (write(fd, buf, sizeof(h) + alen) != (ssize_t)(sizeof(h) + alen))
		die("socket write");
	while (got < sizeof(h) || got < sizeof(h) + h.len) {
		r = read(fd, buf + got, sizeof(buf) - got);
		if (r <= 0)
			die("socket read");
		got += (size_t)r;
		memcpy(&h, buf, sizeof(h));
	}
	return h.type;
}

static int
sock_open(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		die("connect");
	return fd;
}

/* dom0 introduces guest d and gives it its subtree. */
static void
introduce(int fd, unsigned d)
{
	char a[128];
	int n;

	n = snprintf(a, sizeof(a), "%u%c1234%c%u", d, 0, 0, 7u);
	if (sock_call(fd, XS_INTRODUCE, a, (size_t)n + 1) != XS_INTRODUCE) {
		fprintf(stderr, "xsring: dom0 could not introduce dom%u\n", d);
		exit(1);
	}
	n = snprintf(a, sizeof(a), "/local/domain/%u/k%c0", d, 0);
	sock_call(fd, XS_WRITE, a, (size_t)n);
	n = snprintf(a, sizeof(a), "/local/domain/%u%cn%u", d, 0, d);
	sock_call(fd, XS_SET_PERMS, a, (size_t)n + 1);
	n = snprintf(a, sizeof(a), "/local/domain/%u/k%cn%u", d, 0, d);
	sock_call(fd, XS_SET_PERMS, a, (size_t)n + 1);
}

struct guest {
	volatile struct xenstore_domain_interface *intf;
	int evfd, nfd;
	uint32_t port;
	long stalls, errors;
};

static void
guest_send(struct guest *g, const void *p, size_t n)
{
	volatile struct xenstore_domain_interface *in = g->intf;
	XENSTORE_RING_IDX prod = in->req_prod;
	size_t i;

	/* A request of ours always fits: the ring is empty between them. */
	for (i = 0; i < n; i++)
		in->req[MASK_XENSTORE_IDX(prod + i)] = ((const char *)p)[i];
	__atomic_store_n(&in->req_prod, prod + (XENSTORE_RING_IDX)n,
	    __ATOMIC_RELEASE);
	(void)!write(g->evfd, &g->port, sizeof(g->port));
}

/* Waits for the whole reply; returns its type. */
static uint32_t
guest_recv(struct guest *g)
{
	volatile struct xenstore_domain_interface *in = g->intf;
	struct xsd_sockmsg h;
	char junk[256];
	XENSTORE_RING_IDX cons, prod;
	size_t i;

	for (;;) {
		cons = in->rsp_cons;
		prod = __atomic_load_n(&in->rsp_prod, __ATOMIC_ACQUIRE);
		if (prod - cons >= sizeof(h)) {
			for (i = 0; i < sizeof(h); i++)
				((char *)&h)[i] =
				    in->rsp[MASK_XENSTORE_IDX(cons + i)];
			if (prod - cons >= sizeof(h) + h.len)
				break;
		}
		struct pollfd pf = { g->nfd, POLLIN, 0 };

		if (poll(&pf, 1, 20) == 0)
			g->stalls++;
		while (read(g->nfd, junk, sizeof(junk)) > 0)
			;
	}
	__atomic_store_n(&in->rsp_cons,
	    cons + (XENSTORE_RING_IDX)(sizeof(h) + h.len), __ATOMIC_RELEASE);
	return h.type;
}

static void
guest_run(unsigned d, long n, long *stalls_out)
{
	struct guest g = { 0 };
	char name[64], msg[sizeof(struct xsd_sockmsg) + 128];
	struct xsd_sockmsg h = { 0, 0, 0, 0 };
	void *m;
	long k;
	int fd, len;

	snprintf(name, sizeof(name), "ring-%u", d);
	fd = open(in_dir(name), O_RDWR);
	if (fd < 0)
		die(name);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		die("mmap");
	g.intf = m;
	g.port = XENSTUB_PORT_BASE + d;
	g.evfd = open(in_dir("evtchn"), O_WRONLY);
	snprintf(name, sizeof(name), "notify-%u", g.port);
	g.nfd = open(in_dir(name), O_RDWR | O_NONBLOCK);
	if (g.evfd < 0 || g.nfd < 0)
		die("fifo");
	for (k = 0; k < n; k++) {
		if (k % 2 == 0) {
			h.type = XS_READ;
			len = snprintf(msg + sizeof(h), 128, "k") + 1;
		} else {
			h.type = XS_WRITE;
			len = snprintf(msg + sizeof(h), 128, "k%c%ld", 0, k);
		}
		h.req_id = (uint32_t)k;
		h.len = (uint32_t)len;
		memcpy(msg, &h, sizeof(h));
		guest_send(&g, msg, sizeof(h) + (size_t)len);
		if (guest_recv(&g) != h.type)
			g.errors++;
	}
	*stalls_out = g.stalls;
	_exit(g.errors != 0);
}

static unsigned long long
notifies(void)
{
	unsigned long long v = 0;
	FILE *f = fopen(in_dir("notify-count"), "r");

	if (f != NULL) {
		if (fread(&v, sizeof(v), 1, f) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

int
main(int argc, char **argv)
{
	unsigned guests, d;
	long n, *stalls, tot_stalls = 0;
	pid_t daemon;
	int sfd, st, fails = 0;
	double t0, t1, c0, c1;
	unsigned long long n0, n1;
	char name[64];

	if (argc != 6) {
		fprintf(stderr, "usage: xsring DIR SOCKET GUESTS N DAEMON_PID\n");
		return 2;
	}
	dir = argv[1];
	guests = (unsigned)atoi(argv[3]);
	n = atol(argv[4]);
	daemon = (pid_t)atol(argv[5]);
	if (guests < 1 || guests > 60 || n < 1)
		return 2;
	stalls = mmap(NULL, guests * sizeof(*stalls), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stalls == MAP_FAILED)
		die("mmap");
	/* Each guest's ring page (zeroed) and notification FIFO. */
	for (d = 1; d <= guests; d++) {
		int fd;

		snprintf(name, sizeof(name), "ring-%u", d);
		fd = open(in_dir(name), O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || ftruncate(fd, 4096) != 0)
			die(name);
		close(fd);
		snprintf(name, sizeof(name), "notify-%u", XENSTUB_PORT_BASE + d);
		if (mkfifo(in_dir(name), 0600) != 0 && errno != EEXIST)
			die("mkfifo");
	}
	sfd = sock_open(argv[2]);
	for (d = 1; d <= guests; d++)
		introduce(sfd, d);
	n0 = notifies();
	c0 = cpu_of(daemon);
	t0 = now();
	for (d = 1; d <= guests; d++)
		if (fork() == 0)
			guest_run(d, n, &stalls[d - 1]);
	for (d = 1; d <= guests; d++)
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			fails++;
	t1 = now();
	c1 = cpu_of(daemon);
	n1 = notifies();
	for (d = 0; d < guests; d++)
		tot_stalls += stalls[d];
	printf("ring     guests %2u  %9.0f req/s  daemon CPU %6.2f us/req  "
	       "notifications/req %5.2f  stalls %ld%s\n",
	    guests, (double)guests * (double)n / (t1 - t0),
	    (c1 - c0) * 1e6 / ((double)guests * (double)n),
	    (double)(n1 - n0) / ((double)guests * (double)n), tot_stalls,
	    fails ? "  (guest failures)" : "");
	close(sfd);
	return fails != 0;
}
