/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xbd(4) data path: a bio becomes one ring request (direct up to
 * BLKIF_MAX_SEGMENTS_PER_REQUEST pages, indirect beyond), its pages granted
 * through the request's DMA-like map; the event handler consumes the
 * validated responses (blkfront_ring.c), ends the grants and completes the
 * bios.  The ring logic, not this file, decides what a response may be: a
 * protocol error kills the queue here (outstanding bios fail with EIO) and
 * the worker takes the device to Closing.
 *
 * A segment names whole 512-byte sectors of one page, so a buffer that is
 * not sector-aligned in memory (malloc(9) gives 16-byte alignment), or that
 * spans more pages than a request carries, goes through a page-aligned
 * bounce copy taken from the page allocator for the request's lifetime.
 *
 * With persistent grants (both ends wrote feature-persistent=1) no data
 * page of ours is granted per request: the data is copied through the
 * queue's pool of pages granted for the connection (blkfront_pgrant.c),
 * and the indirect pages, granted for the connection anyway, are granted
 * writable, as blkback then maps everything.
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/physmem.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/vmparam.h>

#include <dev/xen/blkfront/blkfront_var.h>

MALLOC_DECLARE(M_XBD);

/* The segments of one request, built before blkring_queue copies them. */
struct xbd_segbuf {
	struct blkring_seg	segs[XBD_INDIRECT_SEGS];
	grant_ref_t		ind_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
};

static void
xbd_complete_list(struct bio_queue_head *done)
{
	struct bio *bp;

	while ((bp = bioq_takefirst(done)) != NULL)
		biodone(bp);
}

/* Ends a request: grants, bounce copy, context back on the free list. */
static void
xbd_req_finish(struct xbd_queue *q, struct xbd_req *r, int error,
    struct bio_queue_head *done)
{
	struct bio *bp = r->xr_bio;
	bool busy = false;

	mtx_assert(&q->xq_mtx, MA_OWNED);
	KASSERT(r->xr_busy, ("xbd: finishing idle request %p", r));
	if (r->xr_npg != 0) {
		/* The pool's grants stay: only the data moves. */
		xbd_pgpool_unload(q->xq_pg, r->xr_pg, r->xr_npg, bp->bio_data,
		    bp->bio_length, error == 0 && bp->bio_cmd == BIO_READ);
		r->xr_npg = 0;
	}
	if (r->xr_map != NULL && r->xr_map->gm_nsegs != 0)
		busy = gnttab_dmamap_unload(r->xr_map) == EBUSY;
	if (busy)
		/* The backend still maps a page: never reuse it (leaked). */
		q->xq_sc->sc_busy_unloads++;
	if (r->xr_bounce != NULL) {
		if (error == 0 && bp->bio_cmd == BIO_READ && !busy)
			memcpy(bp->bio_data, r->xr_bounce, bp->bio_length);
		if (!busy)
			phys_free_contig(DMAP_TO_PHYS((vm_offset_t)r->xr_bounce),
			    r->xr_bounce_pages);
		r->xr_bounce = NULL;
	}
	if (busy && error == 0)
		error = EIO;
	bp->bio_error = error;
	bp->bio_resid = error != 0 ? bp->bio_length : 0;
	bioq_insert_tail(done, bp);
	r->xr_bio = NULL;
	r->xr_busy = false;
	r->xr_next = q->xq_free;
	q->xq_free = r;
}

/*
 * Grants bp's data through r's map (directly, or through a bounce copy)
 * and fills the segment list.  EAGAIN: no memory or references right now,
 * try again after a completion.
 */
static int
xbd_load(struct xbd_queue *q, struct xbd_req *r, struct bio *bp,
    struct xbd_segbuf *sb, u_int *nsegsp)
{
	struct gnttab_dmamap *m = r->xr_map;
	int flags = bp->bio_cmd == BIO_WRITE ? GNTTAB_DMA_RO : GNTTAB_DMA_RW;
	int error = E2BIG;

