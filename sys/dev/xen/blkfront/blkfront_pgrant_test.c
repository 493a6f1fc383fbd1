/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xbd(4)'s data path with persistent grants, against a backend played by
 * the test on a queue whose grants go to our own domain: what Xen copies
 * through the request's grants (GNTTABOP_copy, the independent reference)
 * is the bio's data, the grants are writable and outlive the request, the
 * next request reuses them, a read's data comes back through them, an
 * unaligned buffer is not bounced, an indirect request's page is writable
 * too, and teardown ends every grant.  The real blkback's side is checked
 * in the lab (domu-blkfeat, domu-blk).
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <dev/xen/blkfront/blkfront_ktest.h>
#include <dev/xen/blkfront/blkfront_var.h>
#include <machine/atomic.h>
#include <machine/vmparam.h>

#include <xen/gnttab.h>
#include <xen/xen_ktest.h>
#include <xen/xenstore.h>

MALLOC_DECLARE(M_XBD);

static struct {
	u_int		calls;
	int		error;
} xbdpt_done;

static void
xbdpt_done_cb(struct bio *bp)
{
	xbdpt_done.calls++;
	xbdpt_done.error = bp->bio_error;
}

static void
xbdpt_respond(blkif_sring_t *sr, u_int entries, RING_IDX *prod, uint64_t id,
    uint8_t op)
{
	struct blkif_response rsp;

	memset(&rsp, 0, sizeof(rsp));
	rsp.id = id;
	rsp.operation = op;
	rsp.status = BLKIF_RSP_OKAY;
	sr->ring[*prod & (entries - 1)].rsp = rsp;
	wmb();
	sr->rsp_prod = ++*prod;
}

static void
xbdpt_bio(struct bio *bp, struct disk *dp, int cmd, void *buf, size_t len)
{
	memset(bp, 0, sizeof(*bp));
	bp->bio_cmd = cmd;
	bp->bio_offset = 8 * 512;
	bp->bio_length = len;
	bp->bio_data = buf;
	bp->bio_done = xbdpt_done_cb;
	bp->bio_disk = dp;
}

/* Xen copies len bytes between our grant ref and local memory. */
static int
xbdpt_copy(grant_ref_t ref, void *local, u_int len, bool from_ref)
{
	struct gnttab_copy op;
	u_long gfn = atop(pmap_kextract((vm_offset_t)local));

	memset(&op, 0, sizeof(op));
	if (from_ref) {
		op.source.u.ref = ref;
		op.dest.u.gmfn = gfn;
		op.flags = GNTCOPY_source_gref;
	} else {
		op.source.u.gmfn = gfn;
		op.dest.u.ref = ref;
		op.flags = GNTCOPY_dest_gref;
	}
	op.source.domid = op.dest.domid = DOMID_SELF;
	op.len = (uint16_t)len;
	return (gnttab_copy(&op, 1));
}

