/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * /dev/xen/xenbus's message logic (sys/dev/xen/xenbus_dev/xenbus_dev_msg.c):
 * requests assembled from arbitrary write sizes, their checks, and the read
 * queue's order, partial reads and bounds.  Expected bytes are built here
 * by hand from struct xsd_sockmsg, not by the code under test.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <dev/xen/xenbus_dev/xenbus_dev_msg.h>

#include "kunit.h"

/* A framed message: header then body, into buf; returns its length. */
static size_t
frame(char *buf, uint32_t type, uint32_t req_id, uint32_t tx_id,
    const void *body, size_t len)
{
	struct xsd_sockmsg h = { type, req_id, tx_id, (uint32_t)len };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), body, len);
	return (sizeof(h) + len);
}

/* Feeds len bytes in chunks of step; the status of the last advance. */
static int
feed(struct xbdev_req *r, const char *buf, size_t len, size_t step,
    size_t *used)
{
	int st = 0;

	*used = 0;
	while (*used < len) {
		size_t want, n;
		void *p = xbdev_req_next(r, &want);

		n = MIN(MIN(step, want), len - *used);
		memcpy(p, buf + *used, n);
		*used += n;
		if ((st = xbdev_req_advance(r, n)) != 0)
			break;
	}
	return (st);
}

static struct xbdev_req req;

/* Kernel memory for the queue's messages. */
static void
setup(void)
{
	kunit_ram(16 * 1024 * 1024, 8 * 1024 * 1024);
	kunit_sysinit(SI_SUB_KMEM);
}

KUNIT_TEST(xbdev_assemble_any_chunking)
{
	static const char body[] = "/local/domain/3/name";
	char buf[64];
	size_t len = frame(buf, XS_READ, 77, 0, body, sizeof(body));

	for (size_t step = 1; step <= len; step++) {
		size_t used;
		int st;

		xbdev_req_reset(&req);
		st = feed(&req, buf, len, step, &used);
		KU_ASSERT(st == 1 && used == len,
		    "step %zu: status %d after %zu of %zu bytes", step, st, used,
		    len);
		KU_ASSERT(req.hdr.type == XS_READ && req.hdr.req_id == 77 &&
		    req.hdr.len == sizeof(body), "step %zu: header %u/%u/%u",
		    step, req.hdr.type, req.hdr.req_id, req.hdr.len);
		KU_ASSERT(memcmp(req.body, body, sizeof(body)) == 0 &&
		    req.body[sizeof(body)] == '\0', "step %zu: body", step);
	}
}

KUNIT_TEST(xbdev_assemble_stops_at_message_end)
{
	char buf[128];
	size_t l1 = frame(buf, XS_WRITE, 1, 0, "a\0b", 3);
	size_t l2 = frame(buf + l1, XS_RM, 2, 0, "c", 2);
	size_t used;

	xbdev_req_reset(&req);
	KU_ASSERT(feed(&req, buf, l1 + l2, 1000, &used) == 1 && used == l1,
	    "first message took %zu of %zu bytes", used, l1);
	/* No payload NUL of its own: the checks still see a terminated body. */
	KU_ASSERT(req.body[3] == '\0', "body not terminated");
	xbdev_req_reset(&req);
	KU_ASSERT(feed(&req, buf + l1, l2, 1000, &used) == 1 && used == l2 &&
	    req.hdr.type == XS_RM && req.hdr.req_id == 2, "second message");
}

KUNIT_TEST(xbdev_assemble_empty_and_oversized)
{
	struct xsd_sockmsg h = { XS_TRANSACTION_START, 5, 0, 0 };
	size_t used;

	xbdev_req_reset(&req);
	KU_ASSERT(feed(&req, (char *)&h, sizeof(h), 3, &used) == 1,
	    "empty payload not whole at its header");
	h.len = XENSTORE_PAYLOAD_MAX + 1;
	xbdev_req_reset(&req);
	KU_ASSERT(feed(&req, (char *)&h, sizeof(h), 16, &used) == EINVAL,
	    "payload over XENSTORE_PAYLOAD_MAX taken");
	KU_ASSERT(req.have == 0, "refused request not reset (%zu)", req.have);
	h.len = 0xffffffffu;
	xbdev_req_reset(&req);
	KU_ASSERT(feed(&req, (char *)&h, sizeof(h), 1, &used) == EINVAL,
	    "huge payload taken");
	/* The most a request may carry. */
	h.len = XENSTORE_PAYLOAD_MAX;
	xbdev_req_reset(&req);
	KU_ASSERT(feed(&req, (char *)&h, sizeof(h), 16, &used) == 0,
	    "maximal payload refused");
	{
		static char big[XENSTORE_PAYLOAD_MAX];

		KU_ASSERT(feed(&req, big, sizeof(big), 1000, &used) == 1 &&
		    used == sizeof(big), "maximal payload not whole");
	}
}

