/*
 * xenstored-shim: shared internal definitions.
 *
 * Invariants kept by every module:
 *  - Nothing a peer sends may reach an assert() or abort(): every check of
 *    peer input returns an errno value that becomes an ERROR reply, or marks
 *    the connection dead.
 *  - No recursion over peer-controlled structures: tree walks use explicit
 *    work lists.
 *  - Every allocation failure is reported to the caller (ENOMEM).
 *  - Changes reach the global store only through txn_commit(), so watch
 *    events, the journal and the quota accounting all see one code path.
 */
#ifndef XSD_H
#define XSD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <sys/uio.h>

#include <xen/io/xs_wire.h>

#define XSD_HDR_LEN	  ((uint32_t)sizeof(struct xsd_sockmsg))
#define XSD_DOMID_MAX	  0x7fefu /* DOMID_FIRST_RESERVED - 1 */

/* Permission bits; OWNER is internal and never on the wire. */
#define XSD_PERM_NONE  0u
#define XSD_PERM_READ  1u
#define XSD_PERM_WRITE 2u
#define XSD_PERM_OWNER 4u

/* Domids fit 16 bits (perms_parse refuses more): 4 bytes an entry. */
struct xsd_perm {
	uint16_t id;
	uint8_t mode; /* XSD_PERM_READ | XSD_PERM_WRITE */
};

/* ---- growable buffer (buf.c) ---- */
struct buf {
	uint8_t *p;
	size_t len, cap;
};
int buf_reserve(struct buf *b, size_t extra);
int buf_add(struct buf *b, const void *p, size_t n);
int buf_addstr0(struct buf *b, const char *s); /* with its NUL */
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_free(struct buf *b);

/* ---- quotas and limits (quota.c) ---- */
struct xsd_quota {
	unsigned nodes;	       /* nodes owned per domain */
	unsigned node_size;    /* bytes of value + child names per node */
	unsigned watches;      /* per connection */
	unsigned transactions; /* per connection */
	unsigned perms;	       /* permissions entries per node */
	unsigned outstanding;  /* unanswered requests per connection */
	unsigned memory;       /* bytes of node data per domain */
	unsigned watch_events; /* queued, unsent watch events per connection */
	unsigned event_timeout; /* seconds an unread event may wait */
	unsigned tx_nodes;     /* nodes touched by one transaction */
};
extern struct xsd_quota xsd_quota;
void quota_defaults(struct xsd_quota *q);
/* Parses "what=value"; returns 0 or an errno. */
int quota_set(struct xsd_quota *q, const char *spec);
int quota_parse_uint(const char *s, unsigned *out);

/* ---- protocol helpers (proto.c); pure, fuzzed ---- */
const char *proto_errname(int err);
int proto_errnum(const char *name);
const char *proto_typename(uint32_t type);
/* Checks a header; returns 0, or E2BIG when the frame must be refused. */
int proto_check_header(const struct xsd_sockmsg *h);
/*
 * Splits a payload into NUL-terminated strings.  Returns the number of
 * strings found (at most max) and sets *rest and *restlen to the bytes after
 * the last NUL consumed.  Returns -1 when fewer than min strings end in NUL.
 */
int proto_split(const uint8_t *p, size_t len, const char **argv, int min,
    int max, const uint8_t **rest, size_t *restlen);
/* Decimal parser for domids and counters: digits only, no overflow. */
int proto_parse_u32(const char *s, uint32_t max, uint32_t *out);

/* ---- paths (path.c); pure ---- */
bool path_chars_ok(const char *s);
/* Validates an absolute path.  Returns 0 or EINVAL. */
int path_check(const char *p);
/*
 * Makes an absolute path from a client path: relative ones are relative
 * to /local/domain/<domid>.  out must hold XENSTORE_ABS_PATH_MAX + 1.
 */
int path_canon(uint32_t domid, const char *in, char *out, size_t outlen);
bool path_is_child(const char *child, const char *parent);
/* Length of the parent path of an absolute path (1 for "/x"). */
size_t path_parent_len(const char *p);
const char *path_basename(const char *p);
bool path_is_special(const char *p);

/* ---- permissions (perms.c) ---- */
int perms_parse(const char *s, struct xsd_perm *out);
int perms_format(const struct xsd_perm *p, char *out, size_t outlen);
struct domain;
/* Effective access of domid (with its target) to a node's perms. */
unsigned perms_access(uint32_t domid, bool priv, int32_t target,
    const struct xsd_perm *p, uint32_t n);

/* ---- nodes and the store (tree.c) ---- */
/*
 * A node is one allocation: this header, then its permissions, its
 * absolute path (NUL-terminated) and its value.  Only the child list,
 * which grows and shrinks, lives apart.  Changing the value or the
 * permissions builds a new node (node_rebuild); nodes inside a table are
 * swapped in place (ntab_swap).
 */
