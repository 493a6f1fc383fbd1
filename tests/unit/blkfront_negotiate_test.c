/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * blkfront's negotiation arithmetic (sys/dev/xen/blkfront/
 * blkfront_negotiate.c): each backend value absent, zero, sane and huge;
 * geometry checks; and the frontend's xenstore nodes, checked against
 * literal lists written from blkif.h's description.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/xen/blkfront/blkfront_negotiate.h>

#include "kunit.h"

/* Linux 6.1's blkback over a brd disk on a 2-CPU dom0. */
static const struct blkneg_backend linux61 = {
	.max_ring_page_order = 4, .max_queues = 2, .max_indirect_segs = 256,
	.flush = true, .discard = true, .persistent = true,
	.discard_granularity = 4096, .discard_alignment = 0,
	.sectors = 2097152, .sector_size = 512, .physical_sector_size = 4096,
};
/* Only the geometry: every optional node absent. */
static const struct blkneg_backend bare = {
	.sectors = 1024, .sector_size = 512,
};
static const struct blkneg_ours ours = {
	.ring_order = 4, .queues = 4, .indirect_segs = 256, .persistent = true,
};

static struct blkneg n;

KUNIT_TEST(blkneg_linux61)
{
	KU_ASSERT(blkneg_negotiate(&ours, &linux61, &n) == 0, "refused");
	KU_ASSERT(n.ring_order == 4 && n.ring_pages == 16 &&
	    n.ring_entries == 512, "ring: order %u pages %u entries %u",
	    n.ring_order, n.ring_pages, n.ring_entries);
	KU_ASSERT(n.queues == 2, "queues %u", n.queues);
	KU_ASSERT(n.indirect_segs == 256 && n.max_segs == 256, "indirect %u/%u",
	    n.indirect_segs, n.max_segs);
	KU_ASSERT(n.features == (BLKRING_F_FLUSH | BLKRING_F_DISCARD),
	    "features %#x", n.features);
	KU_ASSERT(n.persistent && !n.readonly, "persistent/readonly");
	KU_ASSERT(n.sector_size == 512 && n.physical_sector_size == 4096 &&
	    n.sectors == 2097152 && n.media_size == 1073741824ull,
	    "geometry %u/%u %ju", n.sector_size, n.physical_sector_size,
	    (uintmax_t)n.media_size);
	KU_ASSERT(n.discard_granularity == 4096 && n.discard_alignment == 0,
	    "discard %u/%u", n.discard_granularity, n.discard_alignment);
}

KUNIT_TEST(blkneg_all_absent)
{
	KU_ASSERT(blkneg_negotiate(&ours, &bare, &n) == 0, "refused");
	KU_ASSERT(n.ring_order == 0 && n.ring_pages == 1 && n.ring_entries == 32,
	    "ring order %u", n.ring_order);
	KU_ASSERT(n.queues == 1, "queues %u with no multi-queue", n.queues);
	KU_ASSERT(n.indirect_segs == 0 && n.max_segs == 11, "indirect %u/%u",
	    n.indirect_segs, n.max_segs);
	KU_ASSERT(n.features == 0 && !n.persistent, "features %#x", n.features);
	KU_ASSERT(n.physical_sector_size == 512, "pss %u defaults to ss",
	    n.physical_sector_size);
	/* Ours without a feature: none either, whatever the backend says. */
	struct blkneg_ours none = { 0 };
	KU_ASSERT(blkneg_negotiate(&none, &linux61, &n) == 0, "refused");
	KU_ASSERT(n.ring_order == 0 && n.queues == 1 && n.indirect_segs == 0 &&
	    !n.persistent, "ours all zero: order %u queues %u indirect %u",
	    n.ring_order, n.queues, n.indirect_segs);
}

KUNIT_TEST(blkneg_huge_values_clamped)
{
	struct blkneg_backend b = linux61;
	struct blkneg_ours o = { .ring_order = 99, .queues = 1000,
		.indirect_segs = 100000, .persistent = true };

	b.max_ring_page_order = 0xffffffff;
	b.max_queues = 0xffffffff;
	b.max_indirect_segs = 0xffffffff;
	KU_ASSERT(blkneg_negotiate(&ours, &b, &n) == 0, "refused");
	KU_ASSERT(n.ring_order == 4 && n.queues == 4 && n.indirect_segs == 256,
	    "ours limits: order %u queues %u indirect %u", n.ring_order,
	    n.queues, n.indirect_segs);
	KU_ASSERT(blkneg_negotiate(&o, &b, &n) == 0, "refused");
	KU_ASSERT(n.ring_order == BLKRING_MAX_ORDER &&
	    n.queues == BLKNEG_MAX_QUEUES && n.indirect_segs == 4096,
	    "both huge: order %u queues %u indirect %u", n.ring_order,
	    n.queues, n.indirect_segs);
}

