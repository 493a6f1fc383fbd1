/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The grant table (sys/xen/gnttab.c, gnttab_ops.c, gnttab_dma.c) compiled
 * unchanged over the fake hypervisor of fake_gnttab.c: frames placed
 * outside RAM and grown on demand, the allocator and its reservations,
 * ending access on entries the peer still maps, copies in batches, and the
 * DMA-like maps.  What the peer sees is read through the fake's own view of
 * the table (the frames Xen was given), not through the code under test.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

#include <xen/gnttab.h>

#include "fake_gnttab.h"
#include "kunit.h"

#define PER_FRAME	((u_int)(PAGE_SIZE / sizeof(grant_entry_v1_t)))
#define NRSV		GNTTAB_NR_RESERVED_ENTRIES

static struct gnttab_stats
stats(void)
{
	struct gnttab_stats st;

	gnttab_get_stats(&st);
	return (st);
}

static u_long
gfn_of(const void *p)
{
	return (atop(pmap_kextract((vm_offset_t)p)));
}

/* npages of zeroed RAM, page-aligned, in the direct map. */
static char *
pages(u_int npages)
{
	vm_paddr_t pa = phys_alloc_contig(npages, 0, DMAP_BOOT_SIZE);
	char *p;

	KU_ASSERT(pa != PHYS_NONE, "no %u pages", npages);
	p = (char *)PHYS_TO_DMAP(pa);
	memset(p, 0, ptoa(npages));
	return (p);
}

KUNIT_TEST(gnttab_frames_in_hole_and_grown_in_order)
{
	grant_ref_t *refs;
	u_int n = 3 * PER_FRAME - NRSV;

	fake_gnt_boot(3, 1);
	KU_ASSERT(fake_gnt_frames() == 1, "%u frames at boot",
	    fake_gnt_frames());
	KU_ASSERT(stats().free == PER_FRAME - NRSV, "free %u", stats().free);
	refs = mallocarray(n, sizeof(*refs), M_TEMP, M_WAITOK);
	for (u_int i = 0; i < n; i++)
		KU_ASSERT(gnttab_alloc(NULL, &refs[i]) == 0, "alloc %u", i);
	KU_ASSERT(fake_gnt_frames() == 3, "grew to %u frames",
	    fake_gnt_frames());
	for (u_int f = 1; f < 3; f++)
		KU_ASSERT(fake_gnt_frame_gpfn(f) == fake_gnt_frame_gpfn(0) + f,
		    "frame %u at gpfn %#lx, frame 0 at %#lx", f,
		    fake_gnt_frame_gpfn(f), fake_gnt_frame_gpfn(0));
	KU_ASSERT(fake_gnt_over_ram() == 0, "%u frames mapped over RAM",
	    fake_gnt_over_ram());
	KU_ASSERT(stats().in_use == n && stats().free == 0, "in use %u free %u",
	    stats().in_use, stats().free);
	for (u_int i = 0; i < n; i++)
		gnttab_free(refs[i]);
	KU_ASSERT(stats().in_use == 0 && stats().free == n, "in use %u free %u",
	    stats().in_use, stats().free);
	free(refs, M_TEMP);
}

KUNIT_TEST(gnttab_alloc_unique_never_reserved_then_enospc)
{
	static bool seen[4 * 512];
	u_int n = 4 * PER_FRAME - NRSV;
	grant_ref_t r;

	fake_gnt_boot(4, 1);
	for (u_int i = 0; i < n; i++) {
		KU_ASSERT(gnttab_alloc(NULL, &r) == 0, "alloc %u", i);
		KU_ASSERT(r >= NRSV && r < 4 * PER_FRAME, "ref %u", r);
		KU_ASSERT(!seen[r], "ref %u handed out twice", r);
		seen[r] = true;
	}
	KU_ASSERT(gnttab_alloc(NULL, &r) == ENOSPC, "alloc past the limit");
	KU_ASSERT(fake_gnt_frames() == 4, "%u frames", fake_gnt_frames());
}

