/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xbd(4) persistent grants (feature-persistent): a per-queue pool of pages
 * granted to the backend once and kept granted for the life of the
 * connection.  A request takes pool pages, data is copied into them (a
 * write) or out of them (a read, at completion), and the backend, which
 * keeps each grant it has seen mapped, finds them by reference without
 * mapping and unmapping them per request.
 *
 * Linux's blkback maps persistent grants writable whatever the request
 * (a page that carried a write may carry a read next), so every pool page
 * is granted read-write.  Pages are reused last-freed first, which keeps
 * the set of references in use as small as the I/O allows (blkback keeps
 * only so many mapped, 1056 per ring by default, and maps the rest per
 * request).
 *
 * The pool grows on demand (a miss grants a fresh page) up to its bound,
 * then only reuses (hits).  Destroying it ends every grant through the
 * grant KPI: a page the backend still maps stays allocated until the
 * deferred end lets it go, and the pool frees itself after the last one.
 *
 * Locking: the caller serialises load and unload (the queue's lock); the
 * pool's own spin lock only orders destroy against the grant KPI's
 * release hook.
 */
#ifndef _DEV_XEN_BLKFRONT_BLKFRONT_PGRANT_H_
#define _DEV_XEN_BLKFRONT_BLKFRONT_PGRANT_H_

#include <sys/types.h>

#include <dev/xen/blkfront/blkfront_ring.h>

struct xbd_pgpool;

struct xbd_pgstats {
	u_int		pages;		/* granted so far (<= max) */
	u_int		max;		/* the bound */
	u_int		free;		/* granted, not in a request */
	uint64_t	hits;		/* segments given an already granted page */
	uint64_t	misses;		/* segments that granted a new page */
	uint64_t	full;		/* loads refused: the bound reached */
};

/*
 * A pool of at most maxpages pages granted to peer; the references are
 * reserved now (ENOSPC if the table cannot hold them), the pages taken as
 * needed.
 */
int	xbd_pgpool_create(domid_t peer, u_int maxpages, struct xbd_pgpool **);

/*
 * Takes howmany(len, PAGE_SIZE) pool pages for a transfer of len bytes
 * (a multiple of 512), records their indexes in pages[], fills segs[] (one
 * per page, whole sectors from the start of each page) and, if copyin,
 * copies data into them.  Returns 0, ENOSPC when the pool is at its bound
 * with too few pages free, or ENOMEM when a new page cannot be had; then
 * nothing is taken.
 */
int	xbd_pgpool_load(struct xbd_pgpool *, const void *data, size_t len,
	    bool copyin, uint32_t *pages, struct blkring_seg *segs);

/*
 * Gives back the n pages of a load, copying len bytes out of them into
 * data first if copyout (a read that succeeded).
 */
void	xbd_pgpool_unload(struct xbd_pgpool *, const uint32_t *pages, u_int n,
	    void *data, size_t len, bool copyout);

void	xbd_pgpool_stats(const struct xbd_pgpool *, struct xbd_pgstats *);

/*
 * Pool pages the peer maps right now (Xen shows GTF_reading or
 * GTF_writing on their grants): the backend's persistent mappings, seen
 * from our side of the table.
 */
u_int	xbd_pgpool_mapped(const struct xbd_pgpool *);

/*
 * Ends every grant and frees the pool.  Pages the peer still maps are
 * freed later, when the grant KPI's deferred end frees their references;
 * returns how many were deferred (the pool lives on until the last).  No
 * load or unload may follow.
 */
u_int	xbd_pgpool_destroy(struct xbd_pgpool *);

#endif /* !_DEV_XEN_BLKFRONT_BLKFRONT_PGRANT_H_ */
