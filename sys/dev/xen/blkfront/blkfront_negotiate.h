/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * blkfront's feature negotiation as arithmetic: from our limits and the
 * values the backend advertised (read by the caller from the backend's
 * xenstore directory; a missing node is 0 or false), what the connection
 * uses, and the nodes the frontend must write to its own directory.
 *
 * The backend's values are untrusted: each is clamped to ours, and a
 * geometry that cannot be right (sector size not a power of two, below 512
 * or above a page; no sectors; a size in bytes that overflows) refuses the
 * device.  A broken optional feature (discard granularity or alignment not
 * in whole sectors) only turns that feature off.
 */
#ifndef _DEV_XEN_BLKFRONT_BLKFRONT_NEGOTIATE_H_
#define _DEV_XEN_BLKFRONT_BLKFRONT_NEGOTIATE_H_

#include <dev/xen/blkfront/blkfront_ring.h>
#include <xen/event_channel.h>

/* Our ceiling on queues (one ring and event channel each). */
#define BLKNEG_MAX_QUEUES	16

/* What we would like; out-of-range values are clamped. */
struct blkneg_ours {
	u_int		ring_order;	/* <= BLKRING_MAX_ORDER */
	u_int		queues;		/* 1..BLKNEG_MAX_QUEUES, 0 counts as 1 */
	u_int		indirect_segs;	/* <= BLKRING_MAX_INDIRECT_SEGS, 0: none */
	bool		persistent;	/* we can do persistent grants */
};

/* The backend's nodes, as read; absent nodes are 0 / false. */
struct blkneg_backend {
	uint32_t	max_ring_page_order;	/* max-ring-page-order */
	uint32_t	max_queues;		/* multi-queue-max-queues */
	uint32_t	max_indirect_segs;	/* feature-max-indirect-segments */
	bool		flush;			/* feature-flush-cache */
	bool		barrier;		/* feature-barrier */
	bool		discard;		/* feature-discard */
	bool		discard_secure;		/* discard-secure */
	bool		persistent;		/* feature-persistent */
	uint32_t	discard_granularity;	/* bytes; 0: sector-size */
	uint32_t	discard_alignment;	/* bytes */
	uint64_t	sectors;		/* always 512-byte units */
	uint32_t	sector_size;		/* logical block, bytes */
	uint32_t	physical_sector_size;	/* 0: sector-size */
	uint32_t	info;			/* VDISK_* */
};

/* The outcome, for the rings (blkring_init) and the disk. */
struct blkneg {
	u_int		ring_order;
	u_int		ring_pages;
	u_int		ring_entries;	/* requests in flight per queue */
	u_int		queues;
	u_int		indirect_segs;	/* 0: direct requests only */
	u_int		max_segs;	/* per request, direct or indirect */
	u_int		features;	/* BLKRING_F_* */
	/*
	 * We write feature-persistent=1; the backend writes its own only when
	 * it connects, after reading ours, so the offer cannot wait for it.
	 */
	bool		persistent_offer;
	bool		persistent;	/* both said 1: use persistent grants */
	bool		readonly;	/* VDISK_READONLY: refuse writes */
	bool		cdrom;
	bool		removable;
	uint32_t	sector_size;
	uint32_t	physical_sector_size;
	uint64_t	sectors;	/* 512-byte units, whole logical blocks */
	uint64_t	media_size;	/* bytes */
	uint32_t	discard_granularity; /* bytes, when discard is on */
	uint32_t	discard_alignment;
};

/*
 * Fills n from ours and the backend's values.  Returns 0, or EINVAL when
 * the backend's geometry refuses the device (n is then unspecified).
 * Ring order = min(ours, max-ring-page-order); queues = min(ours,
 * multi-queue-max-queues), at least 1; indirect segments = min(ours,
 * max-indirect-segments), 0 when that is no more than a direct request
 * carries.
 */
int	blkneg_negotiate(const struct blkneg_ours *,
	    const struct blkneg_backend *, struct blkneg *n);

/* One xenstore node to write, relative to the frontend's directory. */
#define BLKNEG_PATH_MAX		32
#define BLKNEG_VALUE_MAX	24
struct blkneg_node {
	char	path[BLKNEG_PATH_MAX];
	char	value[BLKNEG_VALUE_MAX];
};
/* Most nodes blkneg_nodes() writes: 4 + per queue all refs + evtchn. */
#define BLKNEG_MAX_NODES \
	(4 + BLKNEG_MAX_QUEUES * (BLKRING_MAX_PAGES + 1))

/*
 * The frontend's nodes for n, in the order to write them (in one
 * transaction): ring-ref (one page) or ring-page-order and ring-ref0..N-1
 * (never both), event-channel, and for 2 or more queues
 * multi-queue-num-queues with ring refs and event channels under queue-Q/
 * (ring-page-order stays at the top); protocol and feature-persistent
 * (our offer, n->persistent_offer) always.  refs holds n->queues * n->ring_pages grant refs, queue-major;
 * ports one event channel per queue.  Fills out[0..*countp-1]; returns 0,
 * or ENOSPC if max is too small.
 */
int	blkneg_nodes(const struct blkneg *n, const grant_ref_t *refs,
	    const evtchn_port_t *ports, struct blkneg_node *out, u_int max,
	    u_int *countp);

#endif /* !_DEV_XEN_BLKFRONT_BLKFRONT_NEGOTIATE_H_ */