KUNIT_TEST(gnttab_reservation_survives_global_exhaustion)
{
	struct gnttab_pool *pool;
	grant_ref_t r, mine[100];
	u_int global = PER_FRAME - NRSV - 100;

	fake_gnt_boot(1, 1);
	KU_ASSERT(gnttab_reserve(100, &pool) == 0, "reserve");
	KU_ASSERT(stats().reserved == 100 && stats().free == global,
	    "reserved %u free %u", stats().reserved, stats().free);
	for (u_int i = 0; i < global; i++)
		KU_ASSERT(gnttab_alloc(NULL, &r) == 0, "global alloc %u", i);
	KU_ASSERT(gnttab_alloc(NULL, &r) == ENOSPC, "global not exhausted");
	for (u_int i = 0; i < 100; i++)
		KU_ASSERT(gnttab_alloc(pool, &mine[i]) == 0, "pool alloc %u", i);
	KU_ASSERT(gnttab_alloc(pool, &r) == ENOSPC, "pool gave more than 100");
	/* Freed pool refs go back to the pool, not to the global list. */
	gnttab_free(mine[0]);
	KU_ASSERT(gnttab_pool_free(pool) == 1 && stats().free == 0,
	    "pool %u global %u", gnttab_pool_free(pool), stats().free);
	KU_ASSERT(gnttab_alloc(NULL, &r) == ENOSPC, "global took a pool ref");
	gnttab_unreserve(pool);
	KU_ASSERT(stats().free == 1 && stats().reserved == 0,
	    "after unreserve: free %u reserved %u", stats().free,
	    stats().reserved);
	/* Refs still out return to the global list once freed. */
	gnttab_free(mine[1]);
	KU_ASSERT(stats().free == 2, "free %u", stats().free);
}

KUNIT_TEST(gnttab_reserve_too_many_takes_nothing)
{
	struct gnttab_pool *pool;

	fake_gnt_boot(2, 1);
	KU_ASSERT(gnttab_reserve(2 * PER_FRAME, &pool) == ENOSPC,
	    "reserved beyond the table");
	KU_ASSERT(stats().reserved == 0 && stats().in_use == 0 &&
	    stats().free == stats().nr_refs - NRSV, "reserved %u free %u of %u",
	    stats().reserved, stats().free, stats().nr_refs);
}

KUNIT_TEST(gnttab_grant_seen_by_peer_end_clears)
{
	char *page;
	grant_ref_t r;
	char *view;

	fake_gnt_boot(1, 1);
	page = pages(1);
	page[100] = 0x5a;
	KU_ASSERT(gnttab_grant_access(NULL, FAKE_GNT_PEER, gfn_of(page), true,
	    &r) == 0, "grant");
	KU_ASSERT(fake_gnt_peer_map(r, true) == NULL, "read-only mapped RW");
	view = fake_gnt_peer_map(r, false);
	KU_ASSERT(view != NULL && view[100] == 0x5a, "peer sees the wrong frame");
	fake_gnt_peer_unmap(r);
	KU_ASSERT(gnttab_end_access(r) == 0, "end idle grant");
	KU_ASSERT(fake_gnt_peer_map(r, false) == NULL, "peer maps after end");
	KU_ASSERT(stats().in_use == 0, "in use %u", stats().in_use);
}

