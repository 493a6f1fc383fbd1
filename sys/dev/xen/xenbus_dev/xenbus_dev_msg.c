/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * /dev/xen/xenbus: request assembly, checks and the read queue (see
 * xenbus_dev_msg.h).  The caller serialises each object.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <dev/xen/xenbus_dev/xenbus_dev_msg.h>

MALLOC_DEFINE(M_XBDEV, "xenbus_dev", "/dev/xen/xenbus messages");

void
xbdev_req_reset(struct xbdev_req *r)
{
	r->have = 0;
	memset(&r->hdr, 0, sizeof(r->hdr));
}

void *
xbdev_req_next(struct xbdev_req *r, size_t *want)
{
	if (r->have < sizeof(r->hdr)) {
		*want = sizeof(r->hdr) - r->have;
		return ((char *)&r->hdr + r->have);
	}
	KASSERT(r->hdr.len <= XENSTORE_PAYLOAD_MAX,
	    ("xenbus_dev: header length %u was accepted", r->hdr.len));
	*want = sizeof(r->hdr) + r->hdr.len - r->have;
	return (r->body + (r->have - sizeof(r->hdr)));
}

int
xbdev_req_advance(struct xbdev_req *r, size_t n)
{
	size_t want;

	(void)xbdev_req_next(r, &want);
	KASSERT(n <= want, ("xenbus_dev: %zu bytes stored, %zu wanted", n,
	    want));
	r->have += n;
	if (r->have < sizeof(r->hdr))
		return (0);
	/* The header is whole: its length is checked once, before any body. */
	if (r->hdr.len > XENSTORE_PAYLOAD_MAX) {
		xbdev_req_reset(r);
		return (EINVAL);
	}
	if (r->have < sizeof(r->hdr) + r->hdr.len)
		return (0);
	r->body[r->hdr.len] = '\0';
	return (1);
}

/* Types user space may send; WATCH_EVENT, ERROR and RESET_WATCHES are not
 * requests of its own (resetting would also drop the kernel's watches). */
static bool
xbdev_type_allowed(uint32_t type)
{
	switch (type) {
	case XS_CONTROL:
	case XS_DIRECTORY:
	case XS_READ:
	case XS_GET_PERMS:
	case XS_WATCH:
	case XS_UNWATCH:
	case XS_TRANSACTION_START:
	case XS_TRANSACTION_END:
	case XS_INTRODUCE:
	case XS_RELEASE:
	case XS_GET_DOMAIN_PATH:
	case XS_WRITE:
	case XS_MKDIR:
	case XS_RM:
	case XS_SET_PERMS:
	case XS_IS_DOMAIN_INTRODUCED:
	case XS_RESUME:
	case XS_SET_TARGET:
	case XS_DIRECTORY_PART:
		return (true);
	default:
		return (false);
	}
}

int
xbdev_req_check(const struct xbdev_req *r, const char **path,
    const char **token)
{
	size_t len = r->hdr.len, plen, tlen;

	KASSERT(r->have == sizeof(r->hdr) + len,
	    ("xenbus_dev: check of an incomplete request"));
	if (!xbdev_type_allowed(r->hdr.type))
		return (EINVAL);
	if (r->hdr.type != XS_WATCH && r->hdr.type != XS_UNWATCH)
		return (0);
	if (r->hdr.tx_id != 0)
		return (EINVAL);
	plen = strnlen(r->body, len);
	if (plen == 0 || plen == len)
		return (EINVAL);
	tlen = strnlen(r->body + plen + 1, len - plen - 1);
	/* Exactly two strings, nothing after the token's NUL. */
	if (plen + 1 + tlen + 1 != len || tlen >= XBDEV_TOKEN_MAX)
		return (EINVAL);
	*path = r->body;
	*token = r->body + plen + 1;
	return (0);
}

int
xbdev_parse_txid(const char *body, size_t len, uint32_t *id)
{
	uint64_t v = 0;
	size_t i;

	if (len < 2 || body[len - 1] != '\0')
		return (EINVAL);
	for (i = 0; i < len - 1; i++) {
		if (body[i] < '0' || body[i] > '9')
			return (EINVAL);
		v = v * 10 + (uint64_t)(body[i] - '0');
		if (v > UINT32_MAX)
			return (EINVAL);
	}
	if (v == 0)
		return (EINVAL);
	*id = (uint32_t)v;
	return (0);
}

