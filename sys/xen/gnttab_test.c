/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Grant tables against the real hypervisor.  Xen itself is the checking
 * peer: GNTTABOP_copy through one of our grants (granted to our own domain
 * id) only works if Xen finds the entry in the frame it mapped for us, with
 * the right frame and permissions, and a mapping of our own grant sets
 * GTF_reading/GTF_writing as a backend's would.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/vmparam.h>
#include <x86/xen/xen_hooks.h>

#include <xen/gnttab.h>
#include <xen/xen_ktest.h>
#include <xen/xenstore.h>

static char *
ktest_pages(u_int n)
{
	vm_paddr_t pa = phys_alloc_contig(n, 0, DMAP_BOOT_SIZE);

	if (pa == PHYS_NONE)
		return (NULL);
	memset((void *)PHYS_TO_DMAP(pa), 0, ptoa(n));
	return ((char *)PHYS_TO_DMAP(pa));
}

static void
ktest_pages_free(char *p, u_int n)
{
	phys_free_contig(DMAP_TO_PHYS((vm_offset_t)p), n);
}

static u_long
gfn_of(const void *p)
{
	return (atop(pmap_kextract((vm_offset_t)p)));
}

/* Our own domain id: the one a grant must name for us to copy through it. */
static bool
self_domid(domid_t *d)
{
	u_int id;

	if (xen_initial_domain()) {
		*d = 0;		/* dom0, whose xenstore may not be up */
		return (true);
	}
	if (!xs_ready() || xs_domid(&id) != 0)
		return (false);
	*d = (domid_t)id;
	return (true);
}

/* Xen copies len bytes of src (at off) into our grant ref (at off). */
static int
copy_into_ref(const char *src, grant_ref_t ref, u_int off, u_int len,
    int16_t *st)
{
	struct gnttab_copy op;
	int error;

	memset(&op, 0, sizeof(op));
	op.source.u.gmfn = gfn_of(src);
	op.source.domid = DOMID_SELF;
	op.source.offset = (uint16_t)off;
	op.dest.u.ref = ref;
	op.dest.domid = DOMID_SELF;
	op.dest.offset = (uint16_t)off;
	op.len = (uint16_t)len;
	op.flags = GNTCOPY_dest_gref;
	error = gnttab_copy(&op, 1);
	*st = op.status;
	return (error);
}

KTEST(gnttab_table_outside_ram)
{
	struct gnttab_stats st;
	vm_size_t len;

	KT_REQUIRE_XEN();
	gnttab_get_stats(&st);
	KT_ASSERT(st.nr_frames >= 1 && st.nr_frames <= st.max_frames,
	    "%u of %u frames", st.nr_frames, st.max_frames);
	len = ptoa(st.max_frames);
	for (int i = 0; i < phys_memmap.count; i++) {
		const struct memmap_entry *e = &phys_memmap.ent[i];

		KT_ASSERT(st.table_pa + len <= e->base ||
		    e->base + e->len <= st.table_pa, "table %#lx+%#lx overlaps "
		    "map entry %#lx+%#lx type %u", (u_long)st.table_pa,
		    (u_long)len, (u_long)e->base, (u_long)e->len, e->type);
	}
	KT_NOTE("%u of %u frames at %#lx, %u free, %u in use", st.nr_frames,
	    st.max_frames, (u_long)st.table_pa, st.free, st.in_use);
}

KTEST(gnttab_copy_through_own_grant)
{
	char *src, *dst;
	grant_ref_t rw, ro;
	domid_t self;
	int16_t status;
	int error;
	u_int bad = 0;

	KT_REQUIRE_XEN();
	if (!self_domid(&self))
		KT_SKIP("no domain id (no xenstore)");
	KT_ASSERT((src = ktest_pages(2)) != NULL, "no pages");
	dst = src + PAGE_SIZE;
	for (u_int i = 0; i < PAGE_SIZE; i++)
		src[i] = (char)(i * 13 + 5);
	error = gnttab_grant_access(NULL, self, gfn_of(dst), false, &rw);
	if (!KT_CHECK(error == 0, "grant: %d", error))
		goto out;
	error = copy_into_ref(src, rw, 100, 3000, &status);
	KT_CHECK(error == 0, "copy into our grant: %d (status %d)", error,
	    status);
	for (u_int i = 0; i < PAGE_SIZE; i++)
		if (dst[i] != (i >= 100 && i < 3100 ? src[i] : 0))
			bad++;
	KT_CHECK(bad == 0, "%u bytes wrong after the copy", bad);
	KT_CHECK(gnttab_end_access(rw) == 0, "end rw");
	/* Xen must refuse to write through a read-only grant (general error). */
	error = gnttab_grant_access(NULL, self, gfn_of(dst), true, &ro);
	if (!KT_CHECK(error == 0, "grant ro: %d", error))
		goto out;
	memset(dst, 0, PAGE_SIZE);
	error = copy_into_ref(src, ro, 0, 64, &status);
	KT_CHECK(error != 0 && status == GNTST_general_error,
	    "copy into a read-only grant: %d status %d", error, status);
	KT_CHECK(dst[1] == 0, "read-only page written");
	KT_CHECK(gnttab_end_access(ro) == 0, "end ro");
	/* Nor through a reference whose access has ended. */
	error = copy_into_ref(src, ro, 0, 64, &status);
	KT_CHECK(error != 0 && dst[1] == 0, "copy through an ended grant: %d",
	    error);
out:
	ktest_pages_free(src, 2);
	KT_NOTE_OK("copied 3000 bytes through ref %u; read-only refused", rw);
}