/* Busy at end: deferred, never handed out again, freed once the peer lets go. */
static void
end_busy(bool writable)
{
	char *page;
	grant_ref_t r, other;
	u_int n = 0;

	fake_gnt_boot(1, 1);
	page = pages(1);
	KU_ASSERT(gnttab_grant_access(NULL, FAKE_GNT_PEER, gfn_of(page),
	    !writable, &r) == 0, "grant");
	KU_ASSERT(fake_gnt_peer_map(r, writable) != NULL, "peer map");
	KU_ASSERT(gnttab_end_access(r) == EBUSY, "busy end not deferred");
	KU_ASSERT(stats().deferred == 1 && stats().in_use == 1,
	    "deferred %u in use %u", stats().deferred, stats().in_use);
	KU_ASSERT(fake_gnt_callouts_armed() == 1, "retry armed %u times",
	    fake_gnt_callouts_armed());
	KU_ASSERT((gnttab_entry_flags(r) & GTF_permit_access) != 0,
	    "access revoked under the peer's mapping");
	/* Every other reference, and never the busy one. */
	while (gnttab_alloc(NULL, &other) == 0) {
		KU_ASSERT(other != r, "busy ref %u reused", r);
		n++;
	}
	KU_ASSERT(n == PER_FRAME - NRSV - 1, "allocated %u", n);
	KU_ASSERT(fake_gnt_run_callout(), "callout not pending");
	KU_ASSERT(stats().deferred == 1, "freed while mapped");
	KU_ASSERT(fake_gnt_callouts_armed() == 2, "retry not re-armed");
	fake_gnt_peer_unmap(r);
	KU_ASSERT(fake_gnt_run_callout(), "callout not pending");
	KU_ASSERT(stats().deferred == 0 && stats().free == 1,
	    "deferred %u free %u", stats().deferred, stats().free);
	KU_ASSERT(stats().deferred_total == 1, "total %ju",
	    (uintmax_t)stats().deferred_total);
	KU_ASSERT(gnttab_entry_flags(r) == 0, "flags %#x left",
	    gnttab_entry_flags(r));
	KU_ASSERT(gnttab_alloc(NULL, &other) == 0 && other == r,
	    "freed ref not allocatable (%u)", other);
	KU_ASSERT(!fake_gnt_run_callout(), "retry armed with nothing deferred");
}

KUNIT_TEST(gnttab_end_while_reading_deferred)
{
	end_busy(false);
}

KUNIT_TEST(gnttab_end_while_writing_deferred)
{
	end_busy(true);
}

KUNIT_TEST(gnttab_free_of_live_grant_panics)
{
	char *page;
	grant_ref_t r;

	fake_gnt_boot(1, 1);
	page = pages(1);
	KU_ASSERT(gnttab_grant_access(NULL, FAKE_GNT_PEER, gfn_of(page), false,
	    &r) == 0, "grant");
	KU_EXPECT_PANIC(gnttab_free(r), "access granted");
}

KUNIT_TEST(gnttab_double_end_panics)
{
	char *page;
	grant_ref_t r;

	fake_gnt_boot(1, 1);
	page = pages(1);
	KU_ASSERT(gnttab_grant_access(NULL, FAKE_GNT_PEER, gfn_of(page), false,
	    &r) == 0, "grant");
	KU_ASSERT(gnttab_end_access(r) == 0, "end");
	KU_EXPECT_PANIC(gnttab_end_access(r), "not allocated");
}