KUNIT_TEST(blkneg_ring_order_and_queues_min)
{
	struct blkneg_backend b = linux61;

	for (u_int theirs = 0; theirs <= 6; theirs++)
		for (u_int mine = 0; mine <= 4; mine++) {
			struct blkneg_ours o = ours;

			o.ring_order = mine;
			b.max_ring_page_order = theirs;
			KU_ASSERT(blkneg_negotiate(&o, &b, &n) == 0, "refused");
			u_int want = mine < theirs ? mine : theirs;
			KU_ASSERT(n.ring_order == want &&
			    n.ring_pages == 1u << want,
			    "ours %u theirs %u: order %u", mine, theirs,
			    n.ring_order);
		}
	for (u_int theirs = 0; theirs <= 20; theirs++) {
		b.max_queues = theirs;
		KU_ASSERT(blkneg_negotiate(&ours, &b, &n) == 0, "refused");
		u_int want = theirs == 0 ? 1 : theirs < 4 ? theirs : 4;
		KU_ASSERT(n.queues == want, "theirs %u: %u queues, want %u",
		    theirs, n.queues, want);
	}
}

KUNIT_TEST(blkneg_indirect)
{
	static const struct {
		uint32_t theirs;
		u_int	mine, want;
	} c[] = {
		{ 0, 256, 0 }, { 1, 256, 0 }, { 11, 256, 0 }, { 12, 256, 12 },
		{ 32, 256, 32 }, { 256, 256, 256 }, { 512, 256, 256 },
		{ 256, 0, 0 }, { 256, 11, 0 }, { 4096, 8192, 4096 },
	};
	struct blkneg_backend b = linux61;

	for (u_int i = 0; i < nitems(c); i++) {
		struct blkneg_ours o = ours;

		o.indirect_segs = c[i].mine;
		b.max_indirect_segs = c[i].theirs;
		KU_ASSERT(blkneg_negotiate(&o, &b, &n) == 0, "refused");
		KU_ASSERT(n.indirect_segs == c[i].want &&
		    n.max_segs == (c[i].want ? c[i].want : 11),
		    "ours %u theirs %u: %u (max %u), want %u", c[i].mine,
		    c[i].theirs, n.indirect_segs, n.max_segs, c[i].want);
	}
}

KUNIT_TEST(blkneg_geometry)
{
	static const struct {
		uint64_t sectors;
		uint32_t ss, pss;
		int	error;
		uint64_t want_sectors;
	} c[] = {
		{ 1024, 512, 0, 0, 1024 },
		{ 1024, 4096, 0, 0, 1024 },
		{ 1024, 1024, 4096, 0, 1024 },
		{ 17, 4096, 0, 0, 16 },		/* whole 4 KiB blocks */
		{ 7, 4096, 0, EINVAL, 0 },	/* not one block */
		{ 0, 512, 0, EINVAL, 0 },
		{ 1024, 0, 0, EINVAL, 0 },
		{ 1024, 256, 0, EINVAL, 0 },
		{ 1024, 768, 0, EINVAL, 0 },
		{ 1024, 8192, 0, EINVAL, 0 },
		{ 1024, 0xffffffff, 0, EINVAL, 0 },
		{ 1024, 4096, 2048, EINVAL, 0 },	/* pss below ss */
		{ 1024, 512, 3000, EINVAL, 0 },
		{ UINT64_MAX / 512, 512, 0, 0, UINT64_MAX / 512 },
		{ UINT64_MAX / 512 + 1, 512, 0, EINVAL, 0 },
		{ UINT64_MAX, 512, 0, EINVAL, 0 },
	};
	struct blkneg_backend b = linux61;

	for (u_int i = 0; i < nitems(c); i++) {
		b.sectors = c[i].sectors;
		b.sector_size = c[i].ss;
		b.physical_sector_size = c[i].pss;
		int e = blkneg_negotiate(&ours, &b, &n);
		KU_ASSERT(e == c[i].error, "case %u: error %d, want %d", i, e,
		    c[i].error);
		if (e != 0)
			continue;
		KU_ASSERT(n.sectors == c[i].want_sectors &&
		    n.media_size / 512 == c[i].want_sectors &&
		    n.media_size % c[i].ss == 0, "case %u: %ju sectors, %ju bytes",
		    i, (uintmax_t)n.sectors, (uintmax_t)n.media_size);
		KU_ASSERT(n.physical_sector_size == (c[i].pss ? c[i].pss : c[i].ss),
		    "case %u: pss %u", i, n.physical_sector_size);
	}
}

