/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xbd(4) persistent grants: the pool of granted pages (see
 * blkfront_pgrant.h).
 *
 * pg_pages[0 .. pg_npages - 1] are the pages granted so far, each with its
 * reference for the pool's lifetime; pg_stack[0 .. pg_nfree - 1] the
 * indexes of those not in a request, the top the one freed last.
 *
 * Destroy ends each grant.  One that the peer still maps is deferred by the
 * grant KPI, which later frees its reference and calls our release hook
 * once for it: pg_busy counts those calls still to come, so the pool (and
 * the hook's argument) lives until the last has run.  A deferred page's
 * entry reads 0 once its reference is free (free entries have no flags; a
 * deferred one keeps GTF_permit_access), which tells the hook which pages
 * it may free.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

#include <dev/xen/blkfront/blkfront_pgrant.h>
#include <xen/gnttab.h>

MALLOC_DEFINE(M_XBDPG, "xbdpgrant", "xbd persistent grants");

struct xbd_pgpage {
	vm_paddr_t	pp_pa;
	grant_ref_t	pp_ref;
	bool		pp_deferred;	/* ended while mapped, page kept */
};

struct xbd_pgpool {
	domid_t			pg_peer;
	u_int			pg_max;
	u_int			pg_npages;
	u_int			pg_nfree;
	struct xbd_pgpage	*pg_pages;
	uint32_t		*pg_stack;
	struct gnttab_pool	*pg_gpool;
	struct mtx		pg_mtx;		/* spin: destroy vs release */
	u_int			pg_busy;	/* release calls still due */
	bool			pg_dying;
	uint64_t		pg_hits;
	uint64_t		pg_misses;
	uint64_t		pg_full;
};

static void	xbd_pg_released(void *);

int
xbd_pgpool_create(domid_t peer, u_int maxpages, struct xbd_pgpool **pp)
{
	struct xbd_pgpool *pg;
	int error;

	if (maxpages == 0)
		return (EINVAL);
	pg = malloc(sizeof(*pg), M_XBDPG, M_WAITOK | M_ZERO);
	pg->pg_peer = peer;
	pg->pg_max = maxpages;
	pg->pg_pages = mallocarray(maxpages, sizeof(*pg->pg_pages), M_XBDPG,
	    M_WAITOK | M_ZERO);
	pg->pg_stack = mallocarray(maxpages, sizeof(*pg->pg_stack), M_XBDPG,
	    M_WAITOK | M_ZERO);
	if ((error = gnttab_reserve(maxpages, &pg->pg_gpool)) != 0) {
		free(pg->pg_stack, M_XBDPG);
		free(pg->pg_pages, M_XBDPG);
		free(pg, M_XBDPG);
		return (error);
	}
	mtx_init(&pg->pg_mtx, "xbd pgrant", NULL, MTX_SPIN);
	gnttab_pool_set_release(pg->pg_gpool, xbd_pg_released, pg);
	*pp = pg;
	return (0);
}

/* A new page, granted read-write for good; ENOMEM if none. */
static int
xbd_pg_grow(struct xbd_pgpool *pg, uint32_t *idxp)
{
	struct xbd_pgpage *pp;
	vm_paddr_t pa;
	int error;

	KASSERT(pg->pg_npages < pg->pg_max, ("xbd: pool grown past %u",
	    pg->pg_max));
	if ((pa = phys_alloc_page()) == PHYS_NONE)
		return (ENOMEM);
	pp = &pg->pg_pages[pg->pg_npages];
	/* The references were reserved for every page at creation. */
	error = gnttab_grant_access(pg->pg_gpool, pg->pg_peer, atop(pa), false,
	    &pp->pp_ref);
	KASSERT(error == 0, ("xbd: pool's reserved references ran out: %d",
	    error));
	pp->pp_pa = pa;
	pp->pp_deferred = false;
	*idxp = pg->pg_npages++;
	return (0);
}

int
xbd_pgpool_load(struct xbd_pgpool *pg, const void *data, size_t len,
    bool copyin, uint32_t *pages, struct blkring_seg *segs)
{
	u_int n = (u_int)howmany(len, PAGE_SIZE), hits, got;
	int error;

	KASSERT(!pg->pg_dying, ("xbd: load on a destroyed pool"));
	KASSERT(len > 0 && (len & 511) == 0, ("xbd: pool load of %zu bytes",
	    len));
	if (n > pg->pg_nfree + (pg->pg_max - pg->pg_npages)) {
		pg->pg_full++;
		return (ENOSPC);
	}
	/* Free pages first (hits), then new ones (misses). */
	hits = MIN(n, pg->pg_nfree);
	for (got = 0; got < hits; got++)
		pages[got] = pg->pg_stack[--pg->pg_nfree];
	for (; got < n; got++) {
		if ((error = xbd_pg_grow(pg, &pages[got])) != 0) {
			/* Back on the stack, the fresh ones too. */
			xbd_pgpool_unload(pg, pages, got, NULL, 0, false);
			return (error);
		}
	}
	pg->pg_hits += hits;
	pg->pg_misses += n - hits;
	for (u_int i = 0; i < n; i++) {
		const struct xbd_pgpage *pp = &pg->pg_pages[pages[i]];
		size_t chunk = MIN(len - (size_t)i * PAGE_SIZE, PAGE_SIZE);

		if (copyin)
			memcpy((void *)PHYS_TO_DMAP(pp->pp_pa),
			    (const char *)data + (size_t)i * PAGE_SIZE, chunk);
		segs[i].gref = pp->pp_ref;
		segs[i].first_sect = 0;
		segs[i].last_sect = (uint8_t)(chunk / 512 - 1);
	}
	return (0);
}

void
xbd_pgpool_unload(struct xbd_pgpool *pg, const uint32_t *pages, u_int n,
    void *data, size_t len, bool copyout)
{
	KASSERT(pg->pg_nfree + n <= pg->pg_npages,
	    ("xbd: %u pages back to a pool of %u with %u free", n,
	    pg->pg_npages, pg->pg_nfree));
	KASSERT(!copyout || len <= (size_t)n * PAGE_SIZE,
	    ("xbd: %zu bytes out of %u pages", len, n));
	for (u_int i = 0; i < n; i++) {
		const struct xbd_pgpage *pp = &pg->pg_pages[pages[i]];

		KASSERT(pages[i] < pg->pg_npages, ("xbd: pool page %u of %u",
		    pages[i], pg->pg_npages));
		if (copyout && (size_t)i * PAGE_SIZE < len)
			memcpy((char *)data + (size_t)i * PAGE_SIZE,
			    (const void *)PHYS_TO_DMAP(pp->pp_pa),
			    MIN(len - (size_t)i * PAGE_SIZE, PAGE_SIZE));
	}
	/* Pushed in reverse, so the next load takes them in the same order. */
	for (u_int i = n; i-- > 0;)
		pg->pg_stack[pg->pg_nfree++] = pages[i];
}

void
xbd_pgpool_stats(const struct xbd_pgpool *pg, struct xbd_pgstats *st)
{
	st->pages = pg->pg_npages;
	st->max = pg->pg_max;
	st->free = pg->pg_nfree;
	st->hits = pg->pg_hits;
	st->misses = pg->pg_misses;
	st->full = pg->pg_full;
}

u_int
xbd_pgpool_mapped(const struct xbd_pgpool *pg)
{
	u_int n = 0;

	for (u_int i = 0; i < pg->pg_npages; i++)
		if ((gnttab_entry_flags(pg->pg_pages[i].pp_ref) &
		    (GTF_reading | GTF_writing)) != 0)
			n++;
	return (n);
}

/* The last reference is back: nothing of the pool is left to the peer. */
static void
xbd_pg_free(struct xbd_pgpool *pg)
{
	gnttab_unreserve(pg->pg_gpool);
	mtx_destroy(&pg->pg_mtx);
	free(pg->pg_stack, M_XBDPG);
	free(pg->pg_pages, M_XBDPG);
	free(pg, M_XBDPG);
}

/*
 * The grant KPI freed one of our deferred references (from its retry
 * callout): free the pages whose grants have ended.
 */
static void
xbd_pg_released(void *arg)
{
	struct xbd_pgpool *pg = arg;
	bool last;

	mtx_lock_spin(&pg->pg_mtx);
	KASSERT(pg->pg_dying && pg->pg_busy > 0,
	    ("xbd: pool release hook with %u due (dying %d)", pg->pg_busy,
	    pg->pg_dying));
	for (u_int i = 0; i < pg->pg_npages; i++) {
		struct xbd_pgpage *pp = &pg->pg_pages[i];

		if (pp->pp_deferred && gnttab_entry_flags(pp->pp_ref) == 0) {
			pp->pp_deferred = false;
			phys_free_page(pp->pp_pa);
		}
	}
	last = --pg->pg_busy == 0;
	mtx_unlock_spin(&pg->pg_mtx);
	if (last)
		xbd_pg_free(pg);
}

u_int
xbd_pgpool_destroy(struct xbd_pgpool *pg)
{
	u_int deferred = 0;
	bool last;

	mtx_lock_spin(&pg->pg_mtx);
	KASSERT(!pg->pg_dying, ("xbd: pool destroyed twice"));
	KASSERT(pg->pg_nfree == pg->pg_npages,
	    ("xbd: pool destroyed with %u of %u pages in requests",
	    pg->pg_npages - pg->pg_nfree, pg->pg_npages));
	pg->pg_dying = true;
	for (u_int i = 0; i < pg->pg_npages; i++) {
		struct xbd_pgpage *pp = &pg->pg_pages[i];

		if (gnttab_end_access(pp->pp_ref) == 0) {
			phys_free_page(pp->pp_pa);
			continue;
		}
		/* The release hook waits for our lock: count it first. */
		pp->pp_deferred = true;
		pg->pg_busy++;
		deferred++;
	}
	last = pg->pg_busy == 0;
	mtx_unlock_spin(&pg->pg_mtx);
	if (last)
		xbd_pg_free(pg);
	return (deferred);
}