KUNIT_TEST(gnttab_copy_batches_and_checks)
{
	struct gnttab_copy *ops;
	char *src, *dst;
	grant_ref_t ro, rw;
	u_int n = 130;

	fake_gnt_boot(1, 1);
	src = pages(1);
	dst = pages(1);
	for (u_int i = 0; i < PAGE_SIZE; i++)
		src[i] = (char)(i * 7 + 1);
	KU_ASSERT(gnttab_grant_access(NULL, FAKE_GNT_SELF, gfn_of(dst), false,
	    &rw) == 0, "grant rw");
	ops = mallocarray(n, sizeof(*ops), M_TEMP, M_WAITOK | M_ZERO);
	/* 130 slices of 31 bytes from our frame into our own grant. */
	for (u_int i = 0; i < n; i++) {
		ops[i].source.u.gmfn = gfn_of(src);
		ops[i].source.domid = DOMID_SELF;
		ops[i].source.offset = (uint16_t)(i * 31);
		ops[i].dest.u.ref = rw;
		ops[i].dest.domid = DOMID_SELF;
		ops[i].dest.offset = (uint16_t)(i * 31);
		ops[i].len = 31;
		ops[i].flags = GNTCOPY_dest_gref;
	}
	KU_ASSERT(gnttab_copy(ops, n) == 0, "copy");
	KU_ASSERT(fake_gnt_calls(GNTTABOP_copy) == 3 &&
	    fake_gnt_ops(GNTTABOP_copy) == n, "%u calls for %u ops",
	    fake_gnt_calls(GNTTABOP_copy), fake_gnt_ops(GNTTABOP_copy));
	for (u_int i = 0; i < n * 31; i++)
		KU_ASSERT(dst[i] == src[i], "byte %u: %d != %d", i, dst[i],
		    src[i]);
	KU_ASSERT(dst[n * 31] == 0, "copied past the end");
	/* Into a read-only grant: Xen refuses, the error comes back. */
	KU_ASSERT(gnttab_grant_access(NULL, FAKE_GNT_SELF, gfn_of(dst), true,
	    &ro) == 0, "grant ro");
	ops[0].dest.u.ref = ro;
	KU_ASSERT(gnttab_copy(ops, 1) == EIO && ops[0].status ==
	    GNTST_general_error, "copy into ro: status %d", ops[0].status);
	/* A slice crossing the page end is refused before any hypercall. */
	ops[0].dest.offset = PAGE_SIZE - 10;
	ops[0].dest.u.ref = rw;
	KU_ASSERT(gnttab_copy(ops, 1) == EINVAL, "page-crossing copy sent");
	KU_ASSERT(fake_gnt_calls(GNTTABOP_copy) == 4, "%u calls",
	    fake_gnt_calls(GNTTABOP_copy));
	free(ops, M_TEMP);
}

KUNIT_TEST(gnttab_map_unmap_batches)
{
	struct gnttab_map_grant_ref m[70];
	struct gnttab_unmap_grant_ref u[70];

	fake_gnt_boot(1, 1);
	memset(m, 0, sizeof(m));
	memset(u, 0, sizeof(u));
	for (u_int i = 0; i < nitems(m); i++)
		m[i].status = u[i].status = -1;
	KU_ASSERT(gnttab_map(m, nitems(m)) == 0, "map");
	KU_ASSERT(gnttab_unmap(u, nitems(u)) == 0, "unmap");
	KU_ASSERT(fake_gnt_calls(GNTTABOP_map_grant_ref) == 2 &&
	    fake_gnt_calls(GNTTABOP_unmap_grant_ref) == 2, "calls %u %u",
	    fake_gnt_calls(GNTTABOP_map_grant_ref),
	    fake_gnt_calls(GNTTABOP_unmap_grant_ref));
	for (u_int i = 0; i < nitems(m); i++)
		KU_ASSERT(m[i].status == 0 && u[i].status == 0, "op %u unsent", i);
}

/* The live-map count moves by what Xen mapped, not by what was asked. */
KUNIT_TEST(gnttab_maps_live_counts_what_xen_mapped)
{
	struct gnttab_map_grant_ref m[70];
	struct gnttab_unmap_grant_ref u[70];
	u_int base, bad = 0;

	fake_gnt_boot(1, 1);
	base = gnttab_maps_live();
	memset(m, 0, sizeof(m));
	memset(u, 0, sizeof(u));
	/* Refused ones in both batches (64 and 6 ops). */
	for (u_int i = 0; i < nitems(m); i++) {
		m[i].ref = i % 12 == 6 ? FAKE_GNT_BAD_REF : i;
		bad += m[i].ref == FAKE_GNT_BAD_REF;
	}
	KU_ASSERT(bad == 6, "%u refused", bad);
	KU_ASSERT(gnttab_map(m, nitems(m)) == ENOENT, "a refused map not told");
	KU_ASSERT(gnttab_maps_live() == base + nitems(m) - bad, "live %u, "
	    "base %u, %zu mapped", gnttab_maps_live(), base, nitems(m) - bad);
	KU_ASSERT(gnttab_unmap(u, nitems(m) - bad) == 0, "unmap");
	KU_ASSERT(gnttab_maps_live() == base, "live %u after the unmaps, %u "
	    "before", gnttab_maps_live(), base);
}

