/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * /dev/xen/xenbus's message logic, without locks or user memory: the
 * assembly of one request from the bytes user space writes (xs_wire framing:
 * header, then hdr.len bytes of payload), its checks, and the queue of
 * replies and watch events an open file reads.
 *
 * Bounds (user space and the daemon are both untrusted): a payload is at
 * most XENSTORE_PAYLOAD_MAX bytes; the replies queued are at most
 * XBDEV_REPLY_BYTES (the writer waits for room before each request, so a
 * reply is never dropped); watch events at most XBDEV_EVENT_MAX and
 * XBDEV_EVENT_BYTES: a new one beyond that drops the oldest ones, counted.
 */
#ifndef _DEV_XEN_XENBUS_DEV_MSG_H_
#define _DEV_XEN_XENBUS_DEV_MSG_H_

#include <sys/queue.h>
#include <sys/types.h>

#include <xen/xen.h>
#include <xen/io/xs_wire.h>

#define XBDEV_MSG_MAX		(sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)
#define XBDEV_REPLY_BYTES	(4 * XBDEV_MSG_MAX)
#define XBDEV_EVENT_MAX		128
#define XBDEV_EVENT_BYTES	(8 * XBDEV_MSG_MAX)
/* A watch token user space chooses (libxenstore's are short). */
#define XBDEV_TOKEN_MAX		128

/* One request being written. */
struct xbdev_req {
	struct xsd_sockmsg	hdr;
	size_t			have;	/* bytes of header and body so far */
	/* The payload, NUL-terminated one past hdr.len for the checks. */
	char			body[XENSTORE_PAYLOAD_MAX + 1];
};

void	xbdev_req_reset(struct xbdev_req *);
/* Where the next written bytes go, and how many the message still lacks. */
void	*xbdev_req_next(struct xbdev_req *, size_t *want);
/*
 * Records n bytes stored at xbdev_req_next().  Returns 0 (more to come),
 * 1 (the message is whole) or EINVAL (the header's length is over
 * XENSTORE_PAYLOAD_MAX: the request is reset).
 */
int	xbdev_req_advance(struct xbdev_req *, size_t n);
/*
 * Checks a whole request: its type is one user space may send, and a
 * WATCH/UNWATCH body is exactly "path\0token\0" (path not empty, token
 * shorter than XBDEV_TOKEN_MAX, no transaction).  0 and, for those,
 * pointers into the body; EINVAL otherwise.
 */
int	xbdev_req_check(const struct xbdev_req *, const char **path,
	    const char **token);
/* A TRANSACTION_START reply's id: decimal, not 0, NUL-terminated. */
int	xbdev_parse_txid(const char *body, size_t len, uint32_t *id);

/* A message queued for read(): header and body, contiguous. */
struct xbdev_msg {
	TAILQ_ENTRY(xbdev_msg)	link;
	bool			event;
	size_t			len;
	char			data[];
};

struct xbdev_queue {
	TAILQ_HEAD(, xbdev_msg)	msgs;
	size_t			off;		/* read of the first message */
	size_t			reply_bytes;
	size_t			event_bytes;
	u_int			nevents;
	uint64_t		dropped;	/* watch events dropped */
};

/*
 * A message: header {type, req_id, tx_id, len} then the parts' bytes.
 * NULL if the body exceeds XENSTORE_PAYLOAD_MAX or memory is short.
 */
struct xbdev_msg *xbdev_msg_new(bool event, uint32_t type, uint32_t req_id,
	    uint32_t tx_id, const void *p1, size_t l1, const void *p2, size_t l2,
	    int mflags);
void	xbdev_msg_free(struct xbdev_msg *);

void	xbdev_queue_init(struct xbdev_queue *);
/* Frees every message. */
void	xbdev_queue_flush(struct xbdev_queue *);
/* True when a reply of any size would fit (XBDEV_REPLY_BYTES). */
bool	xbdev_queue_reply_room(const struct xbdev_queue *);
/*
 * Appends m (the queue owns it).  An event over the bounds drops the oldest
 * events not being read first; returns how many were dropped.
 */
u_int	xbdev_queue_put(struct xbdev_queue *, struct xbdev_msg *m);
/* The unread bytes of the first message (NULL, 0 if empty). */
void	*xbdev_queue_peek(struct xbdev_queue *, size_t *len);
/* n bytes of the first message were read. */
void	xbdev_queue_consume(struct xbdev_queue *, size_t n);
bool	xbdev_queue_empty(const struct xbdev_queue *);

#endif /* !_DEV_XEN_XENBUS_DEV_MSG_H_ */