struct node {
	struct node *hnext;
	char *kids; /* NUL-terminated child names, concatenated */
	uint64_t gen; /* store generation of the last change */
	/* Transaction overlay entries only: */
	uint64_t basegen; /* generation seen by the transaction, 0 = absent */
	uint32_t hash;	  /* ntab_hash of the path */
	uint32_t kidslen;
	uint16_t pathlen;
	uint16_t vlen;
	uint16_t nperms;
	uint8_t kind; /* NODE_LIVE, or overlay: NODE_READ, NODE_SET, NODE_DEL */
	struct xsd_perm perms[]; /* then path[pathlen + 1], value[vlen] */
};
enum { NODE_LIVE, NODE_READ, NODE_SET, NODE_DEL };

static inline const char *
node_path(const struct node *n)
{
	return (const char *)(n->perms + n->nperms);
}

static inline const uint8_t *
node_value(const struct node *n)
{
	return (const uint8_t *)node_path(n) + n->pathlen + 1;
}

/*
 * Memory quota measure of a node: fixed at the figures of the original
 * layout (an 88-byte header, 8 bytes a permission) so that a quota admits
 * the same data whatever the in-memory representation.
 */
#define XSD_NODE_ACCT_HDR  88u
#define XSD_NODE_ACCT_PERM 8u

struct ntab {
	struct node **b;
	size_t nb, n;
};
uint32_t ntab_hash(const char *p, size_t len);
struct node *ntab_find(const struct ntab *t, const char *p);
struct node *ntab_find_h(const struct ntab *t, const char *p, size_t len,
    uint32_t h);
int ntab_insert(struct ntab *t, struct node *n); /* path must be unique */
struct node *ntab_remove(struct ntab *t, const char *p);
struct node *ntab_remove_h(struct ntab *t, const char *p, size_t len,
    uint32_t h);
/* Puts nw (same path) in old's place; old is not freed. */
void ntab_swap(struct ntab *t, struct node *old, struct node *nw);
void ntab_free(struct ntab *t); /* frees the nodes too */

/* Node sizes beyond what a uint16_t holds are refused (EINVAL/NULL). */
struct node *node_make(const char *path, const struct xsd_perm *p,
    uint32_t np, const void *v, size_t vlen);
struct node *node_new(const char *path);
struct node *node_dup(const struct node *n);
/*
 * A copy of n with other permissions and value; n's child list moves to
 * the copy and n is freed.  NULL (n untouched) without memory.
 */
struct node *node_rebuild(struct node *n, const struct xsd_perm *p,
    uint32_t np, const void *v, size_t vlen);
void node_free(struct node *n);
int node_copy_kids(struct node *n, const struct node *from);
int node_add_kid(struct node *n, const char *name);
bool node_has_kid(const struct node *n, const char *name);
void node_del_kid(struct node *n, const char *name);
size_t node_size(const struct node *n);	 /* quota measure */
size_t node_memory(const struct node *n); /* accounting measure */

struct domacct {
	uint32_t domid;
	unsigned nodes;
	size_t memory;
	struct domacct *next;
};

struct store {
	struct ntab tab;
	uint64_t gen;
	uint64_t seq; /* committed change sets, persisted */
	struct domacct *acct;
};
extern struct store xsd_store;
int store_init(void);
void store_fini(void);
struct node *store_get(const char *path);
struct node *store_get_h(const char *path, size_t len, uint32_t h);
/* Installs (replacing) or removes a node, keeping accounting. */
void store_put(struct node *n);
void store_del(const char *path);
struct domacct *store_acct(uint32_t domid, bool create);

/* ---- connections (conn.c) ---- */
struct conn;
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
	bool is_event;
	time_t queued;
	uint32_t len;
	uint8_t data[];
};

struct watch;
struct txn;

struct conn {
	struct conn *next, *prev;
	const struct transport_ops *ops;
	void *tp;
	int fd; /* polled fd, or -1 */
	uint64_t id;
	uint32_t domid;
	int32_t target; /* SET_TARGET domid or -1 */
	bool priv;
	bool dead;
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
	uint32_t out_off;
	unsigned out_replies, out_events;
	size_t out_bytes;
	/* state */
	struct watch *watches;
	unsigned nwatches;
	struct txn *txns;
	unsigned ntxns;
	uint32_t next_txid;
};

extern struct conn *xsd_conns;
struct conn *conn_new(const struct transport_ops *ops, void *tp, int fd,
    uint32_t domid);
void conn_destroy(struct conn *c);
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

/* ---- request dispatch (ops.c) ---- */
void ops_dispatch(struct conn *c, const struct xsd_sockmsg *h,
    const uint8_t *payload);