/* A buffer at an odd offset across three pages: segments and what the peer sees. */
KUNIT_TEST(gnttab_dmamap_load_odd_offset_across_pages)
{
	struct gnttab_dmamap *map;
	char *buf;
	const u_int off = 4000, len = 5000;
	u_int at = 0;

	fake_gnt_boot(1, 1);
	buf = pages(4);
	for (u_int i = 0; i < len; i++)
		buf[off + i] = (char)(i % 251);
	KU_ASSERT(gnttab_dmamap_create(FAKE_GNT_PEER, 4, NULL, NULL, &map) == 0,
	    "create");
	KU_ASSERT(stats().reserved == 4, "reserved %u", stats().reserved);
	KU_ASSERT(gnttab_dmamap_load(map, buf + off, len, GNTTAB_DMA_RW) == 0,
	    "load");
	KU_ASSERT(map->gm_nsegs == 3, "%u segments", map->gm_nsegs);
	KU_ASSERT(map->gm_segs[0].gs_offset == off &&
	    map->gm_segs[0].gs_len == PAGE_SIZE - off, "seg 0 %u+%u",
	    map->gm_segs[0].gs_offset, map->gm_segs[0].gs_len);
	KU_ASSERT(map->gm_segs[1].gs_offset == 0 &&
	    map->gm_segs[1].gs_len == PAGE_SIZE, "seg 1 %u+%u",
	    map->gm_segs[1].gs_offset, map->gm_segs[1].gs_len);
	KU_ASSERT(map->gm_segs[2].gs_offset == 0 &&
	    map->gm_segs[2].gs_len == len - (PAGE_SIZE - off) - PAGE_SIZE,
	    "seg 2 %u+%u", map->gm_segs[2].gs_offset, map->gm_segs[2].gs_len);
	/* The peer reads the buffer through the grants, and writes into it. */
	for (u_int s = 0; s < map->gm_nsegs; s++) {
		const struct gnttab_seg *g = &map->gm_segs[s];
		char *v = fake_gnt_peer_map(g->gs_ref, true);

		KU_ASSERT(v != NULL, "peer cannot map seg %u", s);
		for (u_int i = 0; i < g->gs_len; i++)
			KU_ASSERT(v[g->gs_offset + i] == (char)((at + i) % 251),
			    "seg %u byte %u", s, i);
		v[g->gs_offset] = 'W';
		at += g->gs_len;
		fake_gnt_peer_unmap(g->gs_ref);
	}
	KU_ASSERT(at == len, "segments cover %u of %u bytes", at, len);
	KU_ASSERT(buf[off] == 'W' && buf[PAGE_SIZE] == 'W' &&
	    buf[2 * PAGE_SIZE] == 'W', "peer writes not in the buffer");
	KU_ASSERT(gnttab_dmamap_unload(map) == 0, "unload");
	KU_ASSERT(map->gm_nsegs == 0 && gnttab_pool_free(map->gm_pool) == 4,
	    "pool %u after unload", gnttab_pool_free(map->gm_pool));
	KU_ASSERT(stats().in_use == 0, "in use %u", stats().in_use);
	KU_ASSERT(gnttab_dmamap_destroy(map) == 0, "destroy");
	KU_ASSERT(stats().reserved == 0, "reserved %u", stats().reserved);
}

