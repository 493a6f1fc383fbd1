/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * blkfront's side of one blkif ring (<xen/io/blkif.h>, <xen/io/ring.h>) as
 * pure code: no grants, no event channels, no xenstore.  The caller maps the
 * ring pages, grants them and the data pages, and passes grant references
 * in as plain numbers; this code tracks requests, writes them to the ring,
 * and consumes and validates the backend's responses.
 *
 * Requests are tracked in a table of slots, one per ring entry; a request's
 * id on the ring is its slot index, so a response finds its request in O(1).
 * Free slots are reused in FIFO order, so a just-completed id is the last
 * one handed out again (a late duplicate is more likely caught as such).
 *
 * The backend is untrusted.  rsp_prod is read once per pass and bounded by
 * the requests we have published; each response is copied off the ring
 * once and only the copy is looked at.  A response whose id is out of range,
 * not in flight (never used, or queued but not yet published), already
 * completed, or whose operation differs from the request's is a protocol
 * error: the ring goes dead (every later call fails with ENXIO) and the
 * caller must disconnect; no request completes twice.
 *
 * Use: blkring_init on the mapped ring pages with the negotiated values
 * (blkfront_negotiate.h); blkring_queue per request, then blkring_push and
 * notify the backend if it says so; on each event, blkring_consume.  After
 * a protocol error, a fresh blkring_init on a fresh ring (reconnect).
 *
 * Locking: none here; the caller serialises all calls on one ring.
 */
#ifndef _DEV_XEN_BLKFRONT_BLKFRONT_RING_H_
#define _DEV_XEN_BLKFRONT_BLKFRONT_RING_H_

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
#include <xen/io/blkif.h>

/* Rings, indirect pages and data segments are 4 KiB pages, whatever the OS. */
#define BLKRING_PAGE_SIZE	(1u << XEN_PAGE_SHIFT)

/* Ring pages: ring-page-order 0..4, i.e. 1..16 pages (Linux offers 4). */
#define BLKRING_MAX_ORDER	4
#define BLKRING_MAX_PAGES	(1u << BLKRING_MAX_ORDER)
/* Entries of the largest ring, i.e. the most slots a ring can have. */
#define BLKRING_MAX_SLOTS \
	__CONST_RING_SIZE(blkif, BLKRING_PAGE_SIZE * BLKRING_MAX_PAGES)

/* Segments in one indirect page, and in one indirect request at most. */
#define BLKRING_SEGS_PER_INDIRECT_PAGE \
	(BLKRING_PAGE_SIZE / sizeof(struct blkif_request_segment))
#define BLKRING_MAX_INDIRECT_SEGS \
	(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * BLKRING_SEGS_PER_INDIRECT_PAGE)
/* first_sect/last_sect count 512-byte sectors within one 4 KiB page. */
#define BLKRING_SECTS_PER_PAGE	(BLKRING_PAGE_SIZE / 512)

/* Optional operations the backend offered (blkring.features). */
#define BLKRING_F_FLUSH		0x01	/* BLKIF_OP_FLUSH_DISKCACHE */
#define BLKRING_F_BARRIER	0x02	/* BLKIF_OP_WRITE_BARRIER */
#define BLKRING_F_DISCARD	0x04	/* BLKIF_OP_DISCARD */
#define BLKRING_F_SECDISCARD	0x08	/* BLKIF_DISCARD_SECURE */
/* Not an offer but a refusal: a read-only disk (VDISK_READONLY). */
#define BLKRING_F_READONLY	0x10	/* writes, barriers, discards: EROFS */

enum blkring_slot_state {
	BLKRING_SLOT_FREE = 0,	/* never used since init */
	BLKRING_SLOT_QUEUED,	/* written to the ring, not yet published */
	BLKRING_SLOT_INFLIGHT,	/* published, no response yet */
	BLKRING_SLOT_DONE,	/* completed, free for reuse */
};

struct blkring_slot {
	uint8_t		state;		/* enum blkring_slot_state */
	uint8_t		op;		/* operation a response must carry */
	uint16_t	next;		/* free list link */
	uint16_t	nsegs;
};

/* Why a ring went dead (blkring.error_kind), for the caller's message. */
enum blkring_error {
	BLKRING_OK = 0,
	BLKRING_ERR_PROD,	/* rsp_prod beyond what we published, or back */
	BLKRING_ERR_ID,		/* response id out of range */
	BLKRING_ERR_NOTINFLIGHT, /* id never published since init */
	BLKRING_ERR_DUPLICATE,	/* id already completed */
	BLKRING_ERR_OP,		/* operation differs from the request's */
};

