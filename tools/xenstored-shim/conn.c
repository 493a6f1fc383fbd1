/*
 * Connection core, shared by every transport: frame assembly from partial
 * reads, a bounded output queue written as the peer accepts it, and the
 * per-connection limits on unanswered requests and unread watch events.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_conn.h"
#include "xsd_dispatch.h"
#include "xsd_domain.h"
#include "xsd_log.h"
#include "xsd_proto.h"
#include "xsd_quota.h"
#include "xsd_tree.h"
#include "xsd_txn.h"
#include "xsd_watch.h"

struct conn *xsd_conns;
struct conn *xsd_busy;
static uint64_t conn_ids;

/*
 * Reply and event buffers are kept for reuse in two size classes, so that
 * a steady load allocates nothing per request; each free list is bounded
 * (about 300 KiB and 66 KiB at most: a peer may have 1024 events
 * unread).
 */
#define OUT_SMALL     256u
#define OUT_SMALL_MAX 1024u
#define OUT_BIG_MAX   16u
static struct outmsg *out_free[2];
/* A connection's table of queued events has a bucket for every four
 * events its quota lets wait (chains of a few). */
static uint32_t
evtab_nb(void)
{
	uint32_t nb = 64;

	while (nb < xsd_quota.watch_events / 4 && nb < (1u << 20))
		nb *= 2;
	return nb;
}
static unsigned out_nfree[2];

static struct outmsg *
outmsg_get(size_t len)
{
	unsigned cls = len > OUT_SMALL;
	struct outmsg *m = out_free[cls];

	if (m != NULL) {
		out_free[cls] = m->next;
		out_nfree[cls]--;
		return m;
	}
	m = malloc(sizeof(*m) + XSD_HDR_LEN +
	    (cls ? XENSTORE_PAYLOAD_MAX : OUT_SMALL));
	if (m != NULL)
		m->big = cls != 0;
	return m;
}

static void
outmsg_put(struct outmsg *m)
{
	unsigned cls = m->big;

	if (out_nfree[cls] >= (cls ? OUT_BIG_MAX : OUT_SMALL_MAX)) {
		free(m);
		return;
	}
	m->next = out_free[cls];
	out_free[cls] = m;
	out_nfree[cls]++;
}

struct conn *
conn_new(const struct transport_ops *ops, void *tp, int fd, uint32_t domid)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->ops = ops;
	c->tp = tp;
	c->fd = fd;
	c->id = ++conn_ids;
	c->domid = domid;
	c->priv = domid == 0;
	c->can_restrict = domid == 0;
	c->target = -1;
	c->next_txid = 1;
	c->next = xsd_conns;
	if (xsd_conns != NULL)
		xsd_conns->prev = c;
	xsd_conns = c;
	conn_busy(c);
	return c;
}

void
conn_busy(struct conn *c)
{
	if (c->busy)
		return;
	c->busy = true;
	c->busy_next = xsd_busy;
	xsd_busy = c;
}

void
conn_kill(struct conn *c)
{
	c->dead = true;
	conn_busy(c);
}

bool
conn_needs_turn(const struct conn *c)
{
	return c->dead || c->out_events > 0 || conn_has_output(c) ||
	    conn_has_stashed(c) ||
	    (c->fd < 0 && c->ops != NULL && c->ops->pending != NULL &&
		c->ops->pending((struct conn *)c));
}

void
conn_reset(struct conn *c)
{
	struct outmsg *m, *mn;
	struct txn *t, *tn;

	for (m = c->out_head; m != NULL; m = mn) {
		mn = m->next;
		outmsg_put(m);
	}
	c->out_head = c->out_tail = NULL;
	free(c->evtab);
	c->evtab = NULL;
	c->out_off = 0;
	c->out_replies = c->out_events = 0;
	c->events_dropped = 0;
	c->out_bytes = 0;
	c->inlen = 0;
	c->stash_off = c->stash_len = 0;
	for (t = c->txns; t != NULL; t = tn) {
		tn = t->next;
		txn_free(t);
	}
	c->txns = NULL;
	c->ntxns = 0;
	watch_free_all(c);
}