	if (q->xq_pg != NULL) {
		/* d_maxsize keeps a bio within one request's pages. */
		u_int n = (u_int)howmany(bp->bio_length, PAGE_SIZE);

		KASSERT(n <= nitems(sb->segs), ("xbd: %u pool pages", n));
		error = xbd_pgpool_load(q->xq_pg, bp->bio_data, bp->bio_length,
		    bp->bio_cmd == BIO_WRITE, r->xr_pg, sb->segs);
		if (error != 0)
			return (EAGAIN);
		r->xr_npg = n;
		*nsegsp = n;
		return (0);
	}
	if (((uintptr_t)bp->bio_data & 511) == 0)
		error = gnttab_dmamap_load(m, bp->bio_data, bp->bio_length,
		    flags);
	if (error == E2BIG) {
		u_int npages = howmany(bp->bio_length, PAGE_SIZE);
		vm_paddr_t pa = phys_alloc_contig(npages, 0, DMAP_BOOT_SIZE);

		if (pa == PHYS_NONE)
			return (EAGAIN);
		r->xr_bounce = (void *)PHYS_TO_DMAP(pa);
		r->xr_bounce_pages = npages;
		q->xq_bounced++;
		if (bp->bio_cmd == BIO_WRITE)
			memcpy(r->xr_bounce, bp->bio_data, bp->bio_length);
		error = gnttab_dmamap_load(m, r->xr_bounce, bp->bio_length,
		    flags);
	}
	if (error != 0) {
		if (r->xr_bounce != NULL) {
			phys_free_contig(DMAP_TO_PHYS((vm_offset_t)r->xr_bounce),
			    r->xr_bounce_pages);
			r->xr_bounce = NULL;
		}
		/* EBUSY: the map's earlier pages are not back yet. */
		return (error == EBUSY ? EAGAIN : error);
	}
	KASSERT(m->gm_nsegs <= nitems(sb->segs),
	    ("xbd: %u segments loaded", m->gm_nsegs));
	for (u_int i = 0; i < m->gm_nsegs; i++) {
		const struct gnttab_seg *s = &m->gm_segs[i];

		KASSERT(((s->gs_offset | s->gs_len) & 511) == 0 && s->gs_len > 0,
		    ("xbd: segment %u at %u+%u not in sectors", i, s->gs_offset,
		    s->gs_len));
		sb->segs[i].gref = s->gs_ref;
		sb->segs[i].first_sect = (uint8_t)(s->gs_offset / 512);
		sb->segs[i].last_sect =
		    (uint8_t)((s->gs_offset + s->gs_len) / 512 - 1);
	}
	*nsegsp = m->gm_nsegs;
	return (0);
}

/* r now carries bp as ring request id; its response finds r by id. */
static void
xbd_req_bind(struct xbd_queue *q, struct xbd_req *r, struct bio *bp,
    uint16_t id)
{
	mtx_assert(&q->xq_mtx, MA_OWNED);
	KASSERT(q->xq_byid[id] == NULL || !q->xq_byid[id]->xr_busy,
	    ("xbd: ring id %u given twice", id));
	r->xr_bio = bp;
	r->xr_id = id;
	r->xr_busy = true;
	q->xq_byid[id] = r;
	q->xq_requests++;
}

/* Publishes what was queued; notifies the backend when it asked to be. */
static void
xbd_push(struct xbd_queue *q)
{
	mtx_assert(&q->xq_mtx, MA_OWNED);
	if (blkring_push(q->xq_ring)) {
		q->xq_notifies++;
		evtchn_notify(q->xq_evtchn);
	}
}

/* Turns bp into a queued ring request on r; 0, EAGAIN or bp's error. */
static int
xbd_issue(struct xbd_queue *q, struct xbd_req *r, struct bio *bp,
    struct xbd_segbuf *sb)
{
	struct blkring *ring = q->xq_ring;
	struct blkring_io io;
	uint16_t id;
	u_int nsegs = 0;
	int error;

