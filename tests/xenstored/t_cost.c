/*
 * The cost of a request in the steady state (issue 14).  Allocations: no
 * per-request allocation.  The daemon's core runs in this process over an in-memory
 * transport; this program's own malloc, calloc and realloc (which the core
 * objects bind to) count every call before handing it to glibc, so the
 * count is taken independently of the code under test.  After a warm-up
 * (buffers and tables at their working size), a READ must allocate
 * nothing, a WRITE of an existing leaf at most the one new node, and the
 * events of a write fired at many watches nothing more.  Work: a write
 * costs about the same whether or not thousands of watches on other
 * paths exist (they are not walked), and an event costs the same however
 * many wait unread before it; timed by the process CPU clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include <unistd.h>

#include <atf-c.h>

#include "helper.h"
#include "xsd.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static unsigned long nalloc;

void *
malloc(size_t n)
{
	nalloc++;
	return __libc_malloc(n);
}

void *
calloc(size_t n, size_t sz)
{
	nalloc++;
	return __libc_calloc(n, sz);
}

void *
realloc(void *p, size_t n)
{
	nalloc++;
	return __libc_realloc(p, n);
}

/* Replies vanish as written: only their count and last type are kept. */
static unsigned long nwritten;
static uint32_t last_type;

static long
mem_read(struct conn *c, void *p, size_t n)
{
	(void)c;
	(void)p;
	(void)n;
	return 0;
}

static long
mem_write(struct conn *c, const void *p, size_t n)
{
	struct xsd_sockmsg h;

	(void)c;
	if (n >= sizeof(h)) {
		memcpy(&h, p, sizeof(h));
		if (h.type != XS_WATCH_EVENT)
			last_type = h.type;
	}
	nwritten++;
	return (long)n;
}

static const struct transport_ops mem_ops = { "mem", mem_read, mem_write,
	NULL, NULL, NULL, NULL };

static void
send_req(struct conn *c, uint32_t type, const char *a, const char *b)
{
	uint8_t msg[512];
	struct xsd_sockmsg h;
	struct conn *o;
	size_t al = strlen(a) + 1, bl = b != NULL ? strlen(b) : 0;

	/* A watch's token is a string too; a written value is not. */
	if (type == XS_WATCH)
		bl++;

	memset(&h, 0, sizeof(h));
	h.type = type;
	h.req_id = 7;
	h.len = (uint32_t)(al + bl);
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), a, al);
	if (b != NULL)
		memcpy(msg + sizeof(h) + al, b, bl);
	ATF_REQUIRE_EQ(conn_feed(c, msg, sizeof(h) + al + bl),
	    sizeof(h) + al + bl);
	/* As the daemon's loop: every connection's output, each turn. */
	for (o = xsd_conns; o != NULL; o = o->next)
		conn_flush_output(o);
	/* (A peer that reads nothing has no replies to look at.) */
	ATF_REQUIRE_MSG(c->ops->write != mem_write || last_type == type,
	    "reply type %u to request %u", last_type, type);
}

static struct conn *
setup(void)
{
	struct conn *c;

	xsd_quiet = 1;
	quota_defaults(&xsd_quota);
	ATF_REQUIRE(store_init() == 0);
	c = conn_new(&mem_ops, NULL, -1, 0);
	ATF_REQUIRE(c != NULL);
	return c;
}

/* Allocations per request over n requests after a warm-up of as many. */
static double
per_req(struct conn *c, uint32_t type, const char *path, const char *val,
    int n)
{
	unsigned long a0;
	int i;

	for (i = 0; i < n; i++)
		send_req(c, type, path, val);
	a0 = nalloc;
	for (i = 0; i < n; i++)
		send_req(c, type, path, val);
	return (double)(nalloc - a0) / n;
}

ATF_TC_WITHOUT_HEAD(read_allocates_nothing);
ATF_TC_BODY(read_allocates_nothing, tc)
{
	struct conn *c = setup();
	double a;

	send_req(c, XS_WRITE, "/a/b", "value");
	a = per_req(c, XS_READ, "/a/b", NULL, 1000);
	ATF_CHECK_MSG(a == 0, "%.2f allocations per READ", a);
	a = per_req(c, XS_DIRECTORY, "/a", NULL, 1000);
	ATF_CHECK_MSG(a == 0, "%.2f allocations per DIRECTORY", a);
}