void
conn_destroy(struct conn *c)
{
	struct conn **pp;

	if (c->busy) {
		for (pp = &xsd_busy; *pp != c; pp = &(*pp)->busy_next)
			assert(*pp != NULL);
		*pp = c->busy_next;
		c->busy = false;
	}
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		xsd_conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	conn_reset(c);
	domain_conn_gone(c);
	if (c->ops != NULL && c->ops->destroy != NULL)
		c->ops->destroy(c);
	free(c);
}

void
conn_reap_dead(void)
{
	struct conn *c, *next;

	for (c = xsd_busy; c != NULL; c = next) {
		next = c->busy_next;
		if (c->dead)
			conn_destroy(c);
	}
}

bool
conn_wants_input(const struct conn *c)
{
	return !c->dead && c->out_replies < xsd_quota.outstanding;
}

bool
conn_has_output(const struct conn *c)
{
	return !c->dead && c->out_head != NULL;
}

static void
conn_enqueue(struct conn *c, struct outmsg *m)
{
	m->next = NULL;
	m->queued = time(NULL);
	if (c->out_tail != NULL)
		c->out_tail->next = m;
	else
		c->out_head = m;
	c->out_tail = m;
	c->out_bytes += m->len;
	if (m->is_event)
		c->out_events++;
	else
		c->out_replies++;
	conn_busy(c);
}

static struct outmsg *
outmsg_new(uint32_t type, uint32_t req_id, uint32_t tx_id, const void *p,
    size_t len)
{
	struct outmsg *m;
	struct xsd_sockmsg h;

	if (len > XENSTORE_PAYLOAD_MAX || (m = outmsg_get(len)) == NULL)
		return NULL;
	memset(&h, 0, sizeof(h));
	h.type = type;
	h.req_id = req_id;
	h.tx_id = tx_id;
	h.len = (uint32_t)len;
	memcpy(m->data, &h, XSD_HDR_LEN);
	if (len > 0)
		memcpy(m->data + XSD_HDR_LEN, p, len);
	m->len = XSD_HDR_LEN + (uint32_t)len;
	m->is_event = type == XS_WATCH_EVENT;
	return m;
}

int
conn_queue_reply(struct conn *c, uint32_t type, uint32_t req_id,
    uint32_t tx_id, const void *p, size_t len)
{
	struct outmsg *m;

	/* The events a request caused go out before its reply, as C
	 * xenstored queues them. */
	watch_flush_pending();
	if (len > XENSTORE_PAYLOAD_MAX) {
		const char *e2big = proto_errname(E2BIG);

		type = XS_ERROR;
		p = e2big;
		len = strlen(e2big) + 1;
	}
	m = outmsg_new(type, req_id, tx_id, p, len);
	if (m == NULL) {
		/* Without memory for a reply the peer would wait forever. */
		xsd_log("conn %llu: no memory for a reply, disconnecting",
		    (unsigned long long)c->id);
		conn_kill(c);
		return ENOMEM;
	}
	if (xsd_trace != NULL)
		trace_msg(c, "OUT", (const struct xsd_sockmsg *)m->data,
		    m->data + XSD_HDR_LEN);
	conn_enqueue(c, m);
	return 0;
}

int
conn_queue_error(struct conn *c, const struct xsd_sockmsg *req, int err)
{
	const char *name = proto_errname(err);

	return conn_queue_reply(c, XS_ERROR, req->req_id, req->tx_id, name,
	    strlen(name) + 1);
}

