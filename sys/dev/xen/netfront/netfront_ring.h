/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * netfront's side of the two netif rings (<xen/io/netif.h>) as pure code:
 * no grants, no event channels, no mbufs.  The caller grants pages and
 * passes grant references in as numbers; this code plans how a packet is
 * cut into slots, writes tx and rx requests, and consumes and validates
 * the backend's responses.
 *
 * Transmit: a packet is at most NF_TX_MAX_SLOTS slots (netback drops a
 * packet of more than XEN_NETIF_NR_SLOTS_MIN and disables the vif at 20),
 * no slot crosses a 4 KiB page (fatal to netback), and the first slot
 * holds every header (netback needs at least the Ethernet header there).
 * A tx request's id is a slot of an id table; responses may come in any
 * order; a packet completes when the last of its slots is answered.
 *
 * Receive: an rx request's id is its ring position (mod the ring size), so
 * the buffer a response fills is found from the position it was consumed
 * at, never from anything the backend wrote.  Netback answers requests in
 * order, one response per request (extra-info slots included).
 *
 * The backend is untrusted.  rsp_prod is read once per pass and bounded by
 * the requests we published; each response is copied off the ring once and
 * only the copy is looked at.  On tx, an id out of range, not in flight or
 * answered twice is a protocol error: the ring goes dead and the caller
 * must reconnect.  On rx, a response that does not fit the buffer it names
 * (id not the position's, offset + size past the page, error status, a
 * chain too long or cut short, a malformed extra) only drops its packet,
 * counted by reason; its buffers go back to the caller.
 *
 * Locking: none here; the caller serialises all calls on one ring.
 */
#ifndef _DEV_XEN_NETFRONT_NETFRONT_RING_H_
#define _DEV_XEN_NETFRONT_NETFRONT_RING_H_

#include <sys/types.h>
#include <machine/atomic.h>

/* ring.h leaves its barriers to the OS. */
#ifndef xen_mb
#define xen_mb()	mb()
#define xen_rmb()	rmb()
#define xen_wmb()	wmb()
#endif

#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/ring.h>
#include <xen/io/netif.h>

/* Rings and data slots are 4 KiB pages, whatever the OS page size. */
#define NF_PAGE_SIZE		(1u << XEN_PAGE_SHIFT)
#define NF_PAGE_MASK		(NF_PAGE_SIZE - 1)
/* One page per ring (netif has no multi-page rings). */
#define NF_TX_RING_SIZE		__CONST_RING_SIZE(netif_tx, NF_PAGE_SIZE)
#define NF_RX_RING_SIZE		__CONST_RING_SIZE(netif_rx, NF_PAGE_SIZE)
/* Slots of one packet, each way. */
#define NF_TX_MAX_SLOTS		XEN_NETIF_NR_SLOTS_MIN
#define NF_RX_MAX_SLOTS		XEN_NETIF_NR_SLOTS_MIN
/* Extra-info slots after one rx response: at most one of each type. */
#define NF_RX_MAX_EXTRAS	(XEN_NETIF_EXTRA_TYPE_MAX - 1)
/* The smallest frame netback or we accept: an Ethernet header. */
#define NF_MIN_FRAME		14

/* Why a ring went dead (error_kind). */
enum nf_ring_error {
	NF_RING_OK = 0,
	NF_RING_ERR_PROD,	/* rsp_prod beyond what we published, or back */
	NF_RING_ERR_ID,		/* tx response id out of range */
	NF_RING_ERR_NOTINFLIGHT, /* tx id never published, or answered twice */
};

/* ---- transmit ---- */

/* A piece of a packet in memory (addresses are only computed with). */
struct nftx_buf {
	uintptr_t	addr;
	size_t		len;
};

/* One slot: a piece inside one 4 KiB page. */
struct nftx_slot {
	uintptr_t	page;		/* plan: the page's address */
	grant_ref_t	gref;		/* queue: the page's grant */
	uint16_t	offset;
	uint16_t	len;
};

/*
 * Cuts bufs[0..nbufs-1] (empty ones skipped) into slots that do not cross
 * a page, at most maxslots (1..NF_TX_MAX_SLOTS).  Returns 0 and fills
 * out[0..*noutp-1] and *totalp; EINVAL for an empty packet or one above
 * XEN_NETIF_MAX_TX_SIZE; E2BIG when it needs more than maxslots slots;
 * EMSGSIZE when the first slot is shorter than min(hdrlen, total) or than
 * an Ethernet header (headers split across slots): the caller copies the
 * packet into fewer, page-aligned pieces and plans again.
 */
int	nftx_plan(const struct nftx_buf *bufs, u_int nbufs, u_int hdrlen,
	    u_int maxslots, struct nftx_slot *out, u_int *noutp,
	    size_t *totalp);

enum nftx_id_state {
	NFTX_FREE = 0,		/* never used since init, or answered */
	NFTX_QUEUED,		/* written, not yet published */
	NFTX_INFLIGHT,		/* published, no response yet */
	NFTX_ANSWERED,		/* a head answered before its packet's rest */
};

struct nftx_id {
	uint8_t		state;		/* enum nftx_id_state */
	uint8_t		head_left;	/* head id: slots not yet answered */
	int16_t		head_status;	/* head id: worst status so far */
	uint16_t	head;		/* the packet's first id */
	uint16_t	next;		/* free list */
};