KTEST(xbd_pgrant_data_path)
{
	struct xbd_softc *sc;
	struct xbd_queue *q;
	struct xbd_pgstats st;
	struct blkneg n;
	struct disk d;
	struct bio b;
	struct blkif_request req;
	struct blkif_request_indirect ireq;
	blkif_sring_t *sr;
	RING_IDX prod = 0;
	vm_paddr_t pa;
	uint8_t *buf, *peer;
	grant_ref_t wref, iref;
	u_int dom = 0, entries, bad;
	int error;

	KT_REQUIRE_XEN();
	if (!xs_ready() || xs_domid(&dom) != 0)
		KT_SKIP("no domain id (no xenstore)");
	error = xbdt_softc_new((domid_t)dom, &sc);
	q = &sc->sc_queues[0];
	KT_ASSERT(error == 0, "ring: %d", error);
	entries = blkring_entries(0);
	memset(&n, 0, sizeof(n));
	n.ring_pages = 1;
	n.ring_entries = entries;
	n.queues = 1;
	n.indirect_segs = 32;
	n.max_segs = 32;
	n.sector_size = 512;
	n.persistent_offer = n.persistent = true;
	error = xbd_queue_connect(q, &n);
	KT_CHECK(error == 0 && q->xq_pg != NULL, "connect: %d, pool %p", error,
	    q->xq_pg);
	sr = q->xq_sring;
	memset(&d, 0, sizeof(d));
	d.d_drv1 = sc;
	pa = phys_alloc_contig(18, 0, DMAP_BOOT_SIZE);
	KT_ASSERT(pa != PHYS_NONE, "no pages");
	buf = (uint8_t *)PHYS_TO_DMAP(pa);
	peer = buf + ptoa(17);
	memset(&xbdpt_done, 0, sizeof(xbdpt_done));

	/* An unaligned 1 KiB write: one segment, data in a pool page. */
	for (u_int i = 0; i < 1024; i++)
		buf[16 + i] = (uint8_t)(i * 7 + 1);
	xbdpt_bio(&b, &d, BIO_WRITE, buf + 16, 1024);
	xbd_strategy(&b);
	rmb();
	req = sr->ring[0].req;
	wref = req.seg[0].gref;
	KT_CHECK(sr->req_prod == 1 && req.operation == BLKIF_OP_WRITE &&
	    req.nr_segments == 1 && req.seg[0].first_sect == 0 &&
	    req.seg[0].last_sect == 1, "write: req_prod %u op %u segs %u "
	    "sects %u-%u", sr->req_prod, req.operation, req.nr_segments,
	    req.seg[0].first_sect, req.seg[0].last_sect);
	KT_CHECK((gnttab_entry_flags(wref) & (GTF_permit_access |
	    GTF_readonly)) == GTF_permit_access,
	    "write's pool page granted with flags %#x (want writable: blkback "
	    "maps persistent grants read-write)", gnttab_entry_flags(wref));
	memset(peer, 0, PAGE_SIZE);
	error = xbdpt_copy(wref, peer, 1024, true);
	bad = 0;
	for (u_int i = 0; i < 1024; i++)
		if (peer[i] != (uint8_t)(i * 7 + 1))
			bad++;
	KT_CHECK(error == 0 && bad == 0, "Xen reads %u wrong bytes through "
	    "the grant (copy %d)", bad, error);
	KT_CHECK(q->xq_bounced == 0, "unaligned buffer bounced %ju times",
	    (uintmax_t)q->xq_bounced);
	xbdpt_respond(sr, entries, &prod, req.id, BLKIF_OP_WRITE);
	xbd_intr(q);
	KT_CHECK(xbdpt_done.calls == 1 && xbdpt_done.error == 0,
	    "write: %u completions, error %d", xbdpt_done.calls,
	    xbdpt_done.error);
	KT_CHECK((gnttab_entry_flags(wref) & GTF_permit_access) != 0,
	    "the pool page's grant ended with its request");

	/* A read reuses that grant; the backend's data reaches the bio. */
	xbdpt_bio(&b, &d, BIO_READ, buf + 512, PAGE_SIZE);
	xbd_strategy(&b);
	rmb();
	req = sr->ring[1].req;
	KT_CHECK(sr->req_prod == 2 && req.operation == BLKIF_OP_READ &&
	    req.seg[0].gref == wref && req.seg[0].last_sect == 7,
	    "read: req_prod %u op %u ref %u (want %u again) sects %u-%u",
	    sr->req_prod, req.operation, req.seg[0].gref, wref,
	    req.seg[0].first_sect, req.seg[0].last_sect);
	for (u_int i = 0; i < PAGE_SIZE; i++)
		peer[i] = (uint8_t)(i * 3 + 9);
	error = xbdpt_copy(req.seg[0].gref, peer, PAGE_SIZE, false);
	KT_CHECK(error == 0, "backend's copy into the grant: %d", error);
	xbdpt_respond(sr, entries, &prod, req.id, BLKIF_OP_READ);
	xbd_intr(q);
	bad = 0;
	for (u_int i = 0; i < PAGE_SIZE; i++)
		if (buf[512 + i] != (uint8_t)(i * 3 + 9))
			bad++;
	KT_CHECK(xbdpt_done.calls == 2 && xbdpt_done.error == 0 && bad == 0,
	    "read: %u completions, error %d, %u bytes wrong", xbdpt_done.calls,
	    xbdpt_done.error, bad);

	/* 64 KiB: indirect; its page writable too, data in every segment. */
	for (u_int i = 0; i < ptoa(16); i++)
		buf[i] = (uint8_t)(i / PAGE_SIZE + 0x40);
	xbdpt_bio(&b, &d, BIO_WRITE, buf, ptoa(16));
	xbd_strategy(&b);
	rmb();
	/* The ring entry holds any request kind; copy it as the indirect. */
	memcpy(&ireq, &sr->ring[2].req, sizeof(ireq));
	iref = ireq.indirect_grefs[0];
	KT_CHECK(sr->req_prod == 3 && ireq.operation == BLKIF_OP_INDIRECT &&
	    ireq.indirect_op == BLKIF_OP_WRITE && ireq.nr_segments == 16,
	    "indirect: req_prod %u op %u/%u segs %u", sr->req_prod,
	    ireq.operation, ireq.indirect_op, ireq.nr_segments);
	KT_CHECK((gnttab_entry_flags(iref) & (GTF_permit_access |
	    GTF_readonly)) == GTF_permit_access,
	    "indirect page granted with flags %#x", gnttab_entry_flags(iref));
	bad = 0;
	for (u_int s = 0; s < 16 && q->xq_reqs != NULL; s++) {
		const struct blkif_request_segment *seg = NULL;

		for (u_int r = 0; r < q->xq_nreqs; r++)
			if (q->xq_reqs[r].xr_busy)
				seg = &q->xq_reqs[r].xr_ind[0][s];
		if (seg == NULL || xbdpt_copy(seg->gref, peer, PAGE_SIZE,
		    true) != 0) {
			bad++;
			continue;
		}
		for (u_int i = 0; i < PAGE_SIZE; i++)
			if (peer[i] != (uint8_t)(s + 0x40)) {
				bad++;
				break;
			}
	}
	KT_CHECK(bad == 0, "%u of 16 indirect segments carry other data", bad);
	xbdpt_respond(sr, entries, &prod, ireq.id, BLKIF_OP_WRITE);
	xbd_intr(q);
	KT_CHECK(xbdpt_done.calls == 3 && xbdpt_done.error == 0,
	    "indirect write: %u completions, error %d", xbdpt_done.calls,
	    xbdpt_done.error);
	xbd_pgpool_stats(q->xq_pg, &st);
	KT_CHECK(st.pages == 16 && st.misses == 16 && st.hits == 2 &&
	    st.free == 16 && st.max == q->xq_nreqs * 32,
	    "pool: %u pages (max %u), %ju misses, %ju hits, %u free", st.pages,
	    st.max, (uintmax_t)st.misses, (uintmax_t)st.hits, st.free);

	xbd_queue_teardown(q);
	KT_CHECK(q->xq_pg == NULL && gnttab_entry_flags(wref) == 0 &&
	    sc->sc_pg_deferred == 0, "after teardown: pool %p, grant %u flags "
	    "%#x, %ju deferred", q->xq_pg, wref, gnttab_entry_flags(wref),
	    (uintmax_t)sc->sc_pg_deferred);
	free(q->xq_ring, M_XBD);
	free(q->xq_sb, M_XBD);
	mtx_destroy(&q->xq_mtx);
	xenbus_closer_fini(&sc->sc_closer);
	free(sc, M_TEMP);
	phys_free_contig(pa, 18);
	KT_NOTE_OK("write, read, indirect write through %u pool pages: %ju "
	    "misses, %ju hits", st.pages, (uintmax_t)st.misses,
	    (uintmax_t)st.hits);
}