KUNIT_TEST(blkneg_features)
{
	struct blkneg_backend b = linux61;

	b.flush = false;
	b.barrier = true;
	b.persistent = false;
	b.info = VDISK_READONLY | VDISK_CDROM;
	KU_ASSERT(blkneg_negotiate(&ours, &b, &n) == 0, "refused");
	KU_ASSERT(n.features == (BLKRING_F_BARRIER | BLKRING_F_DISCARD |
	    BLKRING_F_READONLY) &&
	    !n.persistent && n.readonly && n.cdrom && !n.removable,
	    "features %#x persistent %d ro %d", n.features, n.persistent,
	    n.readonly);
	/* Secure discard only with discard. */
	b.discard_secure = true;
	KU_ASSERT(blkneg_negotiate(&ours, &b, &n) == 0 &&
	    (n.features & BLKRING_F_SECDISCARD), "secure discard");
	b.discard = false;
	KU_ASSERT(blkneg_negotiate(&ours, &b, &n) == 0 &&
	    (n.features & (BLKRING_F_DISCARD | BLKRING_F_SECDISCARD)) == 0,
	    "secure discard without discard: %#x", n.features);
}

KUNIT_TEST(blkneg_discard_parameters)
{
	static const struct {
		uint32_t ss, gran, align;
		bool	on;
		uint32_t want_gran;
	} c[] = {
		{ 512, 0, 0, true, 512 },	/* granularity defaults to ss */
		{ 4096, 0, 0, true, 4096 },
		{ 512, 4096, 512, true, 4096 },
		{ 512, 1536, 1024, true, 1536 },
		{ 512, 1000, 0, false, 0 },	/* not whole sectors */
		{ 4096, 512, 0, false, 0 },	/* below one sector */
		{ 512, 4096, 100, false, 0 },
		{ 512, 4096, 4096, false, 0 },	/* alignment >= granularity */
		{ 512, 4096, 0xfffffe00, false, 0 },
	};
	struct blkneg_backend b = linux61;

	for (u_int i = 0; i < nitems(c); i++) {
		b.sector_size = c[i].ss;
		b.physical_sector_size = 0;
		b.discard_granularity = c[i].gran;
		b.discard_alignment = c[i].align;
		KU_ASSERT(blkneg_negotiate(&ours, &b, &n) == 0,
		    "case %u refused the disk", i);
		KU_ASSERT(((n.features & BLKRING_F_DISCARD) != 0) == c[i].on,
		    "case %u: discard %s", i, c[i].on ? "off" : "on");
		KU_ASSERT(!c[i].on || (n.discard_granularity == c[i].want_gran &&
		    n.discard_alignment == c[i].align), "case %u: %u/%u", i,
		    n.discard_granularity, n.discard_alignment);
	}
}

/* Node lists: refs are 100 + index, ports 10 + queue. */
static struct blkneg_node nodes[BLKNEG_MAX_NODES + 1];
static grant_ref_t refs[BLKNEG_MAX_QUEUES * BLKRING_MAX_PAGES];
static evtchn_port_t ports[BLKNEG_MAX_QUEUES];

static u_int
make_nodes(u_int order, u_int queues, bool persistent)
{
	struct blkneg m = { .ring_order = order, .ring_pages = 1u << order,
		.queues = queues, .persistent_offer = persistent };
	u_int count;

	for (u_int i = 0; i < nitems(refs); i++)
		refs[i] = 100 + i;
	for (u_int i = 0; i < nitems(ports); i++)
		ports[i] = 10 + i;
	KU_ASSERT(blkneg_nodes(&m, refs, ports, nodes, nitems(nodes), &count) ==
	    0, "nodes order %u queues %u", order, queues);
	return (count);
}

static void
expect(u_int count, const char *const *want, u_int nwant)
{
	KU_ASSERT(count * 2 == nwant, "%u nodes, want %u", count, nwant / 2);
	for (u_int i = 0; i < nwant; i += 2)
		KU_ASSERT(strcmp(nodes[i / 2].path, want[i]) == 0 &&
		    strcmp(nodes[i / 2].value, want[i + 1]) == 0,
		    "node %u: %s=%s, want %s=%s", i / 2, nodes[i / 2].path,
		    nodes[i / 2].value, want[i], want[i + 1]);
}

KUNIT_TEST(blkneg_nodes_one_page)
{
	static const char *const want[] = { "ring-ref", "100",
		"event-channel", "10", "protocol", "x86_64-abi",
		"feature-persistent", "1" };

	expect(make_nodes(0, 1, true), want, nitems(want));
}