ATF_TC_WITHOUT_HEAD(write_allocates_one_node);
ATF_TC_BODY(write_allocates_one_node, tc)
{
	struct conn *c = setup();
	double a;

	send_req(c, XS_WRITE, "/a/b", "value");
	a = per_req(c, XS_WRITE, "/a/b", "other", 1000);
	ATF_CHECK_MSG(a <= 1, "%.2f allocations per WRITE", a);
}

ATF_TC_WITHOUT_HEAD(watched_write_allocates_one_node);
ATF_TC_BODY(watched_write_allocates_one_node, tc)
{
	struct conn *c = setup(), *w;
	char tok[16];
	unsigned long before;
	double a;
	int i;

	w = conn_new(&mem_ops, NULL, -1, 0);
	ATF_REQUIRE(w != NULL);
	send_req(c, XS_WRITE, "/w/x", "0");
	for (i = 0; i < 100; i++) {
		snprintf(tok, sizeof(tok), "t%d", i);
		send_req(w, XS_WATCH, "/w", tok);
	}
	before = nwritten;
	a = per_req(c, XS_WRITE, "/w/x", "1", 200);
	/* 400 writes, 100 events each, and their replies: all delivered. */
	ATF_REQUIRE_MSG(nwritten - before >= 400 * 101,
	    "%lu messages written", nwritten - before);
	ATF_CHECK_MSG(a <= 1, "%.2f allocations per watched WRITE", a);
}

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The least CPU time of five rounds of n watched writes (least: noise
 * from other load only adds). */
static double
write_cost(struct conn *c, int n)
{
	double best = 1e9, t0, t;
	int round, i;

	for (round = 0; round < 5; round++) {
		t0 = cpu_now();
		for (i = 0; i < n; i++)
			send_req(c, XS_WRITE, "/w/x", "1");
		t = cpu_now() - t0;
		if (t < best)
			best = t;
	}
	return best;
}

ATF_TC_WITHOUT_HEAD(unrelated_watches_cost_nothing);
ATF_TC_BODY(unrelated_watches_cost_nothing, tc)
{
	struct conn *c = setup(), *w, *others[10];
	char path[64], tok[16];
	double base, loaded;
	int i, k;

	w = conn_new(&mem_ops, NULL, -1, 0);
	ATF_REQUIRE(w != NULL);
	send_req(c, XS_WRITE, "/w/x", "0");
	send_req(w, XS_WATCH, "/w", "tok");
	base = write_cost(c, 2000);
	/* 20000 watches on paths no write here touches, over 10 peers. */
	for (k = 0; k < 10; k++) {
		others[k] = conn_new(&mem_ops, NULL, -1, 0);
		ATF_REQUIRE(others[k] != NULL);
		for (i = 0; i < 2000; i++) {
			snprintf(path, sizeof(path), "/other/%d/%d", k, i);
			snprintf(tok, sizeof(tok), "t%d", i);
			send_req(others[k], XS_WATCH, path, tok);
		}
	}
	loaded = write_cost(c, 2000);
	ATF_CHECK_MSG(loaded < base * 10,
	    "2000 writes: %.1f ms with 20000 unrelated watches, %.1f ms "
	    "without", loaded * 1e3, base * 1e3);
}

/* A peer that reads nothing: its events stay queued. */
static long
stuck_write(struct conn *c, const void *p, size_t n)
{
	(void)c;
	(void)p;
	(void)n;
	return 0;
}

static const struct transport_ops stuck_ops = { "stuck", mem_read,
	stuck_write, NULL, NULL, NULL, NULL };

/* CPU time of writes to /q/<from>..<to - 1>. */
static double
distinct_writes(struct conn *c, int from, int to)
{
	char path[32];
	double t0 = cpu_now();
	int i;

	for (i = from; i < to; i++) {
		snprintf(path, sizeof(path), "/q/%d", i);
		send_req(c, XS_WRITE, path, "v");
	}
	return cpu_now() - t0;
}