/* ---- transactions (txn.c) ---- */
struct evrec {
	struct evrec *next;
	bool recursive; /* removal: watches below path fire too */
	uint32_t nperms;
	struct xsd_perm *perms; /* perms of the node when it changed */
	char path[];
};

struct txn {
	struct txn *next;
	uint32_t id;
	struct conn *conn;
	struct ntab tab;
	struct evrec *events;
	long node_delta; /* nodes created minus removed, owned by conn */
	bool failed;	 /* a quota or allocation failure inside */
};
struct txn *txn_new(struct conn *c, uint32_t id);
void txn_free(struct txn *t);
struct txn *txn_find(struct conn *c, uint32_t id);
/* Lookup through the transaction; records what was seen. */
const struct node *txn_get(struct txn *t, const char *path, int *err);
/* Copy-on-write node for modification; creates it if create. */
struct node *txn_modify(struct txn *t, const char *path, int *err);
int txn_create(struct txn *t, const char *path, const struct node *parent,
    struct node **out);
int txn_remove(struct txn *t, const char *path);
/* Replaces the overlay node *mp (from txn_modify/txn_create). */
int txn_rebuild(struct txn *t, struct node **mp, const struct xsd_perm *p,
    uint32_t np, const void *v, size_t vlen);
int txn_add_event(struct txn *t, const char *path, const struct node *n,
    bool recursive);
/* Returns 0 or EAGAIN; on success changes are live, events sent, journaled. */
int txn_commit(struct txn *t);
/* XSA-322: drops or hands to dom0 every permission naming domid. */
int txn_revoke_domid(uint32_t domid);

/* ---- watches (watch.c) ---- */
struct watch {
	struct watch *next;
	char *token;
	char *orig; /* path as the client gave it */
	char *abs;  /* absolute or special */
	bool relative;
};
int watch_add(struct conn *c, const char *path, const char *token);
int watch_del(struct conn *c, const char *path, const char *token);
void watch_free_all(struct conn *c);
/* Sends events for one change to every matching watch. */
void watch_fire(const struct evrec *e);
void watch_fire_one(struct conn *c, struct watch *w);
/* Events of a committed change wait here until the reply is queued. */
void watch_defer(struct evrec *list);
void watch_defer_special(const char *name);
void watch_flush_pending(void);
void evrec_free(struct evrec *e);

/* ---- domains (domain.c) ---- */
struct domain {
	struct domain *next;
	uint32_t domid;
	int32_t target;
	bool introduced;
	bool released_sent;
	struct conn *conn; /* ring connection, if any */
	void *ring;	   /* transport state */
};
extern struct domain *xsd_domains;
struct domain *domain_find(uint32_t domid);
int domain_introduce(uint32_t domid, unsigned long mfn, uint32_t port);
int domain_release(uint32_t domid);
int domain_set_target(uint32_t domid, uint32_t target);
int32_t domain_target(uint32_t domid);
void domain_conn_gone(struct conn *c);
void domain_fini(void);

/* Pluggable ring backend: NULL under --no-domains. */
struct ring_backend {
	int (*attach)(struct domain *d, unsigned long mfn, uint32_t port);
	void (*detach)(struct domain *d);
	int (*poll_fd)(void);
	void (*handle)(void); /* poll_fd readable */
};
extern const struct ring_backend *xsd_ring_backend;
const struct ring_backend *ringdom_backend(void);

/* ---- ring transport (ring.c); pure index logic ---- */
struct ring_idx {
	XENSTORE_RING_IDX req_cons; /* ours: private copy, never re-read */
	XENSTORE_RING_IDX rsp_prod; /* ours: private copy */
};
/* >=0 bytes copied; -1 bad index from the peer (disconnect it). */
long ring_read(volatile struct xenstore_domain_interface *intf,
    struct ring_idx *ix, void *buf, size_t len);
long ring_write(volatile struct xenstore_domain_interface *intf,
    struct ring_idx *ix, const void *buf, size_t len);
bool ring_has_input(volatile struct xenstore_domain_interface *intf,
    const struct ring_idx *ix);

/* ---- database (db.c) ---- */
int db_open(const char *path);
/* Records one committed change set. */
int db_log_set(const struct node *n);
int db_log_del(const char *path);
int db_log_end(void);
/* Writes pending records and fsyncs; call before sending replies. */
int db_flush(void);
int db_snapshot(void);
void db_close(void);
bool db_enabled(void);

/* ---- socket transport (sock.c) ---- */
int sock_listen(const char *path, char *err, size_t errlen);
void sock_accept(int lfd);
extern const struct transport_ops sock_ops;

/* ---- log / trace (log.c) ---- */
extern FILE *xsd_trace;
extern int xsd_verbose;
extern int xsd_quiet; /* no diagnostics (fuzzing) */
void xsd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void trace_msg(const struct conn *c, const char *dir,
    const struct xsd_sockmsg *h, const uint8_t *p);

#endif