	mtx_assert(&q->xq_mtx, MA_OWNED);
	memset(&io, 0, sizeof(io));
	io.sector = (blkif_sector_t)bp->bio_offset / 512;
	switch (bp->bio_cmd) {
	case BIO_READ:
	case BIO_WRITE:
		io.op = bp->bio_cmd == BIO_READ ? BLKIF_OP_READ : BLKIF_OP_WRITE;
		if ((error = xbd_load(q, r, bp, sb, &nsegs)) != 0)
			return (error);
		io.segs = sb->segs;
		io.nsegs = nsegs;
		if (nsegs > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
			io.n_ind_pages = howmany(nsegs,
			    BLKRING_SEGS_PER_INDIRECT_PAGE);
			KASSERT(io.n_ind_pages <= r->xr_nind,
			    ("xbd: %u indirect pages, have %u", io.n_ind_pages,
			    r->xr_nind));
			for (u_int i = 0; i < io.n_ind_pages; i++)
				sb->ind_grefs[i] = r->xr_indmap->gm_segs[i].gs_ref;
			io.ind_pages = r->xr_ind;
			io.ind_grefs = sb->ind_grefs;
		}
		break;
	case BIO_FLUSH:
		/* A barrier with no data orders and flushes just the same. */
		io.op = (ring->features & BLKRING_F_FLUSH) != 0 ?
		    BLKIF_OP_FLUSH_DISKCACHE : BLKIF_OP_WRITE_BARRIER;
		break;
	case BIO_DISCARD:
		io.op = BLKIF_OP_DISCARD;
		io.nr_sectors = bp->bio_length / 512;
		break;
	default:
		return (EOPNOTSUPP);
	}
	error = blkring_queue(ring, &io, &id);
	if (error != 0) {
		r->xr_bio = bp;
		r->xr_busy = true;
		r->xr_next = NULL;
		/* Undo the load; the caller completes bp with error. */
		if (r->xr_npg != 0) {
			xbd_pgpool_unload(q->xq_pg, r->xr_pg, r->xr_npg, NULL, 0,
			    false);
			r->xr_npg = 0;
		}
		if (r->xr_map != NULL && r->xr_map->gm_nsegs != 0)
			(void)gnttab_dmamap_unload(r->xr_map);
		if (r->xr_bounce != NULL) {
			phys_free_contig(DMAP_TO_PHYS((vm_offset_t)r->xr_bounce),
			    r->xr_bounce_pages);
			r->xr_bounce = NULL;
		}
		r->xr_bio = NULL;
		r->xr_busy = false;
		KASSERT(error != EAGAIN, ("xbd: ring full with a free request"));
		return (error);
	}
	xbd_req_bind(q, r, bp, id);
	return (0);
}

/* Moves waiting bios onto the ring while requests are free; notifies. */
static void
xbd_start(struct xbd_queue *q, struct bio_queue_head *done)
{
	struct xbd_segbuf *sb = q->xq_sb;
	struct xbd_req *r;
	struct bio *bp;
	int error;

	mtx_assert(&q->xq_mtx, MA_OWNED);
	if (!q->xq_running)
		return;
	while ((bp = bioq_first(&q->xq_bioq)) != NULL &&
	    (r = q->xq_free) != NULL) {
		error = xbd_issue(q, r, bp, sb);
		if (error == EAGAIN && blkring_inflight(q->xq_ring) > 0)
			break;		/* a completion will call us again */
		if (error == EAGAIN)
			error = ENOMEM;
		bioq_remove(&q->xq_bioq, bp);
		if (error != 0) {
			bp->bio_error = error;
			bp->bio_resid = bp->bio_length;
			bioq_insert_tail(done, bp);
			continue;
		}
		q->xq_free = r->xr_next;
		r->xr_next = NULL;
	}
	xbd_push(q);
}

struct xbd_done_ctx {
	struct xbd_queue	*q;
	struct bio_queue_head	*done;
};

static void
xbd_done_cb(void *arg, const struct blkring_done *d)
{
	struct xbd_done_ctx *c = arg;
	struct xbd_req *r = c->q->xq_byid[d->id];

	/* blkring_consume only passes ids it had in flight. */
	KASSERT(r != NULL && r->xr_busy && r->xr_id == d->id,
	    ("xbd: response id %u has no request", d->id));
	c->q->xq_byid[d->id] = NULL;
	xbd_req_finish(c->q, r, d->error, c->done);
}

/* Fails every request and waiting bio of q; the ring is not used again. */
static void
xbd_queue_kill(struct xbd_queue *q, int error, struct bio_queue_head *done)
{
	struct bio *bp;

	mtx_assert(&q->xq_mtx, MA_OWNED);
	q->xq_running = false;
	for (u_int i = 0; i < q->xq_nreqs; i++) {
		struct xbd_req *r = &q->xq_reqs[i];

		if (r->xr_busy) {
			q->xq_byid[r->xr_id] = NULL;
			xbd_req_finish(q, r, error, done);
		}
	}
	while ((bp = bioq_takefirst(&q->xq_bioq)) != NULL) {
		bp->bio_error = error;
		bp->bio_resid = bp->bio_length;
		bioq_insert_tail(done, bp);
	}
}

