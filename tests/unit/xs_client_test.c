/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The xenstore client (sys/xen/xs_client.c and xs_ops.c, compiled as they
 * are) against a fake daemon on an in-memory ring (fake_xsd.c), under the
 * hosted scheduler and its virtual clock (hosted_sched.c): replies, a lying
 * or stalling daemon, timeouts, reader fairness and watch queues.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/linker_set.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <xen/xenstore.h>
#include <xen/xs_client.h>

#include "fake_xsd.h"
#include "hosted_sched.h"
#include "kunit.h"

SET_DECLARE(tunable_set, struct tunable);

static void
set_timeout_ms(int ms)
{
	struct tunable **tp;

	SET_FOREACH(tp, tunable_set) {
		if (strcmp((*tp)->name, "xenstore.timeout_ms") == 0) {
			*(int *)(*tp)->var = ms;
			return;
		}
	}
	kunit_fail(__FILE__, __LINE__, "no xenstore.timeout_ms tunable");
}

static struct xs_stats
stats(void)
{
	struct xs_stats st;

	xs_get_stats(&st);
	return (st);
}

/* Reads dir/node and checks the fake daemon's answer (the path reversed). */
static void
read_ok(const char *dir, const char *node)
{
	char path[64], want[64], *val;
	size_t len, n;
	int error;

	snprintf(path, sizeof(path), "%s/%s", dir, node);
	n = strlen(path);
	for (size_t i = 0; i < n; i++)
		want[i] = path[n - 1 - i];
	want[n] = '\0';
	error = xs_read(XST_NIL, dir, node, &val, &len);
	KU_ASSERT(error == 0, "xs_read %s: error %d", path, error);
	KU_ASSERT(len == n && strcmp(val, want) == 0,
	    "xs_read %s: got \"%s\" (%zu), want \"%s\"", path, val, len, want);
	free(val, M_XENSTORE);
}

static bool
never(void *arg __unused)
{
	return (false);
}

/* Lets the reader and the daemon run for d of virtual time. */
static void
settle(sbintime_t d)
{
	(void)hosted_sched_run_until(never, NULL, d);
}

KUNIT_TEST(xs_client_request_reply)
{
	struct xs_stats st;

	fxsd_start();
	read_ok("data", "vm");
	KU_ASSERT(fxsd_last_req.type == XS_READ &&
	    fxsd_last_req.len == sizeof("data/vm"),
	    "daemon saw type %u len %u", fxsd_last_req.type, fxsd_last_req.len);
	KU_ASSERT(xs_write(XST_NIL, "data", "k", "v") == 0, "xs_write");
	KU_ASSERT(fxsd_last_req.type == XS_WRITE &&
	    fxsd_last_req.len == sizeof("data/k") + 1, "write request");
	st = stats();
	KU_ASSERT(st.requests == 2 && st.replies == 2 && st.bad_replies == 0 &&
	    st.timeouts == 0, "stats %lu/%lu/%lu/%lu", st.requests, st.replies,
	    st.bad_replies, st.timeouts);
	KU_ASSERT(hosted_sched_unbounded_sleeps(&thread0) == 0,
	    "a request slept without a timeout");
}

KUNIT_TEST(xs_client_unknown_reqid_dropped)
{
	fxsd_start();
	fxsd_cfg.unknown_before = 3;
	read_ok("a", "b");
	KU_ASSERT(stats().bad_replies == 3, "bad_replies %lu, want 3",
	    stats().bad_replies);
	KU_ASSERT(xs_ready(), "unknown req_ids stopped the client");
}

KUNIT_TEST(xs_client_bad_header_breaks)
{
	uint64_t seen;
	int error;

	fxsd_start();
	fxsd_cfg.bad_header = true;
	error = xs_write(XST_NIL, "a", "b", "c");
	KU_ASSERT(error == EPROTO, "malformed header: error %d", error);
	KU_ASSERT(!xs_ready(), "client still ready after a malformed header");
	seen = fxsd_stats.requests;
	error = xs_write(XST_NIL, "a", "b", "c");
	KU_ASSERT(error == EPROTO, "later request: error %d", error);
	KU_ASSERT(fxsd_stats.requests == seen, "a broken client still sent");
}

/*
 * The daemon rewrites the indexes that belong to us: rsp_cons back over a
 * reply already read, req_prod back over a request already sent.
 */
