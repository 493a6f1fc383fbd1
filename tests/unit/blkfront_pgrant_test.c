/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xbd(4)'s persistent-grant pool (sys/dev/xen/blkfront/blkfront_pgrant.c)
 * over the real grant table (sys/xen/gnttab*.c) and the fake hypervisor of
 * fake_gnttab.c: the data a peer sees through the pool's grants (mapped
 * the way blkback maps persistent grants, writable), reuse by reference,
 * the bound, hit and miss counts, and destroy ending every grant without
 * freeing a page the peer still maps.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

#include <dev/xen/blkfront/blkfront_pgrant.h>
#include <xen/gnttab.h>

#include "fake_gnttab.h"
#include "kunit.h"

#define MAXP	40

static struct gnttab_stats
gstats(void)
{
	struct gnttab_stats st;

	gnttab_get_stats(&st);
	return (st);
}

static struct xbd_pgstats
pstats(const struct xbd_pgpool *pg)
{
	struct xbd_pgstats st;

	xbd_pgpool_stats(pg, &st);
	return (st);
}

static void
fill(unsigned char *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(seed + i * 7 + i / 4096);
}

/* A write's bytes are what the peer reads; a read's what it wrote. */
KUNIT_TEST(pgrant_data_through_peer_mappings)
{
	enum { LEN = 2 * 4096 + 1024 };
	struct xbd_pgpool *pg;
	struct blkring_seg segs[3];
	uint32_t pages[3];
	unsigned char *src, *dst;

	fake_gnt_boot(4, 1);
	src = malloc(LEN + 32, M_TEMP, M_WAITOK);
	dst = malloc(LEN + 32, M_TEMP, M_WAITOK | M_ZERO);
	/* Not page-aligned on purpose: the pool copies, it never bounces. */
	fill(src + 16, LEN, 3);
	KU_ASSERT(xbd_pgpool_create(FAKE_GNT_PEER, MAXP, &pg) == 0, "create");
	KU_ASSERT(xbd_pgpool_load(pg, src + 16, LEN, true, pages, segs) == 0,
	    "load");
	for (u_int i = 0; i < 3; i++) {
		size_t chunk = MIN((size_t)LEN - i * 4096, 4096);
		unsigned char *v = fake_gnt_peer_map(segs[i].gref, true);

		KU_ASSERT(v != NULL, "peer cannot map segment %u writable", i);
		KU_ASSERT(segs[i].first_sect == 0 &&
		    segs[i].last_sect == chunk / 512 - 1,
		    "segment %u sectors %u-%u for %zu bytes", i,
		    segs[i].first_sect, segs[i].last_sect, chunk);
		KU_ASSERT(memcmp(v, src + 16 + i * 4096, chunk) == 0,
		    "peer reads other bytes in segment %u", i);
		/* As a read would: the peer fills the page. */
		fill(v, chunk, 100 + i);
		fake_gnt_peer_unmap(segs[i].gref);
	}
	xbd_pgpool_unload(pg, pages, 3, dst + 16, LEN, true);
	for (u_int i = 0; i < 3; i++) {
		size_t chunk = MIN((size_t)LEN - i * 4096, 4096);
		unsigned char want[4096];

		fill(want, chunk, 100 + i);
		KU_ASSERT(memcmp(dst + 16 + i * 4096, want, chunk) == 0,
		    "read copied other bytes in segment %u", i);
	}
	for (u_int i = 0; i < 16; i++)
		KU_ASSERT(dst[i] == 0 && dst[16 + LEN + i] == 0,
		    "copy-out wrote outside the buffer");
	KU_ASSERT(xbd_pgpool_destroy(pg) == 0, "deferred with no mapping");
	KU_ASSERT(gstats().in_use == 0 && gstats().reserved == 0,
	    "grants left: in use %u reserved %u", gstats().in_use,
	    gstats().reserved);
	free(src, M_TEMP);
	free(dst, M_TEMP);
}

/*
 * Pages come back by reference: the same grants again (hits, no new
 * grant), more only when more are in use at once, never past the bound.
 */