void
xbd_queue_fail_all(struct xbd_queue *q, int error)
{
	struct bio_queue_head done;

	if (q->xq_mtx.mtx_name == NULL)
		return;
	bioq_init(&done);
	mtx_lock_spin(&q->xq_mtx);
	xbd_queue_kill(q, error, &done);
	mtx_unlock_spin(&q->xq_mtx);
	xbd_complete_list(&done);
}

/*
 * The event handler (late EOI: the port stays masked until the end, so a
 * backend raising it in a loop costs one pass per EOI, XSA-391).
 */
void
xbd_intr(void *arg)
{
	struct xbd_queue *q = arg;
	struct xbd_softc *sc = q->xq_sc;
	struct bio_queue_head done;
	struct xbd_done_ctx c = { q, &done };
	bool fatal = false;
	int error;

	bioq_init(&done);
	mtx_lock_spin(&q->xq_mtx);
	q->xq_events++;
	if (q->xq_reqs != NULL && !q->xq_ring->dead) {
		error = blkring_consume(q->xq_ring, xbd_done_cb, &c);
		if (error != 0) {
			sc->sc_proto_errors++;
			xbd_queue_kill(q, EIO, &done);
			fatal = true;
		} else
			xbd_start(q, &done);
	}
	mtx_unlock_spin(&q->xq_mtx);
	xbd_complete_list(&done);
	if (fatal)
		xenbus_closer_raise(&sc->sc_closer);
	evtchn_eoi(q->xq_evtchn);
}

void
xbd_strategy(struct bio *bp)
{
	struct xbd_softc *sc = bp->bio_disk->d_drv1;
	struct bio_queue_head done;
	struct xbd_queue *q;
	u_int n = atomic_fetchadd_int(&sc->sc_rr, 1);

	q = &sc->sc_queues[n % sc->sc_nqueues];
	bioq_init(&done);
	mtx_lock_spin(&q->xq_mtx);
	if (!q->xq_running) {
		bp->bio_error = ENXIO;
		bp->bio_resid = bp->bio_length;
		bioq_insert_tail(&done, bp);
	} else {
		bioq_insert_tail(&q->xq_bioq, bp);
		xbd_start(q, &done);
	}
	mtx_unlock_spin(&q->xq_mtx);
	xbd_complete_list(&done);
}

int
xbd_queue_raw(struct xbd_queue *q, const struct blkif_request *req,
    struct bio *bp)
{
	struct xbd_req *r;
	uint16_t id;
	int error;

	mtx_lock_spin(&q->xq_mtx);
	if (!q->xq_running)
		error = ENXIO;
	else if ((r = q->xq_free) == NULL)
		error = EAGAIN;
	else if ((error = blkring_queue_raw(q->xq_ring, req, &id)) == 0) {
		/* Nothing of ours is loaded: completion ends no grant. */
		q->xq_free = r->xr_next;
		r->xr_next = NULL;
		xbd_req_bind(q, r, bp, id);
		xbd_push(q);
	}
	mtx_unlock_spin(&q->xq_mtx);
	return (error);
}

/* A map's deferred pages came back: bios waiting for it may go. */
static void
xbd_map_released(void *arg)
{
	struct xbd_queue *q = arg;
	struct bio_queue_head done;

	bioq_init(&done);
	mtx_lock_spin(&q->xq_mtx);
	xbd_start(q, &done);
	mtx_unlock_spin(&q->xq_mtx);
	xbd_complete_list(&done);
}

int
xbd_queue_alloc_ring(struct xbd_queue *q, u_int order)
{
	struct xbd_softc *sc = q->xq_sc;
	u_int npages = 1u << order;
	int error;

	KASSERT(q->xq_sring == NULL, ("xbd: queue %u has a ring", q->xq_index));
	if (q->xq_mtx.mtx_name == NULL)
		mtx_init(&q->xq_mtx, "xbd queue", NULL, MTX_SPIN);
	bioq_init(&q->xq_bioq);
	q->xq_sring_pa = phys_alloc_contig(npages, 0, DMAP_BOOT_SIZE);
	if (q->xq_sring_pa == PHYS_NONE)
		return (ENOMEM);
	q->xq_sring = (blkif_sring_t *)PHYS_TO_DMAP(q->xq_sring_pa);
	memset(q->xq_sring, 0, (size_t)npages * PAGE_SIZE);
	if (q->xq_ring == NULL)
		q->xq_ring = malloc(sizeof(*q->xq_ring), M_XBD,
		    M_WAITOK | M_ZERO);
	/* Features and indirect segments are known at connect. */
	error = blkring_init(q->xq_ring, q->xq_sring, order, 0, 0, 0);
	if (error == 0)
		error = gnttab_dmamap_create(sc->sc_otherend, npages, NULL,
		    NULL, &q->xq_ringmap);
	if (error == 0)
		error = gnttab_dmamap_load(q->xq_ringmap, q->xq_sring,
		    (size_t)npages * PAGE_SIZE, GNTTAB_DMA_RW);
	if (error == 0)
		error = evtchn_alloc_unbound(sc->sc_otherend, xbd_intr, q,
		    EVTCHN_BIND_LATE_EOI, &q->xq_evtchn);
	if (error != 0)
		xbd_queue_teardown(q);
	return (error);
}