KUNIT_TEST(xs_client_peer_rewinds_our_indexes)
{
	XENSTORE_RING_IDX before;
	struct xs_stats st;

	fxsd_start();
	before = fxsd_page.rsp_cons;
	read_ok("x", "yz");
	KU_ASSERT(fxsd_page.rsp_cons != before, "reply not consumed");
	fxsd_page.rsp_cons = before;
	fxsd_kick();
	settle(10 * SBT_1MS);
	fxsd_page.req_prod -= (XENSTORE_RING_IDX)(sizeof(struct xsd_sockmsg) +
	    sizeof("x/yz"));
	read_ok("x", "wv");
	st = stats();
	KU_ASSERT(st.bad_replies == 0, "old reply read again (%lu bad)",
	    st.bad_replies);
	KU_ASSERT(xs_ready() && st.replies == 2, "client lost: %lu replies",
	    st.replies);
}

/* The daemon's own indexes are checked: no read or write out of the ring. */
KUNIT_TEST(xs_client_peer_corrupt_indexes)
{
	char *val;
	int error;

	fxsd_start();
	read_ok("a", "b");
	/* A reply producer a ring and more ahead of us. */
	fxsd_page.rsp_prod = fxsd_page.rsp_cons + XENSTORE_RING_SIZE + 100;
	fxsd_kick();
	settle(10 * SBT_1MS);
	KU_ASSERT(!xs_ready(), "corrupt rsp_prod accepted");
	error = xs_read(XST_NIL, "a", "b", &val, NULL);
	KU_ASSERT(error == EPROTO, "request on a corrupt ring: %d", error);
}

KUNIT_TEST(xs_client_peer_request_consumer_ahead)
{
	int error;

	fxsd_start();
	read_ok("a", "b");
	/* The daemon claims to have consumed what we never wrote. */
	fxsd_page.req_cons = fxsd_page.req_prod + 5;
	error = xs_write(XST_NIL, "a", "b", "c");
	KU_ASSERT(error == EPROTO, "write on a corrupt request ring: %d", error);
	KU_ASSERT(!xs_ready(), "client still ready on a corrupt request ring");
}

/* A request longer than the ring, to a daemon that stops reading. */
KUNIT_TEST(xs_client_half_written_timeout_breaks)
{
	char big[2000];
	int error;

	fxsd_start();
	set_timeout_ms(50);
	fxsd_cfg.no_drain = true;
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	error = xs_write(XST_NIL, "a", "b", big);
	KU_ASSERT(error == ETIMEDOUT, "stalled write: error %d", error);
	KU_ASSERT(stats().timeouts == 1, "timeouts %lu", stats().timeouts);
	KU_ASSERT(!xs_ready(), "half a request in the ring, client still ready");
	fxsd_cfg.no_drain = false;
	error = xs_write(XST_NIL, "a", "b", "c");
	KU_ASSERT(error == EPROTO, "request after a half-written one: %d", error);
}

/* Decision: a whole request whose reply is late keeps the connection. */
KUNIT_TEST(xs_client_reply_timeout_keeps_connection)
{
	char *val;
	int error;

	fxsd_start();
	set_timeout_ms(50);
	fxsd_cfg.hold_replies = true;
	error = xs_read(XST_NIL, "a", "b", &val, NULL);
	KU_ASSERT(error == ETIMEDOUT, "held reply: error %d", error);
	KU_ASSERT(xs_ready(), "a late reply stopped the client");
	fxsd_release();
	settle(10 * SBT_1MS);
	KU_ASSERT(stats().bad_replies == 1, "late reply not dropped (%lu)",
	    stats().bad_replies);
	read_ok("c", "d");
}

/* A tunable of 0 (or less) is the shortest timeout, not "forever". */
KUNIT_TEST(xs_client_timeout_zero_is_not_forever)
{
	char *val;
	sbintime_t t0;
	int error;

	fxsd_start();
	set_timeout_ms(0);
	fxsd_cfg.silent = true;
	t0 = hosted_sched_now();
	error = xs_read(XST_NIL, "a", "b", &val, NULL);
	KU_ASSERT(error == ETIMEDOUT, "timeout 0: error %d", error);
	KU_ASSERT(hosted_sched_now() - t0 <= SBT_1S, "timeout 0 waited %jd ms",
	    (intmax_t)((hosted_sched_now() - t0) / SBT_1MS));
	set_timeout_ms(-5);
	error = xs_read(XST_NIL, "a", "b", &val, NULL);
	KU_ASSERT(error == ETIMEDOUT, "timeout -5: error %d", error);
	KU_ASSERT(hosted_sched_unbounded_sleeps(&thread0) == 0,
	    "a request slept without a timeout");
}