void
conn_queue_event(struct conn *c, const char *path, const char *token)
{
	size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
	uint8_t payload[XENSTORE_PAYLOAD_MAX];
	struct outmsg *m;
	uint32_t h;

	if (c->dead)
		return;
	if (pl + tl > XENSTORE_PAYLOAD_MAX) {
		xsd_log("conn %llu: watch event too long, dropped",
		    (unsigned long long)c->id);
		return;
	}
	memcpy(payload, path, pl);
	memcpy(payload + pl, token, tl);
	h = ntab_hash((const char *)payload, pl + tl);
	/* The same event already waiting (and not begun) says all this one
	 * would say. */
	if (c->evtab == NULL) {
		c->evtab_nb = evtab_nb();
		c->evtab = calloc(c->evtab_nb, sizeof(*c->evtab));
	}
	if (c->evtab == NULL) {
		xsd_log("conn %llu: no memory, watch event dropped",
		    (unsigned long long)c->id);
		return;
	}
	for (m = c->evtab[h & (c->evtab_nb - 1)]; m != NULL; m = m->hnext) {
		if (m == c->out_head && c->out_off > 0)
			continue;
		if (m->hash == h && m->len == XSD_HDR_LEN + pl + tl &&
		    memcmp(m->data + XSD_HDR_LEN, payload, pl + tl) == 0)
			return;
	}
	/* XSA-349: a peer that never reads must not grow our memory.  Said
	 * once while it stays behind, with the count when it catches up: a
	 * log line an event would cost more than the event. */
	if (c->out_events >= xsd_quota.watch_events) {
		if (c->events_dropped++ == 0)
			xsd_log("conn %llu (dom %u): %u unread watch events, "
				"dropping events from the one for %s",
			    (unsigned long long)c->id, c->domid,
			    c->out_events, path);
		return;
	}
	m = outmsg_new(XS_WATCH_EVENT, 0, 0, payload, pl + tl);
	if (m == NULL) {
		xsd_log("conn %llu: no memory, watch event dropped",
		    (unsigned long long)c->id);
		return;
	}
	m->hash = h;
	m->hnext = c->evtab[h & (c->evtab_nb - 1)];
	c->evtab[h & (c->evtab_nb - 1)] = m;
	if (xsd_trace != NULL)
		trace_msg(c, "EVT", (const struct xsd_sockmsg *)m->data,
		    m->data + XSD_HDR_LEN);
	conn_enqueue(c, m);
}

static void
evtab_remove(struct conn *c, struct outmsg *m)
{
	struct outmsg **pp;

	if (c->evtab == NULL)
		return;
	for (pp = &c->evtab[m->hash & (c->evtab_nb - 1)]; *pp != NULL;
	     pp = &(*pp)->hnext) {
		if (*pp == m) {
			*pp = m->hnext;
			return;
		}
	}
}

/* Drops r written bytes from the head of the queue. */
static void
conn_consume(struct conn *c, size_t r)
{
	struct outmsg *m;
	size_t left;

	while (r > 0 && (m = c->out_head) != NULL) {
		left = m->len - c->out_off;
		if (r < left) {
			c->out_off += (uint32_t)r;
			return;
		}
		r -= left;
		c->out_off = 0;
		c->out_head = m->next;
		if (c->out_head == NULL)
			c->out_tail = NULL;
		c->out_bytes -= m->len;
		if (m->is_event) {
			evtab_remove(c, m);
			c->out_events--;
			if (c->events_dropped > 0) {
				xsd_log("conn %llu (dom %u): reads again, %lu "
					"watch events were dropped",
				    (unsigned long long)c->id, c->domid,
				    c->events_dropped);
				c->events_dropped = 0;
			}
		}
		else
			c->out_replies--;
		outmsg_put(m);
	}
}

#define FLUSH_IOV 64

void
conn_flush_output(struct conn *c)
{
	struct iovec iov[FLUSH_IOV];
	struct outmsg *m;
	long r;
	int n;
	bool wrote = false;

	while (!c->dead && (m = c->out_head) != NULL) {
		if (c->ops->writev != NULL && m->next != NULL) {
			/* Everything queued, in one call. */
			for (n = 0; m != NULL && n < FLUSH_IOV; m = m->next) {
				uint32_t off = n == 0 ? c->out_off : 0;

				iov[n].iov_base = m->data + off;
				iov[n].iov_len = m->len - off;
				n++;
			}
			r = c->ops->writev(c, iov, n);
		} else {
			r = c->ops->write(c, m->data + c->out_off,
			    m->len - c->out_off);
		}
		if (r < 0) {
			conn_kill(c);
			break;
		}
		if (r == 0)
			break;
		wrote = true;
		conn_consume(c, (size_t)r);
	}
	if (wrote && !c->dead && c->ops->kick != NULL)
		c->ops->kick(c);
}

