/* connections (conn.c) */
#ifndef XSD_CONN_H
#define XSD_CONN_H

#include "xsd_types.h"

struct transport_ops {
	const char *name;
	/* >0 bytes moved, 0 would block, -1 connection gone */
	long (*read)(struct conn *c, void *p, size_t n);
	long (*write)(struct conn *c, const void *p, size_t n);
	void (*destroy)(struct conn *c);
	/* Tells the peer new data is there (ring: event channel). */
	void (*kick)(struct conn *c);
	/* For transports without an fd: input waiting to be read. */
	bool (*pending)(struct conn *c);
	/* Optional gather write, as write: one call per batch of replies. */
	long (*writev)(struct conn *c, const struct iovec *iov, int n);
};

struct outmsg {
	struct outmsg *next;
	struct outmsg *hnext; /* events: chain in the connection's evtab */
	uint32_t hash;	      /* events: of the payload */
	bool is_event;
	bool big; /* buffer size class: XENSTORE_PAYLOAD_MAX, else 256 */
	time_t queued;
	uint32_t len;
	uint8_t data[];
};


struct conn {
	struct conn *next, *prev;
	const struct transport_ops *ops;
	void *tp;
	int fd; /* polled fd, or -1 */
	uint32_t ep_mask; /* events asked of epoll (main.c) */
	bool ep_added;
	uint64_t id;
	uint32_t domid;
	int32_t target; /* SET_TARGET domid or -1 */
	bool priv;
	bool dead; /* set by conn_kill(): destroyed at the end of the turn */
	/* On xsd_busy (conn_busy()): the loop looks at it this turn. */
	bool busy;
	struct conn *busy_next;
	bool can_restrict;
	/* input assembly */
	uint32_t inlen;
	union {
		struct xsd_sockmsg hdr;
		uint8_t raw[XSD_HDR_LEN];
	} in;
	uint8_t payload[XENSTORE_PAYLOAD_MAX + 1];
	/* Bytes read from the transport but not yet fed (one read a turn
	 * takes all a peer sent; backpressure keeps the rest here). */
	uint32_t stash_off, stash_len;
	uint8_t stash[XSD_HDR_LEN + XENSTORE_PAYLOAD_MAX];
	/* output queue */
	struct outmsg *out_head, *out_tail;
	/* The queued events by payload, to drop one already waiting. */
	struct outmsg **evtab;
	uint32_t evtab_nb;
	uint32_t out_off;
	unsigned out_replies, out_events;
	unsigned long events_dropped; /* since the queue was last full */
	size_t out_bytes;
	/* state */
	struct watch *watches;
	unsigned nwatches;
	struct txn *txns;
	unsigned ntxns;
	uint32_t next_txid;
};

extern struct conn *xsd_conns;
/*
 * The connections the event loop must look at this turn: those with new
 * input or output, those that died, and those still holding queued output,
 * stashed input or unread events.  The loop walks these and never every
 * connection, so an idle connection costs a turn nothing.
 */
extern struct conn *xsd_busy;
void conn_busy(struct conn *c);
/* Marks c dead (and busy): it is destroyed when the turn ends. */
void conn_kill(struct conn *c);
/* Whether c must stay on xsd_busy for the next turn. */
bool conn_needs_turn(const struct conn *c);
struct conn *conn_new(const struct transport_ops *ops, void *tp, int fd,
    uint32_t domid);
void conn_destroy(struct conn *c);
/* Drops everything a connection holds: queued output, half-read input,
 * transactions and watches (a domain introduced again starts afresh). */
void conn_reset(struct conn *c);
/* Reads and dispatches what is available; returns false if c died. */
bool conn_handle_input(struct conn *c);
/* Feeds bytes (used by the fuzzer and the ring); returns bytes consumed. */
size_t conn_feed(struct conn *c, const uint8_t *p, size_t n);
void conn_flush_output(struct conn *c);
bool conn_wants_input(const struct conn *c);
/* Input already read from the transport waits to be handled. */
bool conn_has_stashed(const struct conn *c);
bool conn_has_output(const struct conn *c);
int conn_queue_reply(struct conn *c, uint32_t type, uint32_t req_id,
    uint32_t tx_id, const void *p, size_t len);
int conn_queue_error(struct conn *c, const struct xsd_sockmsg *req, int err);
void conn_queue_event(struct conn *c, const char *path, const char *token);
/* Disconnects peers whose oldest unread event is too old. */
void conn_check_timeouts(time_t now);
void conn_reap_dead(void);

#endif