/*
 * Time moves while the client computes how long to sleep (each clock read
 * costs half the timeout): the wait must still be bounded, never 0.
 */
KUNIT_TEST(xs_client_timeout_racing_clock)
{
	char big[2000];
	int error;

	fxsd_start();
	set_timeout_ms(10);
	/* Two reads span the whole timeout; one leaves half of it. */
	hosted_sched_set_clock_step((mstosbt(10) + 1) / 2);
	fxsd_cfg.no_drain = true;
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	error = xs_write(XST_NIL, "a", "b", big);
	KU_ASSERT(error == ETIMEDOUT, "error %d", error);
	KU_ASSERT(hosted_sched_unbounded_sleeps(&thread0) == 0,
	    "a request slept without a timeout");
}

static bool
flood_done(void *arg __unused)
{
	return (fxsd_cfg.flood == 0 && fxsd_page.rsp_cons == fxsd_page.rsp_prod);
}

/* A daemon keeping the reply ring full must not keep the reader on the CPU. */
KUNIT_TEST(xs_client_reader_yields_under_flood)
{
	const u_int n = 3000;
	struct thread *rx;

	fxsd_start();
	rx = hosted_sched_thread("xenstore_rx");
	KU_ASSERT(rx != NULL, "no reader thread");
	fxsd_cfg.flood = n;
	fxsd_kick();
	KU_ASSERT(hosted_sched_run_until(flood_done, NULL, 10 * SBT_1S),
	    "flood not drained");
	KU_ASSERT(fxsd_stats.flood_sent == n, "sent %lu", fxsd_stats.flood_sent);
	KU_ASSERT(stats().watch_dropped == n, "dropped %lu of %u",
	    stats().watch_dropped, n);
	/* A ring holds ~35 such events: a bounded burst is a few rings' worth. */
	KU_ASSERT(fxsd_stats.flood_max_burst <= 100,
	    "reader took %lu messages without yielding (%lu yields)",
	    fxsd_stats.flood_max_burst, hosted_sched_yields(rx));
	printf("flood: %u messages, longest burst %lu, %lu reader yields\n", n,
	    fxsd_stats.flood_max_burst, hosted_sched_yields(rx));
	read_ok("after", "flood");
}

static u_int	watch_calls, watch_max_pending;

static void
watch_cb(struct xs_watch *w, const char *path)
{
	KU_ASSERT(strcmp(path, "/w/x") == 0, "event path %s", path);
	watch_max_pending = MAX(watch_max_pending, w->pending);
	/* A slow first callback lets the queue fill behind it. */
	if (watch_calls++ == 0)
		tsleep(&watch_calls, "slowcb", 100 * SBT_1MS);
}

static bool
watch_settled(void *arg)
{
	struct xs_watch *w = arg;

	return (w->delivered + w->dropped == 40 && watch_calls == w->delivered);
}

KUNIT_TEST(xs_client_watch_queue_bounded)
{
	struct xs_watch w = { .node = "/w", .callback = watch_cb,
	    .max_pending = 4 };

	fxsd_start();
	KU_ASSERT(xs_register_watch(&w) == 0, "register");
	KU_ASSERT(fxsd_last_req.type == XS_WATCH, "daemon saw %u",
	    fxsd_last_req.type);
	for (int i = 0; i < 40; i++)
		fxsd_send_event("/w/x", w.token);
	fxsd_send_event("/w/x", "someone-else");
	fxsd_kick();
	KU_ASSERT(hosted_sched_run_until(watch_settled, &w, 10 * SBT_1S),
	    "events not settled: %lu delivered %lu dropped", w.delivered,
	    w.dropped);
	KU_ASSERT(watch_max_pending <= 4, "queue reached %u", watch_max_pending);
	KU_ASSERT(w.delivered >= 4 && w.delivered <= 5, "delivered %lu",
	    w.delivered);
	KU_ASSERT(w.pending == 0, "pending %u", w.pending);
	KU_ASSERT(stats().watch_dropped == w.dropped + 1 &&
	    stats().watch_events == w.delivered, "stats %lu/%lu vs %lu/%lu",
	    stats().watch_events, stats().watch_dropped, w.delivered, w.dropped);
	xs_unregister_watch(&w);
}