KUNIT_TEST(blkneg_nodes_multi_page)
{
	static const char *const want[] = { "ring-page-order", "2",
		"ring-ref0", "100", "ring-ref1", "101", "ring-ref2", "102",
		"ring-ref3", "103", "event-channel", "10",
		"protocol", "x86_64-abi", "feature-persistent", "0" };

	expect(make_nodes(2, 1, false), want, nitems(want));
}

KUNIT_TEST(blkneg_nodes_two_queues)
{
	static const char *const want[] = { "multi-queue-num-queues", "2",
		"queue-0/ring-ref", "100", "queue-0/event-channel", "10",
		"queue-1/ring-ref", "101", "queue-1/event-channel", "11",
		"protocol", "x86_64-abi", "feature-persistent", "1" };
	static const char *const want2[] = { "ring-page-order", "1",
		"multi-queue-num-queues", "2",
		"queue-0/ring-ref0", "100", "queue-0/ring-ref1", "101",
		"queue-0/event-channel", "10",
		"queue-1/ring-ref0", "102", "queue-1/ring-ref1", "103",
		"queue-1/event-channel", "11",
		"protocol", "x86_64-abi", "feature-persistent", "1" };

	expect(make_nodes(0, 2, true), want, nitems(want));
	expect(make_nodes(1, 2, true), want2, nitems(want2));
}

KUNIT_TEST(blkneg_nodes_largest)
{
	u_int count = make_nodes(BLKRING_MAX_ORDER, BLKNEG_MAX_QUEUES, true);
	struct blkneg m = { .ring_order = 4, .ring_pages = 16, .queues = 16 };

	KU_ASSERT(count == BLKNEG_MAX_NODES && count == 2 + 16 * 17 + 2,
	    "%u nodes", count);
	KU_ASSERT(strcmp(nodes[count - 3].path, "queue-15/event-channel") == 0 &&
	    strcmp(nodes[count - 4].path, "queue-15/ring-ref15") == 0 &&
	    strcmp(nodes[count - 4].value, "355") == 0, "last queue: %s=%s",
	    nodes[count - 4].path, nodes[count - 4].value);
	/* Never both spellings of the ring ref, nor a top-level one. */
	for (u_int i = 0; i < count; i++)
		KU_ASSERT(strcmp(nodes[i].path, "ring-ref") != 0 &&
		    strcmp(nodes[i].path, "ring-ref0") != 0 &&
		    strcmp(nodes[i].path, "event-channel") != 0,
		    "top-level %s with queues", nodes[i].path);
	KU_ASSERT(blkneg_nodes(&m, refs, ports, nodes, count - 1, &count) ==
	    ENOSPC && count == BLKNEG_MAX_NODES - 1, "short array: %u", count);
}

/*
 * At InitWait blkback has not written feature-persistent yet (it does at
 * connect, after reading ours): our offer is written all the same, and
 * persistent grants are used only once both ends said 1.
 */
KUNIT_TEST(blkneg_persistent_offered_before_backend_says)
{
	struct blkneg_ours o = { .ring_order = 0, .queues = 1,
		.persistent = true };
	struct blkneg_backend b = { .sectors = 1, .sector_size = 512 };
	struct blkneg n;
	u_int count;

	KU_ASSERT(blkneg_negotiate(&o, &b, &n) == 0, "negotiate");
	KU_ASSERT(!n.persistent, "persistent without the backend's 1");
	for (u_int i = 0; i < nitems(refs); i++)
		refs[i] = 100 + i;
	KU_ASSERT(blkneg_nodes(&n, refs, ports, nodes, nitems(nodes), &count) ==
	    0, "nodes");
	KU_ASSERT(count >= 1 && strcmp(nodes[count - 1].path,
	    "feature-persistent") == 0 && strcmp(nodes[count - 1].value, "1") ==
	    0, "last node %s=%s, want feature-persistent=1",
	    nodes[count - 1].path, nodes[count - 1].value);
	b.persistent = true;
	KU_ASSERT(blkneg_negotiate(&o, &b, &n) == 0 && n.persistent,
	    "both said 1, not persistent");
	o.persistent = false;
	KU_ASSERT(blkneg_negotiate(&o, &b, &n) == 0 && !n.persistent &&
	    !n.persistent_offer, "persistent though we did not offer");
	KU_ASSERT(blkneg_nodes(&n, refs, ports, nodes, nitems(nodes), &count) ==
	    0 && strcmp(nodes[count - 1].value, "0") == 0,
	    "feature-persistent=%s without our offer", nodes[count - 1].value);
}