struct nftx {
	netif_tx_front_ring_t	fr;
	u_int			nslots;		/* == ring entries */
	u_int			nfree;
	uint16_t		free_head, free_tail;
	RING_IDX		published;
	u_int			nqueued;
	bool			dead;
	enum nf_ring_error	error_kind;
	uint32_t		error_id;
	RING_IDX		error_prod;
	struct nftx_id		ids[NF_TX_RING_SIZE];
	uint16_t		queued[NF_TX_RING_SIZE];
};

/* Takes the mapped ring page, initialises the shared indexes and ids. */
void	nftx_init(struct nftx *, netif_tx_sring_t *);
/* Slots that can be queued now. */
u_int	nftx_free_slots(const struct nftx *);
/* Ids not free: slots not answered, and heads of packets not complete. */
u_int	nftx_inflight(const struct nftx *);

/*
 * Writes one packet of n slots (each with its grant; slots[0].len is the
 * first slot's own length) as n requests, flags (NETTXF_csum_blank,
 * NETTXF_data_validated) on the first, NETTXF_more_data on all but the
 * last; the first request's size is the packet's length.  ids[i] gets
 * slot i's id; ids[0] names the packet in its completion.  Returns 0;
 * EAGAIN when fewer than n slots are free; EINVAL for a malformed packet
 * (as nftx_plan refuses, or other flags); ENXIO on a dead ring.
 */
int	nftx_queue(struct nftx *, const struct nftx_slot *slots, u_int n,
	    uint16_t flags, uint16_t *ids);
/* Publishes what was queued; true if the backend must be notified. */
bool	nftx_push(struct nftx *);

struct nftx_done {
	uint16_t	id;		/* the slot answered (its grant can end) */
	int16_t		status;		/* NETIF_RSP_* as written */
	bool		pkt_done;	/* the packet's last slot */
	uint16_t	head;		/* the packet (its first id) */
	int16_t		pkt_status;	/* OKAY unless a slot failed */
};
typedef void	nftx_done_fn(void *arg, const struct nftx_done *);

/*
 * Consumes every response, calling done for each (its id is already free),
 * re-arms rsp_event and checks again.  0; EPROTO on a protocol error (the
 * ring is dead: error_kind), ENXIO if it already was.
 */
int	nftx_consume(struct nftx *, nftx_done_fn *done, void *arg);

/* ---- receive ---- */

/* Why a received packet was dropped (nfrx_pkt.drop); counters index. */
enum nfrx_drop {
	NFRX_OK = 0,
	NFRX_DROP_ID,		/* response id is not its position's */
	NFRX_DROP_BOUNDS,	/* offset + size past the page */
	NFRX_DROP_STATUS,	/* negative status */
	NFRX_DROP_SHORT,	/* first slot shorter than an Ethernet header */
	NFRX_DROP_TOOMANY,	/* more than NF_RX_MAX_SLOTS data slots */
	NFRX_DROP_TRUNC,	/* more_data on the last response published */
	NFRX_DROP_EXTRA,	/* extra-info slot malformed or too many */
	NFRX_DROP_NREASONS
};

struct nfrx_frag {
	uint16_t	pos;		/* ring position == buffer index */
	uint16_t	offset;
	uint16_t	len;
};

struct nfrx_pkt {
	RING_IDX	first;		/* positions first .. first + nslots - 1 */
	u_int		nslots;		/* all consumed, data and extras */
	u_int		nfrags;		/* non-empty data slots */
	struct nfrx_frag frags[NF_RX_MAX_SLOTS];
	uint32_t	len;		/* bytes in frags */
	uint16_t	flags;		/* NETRXF_* of the first response */
	enum nfrx_drop	drop;
	uint16_t	gso_size;	/* from a GSO extra, else 0 */
};

struct nfrx {
	netif_rx_front_ring_t	fr;
	u_int			nslots;
	RING_IDX		published;
	bool			dead;
	enum nf_ring_error	error_kind;
	RING_IDX		error_prod;
	bool			posted[NF_RX_RING_SIZE];
};

void	nfrx_init(struct nfrx *, netif_rx_sring_t *);
/* Buffers that can be posted now (ring entries not owned by the backend). */
u_int	nfrx_space(const struct nfrx *);
/* Buffers posted and not yet consumed. */
u_int	nfrx_posted(const struct nfrx *);
/*
 * Writes one request for a page granted as gref; *posp is its position,
 * under which the caller keeps the buffer.  EAGAIN when the ring is full,
 * ENXIO when dead.
 */
int	nfrx_post(struct nfrx *, grant_ref_t gref, uint16_t *posp);
bool	nfrx_push(struct nfrx *);
/*
 * Takes the next packet off the ring: returns 1 and fills p (p->drop says
 * whether it is good; either way positions first .. first + nslots - 1
 * are the caller's again); 0 when no response is waiting; EPROTO when
 * rsp_prod is beyond what was posted (the ring is then dead), ENXIO if it
 * already was.
 */
int	nfrx_next(struct nfrx *, struct nfrx_pkt *p);
/*
 * Re-arms rsp_event; true if responses arrived meanwhile (call nfrx_next
 * again).
 */
bool	nfrx_final_check(struct nfrx *);

const char *nfrx_drop_name(enum nfrx_drop);

#endif /* !_DEV_XEN_NETFRONT_NETFRONT_RING_H_ */
