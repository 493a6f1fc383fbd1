/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xn(4): the state one PV network interface shares between its xenstore
 * side (netfront_xs.c: negotiation, connect, close, the ifnet's life) and
 * its data path (netfront.c: frames to tx slots, rx slots to frames).
 *
 * Locking: each queue has two spin locks, xq_txmtx (its tx ring, the ids'
 * grants and mbufs, the send queue; taken by if_transmit from any thread
 * and by the tx event handler) and xq_rxmtx (its rx ring, buffers and
 * pages; the rx event handler).  They never nest.  sc_mtx (a sleep lock)
 * serialises the xenstore side; the data path never takes it.  A queue's
 * rings are only freed after its ports are unbound, so no handler can run
 * on them then; xq_running (read under either lock) stops new work first.
 */
#ifndef _DEV_XEN_NETFRONT_NETFRONT_VAR_H_
#define _DEV_XEN_NETFRONT_NETFRONT_VAR_H_

#include <sys/types.h>
#include <sys/bus.h>
#include <sys/mutex.h>

#include <dev/xen/netfront/netfront_negotiate.h>
#include <dev/xen/netfront/netfront_ring.h>
#include <xen/gnttab.h>
#include <xen/xen_evtchn.h>
#include <xen/xenbus/xenbus_closer.h>
#include <xen/xenbus/xenbusvar.h>

struct ifnet;
struct mbuf;

#define XN_MAX_QUEUES		4
#define XN_MAX_UNITS		8
/* Frames waiting for ring space per queue before if_transmit drops. */
#define XN_SENDQ_MAX		512
/* mbufs of one frame we send as they are; more are copied first. */
#define XN_TX_MAX_BUFS		(2 * NF_TX_MAX_SLOTS)

/* Per tx id. */
struct xn_txid {
	grant_ref_t	ref;		/* this slot's grant, while out */
	bool		granted;
	/* On a packet's head id: */
	struct mbuf	*m;
	vm_paddr_t	bounce_pa;	/* linear copy sent instead, or NONE */
	u_int		bounce_pages;
	bool		busy;		/* a grant outlived the response */
};

/* Per rx ring position. */
struct xn_rxpos {
	vm_paddr_t	pa;		/* the page posted there */
	grant_ref_t	ref;
};

/* Why a frame was dropped, beyond the ring's reasons (nfrx_drop). */
struct xn_drops {
	uint64_t	rx_ring[NFRX_DROP_NREASONS]; /* [0] unused */
	uint64_t	rx_csum_bad;	/* csum_blank frame we cannot fill */
	uint64_t	rx_nombuf;	/* no mbuf for a good frame */
	uint64_t	rx_busy;	/* grant still held by the backend */
	uint64_t	tx_down;	/* not connected */
	uint64_t	tx_qfull;	/* send queue full */
	uint64_t	tx_nomem;	/* no bounce pages */
	uint64_t	tx_toobig;	/* does not fit the slots we may use */
	uint64_t	tx_rsp_error;	/* netback answered ERROR */
	uint64_t	tx_rsp_dropped;	/* netback answered DROPPED */
	uint64_t	tx_busy;	/* grant still held after its response */
};

struct xn_softc;

struct xn_queue {
	struct xn_softc		*xq_sc;
	u_int			xq_index;
	struct mtx		xq_txmtx;	/* spin */
	struct mtx		xq_rxmtx;	/* spin */
	struct nftx		*xq_tx;
	struct nfrx		*xq_rx;
	vm_paddr_t		xq_txs_pa, xq_rxs_pa;	/* ring pages */
	grant_ref_t		xq_txs_ref, xq_rxs_ref;
	bool			xq_txs_granted, xq_rxs_granted;
	evtchn_handle_t		xq_txevt;	/* tx, or both when not split */
	evtchn_handle_t		xq_rxevt;	/* rx when split, else NULL */
	struct gnttab_pool	*xq_txpool, *xq_rxpool;
	struct xn_txid		xq_txid[NF_TX_RING_SIZE];
	struct xn_rxpos		xq_rxpos[NF_RX_RING_SIZE];
	vm_paddr_t		xq_rxfree[NF_RX_RING_SIZE]; /* pages not posted */
	u_int			xq_nrxfree;
	u_int			xq_rxpages;	/* pages this queue owns */
	struct mbuf		*xq_sendq, **xq_sendq_tail;
	u_int			xq_sendq_len;
	bool			xq_running;
	uint64_t		xq_tx_events, xq_rx_events;
	uint64_t		xq_tx_pkts, xq_rx_pkts;
	uint64_t		xq_bounced;
	uint64_t		xq_tx_reclaims;	/* ring full: consumed in xn_transmit */
};

enum xn_conn {
	XN_DOWN = 0,		/* nothing allocated */
	XN_PUBLISHED,		/* rings granted, nodes written, we are Connected */
	XN_UP,			/* the backend is Connected too: link up */
};

struct xn_softc {
	device_t		sc_dev;
	struct mtx		sc_mtx;		/* sleep: the xenstore side */
	domid_t			sc_otherend;
	char			sc_otherend_path[XENBUS_PATH_MAX];
	struct ifnet		*sc_ifp;
	uint8_t			sc_mac[6];
	enum xn_conn		sc_conn;
	struct nfneg_backend	sc_be;
	struct nfneg		sc_neg;
	struct xn_queue		sc_queues[XN_MAX_QUEUES];
	u_int			sc_nqueues;
	struct xn_drops		sc_drops;	/* under the queues' locks */
	/* The worker: goes Closing after a protocol error (thread context). */
	struct xenbus_closer	sc_closer;	/* a protocol error: Closing */
	uint64_t		sc_connects;
	uint64_t		sc_proto_errors;
	uint64_t		sc_rx_csum_filled;
	uint64_t		sc_tx_csum_offloaded;
};

/* netfront.c: the data path. */
int	xn_queue_alloc(struct xn_queue *, const struct nfneg *);
void	xn_queue_start(struct xn_queue *);
void	xn_queue_stop(struct xn_queue *);
void	xn_queue_free(struct xn_queue *);
int	xn_transmit(struct ifnet *, struct mbuf *);
void	xn_qflush(struct ifnet *);

/* netfront_xs.c. */
struct xn_softc *xn_find(u_int unit);
/* The worker takes the device to Closing (from an event handler). */
void	xn_fatal(struct xn_softc *);

#endif /* !_DEV_XEN_NETFRONT_NETFRONT_VAR_H_ */
