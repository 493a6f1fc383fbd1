/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xenstore client: one request in flight at a time (serialised by a sleep
 * lock), replies matched by req_id, watch events queued per watch and run
 * by a thread of their own.  A reader thread owns the reply ring.
 *
 * The daemon is a peer we do not trust: a header with an impossible length
 * or type, a reply nobody asked for, or a malformed watch event is counted
 * and dropped; a corrupt ring stops the client, failing requests with
 * EPROTO instead of hanging them.
 *
 * Timeouts: a request has one deadline, taken when it starts; every wait
 * sleeps for the time left to it, computed from one clock read, and is never
 * 0 (msleep's "forever").  A request that times out after part of it went
 * into the ring leaves the byte stream out of step with the daemon, so the
 * client stops (as for a corrupt ring).  A request written whole whose reply
 * does not come in time keeps the connection: the late reply arrives with a
 * req_id nobody waits for and is dropped and counted.
 *
 * Locks: request_lock (sleep) serialises requests; rx_lock (spin) covers
 * cur, broken and the wakeup channels of the reply and request rings;
 * watch_lock (spin) covers the watch list, their event queues and
 * running_watch.  rx_lock and watch_lock are never held together.  The
 * statistics are atomic counters, so they need no lock.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <xen/xen_evtchn.h>
#include <xen/xen_guest.h>
#include <xen/xenstore.h>
#include <xen/xs_client.h>
#include <xen/xs_msg.h>
#include <xen/xs_ring.h>

MALLOC_DEFINE(M_XENSTORE, "xenstore", "xenstore client");

static int	xs_timeout_ms = 20000;
TUNABLE_INT("xenstore.timeout_ms", &xs_timeout_ms, "xenstore request timeout");

/* A timeout tunable of 0 or less means this, never "wait forever". */
#define XS_TIMEOUT_MIN_MS	1
/*
 * Messages the reader handles in a row before it yields: a daemon that keeps
 * the reply ring full must not keep the other threads of its CPU off it.
 */
#define XS_READER_BURST		32

struct xs_watch_event {
	STAILQ_ENTRY(xs_watch_event) link;
	char		path[];
};

struct xs_reply {
	uint32_t	req_id;
	bool		done;
	int		error;		/* transport error (EPROTO, ...) */
	uint32_t	type;
	char		*body;
	size_t		len;
};

static struct {
	/* req_prod side under request_lock; rsp_cons side: the reader only. */
	struct xs_ring		ring;
	evtchn_handle_t		evtchn;
	bool			ready;
	bool			broken;		/* rx_lock: stream lost, give up */
	struct mtx		request_lock;	/* one request at a time */
	struct mtx		rx_lock;	/* spin: reply state, wakeups */
	struct mtx		watch_lock;	/* spin: watch list, event queues */
	struct xs_reply		*cur;		/* rx_lock */
	uint32_t		next_req_id;
	LIST_HEAD(, xs_watch)	watches;
	struct xs_stats		stats;		/* atomics, see XS_STAT_INC */
	struct xs_watch		*running_watch;	/* watch_lock: callback running */
	struct thread		*watch_td;
	int			rx_wait, tx_wait, watch_wait;	/* channels */
} xs;

/* Counters are bumped from threads holding different locks, or none. */
#define XS_STAT_INC(field)						\
	__atomic_fetch_add(&xs.stats.field, 1, __ATOMIC_RELAXED)

bool
xs_ready(void)
{
	return (xs.ready && !__atomic_load_n(&xs.broken, __ATOMIC_ACQUIRE));
}

/* Each counter is read atomically; together they are not one snapshot. */
void
xs_get_stats(struct xs_stats *st)
{
	st->requests = __atomic_load_n(&xs.stats.requests, __ATOMIC_RELAXED);
	st->replies = __atomic_load_n(&xs.stats.replies, __ATOMIC_RELAXED);
	st->timeouts = __atomic_load_n(&xs.stats.timeouts, __ATOMIC_RELAXED);
	st->bad_replies = __atomic_load_n(&xs.stats.bad_replies,
	    __ATOMIC_RELAXED);
	st->watch_events = __atomic_load_n(&xs.stats.watch_events,
	    __ATOMIC_RELAXED);
	st->watch_dropped = __atomic_load_n(&xs.stats.watch_dropped,
	    __ATOMIC_RELAXED);
}

/* The request's timeout, never 0 (which msleep would take as "forever"). */
static sbintime_t
xs_request_timeout(void)
{
	int ms = xs_timeout_ms;

	return (mstosbt(MAX(ms, XS_TIMEOUT_MIN_MS)));
}

/* Time left before deadline from one clock read; 0 once it has passed. */
static sbintime_t
xs_time_left(sbintime_t deadline)
{
	sbintime_t now = sbinuptime();

	return (now < deadline ? deadline - now : 0);
}

static void
xs_intr(void *arg __unused)
{
	mtx_lock_spin(&xs.rx_lock);
	wakeup(&xs.rx_wait);
	wakeup(&xs.tx_wait);
	mtx_unlock_spin(&xs.rx_lock);
}

static void
xs_fail_current(int error)
{
	mtx_assert(&xs.rx_lock, MA_OWNED);
	if (xs.cur != NULL && !xs.cur->done) {
		xs.cur->error = error;
		xs.cur->done = true;
		wakeup(xs.cur);
	}
}

static void
xs_mark_broken(const char *why)
{
	printf("xenstore: %s; client stopped\n", why);
	mtx_lock_spin(&xs.rx_lock);
	__atomic_store_n(&xs.broken, true, __ATOMIC_RELEASE);
	xs_fail_current(EPROTO);
	mtx_unlock_spin(&xs.rx_lock);
}

/*
 * Reads exactly len bytes from the reply ring, sleeping while it is empty;
 * *slept says whether it had to.
 */
static int
xs_read_exact(void *buf, size_t len, bool *slept)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n;

		mtx_lock_spin(&xs.rx_lock);
		while ((n = xs_ring_avail(&xs.ring)) == 0) {
			*slept = true;
			msleep(&xs.rx_wait, &xs.rx_lock, "xsrx", 0);
		}
		mtx_unlock_spin(&xs.rx_lock);
		if (n < 0 || (n = xs_ring_get(&xs.ring, p, len)) < 0)
			return (EPROTO);
		evtchn_notify(xs.evtchn);	/* space freed for the daemon */
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

/* Queues a "path\0token\0" event on the watch that owns the token. */
static void
xs_watch_event(char *body, size_t len)
{
	const char *path, *token;
	struct xs_watch *w;
	struct xs_watch_event *ev;
	size_t plen;

	if (xs_msg_watch_event(body, len, &path, &token) != 0) {
		XS_STAT_INC(bad_replies);
		return;
	}
	plen = strlen(path);
	ev = malloc(sizeof(*ev) + plen + 1, M_XENSTORE, M_NOWAIT);
	mtx_lock_spin(&xs.watch_lock);
	LIST_FOREACH(w, &xs.watches, link) {
		if (strcmp(w->token, token) == 0)
			break;
	}
	if (w == NULL || ev == NULL || w->pending >= w->max_pending) {
		if (w != NULL)
			w->dropped++;
		XS_STAT_INC(watch_dropped);
		mtx_unlock_spin(&xs.watch_lock);
		free(ev, M_XENSTORE);
		return;
	}
	memcpy(ev->path, path, plen + 1);
	STAILQ_INSERT_TAIL(&w->events, ev, link);
	w->pending++;
	KASSERT(w->pending <= w->max_pending, ("xenstore: watch %s queued %u > %u",
	    w->node, w->pending, w->max_pending));
	XS_STAT_INC(watch_events);
	wakeup(&xs.watch_wait);
	mtx_unlock_spin(&xs.watch_lock);
}

static void
xs_reader(void *arg __unused)
{
	u_int burst = 0;

	for (;;) {
		struct xsd_sockmsg hdr;
		char *body;
		bool slept = false;

		if (burst >= XS_READER_BURST) {
			kern_yield();
			burst = 0;
		}
		if (xs_read_exact(&hdr, sizeof(hdr), &slept) != 0) {
			xs_mark_broken("reply ring indexes corrupt");
			break;
		}
		/* Validate the copy: a bad length would desynchronise the stream. */
		if (xs_msg_header_check(&hdr) != 0) {
			XS_STAT_INC(bad_replies);
			xs_mark_broken("malformed reply header");
			break;
		}
		body = malloc(hdr.len + 1, M_XENSTORE, M_WAITOK);
		if (xs_read_exact(body, hdr.len, &slept) != 0) {
			free(body, M_XENSTORE);
			xs_mark_broken("reply ring indexes corrupt");
			break;
		}
		body[hdr.len] = '\0';
		/* Only messages that came without waiting make a burst. */
		burst = slept ? 1 : burst + 1;
		if (hdr.type == XS_WATCH_EVENT) {
			xs_watch_event(body, hdr.len);
			free(body, M_XENSTORE);
			continue;
		}
		mtx_lock_spin(&xs.rx_lock);
		if (xs.cur != NULL && !xs.cur->done && xs.cur->req_id == hdr.req_id) {
			xs.cur->type = hdr.type;
			xs.cur->body = body;
			xs.cur->len = hdr.len;
			xs.cur->done = true;
			XS_STAT_INC(replies);
			wakeup(xs.cur);
			body = NULL;
		} else {
			XS_STAT_INC(bad_replies);	/* late (timed out) or unknown */
		}
		mtx_unlock_spin(&xs.rx_lock);
		free(body, M_XENSTORE);
	}
	kthread_exit();
}

static void
xs_watcher(void *arg __unused)
{
	for (;;) {
		struct xs_watch *w;
		struct xs_watch_event *ev = NULL;

		mtx_lock_spin(&xs.watch_lock);
		for (;;) {
			LIST_FOREACH(w, &xs.watches, link) {
				if ((ev = STAILQ_FIRST(&w->events)) != NULL)
					break;
			}
			if (ev != NULL)
				break;
			msleep(&xs.watch_wait, &xs.watch_lock, "xswatch", 0);
		}
		STAILQ_REMOVE_HEAD(&w->events, link);
		KASSERT(w->pending > 0, ("xenstore: watch %s pending underflow",
		    w->node));
		w->pending--;
		w->delivered++;
		xs.running_watch = w;
		mtx_unlock_spin(&xs.watch_lock);
		w->callback(w, ev->path);
		free(ev, M_XENSTORE);
		mtx_lock_spin(&xs.watch_lock);
		xs.running_watch = NULL;
		wakeup(&xs.running_watch);
		mtx_unlock_spin(&xs.watch_lock);
	}
}

/*
 * Writes all of buf into the request ring, waiting for space until the
 * deadline; *written counts the bytes that went in.
 */
static int
xs_write_all(const void *buf, size_t len, sbintime_t deadline, size_t *written)
{
	const char *p = buf;

	mtx_assert(&xs.request_lock, MA_OWNED);
	while (len > 0) {
		ssize_t n = xs_ring_put(&xs.ring, p, len);
		sbintime_t left;

		if (n < 0)
			return (EPROTO);
		p += n;
		len -= (size_t)n;
		*written += (size_t)n;
		if (len == 0)
			break;
		evtchn_notify(xs.evtchn);
		mtx_lock_spin(&xs.rx_lock);
		if (xs_ring_space(&xs.ring) == 0) {
			if ((left = xs_time_left(deadline)) == 0) {
				mtx_unlock_spin(&xs.rx_lock);
				return (ETIMEDOUT);
			}
			msleep(&xs.tx_wait, &xs.rx_lock, "xstx", left);
		}
		mtx_unlock_spin(&xs.rx_lock);
	}
	return (0);
}

int
xs_talk_raw(uint32_t type, xs_tx_t tx, const struct xs_iov *iov, u_int niov,
    uint32_t *typep, char **replyp, size_t *lenp)
{
	struct xsd_sockmsg hdr;
	struct xs_reply reply;
	sbintime_t deadline;
	size_t total = 0, written = 0;
	int error;

	if (!xs.ready)
		return (ENXIO);
	for (u_int i = 0; i < niov; i++)
		total += iov[i].len;
	if (total > XENSTORE_PAYLOAD_MAX)
		return (E2BIG);

	mtx_lock(&xs.request_lock);
	deadline = sbinuptime() + xs_request_timeout();
	memset(&reply, 0, sizeof(reply));
	hdr.type = type;
	hdr.req_id = reply.req_id = ++xs.next_req_id;
	hdr.tx_id = tx;
	hdr.len = (uint32_t)total;

	mtx_lock_spin(&xs.rx_lock);
	if (xs.broken) {
		mtx_unlock_spin(&xs.rx_lock);
		mtx_unlock(&xs.request_lock);
		return (EPROTO);
	}
	KASSERT(xs.cur == NULL, ("xenstore: request %u still current",
	    xs.cur->req_id));
	xs.cur = &reply;
	mtx_unlock_spin(&xs.rx_lock);
	XS_STAT_INC(requests);

	error = xs_write_all(&hdr, sizeof(hdr), deadline, &written);
	for (u_int i = 0; error == 0 && i < niov; i++)
		error = xs_write_all(iov[i].base, iov[i].len, deadline, &written);
	if (error == 0)
		evtchn_notify(xs.evtchn);
	else if (error == EPROTO)
		xs_mark_broken("request ring indexes corrupt");
	else if (written > 0) {
		/* The daemon holds part of a message: the stream is lost. */
		XS_STAT_INC(timeouts);
		xs_mark_broken("request timed out half-written");
	} else
		XS_STAT_INC(timeouts);

	mtx_lock_spin(&xs.rx_lock);
	while (error == 0 && !reply.done) {
		sbintime_t left = xs_time_left(deadline);

		if (left == 0) {
			error = ETIMEDOUT;
			XS_STAT_INC(timeouts);
			break;
		}
		msleep(&reply, &xs.rx_lock, "xsreply", left);
	}
	if (error == 0)
		error = reply.error;
	xs.cur = NULL;
	mtx_unlock_spin(&xs.rx_lock);
	mtx_unlock(&xs.request_lock);

	if (error != 0) {
		free(reply.body, M_XENSTORE);
		return (error);
	}
	*typep = reply.type;
	*replyp = reply.body;
	*lenp = reply.len;
	return (0);
}

int
xs_talk(uint32_t type, xs_tx_t tx, const struct xs_iov *iov, u_int niov,
    char **replyp, size_t *lenp)
{
	uint32_t rtype;
	char *body;
	size_t len;
	int error;

	error = xs_talk_raw(type, tx, iov, niov, &rtype, &body, &len);
	if (error != 0)
		return (error);
	if (rtype == XS_ERROR)
		error = xs_msg_error(body, len);
	else if (rtype != type) {
		XS_STAT_INC(bad_replies);
		error = EPROTO;
	}
	if (error != 0 || replyp == NULL) {
		free(body, M_XENSTORE);
		return (error);
	}
	*replyp = body;
	if (lenp != NULL)
		*lenp = len;
	return (0);
}

int
xs_attach_ring(struct xenstore_domain_interface *intf, evtchn_port_t port)
{
	struct thread *td;
	int error;

	xs_ring_init(&xs.ring, intf);
	mtx_init(&xs.request_lock, "xsreq", NULL, MTX_DEF);
	mtx_init(&xs.rx_lock, "xsrx", NULL, MTX_SPIN);
	mtx_init(&xs.watch_lock, "xswatch", NULL, MTX_SPIN);
	LIST_INIT(&xs.watches);
	error = evtchn_bind_existing(port, xs_intr, NULL, 0, &xs.evtchn);
	if (error != 0)
		return (error);
	if ((error = kthread_add(xs_reader, NULL, &td, 0, "xenstore_rx")) != 0 ||
	    (error = kthread_add(xs_watcher, NULL, &xs.watch_td, 0,
	    "xenstore_watch")) != 0)
		return (error);
	xs.ready = true;
	/* Anything the daemon queued before we listened. */
	xs_intr(NULL);
	return (0);
}

/* Watches: the token is the watch's address, unique while it is registered. */
int
xs_register_watch(struct xs_watch *w)
{
	struct xs_iov iov[2];
	int error;

	snprintf(w->token, sizeof(w->token), "%lx", (u_long)(uintptr_t)w);
	if (w->max_pending == 0)
		w->max_pending = XS_WATCH_MAX_PENDING;
	w->pending = 0;
	w->dropped = w->delivered = 0;
	STAILQ_INIT(&w->events);
	mtx_lock_spin(&xs.watch_lock);
	LIST_INSERT_HEAD(&xs.watches, w, link);
	mtx_unlock_spin(&xs.watch_lock);

	iov[0].base = w->node;
	iov[0].len = strlen(w->node) + 1;
	iov[1].base = w->token;
	iov[1].len = strlen(w->token) + 1;
	error = xs_talk(XS_WATCH, XST_NIL, iov, 2, NULL, NULL);
	if (error != 0) {
		mtx_lock_spin(&xs.watch_lock);
		LIST_REMOVE(w, link);
		mtx_unlock_spin(&xs.watch_lock);
	}
	return (error);
}

void
xs_unregister_watch(struct xs_watch *w)
{
	struct xs_iov iov[2];
	struct xs_watch_event *ev;

	iov[0].base = w->node;
	iov[0].len = strlen(w->node) + 1;
	iov[1].base = w->token;
	iov[1].len = strlen(w->token) + 1;
	(void)xs_talk(XS_UNWATCH, XST_NIL, iov, 2, NULL, NULL);

	mtx_lock_spin(&xs.watch_lock);
	LIST_REMOVE(w, link);
	/* Its callback may be running: the caller may free w once we return. */
	while (xs.running_watch == w && curthread != xs.watch_td)
		msleep(&xs.running_watch, &xs.watch_lock, "xsunwatch", 0);
	while ((ev = STAILQ_FIRST(&w->events)) != NULL) {
		STAILQ_REMOVE_HEAD(&w->events, link);
		w->pending--;
		mtx_unlock_spin(&xs.watch_lock);
		free(ev, M_XENSTORE);
		mtx_lock_spin(&xs.watch_lock);
	}
	mtx_unlock_spin(&xs.watch_lock);
}