/* Enough references to need another frame: Xen finds the grant there too. */
KTEST(gnttab_grows_and_xen_sees_new_frame)
{
	struct gnttab_stats st;
	struct gnttab_pool *pool;
	grant_ref_t *refs, hi = 0;
	char *src = NULL, *dst;
	domid_t self;
	int16_t status = 0;
	u_int frames, n, got = 0;
	int error;

	KT_REQUIRE_XEN();
	if (!self_domid(&self))
		KT_SKIP("no domain id (no xenstore)");
	gnttab_get_stats(&st);
	if (st.nr_frames == st.max_frames)
		KT_SKIP("table already at its %u frames", st.max_frames);
	frames = st.nr_frames;
	n = st.free + 1;
	refs = mallocarray(n, sizeof(*refs), M_TEMP, M_WAITOK);
	error = gnttab_reserve(n, &pool);
	if (error != 0) {
		free(refs, M_TEMP);
		KT_FAIL("reserve %u: %d", n, error);
	}
	gnttab_get_stats(&st);
	KT_CHECK(st.nr_frames == frames + 1, "%u frames after growing from %u",
	    st.nr_frames, frames);
	/* The pool holds one reference of the new frame at least. */
	for (; got < n; got++) {
		if (!KT_CHECK(gnttab_alloc(pool, &refs[got]) == 0,
		    "pool alloc %u", got))
			break;
		if (refs[got] >= frames * (PAGE_SIZE / sizeof(grant_entry_v1_t)))
			hi = refs[got];
	}
	if (!KT_CHECK(hi != 0, "no reference in the new frame"))
		goto out;
	src = ktest_pages(2);
	if (!KT_CHECK(src != NULL, "no pages"))
		goto out;
	dst = src + PAGE_SIZE;
	memset(src, 0xa5, PAGE_SIZE);
	gnttab_grant(hi, self, gfn_of(dst), false);
	error = copy_into_ref(src, hi, 0, PAGE_SIZE, &status);
	KT_CHECK(error == 0 && dst[0] == (char)0xa5 &&
	    dst[PAGE_SIZE - 1] == (char)0xa5, "copy through ref %u: %d status "
	    "%d", hi, error, status);
out:
	for (u_int i = 0; i < got; i++)
		if (refs[i] == hi)
			KT_CHECK(gnttab_end_access(hi) == 0, "end");
		else
			gnttab_free(refs[i]);
	if (src != NULL)
		ktest_pages_free(src, 2);
	gnttab_unreserve(pool);
	free(refs, M_TEMP);
	KT_NOTE_OK("%u -> %u frames, ref %u copied through", frames,
	    frames + 1, hi);
}

/* A buffer at an odd offset over three pages, filled by Xen through the map. */
KTEST(gnttab_dmamap_filled_by_xen)
{
	struct gnttab_dmamap *map = NULL;
	char *pg, *src, *buf;
	const u_int off = 3000, len = 6000;
	domid_t self;
	int16_t status;
	u_int bad = 0;
	int error;

	KT_REQUIRE_XEN();
	if (!self_domid(&self))
		KT_SKIP("no domain id (no xenstore)");
	KT_ASSERT((pg = ktest_pages(4)) != NULL, "no pages");
	src = pg;
	buf = pg + PAGE_SIZE + off;
	for (u_int i = 0; i < PAGE_SIZE; i++)
		src[i] = (char)(i ^ 0x3c);
	error = gnttab_dmamap_create(self, 3, NULL, NULL, &map);
	if (!KT_CHECK(error == 0, "create: %d", error))
		goto out;
	error = gnttab_dmamap_load(map, buf, len, GNTTAB_DMA_RW);
	if (!KT_CHECK(error == 0 && map->gm_nsegs == 3, "load: %d, %u segs",
	    error, map->gm_nsegs))
		goto out;
	for (u_int s = 0; s < map->gm_nsegs; s++) {
		const struct gnttab_seg *g = &map->gm_segs[s];

		error = copy_into_ref(src, g->gs_ref, g->gs_offset, g->gs_len,
		    &status);
		KT_CHECK(error == 0, "seg %u copy: %d status %d", s, error,
		    status);
	}
	for (u_int i = 0; i < len; i++)
		if (buf[i] != src[(off + i) % PAGE_SIZE])
			bad++;
	KT_CHECK(bad == 0, "%u of %u bytes wrong", bad, len);
	KT_CHECK(buf[-1] == 0 && buf[len] == 0, "written outside the buffer");
	KT_CHECK(gnttab_dmamap_unload(map) == 0, "unload");
out:
	if (map != NULL) {
		if (map->gm_nsegs != 0)
			(void)gnttab_dmamap_unload(map);
		KT_CHECK(gnttab_dmamap_destroy(map) == 0, "destroy");
	}
	ktest_pages_free(pg, 4);
	KT_NOTE_OK("6000 bytes at offset 3000 over 3 grants");
}