static int
check(uint32_t type, uint32_t tx, const char *body, size_t len,
    const char **path, const char **token)
{
	char buf[XBDEV_MSG_MAX];
	size_t used, l = frame(buf, type, 9, tx, body, len);

	xbdev_req_reset(&req);
	KU_ASSERT(feed(&req, buf, l, l, &used) == 1, "framing of type %u", type);
	return (xbdev_req_check(&req, path, token));
}

KUNIT_TEST(xbdev_check_types)
{
	const char *p, *t;
	static const uint32_t bad[] = { XS_WATCH_EVENT, XS_ERROR,
	    XS_RESET_WATCHES, XS_TYPE_COUNT, XS_INVALID, 0x7fffffff };
	static const uint32_t good[] = { XS_READ, XS_WRITE, XS_DIRECTORY,
	    XS_DIRECTORY_PART, XS_MKDIR, XS_RM, XS_GET_PERMS, XS_SET_PERMS,
	    XS_TRANSACTION_START, XS_TRANSACTION_END, XS_GET_DOMAIN_PATH };

	for (size_t i = 0; i < nitems(bad); i++)
		KU_ASSERT(check(bad[i], 0, "x", 2, &p, &t) == EINVAL,
		    "type %u taken from user space", bad[i]);
	for (size_t i = 0; i < nitems(good); i++)
		KU_ASSERT(check(good[i], 0, "x", 2, &p, &t) == 0,
		    "type %u refused", good[i]);
}

KUNIT_TEST(xbdev_check_watch_body)
{
	const char *p = NULL, *t = NULL;
	char longtok[XBDEV_TOKEN_MAX + 8];

	KU_ASSERT(check(XS_WATCH, 0, "/a/b\0tok", 9, &p, &t) == 0 &&
	    strcmp(p, "/a/b") == 0 && strcmp(t, "tok") == 0, "good watch");
	KU_ASSERT(check(XS_UNWATCH, 0, "@releaseDomain\0", 16, &p, &t) == 0 &&
	    *t == '\0', "empty token refused");
	KU_ASSERT(check(XS_WATCH, 0, "\0tok", 5, &p, &t) == EINVAL,
	    "empty path taken");
	KU_ASSERT(check(XS_WATCH, 0, "/a/b", 5, &p, &t) == EINVAL,
	    "watch without a token taken");
	KU_ASSERT(check(XS_WATCH, 0, "/a/b\0tok", 8, &p, &t) == EINVAL,
	    "token without its NUL taken");
	KU_ASSERT(check(XS_WATCH, 0, "/a/b\0tok\0x", 11, &p, &t) == EINVAL,
	    "bytes after the token taken");
	KU_ASSERT(check(XS_WATCH, 4, "/a/b\0tok", 9, &p, &t) == EINVAL,
	    "watch inside a transaction taken");
	memset(longtok, 'k', sizeof(longtok));
	memcpy(longtok, "/p", 3);
	longtok[3 + XBDEV_TOKEN_MAX] = '\0';
	KU_ASSERT(check(XS_WATCH, 0, longtok, 4 + XBDEV_TOKEN_MAX, &p, &t) ==
	    EINVAL, "token of %d bytes taken", XBDEV_TOKEN_MAX);
	longtok[3 + XBDEV_TOKEN_MAX - 1] = '\0';
	KU_ASSERT(check(XS_WATCH, 0, longtok, 3 + XBDEV_TOKEN_MAX, &p, &t) ==
	    0, "token of %d bytes refused", XBDEV_TOKEN_MAX - 1);
}