KUNIT_TEST(pgrant_reuse_bound_counts)
{
	struct xbd_pgpool *pg;
	struct blkring_seg s1[MAXP], s2[MAXP];
	uint32_t p1[MAXP], p2[MAXP];
	static char buf[MAXP * 4096];
	u_long freepages;
	u_int inuse;

	fake_gnt_boot(4, 1);
	KU_ASSERT(xbd_pgpool_create(FAKE_GNT_PEER, MAXP, &pg) == 0, "create");
	inuse = gstats().in_use;
	freepages = phys_free_count();
	KU_ASSERT(xbd_pgpool_load(pg, buf, 8 * 4096, true, p1, s1) == 0, "load");
	KU_ASSERT(pstats(pg).misses == 8 && pstats(pg).hits == 0 &&
	    pstats(pg).pages == 8, "first load: %ju misses %ju hits %u pages",
	    (uintmax_t)pstats(pg).misses, (uintmax_t)pstats(pg).hits,
	    pstats(pg).pages);
	KU_ASSERT(gstats().in_use == inuse + 8 &&
	    phys_free_count() == freepages - 8, "granted %u, pages taken %lu",
	    gstats().in_use - inuse, freepages - phys_free_count());
	xbd_pgpool_unload(pg, p1, 8, NULL, 0, false);
	for (int round = 0; round < 5; round++) {
		KU_ASSERT(xbd_pgpool_load(pg, buf, 8 * 4096, false, p2, s2) == 0,
		    "reload %d", round);
		for (u_int i = 0; i < 8; i++)
			KU_ASSERT(s2[i].gref == s1[i].gref,
			    "round %d segment %u: ref %u, was %u", round, i,
			    s2[i].gref, s1[i].gref);
		xbd_pgpool_unload(pg, p2, 8, NULL, 0, false);
	}
	KU_ASSERT(pstats(pg).misses == 8 && pstats(pg).hits == 40 &&
	    pstats(pg).pages == 8 && gstats().in_use == inuse + 8,
	    "after reuse: %ju misses %ju hits %u pages %u granted",
	    (uintmax_t)pstats(pg).misses, (uintmax_t)pstats(pg).hits,
	    pstats(pg).pages, gstats().in_use - inuse);
	/* Two loads at once take distinct pages. */
	KU_ASSERT(xbd_pgpool_load(pg, buf, 8 * 4096, false, p1, s1) == 0 &&
	    xbd_pgpool_load(pg, buf, 4 * 4096, false, p2, s2) == 0, "two loads");
	for (u_int i = 0; i < 8; i++)
		for (u_int j = 0; j < 4; j++)
			KU_ASSERT(s1[i].gref != s2[j].gref, "ref %u in both",
			    s1[i].gref);
	KU_ASSERT(pstats(pg).pages == 12, "%u pages", pstats(pg).pages);
	/* The bound: 28 more fit, 29 do not, and a refusal takes nothing. */
	KU_ASSERT(xbd_pgpool_load(pg, buf, 29 * 4096, false, p1 + 8, s1) ==
	    ENOSPC, "loaded past the bound");
	KU_ASSERT(pstats(pg).free == 0 && pstats(pg).pages == 12 &&
	    pstats(pg).full == 1, "refusal took pages: free %u pages %u",
	    pstats(pg).free, pstats(pg).pages);
	KU_ASSERT(xbd_pgpool_load(pg, buf, 28 * 4096, false, p1 + 8, s1) == 0,
	    "load up to the bound");
	KU_ASSERT(pstats(pg).pages == MAXP && gstats().in_use == inuse + MAXP,
	    "%u pages, %u granted", pstats(pg).pages, gstats().in_use - inuse);
	KU_ASSERT(xbd_pgpool_load(pg, buf, 512, false, p2 + 4, s2) == ENOSPC,
	    "a sector past the bound");
	xbd_pgpool_unload(pg, p1, 36, NULL, 0, false);
	xbd_pgpool_unload(pg, p2, 4, NULL, 0, false);
	KU_ASSERT(xbd_pgpool_destroy(pg) == 0, "deferred with no mapping");
	KU_ASSERT(phys_free_count() == freepages && gstats().in_use == inuse &&
	    gstats().reserved == 0, "after destroy: pages %lu (were %lu), "
	    "in use %u reserved %u", phys_free_count(), freepages,
	    gstats().in_use, gstats().reserved);
}