int
xbd_queue_connect(struct xbd_queue *q, const struct blkneg *n)
{
	struct xbd_softc *sc = q->xq_sc;
	u_int nind = n->indirect_segs == 0 ? 0 :
	    howmany(n->indirect_segs, BLKRING_SEGS_PER_INDIRECT_PAGE);
	u_int nreqs = MIN(n->ring_entries, XBD_MAX_REQS);
	int error;

	nreqs = MIN(nreqs, MAX(1, XBD_GREF_BUDGET / (MAX(n->queues, 1) *
	    (n->max_segs + nind))));

	KASSERT(q->xq_reqs == NULL, ("xbd: queue %u connected twice",
	    q->xq_index));
	KASSERT(n->max_segs <= XBD_INDIRECT_SEGS || n->indirect_segs == 0,
	    ("xbd: %u segments negotiated", n->max_segs));
	error = blkring_init(q->xq_ring, q->xq_sring, n->ring_order,
	    n->features, n->indirect_segs, 0);
	if (error != 0)
		return (error);
	if (q->xq_sb == NULL)
		q->xq_sb = malloc(sizeof(*q->xq_sb), M_XBD, M_WAITOK | M_ZERO);
	q->xq_reqs = mallocarray(nreqs, sizeof(*q->xq_reqs), M_XBD,
	    M_WAITOK | M_ZERO);
	q->xq_nreqs = nreqs;
	/* Enough pages for every request at its largest, taken as needed. */
	if (n->persistent && (error = xbd_pgpool_create(sc->sc_otherend,
	    nreqs * n->max_segs, &q->xq_pg)) != 0)
		goto fail;
	for (u_int i = 0; i < nreqs; i++) {
		struct xbd_req *r = &q->xq_reqs[i];

		if (n->persistent)
			r->xr_pg = mallocarray(n->max_segs, sizeof(*r->xr_pg),
			    M_XBD, M_WAITOK | M_ZERO);
		else
			error = gnttab_dmamap_create(sc->sc_otherend,
			    n->max_segs, xbd_map_released, q, &r->xr_map);
		if (error != 0)
			goto fail;
		if (nind > 0) {
			vm_paddr_t pa = phys_alloc_contig(nind, 0,
			    DMAP_BOOT_SIZE);

			if (pa == PHYS_NONE) {
				error = ENOMEM;
				goto fail;
			}
			for (u_int j = 0; j < nind; j++)
				r->xr_ind[j] = (void *)PHYS_TO_DMAP(pa +
				    ptoa(j));
			r->xr_nind = nind;
			/*
			 * Indirect pages stay granted while connected:
			 * read-only, unless blkback maps them persistently
			 * (always writable then).
			 */
			error = gnttab_dmamap_create(sc->sc_otherend, nind, NULL,
			    NULL, &r->xr_indmap);
			if (error == 0)
				error = gnttab_dmamap_load(r->xr_indmap,
				    r->xr_ind[0], ptoa(nind), n->persistent ?
				    GNTTAB_DMA_RW : GNTTAB_DMA_RO);
			if (error != 0)
				goto fail;
		}
		r->xr_next = q->xq_free;
		q->xq_free = r;
	}
	memset(q->xq_byid, 0, sizeof(q->xq_byid));
	mtx_lock_spin(&q->xq_mtx);
	q->xq_running = true;
	mtx_unlock_spin(&q->xq_mtx);
	return (0);
fail:
	xbd_queue_teardown(q);
	return (error);
}