KUNIT_TEST(xbdev_txid_parse)
{
	uint32_t id = 0;

	KU_ASSERT(xbdev_parse_txid("12", 3, &id) == 0 && id == 12, "12");
	KU_ASSERT(xbdev_parse_txid("4294967295", 11, &id) == 0 &&
	    id == 4294967295u, "max");
	KU_ASSERT(xbdev_parse_txid("4294967296", 11, &id) == EINVAL,
	    "overflow taken");
	KU_ASSERT(xbdev_parse_txid("0", 2, &id) == EINVAL, "0 taken");
	KU_ASSERT(xbdev_parse_txid("", 1, &id) == EINVAL, "empty taken");
	KU_ASSERT(xbdev_parse_txid("12", 2, &id) == EINVAL, "no NUL taken");
	KU_ASSERT(xbdev_parse_txid("1a", 3, &id) == EINVAL, "1a taken");
}

/* Reads everything queued in reads of step bytes. */
static size_t
drain(struct xbdev_queue *q, char *out, size_t cap, size_t step)
{
	size_t got = 0;

	for (;;) {
		size_t n;
		void *p = xbdev_queue_peek(q, &n);

		if (p == NULL)
			break;
		n = MIN(MIN(n, step), cap - got);
		if (n == 0)
			break;
		memcpy(out + got, p, n);
		xbdev_queue_consume(q, n);
		got += n;
	}
	return (got);
}

static struct xbdev_msg *
event(u_int i)
{
	char path[32];
	int n = snprintf(path, sizeof(path), "/ev/%u", i);

	return (xbdev_msg_new(true, XS_WATCH_EVENT, 0, 0, path, (size_t)n + 1,
	    "tk", 3, M_WAITOK));
}

KUNIT_TEST(xbdev_queue_order_and_partial_reads)
{
	struct xbdev_queue q;
	char want[256], got[256];
	size_t wl = 0, gl;

	setup();

	xbdev_queue_init(&q);
	KU_ASSERT(xbdev_queue_empty(&q), "new queue not empty");
	xbdev_queue_put(&q, xbdev_msg_new(false, XS_READ, 3, 7, "val", 3, NULL,
	    0, M_WAITOK));
	wl += frame(want + wl, XS_READ, 3, 7, "val", 3);
	xbdev_queue_put(&q, event(1));
	wl += frame(want + wl, XS_WATCH_EVENT, 0, 0, "/ev/1\0tk", 9);
	xbdev_queue_put(&q, xbdev_msg_new(false, XS_ERROR, 4, 0, "ENOENT", 7,
	    NULL, 0, M_WAITOK));
	wl += frame(want + wl, XS_ERROR, 4, 0, "ENOENT", 7);
	/* Reads of 5 bytes cut across headers and bodies alike. */
	gl = drain(&q, got, sizeof(got), 5);
	KU_ASSERT(gl == wl && memcmp(got, want, wl) == 0,
	    "read %zu bytes, want %zu, or they differ", gl, wl);
	KU_ASSERT(xbdev_queue_empty(&q) && q.reply_bytes == 0 &&
	    q.event_bytes == 0 && q.nevents == 0, "counts left after drain");
}

KUNIT_TEST(xbdev_queue_drops_oldest_events)
{
	struct xbdev_queue q;
	u_int dropped = 0, extra = 10;
	char got[64];
	size_t n;

	setup();

	xbdev_queue_init(&q);
	xbdev_queue_put(&q, xbdev_msg_new(false, XS_READ, 1, 0, "r", 2, NULL, 0,
	    M_WAITOK));
	for (u_int i = 0; i < XBDEV_EVENT_MAX + extra; i++)
		dropped += xbdev_queue_put(&q, event(i));
	KU_ASSERT(dropped == extra && q.dropped == extra,
	    "dropped %u (counted %ju), want %u", dropped, (uintmax_t)q.dropped,
	    extra);
	KU_ASSERT(q.nevents == XBDEV_EVENT_MAX, "%u events queued", q.nevents);
	/* The reply survives; then the oldest event left is number extra. */
	n = drain(&q, got, sizeof(struct xsd_sockmsg) + 2, 100);
	KU_ASSERT(n == sizeof(struct xsd_sockmsg) + 2 &&
	    ((struct xsd_sockmsg *)got)->type == XS_READ, "reply lost");
	n = drain(&q, got, sizeof(struct xsd_sockmsg) + 12, 100);
	KU_ASSERT(strcmp(got + sizeof(struct xsd_sockmsg), "/ev/10") == 0,
	    "first event is %s", got + sizeof(struct xsd_sockmsg));
	xbdev_queue_flush(&q);
	KU_ASSERT(xbdev_queue_empty(&q) && q.nevents == 0, "flush");
}

