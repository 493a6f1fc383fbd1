/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * netback's side of the two netif rings (<xen/io/netif.h>) as pure code:
 * no grants, no event channels, no mbufs.  This code takes the frontend's
 * tx requests off the ring and judges them, plans the grant copies that
 * bring a packet in (headers first, into the linear part), writes the tx
 * responses; on rx it takes the frontend's posted buffers, plans the
 * grant copies of a packet into them and writes the rx responses.
 *
 * The frontend is hostile.  req_prod is read once per pass; a frontend
 * that moves it more than a ring ahead of what we consumed is fatal.
 * Every request is copied off the shared page once and only the copy is
 * judged and used (XSA-155).  The rules for one tx packet, in order:
 *   - 20 or more data slots: fatal, the vif is disabled as malicious;
 *   - a slot whose offset + size passes the 4 KiB page: fatal;
 *   - an extra-info slot of an unknown type, or more extras than types:
 *     fatal;
 *   - more than 18 (XEN_NETIF_NR_SLOTS_MIN) data slots: dropped;
 *   - fragments larger than what the first slot says is left: dropped;
 *   - a packet shorter than an Ethernet header: dropped;
 *   - a GSO extra (we offer no GSO): dropped.
 * A dropped packet's slots are consumed and answered NETIF_RSP_ERROR (its
 * extras NETIF_RSP_NULL), as Linux netfront expects.  After a fatal error
 * the ring is dead: nothing more is consumed nor answered, and the caller
 * disconnects the vif.  A packet whose last published slot still says
 * more_data is left on the ring until the rest is published.
 *
 * Copies: no grant copy crosses a 4 KiB page on either side.  The first
 * min(total, linear) bytes of a tx packet go to the linear buffer whatever
 * slots they sit in (XSA-423: headers outside the linear part), the rest
 * to page buffers; the plan has at most NB_TX_MAX_OPS operations and
 * never writes past a buffer (XSA-432).
 *
 * Responses are built in a zeroed local and copied whole onto the ring, so
 * no padding carries stale bytes (XSA-216).  An rx response sits in the
 * ring slot of the request it answers (Linux netfront reads it there).
 *
 * Locking: none here; the caller serialises all calls on one ring.
 */
#ifndef _DEV_XEN_NETBACK_NETBACK_RING_H_
#define _DEV_XEN_NETBACK_NETBACK_RING_H_

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

#define NB_PAGE_SIZE		(1u << XEN_PAGE_SHIFT)
#define NB_PAGE_MASK		(NB_PAGE_SIZE - 1)
#define NB_TX_RING_SIZE		__CONST_RING_SIZE(netif_tx, NB_PAGE_SIZE)
#define NB_RX_RING_SIZE		__CONST_RING_SIZE(netif_rx, NB_PAGE_SIZE)
/* Data slots of one tx packet: more is dropped, NB_TX_FATAL_SLOTS fatal. */
#define NB_TX_MAX_SLOTS		XEN_NETIF_NR_SLOTS_MIN
#define NB_TX_FATAL_SLOTS	20
/* Extra-info slots after the first request: at most one per type. */
#define NB_TX_MAX_EXTRAS	(XEN_NETIF_EXTRA_TYPE_MAX - 1)
/* Requests one packet may span on the ring (data and extras). */
#define NB_TX_MAX_REQS		(NB_TX_FATAL_SLOTS + NB_TX_MAX_EXTRAS)
#define NB_ETHER_HDR_LEN	14
/* Bytes of a tx packet copied into its linear buffer at most (a cluster). */
#define NB_TX_LINEAR_MAX	2048
/* Buffers of a tx packet: the linear one, then 4 KiB pages for the rest. */
#define NB_TX_MAX_BUFS		(1 + howmany(XEN_NETIF_MAX_TX_SIZE, NB_PAGE_SIZE))
/* Copies of a tx plan: one per slot, plus one per buffer boundary. */
#define NB_TX_MAX_OPS		(NB_TX_MAX_SLOTS + NB_TX_MAX_BUFS)
/* Slots one rx packet may use (a 64 KiB packet in 4 KiB buffers). */
#define NB_RX_MAX_SLOTS		XEN_NETIF_NR_SLOTS_MIN

enum nb_fatal {
	NB_OK = 0,
	NB_FATAL_PROD,		/* req_prod more than a ring ahead */
	NB_FATAL_SLOTS,		/* 20 or more data slots in one packet */
	NB_FATAL_CROSS,		/* a slot crossing its page */
	NB_FATAL_EXTRA,		/* extra of unknown type, or too many */
	NB_FATAL_NREASONS
};

enum nbtx_drop {
	NBTX_DROP_NONE = 0,
	NBTX_DROP_SLOTS,	/* 19 data slots */
	NBTX_DROP_SIZE,		/* fragments bigger than the packet */
	NBTX_DROP_SHORT,	/* shorter than an Ethernet header */
	NBTX_DROP_GSO,		/* GSO not offered */
	NBTX_DROP_NREASONS
};

/* One data slot of a tx packet, from the copy of its request. */
struct nbtx_slot {
	grant_ref_t	gref;
	uint16_t	offset;
	uint16_t	len;		/* the first slot: its own share */
};

struct nbtx_pkt {
	RING_IDX	first;		/* ring index of its first request */
	u_int		nreqs;		/* requests consumed, extras included */
	u_int		nslots;		/* data slots */
	struct nbtx_slot slots[NB_TX_FATAL_SLOTS];
	/* Request ids in consumption order; is_extra[i]: an extra slot. */
	uint16_t	ids[NB_TX_MAX_REQS];
	bool		is_extra[NB_TX_MAX_REQS];
	uint16_t	flags;		/* NETTXF_* of the first request */
	uint32_t	len;		/* total, from the first request */
	enum nbtx_drop	drop;
};