ATF_TC_WITHOUT_HEAD(queued_events_cost_nothing);
ATF_TC_BODY(queued_events_cost_nothing, tc)
{
	struct conn *c = setup(), *w;
	double first, last;
	char tok[16];
	int i;

	xsd_quota.watch_events = 8192;
	xsd_quota.outstanding = 1000; /* its replies stay queued too */
	w = conn_new(&stuck_ops, NULL, -1, 0);
	ATF_REQUIRE(w != NULL);
	send_req(c, XS_WRITE, "/q/0", "v");
	for (i = 0; i < 100; i++) {
		snprintf(tok, sizeof(tok), "t%d", i);
		send_req(w, XS_WATCH, "/q", tok);
	}
	/* Each write to a new path queues 100 new events at w. */
	first = distinct_writes(c, 1, 6);
	distinct_writes(c, 6, 75);
	last = distinct_writes(c, 75, 80);
	ATF_REQUIRE_MSG(w->out_events >= 7900, "%u events queued",
	    w->out_events);
	ATF_CHECK_MSG(last < first * 4,
	    "5 writes of 100 events each: %.2f ms with %u events queued, "
	    "%.2f ms with 100", last * 1e3, w->out_events, first * 1e3);
}

/* One read-modify-write transaction; returns its allocations. */
static unsigned long
rmw_once(struct conn *c)
{
	uint8_t msg[64];
	struct xsd_sockmsg h;
	unsigned long a0 = nalloc;
	struct conn *o;
	uint32_t tx;
	int step;

	send_req(c, XS_TRANSACTION_START, "", NULL);
	tx = c->next_txid - 1;
	for (step = 0; step < 3; step++) {
		static const char kv[] = "/a/b\0v";
		static const char end[] = "T";
		size_t len = step == 0 ? 5 : step == 1 ? sizeof(kv) - 1 : 2;

		memset(&h, 0, sizeof(h));
		h.type = step == 0 ? XS_READ : step == 1 ? XS_WRITE :
					   XS_TRANSACTION_END;
		h.tx_id = tx;
		h.len = (uint32_t)len;
		memcpy(msg, &h, sizeof(h));
		memcpy(msg + sizeof(h), step == 2 ? end : kv, len);
		ATF_REQUIRE_EQ(conn_feed(c, msg, sizeof(h) + len),
		    sizeof(h) + len);
		for (o = xsd_conns; o != NULL; o = o->next)
			conn_flush_output(o);
		ATF_REQUIRE_MSG(last_type == h.type, "step %d: reply %u", step,
		    last_type);
	}
	return nalloc - a0;
}

/* A transaction allocates its copy of the node read and the node
 * written, nothing for itself. */
ATF_TC_WITHOUT_HEAD(transaction_allocates_its_nodes);
ATF_TC_BODY(transaction_allocates_its_nodes, tc)
{
	struct conn *c = setup();
	unsigned long a = 0;
	int i;

	send_req(c, XS_WRITE, "/a/b", "value");
	for (i = 0; i < 100; i++)
		rmw_once(c);
	for (i = 0; i < 100; i++)
		a += rmw_once(c);
	ATF_CHECK_MSG(a <= 200, "%.2f allocations per transaction",
	    (double)a / 100);
}

/* A process's run time (ns), all its threads: schedstat's first field. */
static double
run_time(pid_t pid)
{
	char p[64];
	unsigned long long ns = 0;
	FILE *f;

	snprintf(p, sizeof(p), "/proc/%ld/schedstat", (long)pid);
	f = fopen(p, "r");
	ATF_REQUIRE(f != NULL);
	ATF_REQUIRE(fscanf(f, "%llu", &ns) == 1);
	fclose(f);
	return (double)ns / 1e9;
}

