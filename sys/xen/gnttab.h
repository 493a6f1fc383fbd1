/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Grant tables (v1): the KPI drivers use to let another domain reach their
 * pages (gnttab(9)).  Most drivers need only the DMA-like maps at the end:
 * a map loads a buffer, granting each of its pages, and unloading ends the
 * grants.  A reference is never handed out again while the peer may still
 * map its page: ending access on a busy entry defers it, and a callout
 * retries until the peer lets go.
 */
#ifndef _XEN_GNTTAB_H_
#define _XEN_GNTTAB_H_

#include <sys/types.h>

#include <xen/xen.h>
#include <xen/grant_table.h>

/* A set of references put aside for one user (see gnttab_reserve()). */
struct gnttab_pool;

/* Counters of the whole table (a snapshot). */
struct gnttab_stats {
	vm_paddr_t	table_pa;	/* guest-physical address of frame 0 */
	u_int		nr_frames;	/* frames mapped */
	u_int		max_frames;	/* the domain's limit */
	u_int		nr_refs;	/* references the mapped frames hold */
	u_int		in_use;		/* allocated (granted or not) */
	u_int		free;		/* on the global free list */
	u_int		reserved;	/* free but held by a pool */
	u_int		deferred;	/* ended while busy, not yet free */
	uint64_t	deferred_total;	/* ever deferred */
	uint64_t	retries;	/* retry passes run */
};

/* Table set-up (SI_SUB_HYPERVISOR); exported for the hosted tests. */
int	gnttab_init(void);
void	gnttab_get_stats(struct gnttab_stats *);

/*
 * Reservations: gnttab_reserve() moves n free references (growing the table
 * if needed) into a pool the caller alone allocates from; gnttab_unreserve()
 * gives the free ones back, and references still allocated return to the
 * global list when they are freed.
 */
int	gnttab_reserve(u_int n, struct gnttab_pool **);
void	gnttab_unreserve(struct gnttab_pool *);
u_int	gnttab_pool_free(const struct gnttab_pool *);
/*
 * release(arg) runs each time a deferred reference of the pool becomes
 * free (from the retry callout: no sleeping).  Set before first use.
 */
void	gnttab_pool_set_release(struct gnttab_pool *, void (*release)(void *),
	    void *arg);

/*
 * Allocation from a pool, or from the global list (pool NULL, growing the
 * table on demand).  ENOSPC when none is left.  gnttab_free() returns an
 * allocated reference that was never granted (or whose access has ended).
 */
int	gnttab_alloc(struct gnttab_pool *, grant_ref_t *);
void	gnttab_free(grant_ref_t);

/*
 * Grants domid access to the guest frame gfn through an allocated ref.
 * gnttab_grant_access() allocates and grants in one step.
 */
void	gnttab_grant(grant_ref_t, domid_t, u_long gfn, bool readonly);
int	gnttab_grant_access(struct gnttab_pool *, domid_t, u_long gfn,
	    bool readonly, grant_ref_t *);

/*
 * Ends access and frees the reference.  Returns 0 if the peer held no
 * mapping: the page is the caller's again.  Returns EBUSY if the peer still
 * maps it: the reference is deferred, the page must stay untouched and
 * allocated until the retry callout frees the reference (and runs its
 * pool's release hook).
 */
int	gnttab_end_access(grant_ref_t);

/* One retry pass over the deferred references; returns how many remain. */
u_int	gnttab_retry_deferred(void);

/* Read-only view of an entry's flags (for tests and diagnostics). */
uint16_t gnttab_entry_flags(grant_ref_t);

/*
 * Hypervisor copy (GNTTABOP_copy) of n operations in batches; each op's
 * status is set.  Returns 0 if every op succeeded, else the errno of the
 * first failure (EINVAL for a bad op, which is not sent).
 */
int	gnttab_copy(struct gnttab_copy *ops, u_int n);

/*
 * Maps and unmaps a peer's grants (GNTTABOP_map_grant_ref / unmap) for
 * backends; host_addr is a guest-physical address of a hole page.  Each
 * op's status is set; the return is as for gnttab_copy().
 */
int	gnttab_map(struct gnttab_map_grant_ref *ops, u_int n);
int	gnttab_unmap(struct gnttab_unmap_grant_ref *ops, u_int n);
/* Grants mapped by gnttab_map() and not unmapped yet (leak checks). */
u_int	gnttab_maps_live(void);

/*
 * DMA-like maps.  A map is created for one peer domain and at most maxpages
 * pages (its references are reserved at creation, so loads never fail for
 * lack of references).  Loading grants every page the buffer touches and
 * fills gm_segs[0 .. gm_nsegs - 1]; unloading ends the grants.
 */
#define GNTTAB_DMA_RW	0x0	/* the peer may write (a read from disk) */
#define GNTTAB_DMA_RO	0x1	/* the peer may only read */

struct gnttab_seg {
	grant_ref_t	gs_ref;
	uint16_t	gs_offset;	/* first byte in the page */
	uint16_t	gs_len;		/* bytes from gs_offset */
};

struct gnttab_dmamap {
	domid_t			gm_peer;
	u_int			gm_maxpages;
	u_int			gm_nsegs;	/* 0 when not loaded */
	u_int			gm_busy;	/* deferred segments of past loads */
	struct gnttab_pool	*gm_pool;
	void			(*gm_release)(void *);
	void			*gm_release_arg;
	struct gnttab_seg	gm_segs[];
};

/*
 * Creation reserves maxpages references (ENOSPC if the table cannot hold
 * them).  release(arg), if given, runs when a buffer an unload left busy
 * (EBUSY) is no longer seen by the peer.
 */
int	gnttab_dmamap_create(domid_t peer, u_int maxpages,
	    void (*release)(void *), void *arg, struct gnttab_dmamap **);
/* EINVAL: loaded, or busy buffers still outstanding (the map lives on). */
int	gnttab_dmamap_destroy(struct gnttab_dmamap *);
/*
 * E2BIG: the buffer spans more than maxpages pages; EINVAL: empty buffer or
 * map already loaded; EBUSY: earlier segments are still deferred and their
 * references not back yet (try after release).
 */
int	gnttab_dmamap_load(struct gnttab_dmamap *, const void *buf,
	    size_t len, int flags);
/*
 * 0: the peer no longer sees the buffer.  EBUSY: some pages are still
 * mapped by the peer; the buffer must stay allocated until release runs.
 */
int	gnttab_dmamap_unload(struct gnttab_dmamap *);

#endif /* !_XEN_GNTTAB_H_ */
