/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * blkback's view of what a frontend writes, as pure code (no grants, no
 * event channels, no xenstore): the ring index bound, the decoding and
 * validation of one request, of the segments of its indirect pages, the
 * grant-copy operations that move its data, and the response.
 *
 * The frontend is untrusted.  The caller copies each request off the ring
 * once (RING_COPY_REQUEST) and each indirect page once (a grant copy into
 * its own page), and hands only those copies here (XSA-155): nothing is
 * ever read twice from memory the frontend can write.  A request that
 * fails a check gets an error response and touches no data; an index past
 * the ring (req_prod too far ahead) is a protocol error and the caller
 * disconnects the frontend.
 */
#ifndef _DEV_XEN_BLKBACK_BLKBACK_REQ_H_
#define _DEV_XEN_BLKBACK_BLKBACK_REQ_H_

#include <sys/types.h>
#include <machine/atomic.h>

#ifndef xen_mb
#define xen_mb()	mb()
#define xen_rmb()	rmb()
#define xen_wmb()	wmb()
#endif

#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/ring.h>
#include <xen/io/blkif.h>

#define BLKBACK_PAGE_SIZE	(1u << XEN_PAGE_SHIFT)
/* first_sect/last_sect count 512-byte sectors within one 4 KiB page. */
#define BLKBACK_SECTS_PER_PAGE	(BLKBACK_PAGE_SIZE / 512)
/* Ring pages we accept: max-ring-page-order 0..4 (Linux's default 4). */
#define BLKBACK_MAX_ORDER	4
#define BLKBACK_MAX_RING_PAGES	(1u << BLKBACK_MAX_ORDER)
#define BLKBACK_SEGS_PER_IND_PAGE \
	(BLKBACK_PAGE_SIZE / sizeof(struct blkif_request_segment))
/* Indirect segments we offer (feature-max-indirect-segments), as Linux. */
#define BLKBACK_MAX_INDIRECT	256
#define BLKBACK_MAX_IND_PAGES \
	howmany(BLKBACK_MAX_INDIRECT, BLKBACK_SEGS_PER_IND_PAGE)
/* Segments of the largest request we take, and its copy operations. */
#define BLKBACK_MAX_SEGS	BLKBACK_MAX_INDIRECT
#define BLKBACK_MAX_COPY_OPS	(2 * BLKBACK_MAX_SEGS)

/* What one connection accepts. */
struct blkback_limits {
	uint64_t	sectors;	/* disk size, 512-byte sectors */
	u_int		max_indirect;	/* 0: no indirect requests */
	bool		readonly;
	bool		flush;		/* BLKIF_OP_FLUSH_DISKCACHE offered */
	bool		discard;	/* BLKIF_OP_DISCARD offered */
};

struct blkback_seg {
	grant_ref_t	gref;
	uint8_t		first_sect;
	uint8_t		last_sect;
};

/* Why a request was refused (counted per reason). */
enum blkback_reject {
	BLKBACK_OK = 0,
	BLKBACK_REJ_OP,		/* unknown or unoffered operation */
	BLKBACK_REJ_NSEGS,	/* segment count 0 or above the limit */
	BLKBACK_REJ_SECT,	/* first_sect > last_sect or past the page */
	BLKBACK_REJ_RANGE,	/* sectors past the disk's end (or wrapping) */
	BLKBACK_REJ_RDONLY,	/* a write or discard to a read-only disk */
	BLKBACK_REJ_INDIRECT,	/* indirect without the feature, bad inner op */
	BLKBACK_REJ_GRANT,	/* a grant copy failed */
	BLKBACK_REJ_IO,		/* the disk failed it */
	BLKBACK_REJ_COUNT
};

/* A decoded, validated request (all fields from the caller's copy). */
struct blkback_io {
	uint64_t	id;
	uint8_t		op;		/* as on the ring */
	uint8_t		rsp_op;		/* echoed in the response: op, or for an
					   indirect request its indirect_op (what
					   Linux's blkfront checks) */
	uint8_t		kind;		/* READ, WRITE, FLUSH_DISKCACHE or DISCARD */
	bool		flush;		/* a FLUSH_DISKCACHE with data: kind WRITE,
					   then a flush before the answer */
	uint64_t	sector;		/* 512-byte units */
	uint64_t	nr_sectors;	/* READ/WRITE: sum of the segments */
	u_int		nsegs;
	u_int		n_ind_pages;	/* indirect: pages still to fetch */
	grant_ref_t	ind_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	struct blkback_seg segs[BLKIF_MAX_SEGMENTS_PER_REQUEST]; /* direct */
};

/*
 * How many requests may be taken now: prod as read once from the shared
 * ring, cons our next index, rsp_prod_pvt our last response.  EPROTO if the
 * frontend claims more outstanding requests than the ring holds (the
 * caller disconnects); *n is then 0.
 */
int	blkback_ring_pending(RING_IDX prod, RING_IDX cons, RING_IDX rsp_prod_pvt,
	    u_int ring_size, u_int *n);

/*
 * Decodes and checks a request copied off the ring.  BLKBACK_OK: io is
 * complete (for an indirect request, io->n_ind_pages pages are to be fetched
 * and passed to blkback_ind_decode()).  Otherwise the reason; io->id,
 * io->op and io->rsp_op are set whenever a response can be sent (always).
 */
enum blkback_reject blkback_req_decode(const blkif_request_t *req,
	    const struct blkback_limits *lim, struct blkback_io *io);

/*
 * Checks the segments of an indirect request, read from the caller's copy
 * of its pages (io->nsegs entries, packed BLKBACK_SEGS_PER_IND_PAGE a page)
 * into segs[], and the sector range they make.
 */
enum blkback_reject blkback_ind_decode(const struct blkif_request_segment *copy,
	    const struct blkback_limits *lim, struct blkback_io *io,
	    struct blkback_seg *segs);

/*
 * The grant-copy operations of a READ (to_guest) or WRITE (from the guest)
 * whose data sits contiguous in our buffer: segment after segment, split
 * where our buffer crosses a page.  gfn_of(arg, off) gives our frame for
 * byte off of the buffer.  Returns the number of operations (at most
 * max_ops; 0 if they would not fit).
 */
u_int	blkback_copy_ops(const struct blkback_seg *segs, u_int nsegs,
	    bool to_guest, domid_t peer, size_t buf_off,
	    uint64_t (*gfn_of)(void *arg, size_t off), void *arg,
	    struct gnttab_copy *ops, u_int max_ops);

/* The response, every byte of it written (XSA-216: no stale padding). */
void	blkback_rsp_make(blkif_response_t *rsp, uint64_t id, uint8_t op,
	    int16_t status);

const char *blkback_reject_name(enum blkback_reject);

/*
 * The backing store named by the toolstack's "params" (the disk spec's
 * target): "ram:<size>[k|m|g]" is a RAM disk of our own of that many bytes
 * (a multiple of 512, at most BLKBACK_RAM_MAX), anything else the name of a
 * disk(9) disk ("md0").  EINVAL for a malformed or empty spec.
 */
#define BLKBACK_RAM_MAX		(1ULL << 32)
int	blkback_params_parse(const char *s, char *disk, size_t disksize,
	    uint64_t *ram_bytes);

#endif /* !_DEV_XEN_BLKBACK_BLKBACK_REQ_H_ */