/* The daemon's least CPU time over five rounds of n reads on fd. */
static double
daemon_read_cost(const struct xsd_daemon *d, int fd, int n)
{
	char out[64];
	double best = 1e9, t0, t;
	int round, i;

	for (round = 0; round < 5; round++) {
		t0 = run_time(d->pid);
		for (i = 0; i < n; i++)
			ATF_REQUIRE_EQ(raw_call(fd, XS_READ, 0, "/a", 3, out,
					   sizeof(out), NULL),
			    XS_READ);
		t = run_time(d->pid) - t0;
		if (t < best)
			best = t;
	}
	return best;
}

/* Idle connections cost a wake-up nothing (epoll: no array of every
 * descriptor built and scanned per wake-up). */
ATF_TC_WITHOUT_HEAD(idle_connections_cost_nothing);
ATF_TC_BODY(idle_connections_cost_nothing, tc)
{
	static int idle[1000];
	struct xsd_daemon d;
	double base, loaded;
	char out[64];
	int fd, i;

	xsd_start(&d, tc, NULL);
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(raw_call(fd, XS_WRITE, 0, "/a\0v", 4, out,
			   sizeof(out), NULL),
	    XS_WRITE);
	base = daemon_read_cost(&d, fd, 1000);
	for (i = 0; i < 1000; i++) {
		idle[i] = raw_connect(d.sock);
		ATF_REQUIRE(idle[i] >= 0);
	}
	/* Every one accepted before the timing starts. */
	ATF_REQUIRE_EQ(raw_call(idle[999], XS_READ, 0, "/a", 3, out,
			   sizeof(out), NULL),
	    XS_READ);
	loaded = daemon_read_cost(&d, fd, 1000);
	/*
	 * A scan of every descriptor per wake-up cost 32x (253 ms against
	 * 7.9); 3.5x has been seen from a busy host alone, so the bound
	 * sits between.
	 */
	ATF_CHECK_MSG(loaded < base * 10,
	    "1000 reads: daemon CPU %.1f ms with 1000 idle connections, "
	    "%.1f ms without", loaded * 1e3, base * 1e3);
	for (i = 0; i < 1000; i++)
		close(idle[i]);
	close(fd);
	xsd_kill(&d, SIGKILL);
}

/* Lines of file f that contain s. */
static int
count_lines(const char *f, const char *s)
{
	char line[512];
	FILE *in = fopen(f, "r");
	int n = 0;

	ATF_REQUIRE(in != NULL);
	while (fgets(line, sizeof(line), in) != NULL)
		n += strstr(line, s) != NULL;
	fclose(in);
	return n;
}

/* A peer that reads nothing has its events dropped: logged once while it
 * stays behind, not once an event (a write to the log each). */
ATF_TC_WITHOUT_HEAD(dropped_events_logged_once);
ATF_TC_BODY(dropped_events_logged_once, tc)
{
	struct conn *c = setup(), *w;
	int n;

	ATF_REQUIRE(freopen("daemon.log", "w", stderr) != NULL);
	xsd_quiet = 0;
	xsd_quota.watch_events = 10;
	xsd_quota.outstanding = 1000;
	w = conn_new(&stuck_ops, NULL, -1, 0);
	ATF_REQUIRE(w != NULL);
	send_req(c, XS_WRITE, "/q/0", "v");
	send_req(w, XS_WATCH, "/q", "tok");
	distinct_writes(c, 1, 200);
	fflush(stderr);
	ATF_REQUIRE_EQ(w->out_events, 10);
	n = count_lines("daemon.log", "dropping");
	ATF_CHECK_MSG(n == 1, "%d log lines for 190 dropped events", n);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, read_allocates_nothing);
	ATF_TP_ADD_TC(tp, write_allocates_one_node);
	ATF_TP_ADD_TC(tp, watched_write_allocates_one_node);
	ATF_TP_ADD_TC(tp, unrelated_watches_cost_nothing);
	ATF_TP_ADD_TC(tp, queued_events_cost_nothing);
	ATF_TP_ADD_TC(tp, dropped_events_logged_once);
	ATF_TP_ADD_TC(tp, transaction_allocates_its_nodes);
	ATF_TP_ADD_TC(tp, idle_connections_cost_nothing);
	return atf_no_error();
}