struct blkring {
	blkif_front_ring_t	fr;
	u_int			order;		/* ring-page-order */
	u_int			nslots;		/* == ring entries */
	u_int			nfree;
	uint16_t		free_head, free_tail;
	RING_IDX		published;	/* req_prod as we last wrote it */
	u_int			nqueued;	/* ids in queued[] */
	u_int			features;	/* BLKRING_F_*, cleared on EOPNOTSUPP */
	u_int			max_indirect;	/* 0: direct requests only */
	blkif_vdev_t		handle;
	bool			dead;
	enum blkring_error	error_kind;
	uint64_t		error_id;	/* the offending id, if any */
	RING_IDX		error_prod;	/* the offending rsp_prod, if any */
	struct blkring_slot	slots[BLKRING_MAX_SLOTS];
	uint16_t		queued[BLKRING_MAX_SLOTS]; /* since last push */
};

/* One data segment: a granted 4 KiB page and the sectors used in it. */
struct blkring_seg {
	grant_ref_t	gref;
	uint8_t		first_sect;	/* 512-byte sectors, inclusive */
	uint8_t		last_sect;
};

/*
 * One request.  READ and WRITE take 1 or more segments (more than
 * BLKIF_MAX_SEGMENTS_PER_REQUEST needs indirect descriptors and the caller's
 * indirect pages: ceil(nsegs / BLKRING_SEGS_PER_INDIRECT_PAGE) of them, each
 * mapped at ind_pages[i] and granted as ind_grefs[i]).  FLUSH_DISKCACHE and
 * WRITE_BARRIER take 0 to BLKIF_MAX_SEGMENTS_PER_REQUEST; DISCARD none.
 */
struct blkring_io {
	uint8_t			op;		/* BLKIF_OP_* */
	bool			secure;		/* DISCARD: BLKIF_DISCARD_SECURE */
	blkif_sector_t		sector;		/* 512-byte units */
	uint64_t		nr_sectors;	/* DISCARD only */
	const struct blkring_seg *segs;
	u_int			nsegs;
	struct blkif_request_segment *const *ind_pages;
	const grant_ref_t	*ind_grefs;
	u_int			n_ind_pages;
};

/* A consumed response, mapped to an errno. */
struct blkring_done {
	uint16_t	id;
	uint8_t		op;		/* the request's (READ/WRITE if indirect) */
	int16_t		status;		/* BLKIF_RSP_* as the backend wrote it */
	int		error;		/* 0, EIO or EOPNOTSUPP */
};

typedef void	blkring_done_fn(void *arg, const struct blkring_done *);

/* Entries of a ring of 2^order pages (the __RING_SIZE arithmetic). */
u_int	blkring_entries(u_int order);

/*
 * Takes the ring at sring (2^order contiguous pages, already mapped),
 * initialises the shared indexes and the slot table.  features is a set of
 * BLKRING_F_*, max_indirect the negotiated indirect segments (0 or at most
 * BLKRING_MAX_INDIRECT_SEGS).  Returns EINVAL for an order or max_indirect
 * out of range.
 */
int	blkring_init(struct blkring *, blkif_sring_t *sring, u_int order,
	    u_int features, u_int max_indirect, blkif_vdev_t handle);

/* Free slots, i.e. how many more requests can be queued now. */
u_int	blkring_free_slots(const struct blkring *);
/* Requests outstanding (queued or published, no response yet). */
u_int	blkring_inflight(const struct blkring *);

/*
 * Writes one request to the ring (not yet visible to the backend) and gives
 * its id.  Returns 0; EAGAIN when no slot is free; EINVAL for a malformed
 * request (segment count, sector range, missing indirect pages); EROFS for
 * a write, barrier or discard to a read-only disk; EOPNOTSUPP for an
 * operation the backend does not offer (or indirect segments when none were
 * negotiated); ENXIO on a dead ring.
 */
int	blkring_queue(struct blkring *, const struct blkring_io *,
	    uint16_t *idp);
/*
 * For the hostile-frontend ktest only: queues req as given, unchecked (a
 * frontend misbehaving on purpose), its id replaced by the slot's; the
 * slot expects a response carrying req's operation (the inner one of an
 * indirect request).  0, ENXIO (dead ring) or EAGAIN (no free slot).
 */
int	blkring_queue_raw(struct blkring *, const struct blkif_request *req,
	    uint16_t *idp);

/*
 * Publishes every queued request (RING_PUSH_REQUESTS_AND_CHECK_NOTIFY) and
 * says whether the backend must be notified.
 */
bool	blkring_push(struct blkring *);

/*
 * Consumes every response, calling done for each valid one (its slot is
 * already free, so done may queue new requests), then re-arms rsp_event
 * and checks once more (RING_FINAL_CHECK_FOR_RESPONSES) so a response
 * published meanwhile is not left behind without an event.  Returns 0, or
 * EPROTO on a protocol error (the ring is then dead: see error_kind) or
 * ENXIO if it already was.  A response with status EOPNOTSUPP to a flush,
 * barrier or discard clears that feature.
 */
int	blkring_consume(struct blkring *, blkring_done_fn *done, void *arg);

/* BLKIF_RSP_* to errno: OKAY 0, EOPNOTSUPP EOPNOTSUPP, anything else EIO. */
int	blkring_status_errno(int16_t status);

#endif /* !_DEV_XEN_BLKFRONT_BLKFRONT_RING_H_ */