/*
 * Destroy while the peer still maps two pages (as blkback does until it
 * disconnects): their grants are deferred, the pages stay allocated and
 * untouched, and go back only after the peer unmaps and the retry runs;
 * the pool frees itself after the last.
 */
KUNIT_TEST(pgrant_destroy_defers_mapped_pages)
{
	struct xbd_pgpool *pg;
	struct blkring_seg segs[6];
	uint32_t pages[6];
	static char buf[6 * 4096];
	unsigned char *v0, *v5;
	u_long freepages;

	fake_gnt_boot(4, 1);
	KU_ASSERT(xbd_pgpool_create(FAKE_GNT_PEER, MAXP, &pg) == 0, "create");
	freepages = phys_free_count();
	memset(buf, 0x3c, sizeof(buf));
	KU_ASSERT(xbd_pgpool_load(pg, buf, sizeof(buf), true, pages, segs) == 0,
	    "load");
	v0 = fake_gnt_peer_map(segs[0].gref, true);
	v5 = fake_gnt_peer_map(segs[5].gref, true);
	KU_ASSERT(v0 != NULL && v5 != NULL, "peer maps");
	KU_ASSERT(xbd_pgpool_mapped(pg) == 2, "%u mapped, want 2",
	    xbd_pgpool_mapped(pg));
	xbd_pgpool_unload(pg, pages, 6, NULL, 0, false);
	KU_ASSERT(xbd_pgpool_destroy(pg) == 2, "deferred count");
	/* Four pages back, two kept for the peer; their grants still live. */
	KU_ASSERT(phys_free_count() == freepages - 2, "pages kept %lu, want 2",
	    freepages - phys_free_count());
	KU_ASSERT(gstats().deferred == 2, "%u deferred", gstats().deferred);
	KU_ASSERT(v0[0] == 0x3c && v5[4095] == 0x3c,
	    "a page the peer maps was reused");
	fake_gnt_peer_unmap(segs[0].gref);
	KU_ASSERT(fake_gnt_run_callout(), "no retry pending");
	KU_ASSERT(phys_free_count() == freepages - 1 && gstats().deferred == 1,
	    "after one unmap: pages kept %lu, %u deferred",
	    freepages - phys_free_count(), gstats().deferred);
	KU_ASSERT(v5[0] == 0x3c, "the still mapped page was reused");
	fake_gnt_peer_unmap(segs[5].gref);
	KU_ASSERT(fake_gnt_run_callout(), "no retry pending");
	KU_ASSERT(gstats().deferred == 0 && gstats().in_use == 0 &&
	    gstats().reserved == 0, "grants left: deferred %u in use %u "
	    "reserved %u", gstats().deferred, gstats().in_use,
	    gstats().reserved);
	KU_ASSERT(phys_free_count() == freepages, "pages kept %lu",
	    freepages - phys_free_count());
}

/* A bound the table cannot hold is refused, taking nothing. */
KUNIT_TEST(pgrant_create_beyond_table)
{
	struct xbd_pgpool *pg = NULL;
	u_int refs;

	fake_gnt_boot(2, 1);
	refs = 2 * (u_int)(PAGE_SIZE / sizeof(grant_entry_v1_t)) -
	    GNTTAB_NR_RESERVED_ENTRIES;
	KU_ASSERT(xbd_pgpool_create(FAKE_GNT_PEER, refs + 1, &pg) == ENOSPC,
	    "pool bigger than the table");
	KU_ASSERT(gstats().reserved == 0, "%u reserved", gstats().reserved);
	KU_ASSERT(xbd_pgpool_create(FAKE_GNT_PEER, 0, &pg) == EINVAL,
	    "empty pool");
	KU_ASSERT(xbd_pgpool_create(FAKE_GNT_PEER, refs, &pg) == 0,
	    "pool of the whole table");
	KU_ASSERT(xbd_pgpool_destroy(pg) == 0, "destroy");
	KU_ASSERT(gstats().reserved == 0, "%u reserved", gstats().reserved);
}