void
xbd_queue_teardown(struct xbd_queue *q)
{
	struct xbd_softc *sc = q->xq_sc;

	/* No handler runs on q once its port is gone. */
	if (q->xq_evtchn != NULL)
		evtchn_unbind(&q->xq_evtchn);
	xbd_queue_fail_all(q, EIO);
	for (u_int i = 0; q->xq_reqs != NULL && i < q->xq_nreqs; i++) {
		struct xbd_req *r = &q->xq_reqs[i];
		bool indbusy = false;

		if (r->xr_indmap != NULL) {
			if (r->xr_indmap->gm_nsegs != 0)
				indbusy = gnttab_dmamap_unload(r->xr_indmap) ==
				    EBUSY;
			if (gnttab_dmamap_destroy(r->xr_indmap) != 0)
				indbusy = true;
		}
		if (r->xr_nind > 0 && !indbusy)
			phys_free_contig(DMAP_TO_PHYS((vm_offset_t)r->xr_ind[0]),
			    r->xr_nind);
		else if (indbusy)
			sc->sc_busy_unloads++;
		/*
		 * A map with pages still out stays allocated (leaked), and
		 * must not call back into this queue when they come back.
		 */
		if (r->xr_map != NULL && gnttab_dmamap_destroy(r->xr_map) != 0) {
			r->xr_map->gm_release = NULL;
			sc->sc_busy_unloads++;
		}
		if (r->xr_pg != NULL)
			free(r->xr_pg, M_XBD);
	}
	/*
	 * Every request is done, so every pool page is back; the backend
	 * may still map them until it disconnects: the grant KPI defers
	 * those and the pool frees them once it lets go.
	 */
	if (q->xq_pg != NULL) {
		sc->sc_pg_deferred += xbd_pgpool_destroy(q->xq_pg);
		q->xq_pg = NULL;
	}
	if (q->xq_reqs != NULL)
		free(q->xq_reqs, M_XBD);
	q->xq_reqs = NULL;
	q->xq_nreqs = 0;
	q->xq_free = NULL;
	if (q->xq_ringmap != NULL) {
		bool busy = q->xq_ringmap->gm_nsegs != 0 &&
		    gnttab_dmamap_unload(q->xq_ringmap) == EBUSY;

		if (busy || gnttab_dmamap_destroy(q->xq_ringmap) != 0) {
			/* The backend still maps the ring: keep its pages. */
			sc->sc_busy_unloads++;
			q->xq_sring_pa = PHYS_NONE;
		}
		q->xq_ringmap = NULL;
	}
	if (q->xq_sring_pa != PHYS_NONE)
		phys_free_contig(q->xq_sring_pa,
		    1u << q->xq_ring->order);
	q->xq_sring = NULL;
	q->xq_sring_pa = PHYS_NONE;
}

u_int
xbd_outstanding(struct xbd_softc *sc)
{
	u_int n = 0;

	for (u_int i = 0; i < sc->sc_nqueues; i++) {
		struct xbd_queue *q = &sc->sc_queues[i];

		if (q->xq_reqs == NULL)
			continue;
		mtx_lock_spin(&q->xq_mtx);
		n += blkring_inflight(q->xq_ring) + q->xq_bioq.count;
		mtx_unlock_spin(&q->xq_mtx);
	}
	return (n);
}

void
xbd_disk_init(struct xbd_softc *sc)
{
	struct disk *dp = &sc->sc_disk;
	const struct blkneg *n = &sc->sc_neg;

	memset(dp, 0, sizeof(*dp));
	dp->d_name = "xbd";
	dp->d_unit = (u_int)device_get_unit(sc->sc_dev);
	dp->d_sectorsize = n->sector_size;
	dp->d_mediasize = (off_t)n->media_size;
	dp->d_maxsize = (size_t)n->max_segs * PAGE_SIZE;
	dp->d_flags = 0;
	if (n->readonly)
		dp->d_flags |= DISKFLAG_RDONLY;
	if ((n->features & (BLKRING_F_FLUSH | BLKRING_F_BARRIER)) != 0)
		dp->d_flags |= DISKFLAG_CANFLUSH;
	if ((n->features & BLKRING_F_DISCARD) != 0)
		dp->d_flags |= DISKFLAG_CANDISCARD;
	dp->d_qdepth = 0;
	for (u_int i = 0; i < sc->sc_nqueues; i++)
		dp->d_qdepth += sc->sc_queues[i].xq_nreqs;
	dp->d_strategy = xbd_strategy;
	dp->d_drv1 = sc;
}
