/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * DMA-like grant maps: a driver loads a buffer into a map made for its peer
 * and hands the peer the segment list; the map owns every reference (a
 * pool reserved at creation) so the driver keeps no grant bookkeeping.
 *
 * gm_busy counts the pages of past loads that the peer still mapped when
 * they were unloaded; the pool's release hook counts them down as the
 * retry callout frees them, and the last one runs the map's release.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/vmparam.h>

#include <xen/gnttab.h>

MALLOC_DECLARE(M_GNTTAB);

static void
gnt_dma_page_freed(void *arg)
{
	struct gnttab_dmamap *m = arg;

	KASSERT(m->gm_busy > 0, ("gnttab: map %p released more than busy", m));
	if (atomic_fetchadd_int(&m->gm_busy, -1) == 1 && m->gm_release != NULL)
		m->gm_release(m->gm_release_arg);
}

int
gnttab_dmamap_create(domid_t peer, u_int maxpages, void (*release)(void *),
    void *arg, struct gnttab_dmamap **mp)
{
	struct gnttab_dmamap *m;
	int error;

	if (maxpages == 0)
		return (EINVAL);
	m = malloc(sizeof(*m) + maxpages * sizeof(m->gm_segs[0]), M_GNTTAB,
	    M_WAITOK | M_ZERO);
	m->gm_peer = peer;
	m->gm_maxpages = maxpages;
	m->gm_release = release;
	m->gm_release_arg = arg;
	if ((error = gnttab_reserve(maxpages, &m->gm_pool)) != 0) {
		free(m, M_GNTTAB);
		return (error);
	}
	gnttab_pool_set_release(m->gm_pool, gnt_dma_page_freed, m);
	*mp = m;
	return (0);
}

int
gnttab_dmamap_destroy(struct gnttab_dmamap *m)
{
	if (m->gm_nsegs != 0 || atomic_load_acq_int(&m->gm_busy) != 0)
		return (EINVAL);
	gnttab_unreserve(m->gm_pool);
	free(m, M_GNTTAB);
	return (0);
}

int
gnttab_dmamap_load(struct gnttab_dmamap *m, const void *buf, size_t len,
    int flags)
{
	vm_offset_t va = (vm_offset_t)buf;
	u_int npages;
	int error;

	if (len == 0 || m->gm_nsegs != 0)
		return (EINVAL);
	npages = howmany((va & PAGE_MASK) + len, PAGE_SIZE);
	if (len > (size_t)m->gm_maxpages * PAGE_SIZE || npages > m->gm_maxpages)
		return (E2BIG);
	if (atomic_load_acq_int(&m->gm_busy) != 0)
		return (EBUSY);
	KASSERT(gnttab_pool_free(m->gm_pool) >= npages,
	    ("gnttab: map %p pool has %u refs for %u pages", m,
	    gnttab_pool_free(m->gm_pool), npages));
	for (u_int i = 0; i < npages; i++) {
		struct gnttab_seg *s = &m->gm_segs[i];
		vm_offset_t pva = trunc_page(va) + ptoa(i);
		u_int off = i == 0 ? (u_int)(va & PAGE_MASK) : 0;

		error = gnttab_alloc(m->gm_pool, &s->gs_ref);
		KASSERT(error == 0, ("gnttab: map pool ran dry: %d", error));
		gnttab_grant(s->gs_ref, m->gm_peer, atop(pmap_kextract(pva)),
		    (flags & GNTTAB_DMA_RO) != 0);
		s->gs_offset = (uint16_t)off;
		s->gs_len = (uint16_t)MIN(PAGE_SIZE - off, len);
		len -= s->gs_len;
	}
	KASSERT(len == 0, ("gnttab: %zu bytes left after loading", len));
	m->gm_nsegs = npages;
	return (0);
}

int
gnttab_dmamap_unload(struct gnttab_dmamap *m)
{
	/*
	 * One count held across the loop, so the release hook cannot see
	 * zero (and call release) before every page has been ended.
	 */
	atomic_add_int(&m->gm_busy, 1);
	for (u_int i = 0; i < m->gm_nsegs; i++) {
		atomic_add_int(&m->gm_busy, 1);
		if (gnttab_end_access(m->gm_segs[i].gs_ref) == 0)
			atomic_subtract_int(&m->gm_busy, 1);
	}
	m->gm_nsegs = 0;
	return (atomic_fetchadd_int(&m->gm_busy, -1) == 1 ? 0 : EBUSY);
}