KUNIT_TEST(xbdev_queue_event_bytes_bounded)
{
	static char path[XENSTORE_PAYLOAD_MAX - 8];
	struct xbdev_queue q;
	struct xbdev_msg *m;
	u_int dropped = 0;
	size_t n;

	setup();

	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	xbdev_queue_init(&q);
	/* Start reading the first event: it must not be dropped under us. */
	xbdev_queue_put(&q, xbdev_msg_new(true, XS_WATCH_EVENT, 0, 0, path,
	    sizeof(path), "first", 6, M_WAITOK));
	KU_ASSERT(xbdev_queue_peek(&q, &n) != NULL, "empty");
	xbdev_queue_consume(&q, 4);
	for (u_int i = 0; i < 40; i++) {
		m = xbdev_msg_new(true, XS_WATCH_EVENT, 0, 0, path,
		    sizeof(path), "tk", 3, M_WAITOK);
		dropped += xbdev_queue_put(&q, m);
		KU_ASSERT(q.event_bytes <= XBDEV_EVENT_BYTES,
		    "%zu event bytes queued", q.event_bytes);
	}
	KU_ASSERT(dropped > 0, "nothing dropped over the byte bound");
	KU_ASSERT(q.off == 4, "part-read event dropped (offset %zu)", q.off);
	{
		char *tail = (char *)xbdev_queue_peek(&q, &n);

		KU_ASSERT(strcmp(tail + n - 6, "first") == 0,
		    "the part-read event changed");
	}
	xbdev_queue_flush(&q);
}

KUNIT_TEST(xbdev_queue_reply_room)
{
	static char body[XENSTORE_PAYLOAD_MAX];
	struct xbdev_queue q;
	u_int n = 0;

	setup();

	xbdev_queue_init(&q);
	while (xbdev_queue_reply_room(&q)) {
		xbdev_queue_put(&q, xbdev_msg_new(false, XS_READ, n, 0, body,
		    sizeof(body), NULL, 0, M_WAITOK));
		n++;
		KU_ASSERT(q.reply_bytes <= XBDEV_REPLY_BYTES, "%zu reply bytes",
		    q.reply_bytes);
	}
	KU_ASSERT(n == XBDEV_REPLY_BYTES / XBDEV_MSG_MAX,
	    "%u maximal replies fit", n);
	/* Events do not take the replies' room, nor replies theirs. */
	xbdev_queue_put(&q, event(0));
	KU_ASSERT(q.nevents == 1, "event refused beside full replies");
	{
		size_t len;

		(void)xbdev_queue_peek(&q, &len);
		xbdev_queue_consume(&q, len);
	}
	KU_ASSERT(xbdev_queue_reply_room(&q), "no room after a read");
	xbdev_queue_flush(&q);
}

KUNIT_TEST(xbdev_msg_bounds)
{
	static char big[XENSTORE_PAYLOAD_MAX + 1];
	struct xbdev_msg *m;

	setup();

	KU_ASSERT(xbdev_msg_new(false, XS_READ, 0, 0, big, sizeof(big), NULL, 0,
	    M_WAITOK) == NULL, "payload over the maximum made");
	KU_ASSERT(xbdev_msg_new(true, XS_WATCH_EVENT, 0, 0, big,
	    XENSTORE_PAYLOAD_MAX, "t", 2, M_WAITOK) == NULL,
	    "event over the maximum made");
	KU_ASSERT(xbdev_msg_new(true, XS_WATCH_EVENT, 0, 0, big, 8, big,
	    SIZE_MAX - 4, M_WAITOK) == NULL, "overflowing lengths made");
	m = xbdev_msg_new(false, XS_READ, 1, 2, big, XENSTORE_PAYLOAD_MAX, NULL,
	    0, M_WAITOK);
	KU_ASSERT(m != NULL && m->len == XBDEV_MSG_MAX, "maximal message");
	xbdev_msg_free(m);
}
