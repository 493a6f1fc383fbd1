/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * blkback(4): the state one exported disk shares between its xenstore side
 * (blkback.c: features, connect, close) and its data path (blkback_io.c:
 * one thread per queue taking requests off the ring).
 *
 * Data never sits in a page the frontend can see while we use it: a WRITE
 * is grant-copied (GNTTABOP_copy) into a buffer of ours before the disk
 * sees it, a READ's data is grant-copied out after; only the rings are
 * mapped.  So persistent grants cost the frontend nothing to offer and us
 * nothing to hold, and a frontend's grant error fails one request.
 *
 * Locking: sc_mtx (sleep) orders connect and disconnect (the bus lock
 * already serialises the xenstore side; the data path never takes it).
 * Each queue's bq_mtx (spin) covers the hand-over between its event
 * handler, the disk's completions and its thread: bq_work, bq_done,
 * bq_stop.  The ring itself and the request slots are the thread's alone.
 */
#ifndef _DEV_XEN_BLKBACK_BLKBACK_VAR_H_
#define _DEV_XEN_BLKBACK_BLKBACK_VAR_H_

#include <sys/types.h>
#include <sys/bio.h>
#include <sys/bus.h>
#include <sys/mutex.h>
#include <sys/queue.h>

#include <xen/xen_evtchn.h>
#include <xen/xenbus/xenbus_closer.h>
#include <xen/xenbus/xenbusvar.h>

#include <dev/xen/blkback/blkback_req.h>

#define BLKBACK_MAX_QUEUES	4
/* Requests one queue takes off its ring before answering some. */
#define BLKBACK_MAX_INFLIGHT	32

struct blkback_softc;
struct blkback_queue;
struct disk;

struct blkback_req {
	TAILQ_ENTRY(blkback_req) br_link;
	struct blkback_queue	*br_q;
	struct blkback_io	br_io;
	const struct blkback_seg *br_segs;	/* br_io.segs or br_isegs */
	struct bio		br_bio;
	uint8_t			*br_buf;	/* page-aligned, br_bufsize */
	size_t			br_bufsize;
	enum blkback_reject	br_rej;
	bool			br_flushing;	/* the write is done, its flush runs */
	struct blkback_seg	br_isegs[BLKBACK_MAX_SEGS];
};
TAILQ_HEAD(blkback_reqs, blkback_req);

struct blkback_queue_stats {
	uint64_t	events;
	uint64_t	requests;
	uint64_t	ops[BLKIF_OP_INDIRECT + 1];	/* by ring operation */
	uint64_t	rejected[BLKBACK_REJ_COUNT];
	uint64_t	bytes_read;
	uint64_t	bytes_written;
	uint64_t	full;		/* passes that stopped at the in-flight cap */
	uint64_t	notifies;
};

struct blkback_queue {
	struct blkback_softc	*bq_sc;
	u_int			bq_index;
	struct mtx		bq_mtx;
	blkif_back_ring_t	bq_ring;
	vm_paddr_t		bq_ring_pa;	/* hole pages, PHYS_NONE if none */
	u_int			bq_ring_pages;	/* mapped */
	grant_handle_t		bq_handles[BLKBACK_MAX_RING_PAGES];
	evtchn_handle_t		bq_evtchn;
	struct thread		*bq_td;
	bool			bq_work;	/* an event came: look at the ring */
	bool			bq_eoi;		/* an event wants its EOI */
	bool			bq_stop;
	bool			bq_exited;
	bool			bq_dead;	/* protocol error: ring not read again */
	u_int			bq_inflight;	/* slots not free */
	struct blkback_reqs	bq_free;
	struct blkback_reqs	bq_done;	/* completed by the disk */
	struct blkback_req	*bq_reqs;
	u_int			bq_nreqs;
	struct gnttab_copy	*bq_ops;	/* BLKBACK_MAX_COPY_OPS */
	struct blkif_request_segment *bq_ind;	/* BLKBACK_MAX_IND_PAGES pages */
	struct blkback_queue_stats bq_st;
};

struct blkback_softc {
	device_t		sc_dev;
	struct mtx		sc_mtx;
	domid_t			sc_peer;
	char			sc_node[XENBUS_PATH_MAX];
	char			sc_fe[XENBUS_PATH_MAX];
	char			sc_params[64];
	struct disk		*sc_disk;
	struct md_softc		*sc_md;		/* a RAM disk of our own, or NULL */
	struct blkback_limits	sc_lim;
	struct xenbus_closer	sc_closer;
	bool			sc_connected;
	u_int			sc_nqueues;
	u_int			sc_ring_order;
	uint64_t		sc_connects;
	uint64_t		sc_proto_errors;
	struct blkback_queue	sc_queues[BLKBACK_MAX_QUEUES];
};

/* blkback_io.c */
int	blkback_queue_start(struct blkback_queue *);
void	blkback_queue_stop(struct blkback_queue *);
void	blkback_intr(void *arg);

/* Counters of every blkback device, for ktests and the lab's reports. */
struct blkback_totals {
	uint64_t	ring_maps;	/* ring pages mapped now */
	uint64_t	evtchns;	/* event channels bound now */
	uint64_t	threads;	/* queue threads running */
	uint64_t	bufs;		/* bytes of request buffers held */
	uint64_t	devices;	/* attached */
	uint64_t	connects;	/* ever */
	uint64_t	requests;	/* ever */
	uint64_t	rejected;	/* ever, any reason */
	uint64_t	proto_errors;	/* ever: frontends disconnected */
	uint64_t	flushes;	/* ever: FLUSH_DISKCACHE requests */
	uint64_t	discards;	/* ever: DISCARD requests */
	uint64_t	indirect;	/* ever: INDIRECT requests */
	uint64_t	queues;		/* connected now */
};
void	blkback_get_totals(struct blkback_totals *);
void	blkback_totals_add(uint64_t *field, int64_t delta);
extern struct blkback_totals blkback_totals;

#endif /* !_DEV_XEN_BLKBACK_BLKBACK_VAR_H_ */