KUNIT_TEST(gnttab_dmamap_ro_and_limits)
{
	struct gnttab_dmamap *map;
	char *buf;

	fake_gnt_boot(1, 1);
	buf = pages(5);
	KU_ASSERT(gnttab_dmamap_create(FAKE_GNT_PEER, 4, NULL, NULL, &map) == 0,
	    "create");
	KU_ASSERT(gnttab_dmamap_load(map, buf, 4 * PAGE_SIZE + 1,
	    GNTTAB_DMA_RO) == E2BIG, "5 pages into a 4-page map");
	KU_ASSERT(gnttab_dmamap_load(map, buf + 1, 4 * PAGE_SIZE,
	    GNTTAB_DMA_RO) == E2BIG, "offset 1 + 4 pages spans 5");
	KU_ASSERT(gnttab_dmamap_load(map, buf, 0, GNTTAB_DMA_RO) == EINVAL,
	    "empty load");
	KU_ASSERT(stats().in_use == 0, "failed loads left %u refs",
	    stats().in_use);
	KU_ASSERT(gnttab_dmamap_load(map, buf, 4 * PAGE_SIZE, GNTTAB_DMA_RO) ==
	    0, "4 aligned pages");
	KU_ASSERT(gnttab_dmamap_load(map, buf, 1, GNTTAB_DMA_RO) == EINVAL,
	    "loaded twice");
	for (u_int s = 0; s < 4; s++) {
		KU_ASSERT(fake_gnt_peer_map(map->gm_segs[s].gs_ref, true) == NULL,
		    "RO seg %u writable", s);
		KU_ASSERT(fake_gnt_peer_map(map->gm_segs[s].gs_ref, false) ==
		    buf + ptoa(s), "RO seg %u: wrong frame", s);
		fake_gnt_peer_unmap(map->gm_segs[s].gs_ref);
	}
	KU_ASSERT(gnttab_dmamap_destroy(map) == EINVAL, "destroyed loaded");
	KU_ASSERT(gnttab_dmamap_unload(map) == 0, "unload");
	KU_ASSERT(gnttab_dmamap_destroy(map) == 0, "destroy");
}

static u_int	released;

static void
count_release(void *arg)
{
	KU_ASSERT(arg == &released, "release arg %p", arg);
	released++;
}

KUNIT_TEST(gnttab_dmamap_unload_busy_releases_once)
{
	struct gnttab_dmamap *map;
	char *buf;
	grant_ref_t busy1, busy2;

	fake_gnt_boot(1, 1);
	buf = pages(3);
	KU_ASSERT(gnttab_dmamap_create(FAKE_GNT_PEER, 3, count_release,
	    &released, &map) == 0, "create");
	KU_ASSERT(gnttab_dmamap_load(map, buf, 3 * PAGE_SIZE, GNTTAB_DMA_RW) ==
	    0, "load");
	busy1 = map->gm_segs[0].gs_ref;
	busy2 = map->gm_segs[2].gs_ref;
	KU_ASSERT(fake_gnt_peer_map(busy1, true) != NULL &&
	    fake_gnt_peer_map(busy2, false) != NULL, "peer maps");
	KU_ASSERT(gnttab_dmamap_unload(map) == EBUSY, "busy unload said done");
	KU_ASSERT(map->gm_busy == 2 && released == 0, "busy %u released %u",
	    map->gm_busy, released);
	KU_ASSERT(gnttab_dmamap_load(map, buf, PAGE_SIZE, GNTTAB_DMA_RW) ==
	    EBUSY, "loaded over busy pages");
	KU_ASSERT(gnttab_dmamap_destroy(map) == EINVAL, "destroyed while busy");
	fake_gnt_peer_unmap(busy1);
	KU_ASSERT(fake_gnt_run_callout(), "no retry pending");
	KU_ASSERT(released == 0 && map->gm_busy == 1, "released %u busy %u",
	    released, map->gm_busy);
	fake_gnt_peer_unmap(busy2);
	KU_ASSERT(fake_gnt_run_callout(), "no retry pending");
	KU_ASSERT(released == 1 && map->gm_busy == 0, "released %u busy %u",
	    released, map->gm_busy);
	KU_ASSERT(gnttab_pool_free(map->gm_pool) == 3, "pool %u",
	    gnttab_pool_free(map->gm_pool));
	KU_ASSERT(gnttab_dmamap_load(map, buf, PAGE_SIZE, GNTTAB_DMA_RW) == 0,
	    "load after release");
	KU_ASSERT(gnttab_dmamap_unload(map) == 0, "unload");
	KU_ASSERT(gnttab_dmamap_destroy(map) == 0, "destroy");
	KU_ASSERT(released == 1, "released %u times", released);
}