struct xbdev_msg *
xbdev_msg_new(bool event, uint32_t type, uint32_t req_id, uint32_t tx_id,
    const void *p1, size_t l1, const void *p2, size_t l2, int mflags)
{
	struct xsd_sockmsg hdr;
	struct xbdev_msg *m;

	if (l1 > XENSTORE_PAYLOAD_MAX || l2 > XENSTORE_PAYLOAD_MAX - l1)
		return (NULL);
	m = malloc(sizeof(*m) + sizeof(hdr) + l1 + l2, M_XBDEV, mflags);
	if (m == NULL)
		return (NULL);
	hdr.type = type;
	hdr.req_id = req_id;
	hdr.tx_id = tx_id;
	hdr.len = (uint32_t)(l1 + l2);
	m->event = event;
	m->len = sizeof(hdr) + l1 + l2;
	memcpy(m->data, &hdr, sizeof(hdr));
	if (l1 > 0)
		memcpy(m->data + sizeof(hdr), p1, l1);
	if (l2 > 0)
		memcpy(m->data + sizeof(hdr) + l1, p2, l2);
	return (m);
}

void
xbdev_msg_free(struct xbdev_msg *m)
{
	free(m, M_XBDEV);
}

void
xbdev_queue_init(struct xbdev_queue *q)
{
	memset(q, 0, sizeof(*q));
	TAILQ_INIT(&q->msgs);
}

static void
xbdev_queue_remove(struct xbdev_queue *q, struct xbdev_msg *m)
{
	if (m == TAILQ_FIRST(&q->msgs))
		q->off = 0;
	TAILQ_REMOVE(&q->msgs, m, link);
	if (m->event) {
		KASSERT(q->nevents > 0 && q->event_bytes >= m->len,
		    ("xenbus_dev: event counts underflow"));
		q->nevents--;
		q->event_bytes -= m->len;
	} else {
		KASSERT(q->reply_bytes >= m->len,
		    ("xenbus_dev: reply bytes underflow"));
		q->reply_bytes -= m->len;
	}
	xbdev_msg_free(m);
}

void
xbdev_queue_flush(struct xbdev_queue *q)
{
	struct xbdev_msg *m;

	while ((m = TAILQ_FIRST(&q->msgs)) != NULL)
		xbdev_queue_remove(q, m);
}

bool
xbdev_queue_reply_room(const struct xbdev_queue *q)
{
	return (q->reply_bytes <= XBDEV_REPLY_BYTES - XBDEV_MSG_MAX);
}

u_int
xbdev_queue_put(struct xbdev_queue *q, struct xbdev_msg *m)
{
	struct xbdev_msg *old, *next;
	u_int dropped = 0;

	KASSERT(m->len <= XBDEV_MSG_MAX, ("xenbus_dev: message of %zu bytes",
	    m->len));
	if (!m->event) {
		KASSERT(q->reply_bytes + m->len <= XBDEV_REPLY_BYTES,
		    ("xenbus_dev: reply queued without room"));
		q->reply_bytes += m->len;
		TAILQ_INSERT_TAIL(&q->msgs, m, link);
		return (0);
	}
	/* Oldest first; never the message a reader is part-way through. */
	for (old = TAILQ_FIRST(&q->msgs); old != NULL &&
	    (q->nevents >= XBDEV_EVENT_MAX ||
	    q->event_bytes + m->len > XBDEV_EVENT_BYTES); old = next) {
		next = TAILQ_NEXT(old, link);
		if (!old->event || (old == TAILQ_FIRST(&q->msgs) && q->off > 0))
			continue;
		xbdev_queue_remove(q, old);
		dropped++;
	}
	if (q->nevents >= XBDEV_EVENT_MAX ||
	    q->event_bytes + m->len > XBDEV_EVENT_BYTES) {
		/* Only a part-read event is left in the way: drop the new one. */
		xbdev_msg_free(m);
		q->dropped += dropped + 1;
		return (dropped + 1);
	}
	q->nevents++;
	q->event_bytes += m->len;
	TAILQ_INSERT_TAIL(&q->msgs, m, link);
	q->dropped += dropped;
	return (dropped);
}

void *
xbdev_queue_peek(struct xbdev_queue *q, size_t *len)
{
	struct xbdev_msg *m = TAILQ_FIRST(&q->msgs);

	if (m == NULL) {
		*len = 0;
		return (NULL);
	}
	KASSERT(q->off < m->len, ("xenbus_dev: read offset %zu of %zu",
	    q->off, m->len));
	*len = m->len - q->off;
	return (m->data + q->off);
}

void
xbdev_queue_consume(struct xbdev_queue *q, size_t n)
{
	struct xbdev_msg *m = TAILQ_FIRST(&q->msgs);

	KASSERT(m != NULL && n <= m->len - q->off,
	    ("xenbus_dev: consumed %zu past the message", n));
	q->off += n;
	if (q->off == m->len)
		xbdev_queue_remove(q, m);
}

bool
xbdev_queue_empty(const struct xbdev_queue *q)
{
	return (TAILQ_EMPTY(&q->msgs));
}
