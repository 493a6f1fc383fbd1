/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xbd(4): the state one PV disk shares between its xenstore side
 * (blkfront_xs.c: negotiation, connect, close) and its data path
 * (blkfront.c: bios to ring requests, completion from the event handler).
 *
 * Locking: each queue's spin lock (taken in d_strategy from any context
 * and in the event handler) covers its ring, its request contexts and its
 * bio queue.  sc_mtx (a sleep lock) serialises the xenstore side: connect,
 * disconnect and detach; the data path never takes it.  A queue is only
 * torn down after its port is unbound, so no handler can run on it then.
 */
#ifndef _DEV_XEN_BLKFRONT_BLKFRONT_VAR_H_
#define _DEV_XEN_BLKFRONT_BLKFRONT_VAR_H_

#include <sys/types.h>
#include <sys/bio.h>
#include <sys/bus.h>
#include <sys/disk.h>
#include <sys/mutex.h>

#include <dev/xen/blkfront/blkfront_negotiate.h>
#include <dev/xen/blkfront/blkfront_pgrant.h>
#include <dev/xen/blkfront/blkfront_ring.h>
#include <xen/gnttab.h>
#include <xen/xen_evtchn.h>
#include <xen/xenbus/xenbus_closer.h>
#include <xen/xenbus/xenbusvar.h>

/* What we ask for; the backend's offer clamps each (blkfront_negotiate). */
#define XBD_RING_ORDER		BLKRING_MAX_ORDER
#define XBD_INDIRECT_SEGS	256
#define XBD_MAX_QUEUES		4
/*
 * Requests in flight per queue, at most.  Each holds a grant map of
 * max_segs references reserved up front (with persistent grants the
 * queue's pool reserves as many per request instead), and its indirect
 * pages', so a disk also keeps to a budget of references over all its
 * queues: with 256 indirect segments, 32 requests on one queue or 16 on
 * each of two.  Two such disks take half of the 32768 references Xen
 * 4.17 allows.
 */
#define XBD_MAX_REQS		32
/* How long in-flight requests get to finish when the backend closes. */
#define XBD_DRAIN_MS		2000
/* Reconnects in a row that may fail before the disk stays closed. */
#define XBD_RECONNECT_TRIES	3
#define XBD_GREF_BUDGET		(33 * 256)

/* One request in flight on a ring. */
struct xbd_req {
	struct bio		*xr_bio;
	struct gnttab_dmamap	*xr_map;	/* the data pages, or NULL */
	uint32_t		*xr_pg;		/* persistent: its pool pages */
	u_int			xr_npg;		/* ... while in flight */
	struct gnttab_dmamap	*xr_indmap;	/* its indirect pages, loaded once */
	struct blkif_request_segment *xr_ind[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	u_int			xr_nind;
	void			*xr_bounce;	/* page-aligned copy, or NULL */
	u_int			xr_bounce_pages;
	uint16_t		xr_id;		/* ring id while in flight */
	bool			xr_busy;
	struct xbd_req		*xr_next;	/* free list */
};

struct xbd_softc;
struct xbd_segbuf;

struct xbd_queue {
	struct xbd_softc	*xq_sc;
	u_int			xq_index;
	struct mtx		xq_mtx;		/* spin */
	struct blkring		*xq_ring;
	blkif_sring_t		*xq_sring;	/* ring pages (DMAP) */
	vm_paddr_t		xq_sring_pa;
	struct gnttab_dmamap	*xq_ringmap;
	evtchn_handle_t		xq_evtchn;
	struct xbd_req		*xq_reqs;	/* xq_nreqs of them */
	u_int			xq_nreqs;
	struct xbd_req		*xq_free;
	struct xbd_req		*xq_byid[BLKRING_MAX_SLOTS];
	struct bio_queue_head	xq_bioq;	/* waiting for a request */
	struct xbd_segbuf	*xq_sb;		/* segments being built */
	struct xbd_pgpool	*xq_pg;		/* persistent grants, or NULL */
	bool			xq_running;	/* connected, ring alive */
	uint64_t		xq_events;
	uint64_t		xq_requests;
	uint64_t		xq_notifies;	/* events sent to the backend */
	uint64_t		xq_bounced;
};

enum xbd_conn {
	XBD_DOWN = 0,		/* nothing allocated */
	XBD_INITIALISED,	/* rings granted, nodes written */
	XBD_CONNECTED,		/* disk registered */
};

struct xbd_softc {
	device_t		sc_dev;
	struct mtx		sc_mtx;		/* sleep: the xenstore side */
	domid_t			sc_otherend;
	char			sc_otherend_path[XENBUS_PATH_MAX];
	enum xbd_conn		sc_conn;
	struct blkneg		sc_neg;
	struct blkneg_backend	sc_be;
	struct xbd_queue	sc_queues[XBD_MAX_QUEUES];
	u_int			sc_nqueues;
	u_int			sc_rr;		/* round-robin queue choice */
	struct disk		sc_disk;
	bool			sc_disk_created;
	bool			sc_published;	/* our ring nodes were written */
	/* The worker: goes Closing after a protocol error (thread context). */
	struct xenbus_closer	sc_closer;	/* a ring went dead: Closing */
	uint64_t		sc_connects;
	uint64_t		sc_reconnects;	/* started from Closed, online */
	u_int			sc_reconnect_tries; /* since the last connect */
	uint64_t		sc_proto_errors;
	uint64_t		sc_busy_unloads; /* buffers still mapped at completion */
	uint64_t		sc_pg_deferred;	/* pool pages mapped at teardown */
};

/* blkfront.c: the data path. */
/* Ring pages granted, port bound (thread context). */
int	xbd_queue_alloc_ring(struct xbd_queue *, u_int order);
/* Request contexts for the negotiated values; the ring starts. */
int	xbd_queue_connect(struct xbd_queue *, const struct blkneg *);
/* Unbinds, fails what is left with ENXIO, ends the grants, frees. */
void	xbd_queue_teardown(struct xbd_queue *);
void	xbd_queue_fail_all(struct xbd_queue *, int error);
void	xbd_intr(void *arg);
void	xbd_strategy(struct bio *);
void	xbd_disk_init(struct xbd_softc *);
/*
 * For the hostile-frontend ktest: puts req on q's ring as given (only its
 * id is ours) with bp to complete when its response comes, and notifies.
 * 0, ENXIO (queue not running), EAGAIN (no free request).
 */
int	xbd_queue_raw(struct xbd_queue *, const struct blkif_request *req,
	    struct bio *bp);
/* Number of requests that wait or are in flight on every queue. */
u_int	xbd_outstanding(struct xbd_softc *);

/* blkfront_xs.c: the xenstore side. */
void	xbd_otherend_changed(device_t, XenbusState);
void	xbd_disconnect(struct xbd_softc *);
int	xbd_read_backend(struct xbd_softc *, bool connect,
	    struct blkneg_backend *);

/* For tests: the softc of xbdN, or NULL. */
struct xbd_softc *xbd_find(u_int unit);

#endif /* !_DEV_XEN_BLKFRONT_BLKFRONT_VAR_H_ */
