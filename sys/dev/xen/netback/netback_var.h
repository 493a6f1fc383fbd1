/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * netback(4): the state one vif shares between its xenstore side
 * (netback.c: features, connect, close) and its data path (netback_io.c:
 * one thread per queue).
 *
 * Each vif is an ifnet (vifN, on the interface list but not attached to
 * our stack) and a port of the bridge (bridge(4)) that also holds our
 * stack's interface.  What the frontend transmits is grant-copied into
 * mbufs of ours (headers into the first) and handed to the bridge; what
 * the bridge sends to the vif is queued per queue, bounded in bytes
 * (XSA-392: drops counted), and grant-copied into the buffers the
 * frontend posted.  No page of the frontend is mapped but the rings.
 *
 * Locking: sc_mtx (sleep) orders connect and disconnect.  Each queue's
 * nq_mtx (spin) covers what its event handlers, the bridge (if_transmit)
 * and its thread hand over: nq_rxq and its byte count, the work flags,
 * nq_stop.  The rings and copy arrays are the thread's alone.  The
 * thread never holds nq_mtx while it calls into the bridge.
 */
#ifndef _DEV_XEN_NETBACK_NETBACK_VAR_H_
#define _DEV_XEN_NETBACK_NETBACK_VAR_H_

#include <sys/types.h>
#include <sys/bus.h>
#include <sys/mutex.h>

#include <xen/xen_evtchn.h>
#include <xen/xenbus/xenbus_closer.h>
#include <xen/xenbus/xenbusvar.h>

#include <dev/xen/netback/netback_ring.h>

#define NETBACK_MAX_QUEUES	4
/* Bytes queued towards one frontend queue before we drop (Linux: 512 KiB). */
#define NETBACK_RXQ_MAX_BYTES	(NB_RX_RING_SIZE / 2 * NB_PAGE_SIZE)
/* Packets taken off the tx ring per copy batch. */
#define NETBACK_TX_BATCH	16
#define NETBACK_TX_OPS		(NETBACK_TX_BATCH * NB_TX_MAX_OPS)
/* Packets sent to the frontend per copy batch; copies of one batch. */
#define NETBACK_RX_BATCH	16
#define NETBACK_RX_OPS		256

struct bridge_port;
struct ifnet;
struct mbuf;
struct netback_softc;

struct netback_queue_stats {
	uint64_t	events_tx;
	uint64_t	events_rx;
	uint64_t	tx_packets;
	uint64_t	tx_bytes;
	uint64_t	tx_drops[NBTX_DROP_NREASONS];
	uint64_t	tx_copy_errors;	/* a grant copy failed: answered ERROR */
	uint64_t	tx_nomem;
	uint64_t	rx_packets;
	uint64_t	rx_bytes;
	uint64_t	rx_qdrops;	/* queue full (XSA-392 bound) */
	uint64_t	rx_toobig;	/* more slots than the frontend can take */
	uint64_t	rx_copy_errors;
	uint64_t	notifies;
};

struct netback_queue {
	struct netback_softc	*nq_sc;
	u_int			nq_index;
	struct mtx		nq_mtx;
	struct nbtx		nq_tx;
	struct nbrx		nq_rx;
	vm_paddr_t		nq_ring_pa;	/* 2 hole pages: tx, rx */
	u_int			nq_ring_pages;	/* mapped */
	grant_handle_t		nq_handles[2];
	evtchn_handle_t		nq_evtx;	/* tx (or the only one) */
	evtchn_handle_t		nq_evrx;	/* rx when split, else NULL */
	struct thread		*nq_td;
	/* Under nq_mtx. */
	struct mbuf		*nq_rxq_head, **nq_rxq_tail;
	u_int			nq_rxq_bytes;
	u_int			nq_rxq_len;
	bool			nq_work_tx;
	bool			nq_work_rx;
	bool			nq_eoi_tx;
	bool			nq_eoi_rx;
	bool			nq_stop;
	bool			nq_exited;
	/* The thread's. */
	bool			nq_dead;	/* fatal: rings not read again */
	struct gnttab_copy	*nq_ops;	/* NETBACK_TX_OPS or _RX_OPS */
	struct netback_queue_stats nq_st;
};

struct netback_softc {
	device_t		sc_dev;
	struct mtx		sc_mtx;
	domid_t			sc_peer;
	char			sc_node[XENBUS_PATH_MAX];
	char			sc_fe[XENBUS_PATH_MAX];
	struct ifnet		*sc_ifp;
	struct bridge_port	*sc_port;	/* while connected */
	struct xenbus_closer	sc_closer;
	bool			sc_connected;
	bool			sc_sg;		/* frontend takes multi-slot rx */
	bool			sc_csum_blank;	/* frontend takes blank sums */
	bool			sc_split;
	u_int			sc_nqueues;
	uint64_t		sc_connects;
	uint64_t		sc_fatal;	/* frontends disabled */
	enum nb_fatal		sc_fatal_why;
	struct netback_queue	sc_queues[NETBACK_MAX_QUEUES];
};

/* netback_io.c */
int	netback_queue_start(struct netback_queue *);
void	netback_queue_stop(struct netback_queue *);
void	netback_intr_tx(void *arg);
void	netback_intr_rx(void *arg);
/* The vif's if_transmit: a frame from the bridge for the frontend. */
int	netback_transmit(struct ifnet *, struct mbuf *);
void	netback_bridge_output(struct ifnet *, struct mbuf *);

/* Counters of every vif, for ktests and the lab's reports. */
struct netback_totals {
	uint64_t	ring_maps;	/* ring pages mapped now */
	uint64_t	evtchns;	/* event channels bound now */
	uint64_t	threads;	/* queue threads running */
	uint64_t	rxq_bytes;	/* bytes queued towards frontends now */
	uint64_t	devices;	/* attached */
	uint64_t	connected;	/* connected now */
	uint64_t	connects;	/* ever */
	uint64_t	tx_packets;	/* ever, from frontends */
	uint64_t	rx_packets;	/* ever, to frontends */
	uint64_t	drops;		/* ever, any reason */
	uint64_t	fatal;		/* ever: frontends disabled */
};
void	netback_get_totals(struct netback_totals *);
void	netback_totals_add(uint64_t *field, int64_t delta);
extern struct netback_totals netback_totals;

/* The bridge every vif joins, with our stack's port (made on first use). */
struct bridge	*netback_bridge(void);

#endif /* !_DEV_XEN_NETBACK_NETBACK_VAR_H_ */