void
conn_check_timeouts(time_t now)
{
	struct conn *c;
	struct outmsg *m;

	if (xsd_quota.event_timeout == 0)
		return;
	for (c = xsd_conns; c != NULL; c = c->next) {
		if (c->dead || c->out_events == 0)
			continue;
		for (m = c->out_head; m != NULL && !m->is_event; m = m->next)
			;
		if (m != NULL &&
		    now - m->queued > (time_t)xsd_quota.event_timeout) {
			xsd_log("conn %llu (dom %u): watch events unread for "
				"over %us, disconnecting",
			    (unsigned long long)c->id, c->domid,
			    xsd_quota.event_timeout);
			conn_kill(c);
		}
	}
}

static void
conn_frame_done(struct conn *c)
{
	c->payload[c->in.hdr.len] = 0;
	if (xsd_trace != NULL)
		trace_msg(c, "IN", &c->in.hdr, c->payload);
	ops_dispatch(c, &c->in.hdr, c->payload);
	c->inlen = 0;
	watch_flush_pending();
}

/*
 * Accepts up to n bytes of stream; a frame is dispatched as soon as it is
 * complete.  Stops early when the peer has too many unanswered requests.
 */
size_t
conn_feed(struct conn *c, const uint8_t *p, size_t n)
{
	size_t used = 0, want;

	while (used < n && conn_wants_input(c)) {
		if (c->inlen < XSD_HDR_LEN) {
			want = XSD_HDR_LEN - c->inlen;
			if (want > n - used)
				want = n - used;
			memcpy(c->in.raw + c->inlen, p + used, want);
		} else {
			want = XSD_HDR_LEN + c->in.hdr.len - c->inlen;
			if (want > n - used)
				want = n - used;
			memcpy(c->payload + (c->inlen - XSD_HDR_LEN),
			    p + used, want);
		}
		used += want;
		c->inlen += (uint32_t)want;
		if (c->inlen == XSD_HDR_LEN &&
		    proto_check_header(&c->in.hdr) != 0) {
			xsd_log("conn %llu (dom %u): frame length %u over %u, "
				"disconnecting",
			    (unsigned long long)c->id, c->domid,
			    c->in.hdr.len, XENSTORE_PAYLOAD_MAX);
			conn_kill(c);
			break;
		}
		if (c->inlen == XSD_HDR_LEN + c->in.hdr.len)
			conn_frame_done(c);
	}
	return used;
}

bool
conn_has_stashed(const struct conn *c)
{
	return !c->dead && c->stash_off < c->stash_len;
}

/*
 * One read takes whatever the peer has sent, up to a full frame's worth;
 * a short read means the transport is drained, so no second read just to
 * learn that it would block.  Frames beyond what the peer may have
 * unanswered stay in the stash (bounded) until replies go out.
 */
bool
conn_handle_input(struct conn *c)
{
	size_t used;
	long r;
	bool drained = false;

	conn_busy(c);
	while (conn_wants_input(c)) {
		if (c->stash_off == c->stash_len) {
			if (drained)
				break;
			c->stash_off = c->stash_len = 0;
			r = c->ops->read(c, c->stash, sizeof(c->stash));
			if (r < 0) {
				conn_kill(c);
				break;
			}
			if (r == 0)
				break;
			c->stash_len = (uint32_t)r;
			drained = (size_t)r < sizeof(c->stash);
		}
		used = conn_feed(c, c->stash + c->stash_off,
		    c->stash_len - c->stash_off);
		c->stash_off += (uint32_t)used;
		if (used == 0)
			break;
	}
	return !c->dead;
}