/*
 * We map our own grant as a backend would: Xen marks it in use, ending
 * access must defer it (and keep the page), and it is freed after unmap.
 * Xen 4.17 leaves a page of ours that we mapped through our own grant
 * unusable for later grant operations (they fail with GNTST_bad_page, seen
 * in the lab), so the page is never given back: one page per run.
 */
KTEST(gnttab_end_deferred_while_mapped)
{
	struct gnttab_map_grant_ref mop;
	struct gnttab_unmap_grant_ref uop;
	struct gnttab_stats before, st;
	vm_paddr_t hole;
	grant_ref_t ref;
	char *pg;
	domid_t self;
	uint16_t flags;
	int error, end;

	KT_REQUIRE_XEN();
	if (!self_domid(&self))
		KT_SKIP("no domain id (no xenstore)");
	memset(&st, 0, sizeof(st));
	KT_ASSERT((pg = ktest_pages(1)) != NULL, "no page");
	memset(pg, 0x77, PAGE_SIZE);
	pg[5] = 'G';
	error = gnttab_grant_access(NULL, self, gfn_of(pg), false, &ref);
	if (!KT_CHECK(error == 0, "grant: %d", error))
		goto out_page;
	hole = xen_hole_alloc(1);
	if (!KT_CHECK(hole != PHYS_NONE, "no hole page"))
		goto out_ref;
	memset(&mop, 0, sizeof(mop));
	mop.host_addr = hole;
	mop.flags = GNTMAP_host_map;
	mop.ref = ref;
	mop.dom = self;
	error = gnttab_map(&mop, 1);
	if (error != 0) {
		(void)gnttab_end_access(ref);
		ktest_pages_free(pg, 1);
		KT_SKIP("Xen refuses to map our own grant: %d status %d", error,
		    mop.status);
	}
	flags = gnttab_entry_flags(ref);
	KT_CHECK((flags & (GTF_reading | GTF_writing)) ==
	    (GTF_reading | GTF_writing), "flags %#x while mapped RW", flags);
	/* Xen put our page there: the mapping shows its bytes. */
	KT_CHECK(((volatile char *)PHYS_TO_DMAP(hole))[5] == 'G',
	    "mapping shows the wrong frame");
	gnttab_get_stats(&before);
	end = gnttab_end_access(ref);
	gnttab_get_stats(&st);
	KT_CHECK(end == EBUSY, "end while mapped: %d", end);
	KT_CHECK(st.deferred == before.deferred + 1, "deferred %u -> %u",
	    before.deferred, st.deferred);
	KT_CHECK((gnttab_entry_flags(ref) & GTF_permit_access) != 0,
	    "access revoked under the mapping");
	(void)gnttab_retry_deferred();
	gnttab_get_stats(&st);
	KT_CHECK(st.deferred == before.deferred + 1, "freed while still mapped");
	memset(&uop, 0, sizeof(uop));
	uop.host_addr = hole;
	uop.handle = mop.handle;
	error = gnttab_unmap(&uop, 1);
	KT_CHECK(error == 0, "unmap: %d status %d", error, uop.status);
	/*
	 * Xen no longer uses it.  The retry callout may end the reference
	 * from here on (permit_access gone too), so only the use bits count.
	 */
	flags = gnttab_entry_flags(ref);
	KT_CHECK((flags & (GTF_reading | GTF_writing)) == 0,
	    "flags %#x after unmap", flags);
	(void)gnttab_retry_deferred();
	gnttab_get_stats(&st);
	KT_CHECK(st.deferred == before.deferred, "still deferred after unmap");
	KT_CHECK(gnttab_entry_flags(ref) == 0, "flags %#x after the retry",
	    gnttab_entry_flags(ref));
	/* Ended (or deferred for good if the unmap failed); page kept. */
	KT_NOTE_OK("deferred while mapped, freed after unmap (%ju deferred "
	    "in all)", (uintmax_t)st.deferred_total);
	return;
out_ref:
	(void)gnttab_end_access(ref);
out_page:
	ktest_pages_free(pg, 1);
	KT_NOTE_OK("deferred while mapped, freed after unmap (%ju deferred "
	    "in all)", (uintmax_t)st.deferred_total);
}