struct nbtx {
	netif_tx_back_ring_t	br;
	u_int			nents;
	bool			dead;
	enum nb_fatal		fatal;
	RING_IDX		fatal_prod;
	uint64_t		drops[NBTX_DROP_NREASONS];
	uint64_t		packets;
};

/* Attaches to the frontend's ring page (the frontend initialised it). */
void	nbtx_init(struct nbtx *, netif_tx_sring_t *sring);
/*
 * Takes the next tx packet off the ring: 1 and *p (p->drop says whether it
 * is to be dropped: answer it with nbtx_respond and NETIF_RSP_ERROR); 0
 * when no complete packet is waiting; EPROTO on a fatal error (the ring is
 * now dead: r->fatal), ENXIO if it already was.
 */
int	nbtx_next(struct nbtx *, struct nbtx_pkt *p);
/* Answers every request of p (data slots status, extras NETIF_RSP_NULL). */
void	nbtx_respond(struct nbtx *, const struct nbtx_pkt *p, int16_t status);
/* Publishes responses; true if the frontend must be notified. */
bool	nbtx_push(struct nbtx *);
/* Re-arms req_event; true if requests arrived meanwhile. */
bool	nbtx_final_check(struct nbtx *);

/* One grant copy: len bytes from (slot, src_off) to (buf, dst_off). */
struct nb_copy {
	uint16_t	slot;		/* tx: data slot; rx: ring slot of pkt */
	uint16_t	buf;		/* tx: 0 linear, 1.. pages; rx: source */
	uint16_t	src_off;
	uint16_t	dst_off;
	uint16_t	len;
};

/*
 * Plans the copies of a good tx packet: its first min(len, linear) bytes
 * into buffer 0 (linear <= NB_TX_LINEAR_MAX, >= NB_ETHER_HDR_LEN), the
 * rest into page buffers 1..*nbufsp-1 of NB_PAGE_SIZE bytes each, filled
 * in order (*nbufsp: buffers used, the linear one included).  Returns
 * the number of operations (<= NB_TX_MAX_OPS).
 */
u_int	nbtx_plan(const struct nbtx_pkt *p, u_int linear, struct nb_copy *ops,
	    u_int *nbufsp);

/* ---- receive (to the frontend) ---- */

struct nbrx_req {
	uint16_t	id;
	grant_ref_t	gref;
};

struct nbrx {
	netif_rx_back_ring_t	br;
	u_int			nents;
	bool			dead;
	enum nb_fatal		fatal;
	RING_IDX		fatal_prod;
};

void	nbrx_init(struct nbrx *, netif_rx_sring_t *sring);
/* Posted buffers not yet taken; on a fatal req_prod the ring dies (0). */
u_int	nbrx_avail(struct nbrx *);
/*
 * Slots a packet of len bytes takes (one per 4 KiB, from offset 0); 0 if
 * it cannot go (len 0, or more than one slot without sg, or more than
 * NB_RX_MAX_SLOTS).
 */
u_int	nbrx_slots_for(uint32_t len, bool sg);
/* Takes n posted requests (copies); false if fewer are available. */
bool	nbrx_take(struct nbrx *, u_int n, struct nbrx_req *reqs,
	    RING_IDX *firstp);
/* A piece of the packet in our memory (each inside one 4 KiB page). */
struct nb_piece {
	uintptr_t	addr;
	uint32_t	len;
};
/*
 * Plans copies of the pieces (in order) into nslots frontend buffers from
 * offset 0: no copy crosses a page on either side.  Returns the number of
 * operations (at most maxops), or 0 if they do not fit (the caller drops).
 * ops[i].buf is the piece index, src_off the offset inside the piece.
 */
u_int	nbrx_plan(const struct nb_piece *pieces, u_int npieces, u_int nslots,
	    struct nb_copy *ops, u_int maxops);
/*
 * Answers the n requests taken at first with the packet of len bytes:
 * slot i holds min(4096, rest) bytes at offset 0, flags (NETRXF_csum_blank,
 * NETRXF_data_validated) on the first, more_data on all but the last.  A
 * negative status (copy failed) answers every slot with it.
 */
void	nbrx_respond(struct nbrx *, RING_IDX first, const struct nbrx_req *reqs,
	    u_int n, uint32_t len, uint16_t flags, int16_t status);
bool	nbrx_push(struct nbrx *);
/* Re-arms req_event; true if buffers arrived meanwhile. */
bool	nbrx_final_check(struct nbrx *);

/* ---- checksum flags, both ways ---- */

/*
 * NETTXF_* of a frontend's packet to mbuf csum_flags / csum_data: a blank
 * checksum becomes CSUM_DELAY_DATA (the bridge fills it for any port that
 * cannot take it); data_validated alone becomes a validated L4 sum.
 */
void	nb_tx_csum(uint16_t nettxf, uint32_t *csum_flags, uint32_t *csum_data);
/*
 * mbuf csum state to NETRXF_* for a frontend; blank_ok: it takes blank
 * checksums (else the caller must have filled them: returns 0 for them).
 */
uint16_t nb_rx_flags(uint32_t csum_flags, uint32_t csum_data, bool blank_ok);

const char *nb_fatal_name(enum nb_fatal);
const char *nbtx_drop_name(enum nbtx_drop);

#endif /* !_DEV_XEN_NETBACK_NETBACK_RING_H_ */