static u_int	pool_hook_calls;

static void
pool_hook(void *arg)
{
	KU_ASSERT(arg == &pool_hook_calls, "hook arg %p", arg);
	pool_hook_calls++;
}

/* More freed in one pass than the hook batch: every hook runs, once each. */
KUNIT_TEST(gnttab_retry_many_frees_and_keeps_busy)
{
	struct gnttab_pool *pool;
	grant_ref_t refs[40];
	char *page;

	fake_gnt_boot(1, 1);
	page = pages(1);
	KU_ASSERT(gnttab_reserve(nitems(refs), &pool) == 0, "reserve");
	gnttab_pool_set_release(pool, pool_hook, &pool_hook_calls);
	for (u_int i = 0; i < nitems(refs); i++) {
		KU_ASSERT(gnttab_grant_access(pool, FAKE_GNT_PEER, gfn_of(page),
		    true, &refs[i]) == 0, "grant %u", i);
		KU_ASSERT(fake_gnt_peer_map(refs[i], false) != NULL, "map %u", i);
		KU_ASSERT(gnttab_end_access(refs[i]) == EBUSY, "end %u", i);
	}
	KU_ASSERT(stats().deferred == nitems(refs), "deferred %u",
	    stats().deferred);
	/* The peer lets go of all but every fifth. */
	for (u_int i = 0; i < nitems(refs); i++)
		if (i % 5 != 0)
			fake_gnt_peer_unmap(refs[i]);
	KU_ASSERT(gnttab_retry_deferred() == nitems(refs) / 5, "left %u",
	    stats().deferred);
	KU_ASSERT(pool_hook_calls == nitems(refs) - nitems(refs) / 5,
	    "hook ran %u times", pool_hook_calls);
	KU_ASSERT(gnttab_pool_free(pool) == nitems(refs) - nitems(refs) / 5,
	    "pool %u", gnttab_pool_free(pool));
	for (u_int i = 0; i < nitems(refs); i += 5) {
		KU_ASSERT((gnttab_entry_flags(refs[i]) & GTF_reading) != 0,
		    "busy ref %u lost its grant", refs[i]);
		fake_gnt_peer_unmap(refs[i]);
	}
	KU_ASSERT(gnttab_retry_deferred() == 0, "left %u", stats().deferred);
	KU_ASSERT(pool_hook_calls == nitems(refs), "hook ran %u times",
	    pool_hook_calls);
	KU_ASSERT(gnttab_pool_free(pool) == nitems(refs) && stats().in_use == 0,
	    "pool %u in use %u", gnttab_pool_free(pool), stats().in_use);
	gnttab_unreserve(pool);
}

KUNIT_TEST(gnttab_dmamap_bigger_than_table_refused)
{
	struct gnttab_dmamap *map;

	fake_gnt_boot(2, 1);
	KU_ASSERT(gnttab_dmamap_create(FAKE_GNT_PEER, 2 * PER_FRAME, NULL, NULL,
	    &map) == ENOSPC, "map larger than the table created");
	KU_ASSERT(stats().reserved == 0 && stats().in_use == 0,
	    "reserved %u in use %u", stats().reserved, stats().in_use);
	KU_ASSERT(gnttab_dmamap_create(FAKE_GNT_PEER, 0, NULL, NULL, &map) ==
	    EINVAL, "empty map created");
}
