/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * blkfront's ring logic (sys/dev/xen/blkfront/blkfront_ring.c) against the
 * in-memory backend of fake_blkback.c: round trips across the index wrap on
 * rings of 1 to 16 pages, indirect requests, request validation, and a
 * hostile backend (bad ids, duplicates, wrong operations, impossible
 * producer indexes) that must kill the ring without a double completion.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/xen/blkfront/blkfront_ring.h>

#include "fake_blkback.h"
#include "kunit.h"

static char ringmem[BLKRING_MAX_PAGES * 4096] __aligned(4096);
static struct blkif_request_segment indmem[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST]
					  [BLKRING_SEGS_PER_INDIRECT_PAGE]
    __aligned(4096);
static struct blkring r;
static struct fake_blkback fb;
static struct fbb_req got;

/* Completions seen by the done callback, per id. */
static u_int ndone;
static u_int done_count[BLKRING_MAX_SLOTS];
static struct blkring_done last;

static void
count_done(void *arg, const struct blkring_done *d)
{
	KU_ASSERT(d->id < BLKRING_MAX_SLOTS, "done id %u", d->id);
	done_count[d->id]++;
	ndone++;
	last = *d;
}

/* Grant refs of the indirect pages in the fake grant table. */
#define IND_GREF0	40

static void
setup(u_int order, u_int features, u_int max_indirect, RING_IDX start)
{
	blkif_sring_t *s = (blkif_sring_t *)ringmem;

	memset(ringmem, 0xa5, sizeof(ringmem));
	KU_ASSERT(blkring_init(&r, s, order, features, max_indirect, 0x33) == 0,
	    "init order %u", order);
	/* Move every index near the top of the index space to cross the wrap. */
	s->req_prod = s->rsp_prod = start;
	s->req_event = s->rsp_event = start + 1;
	r.fr.req_prod_pvt = r.fr.rsp_cons = r.published = start;
	fbb_attach(&fb, s, order);
	for (u_int i = 0; i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++)
		fb.grants[IND_GREF0 + i] = indmem[i];
	ndone = 0;
	memset(done_count, 0, sizeof(done_count));
}

static struct blkring_seg segbuf[BLKRING_MAX_INDIRECT_SEGS];
static struct blkif_request_segment *const indptr[] = { indmem[0], indmem[1],
	indmem[2], indmem[3], indmem[4], indmem[5], indmem[6], indmem[7] };
static const grant_ref_t indgref[] = { IND_GREF0, IND_GREF0 + 1,
	IND_GREF0 + 2, IND_GREF0 + 3, IND_GREF0 + 4, IND_GREF0 + 5,
	IND_GREF0 + 6, IND_GREF0 + 7 };

/* A read or write of nsegs segments, each derived from seq and its index. */
static struct blkring_io
rw_io(uint8_t op, u_int nsegs, uint64_t seq)
{
	struct blkring_io io = { .op = op, .sector = seq * 1000 + 7,
		.segs = segbuf, .nsegs = nsegs, .ind_pages = indptr,
		.ind_grefs = indgref,
		.n_ind_pages = BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST };

	for (u_int i = 0; i < nsegs; i++) {
		segbuf[i].gref = (grant_ref_t)(1000 + seq * 17 + i);
		segbuf[i].first_sect = (uint8_t)(i % 8);
		segbuf[i].last_sect = 7;
	}
	return (io);
}

/* What the backend got must be what rw_io() built. */
static void
check_rw(const struct fbb_req *q, uint8_t op, u_int nsegs, uint64_t seq)
{
	KU_ASSERT(q->op == op, "op %u, want %u", q->op, op);
	KU_ASSERT(q->operation == (nsegs > BLKIF_MAX_SEGMENTS_PER_REQUEST ?
	    BLKIF_OP_INDIRECT : op), "ring operation %u", q->operation);
	KU_ASSERT(q->nsegs == nsegs, "nsegs %u, want %u", q->nsegs, nsegs);
	KU_ASSERT(q->sector == seq * 1000 + 7, "sector %ju",
	    (uintmax_t)q->sector);
	KU_ASSERT(q->handle == 0x33, "handle %#x", q->handle);
	for (u_int i = 0; i < nsegs; i++) {
		KU_ASSERT(q->segs[i].gref == 1000 + seq * 17 + i &&
		    q->segs[i].first_sect == i % 8 && q->segs[i].last_sect == 7,
		    "segment %u: gref %u sects %u-%u", i, q->segs[i].gref,
		    q->segs[i].first_sect, q->segs[i].last_sect);
	}
}

/* Independent reference: entries of 2^order pages, rounded down to 2^k. */
static u_int
ref_entries(u_int order)
{
	size_t room = ((size_t)4096 << order) - offsetof(blkif_sring_t, ring);
	u_int n = (u_int)(room / sizeof(union blkif_sring_entry)), p = 1;

	while (p * 2 <= n)
		p *= 2;
	return (p);
}

KUNIT_TEST(blkring_sizes_by_order)
{
	static const u_int want[] = { 32, 64, 128, 256, 512 };

	for (u_int o = 0; o <= BLKRING_MAX_ORDER; o++) {
		KU_ASSERT(blkring_entries(o) == ref_entries(o) &&
		    ref_entries(o) == want[o], "order %u: %u entries, want %u",
		    o, blkring_entries(o), want[o]);
		setup(o, 0, 0, 0);
		KU_ASSERT(r.nslots == want[o] && RING_SIZE(&fb.br) == want[o] &&
		    blkring_free_slots(&r) == want[o], "order %u: %u slots", o,
		    r.nslots);
	}
	KU_ASSERT(blkring_entries(BLKRING_MAX_ORDER + 1) == 0, "order 5");
	KU_ASSERT(blkring_init(&r, (blkif_sring_t *)ringmem,
	    BLKRING_MAX_ORDER + 1, 0, 0, 0) == EINVAL, "init order 5");
	KU_ASSERT(blkring_init(&r, (blkif_sring_t *)ringmem, 0, 0,
	    BLKRING_MAX_INDIRECT_SEGS + 1, 0) == EINVAL, "init 4097 indirect");
}

/*
 * Fills the ring, answers in a scrambled order, refills as slots free up,
 * for three ring-fulls, starting 5 entries before the 32-bit index wrap.
 */
static void
roundtrip(u_int order)
{
	u_int n = blkring_entries(order), total = 3 * n, sent = 0, answered = 0;
	static uint64_t seq_of[BLKRING_MAX_SLOTS];
	static uint64_t pending[BLKRING_MAX_SLOTS];
	u_int npending;
	uint16_t id;

	setup(order, 0, 0, 0xfffffffb);
	while (answered < total) {
		while (sent < total && blkring_free_slots(&r) > 0) {
			struct blkring_io io = rw_io(sent % 2 ? BLKIF_OP_WRITE :
			    BLKIF_OP_READ, 1 + sent % 11, sent);

			KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "queue %u",
			    sent);
			seq_of[id] = sent++;
		}
		KU_ASSERT(blkring_free_slots(&r) == 0 || sent == total,
		    "ring not filled");
		(void)blkring_push(&r);
		npending = 0;
		while (fbb_take(&fb, &got)) {
			uint64_t seq = seq_of[got.id];

			KU_ASSERT(got.id < n, "id %ju", (uintmax_t)got.id);
			check_rw(&got, seq % 2 ? BLKIF_OP_WRITE : BLKIF_OP_READ,
			    1 + seq % 11, seq);
			pending[npending++] = got.id;
		}
		/* Answer in reverse order, then the rest of a later pass. */
		for (u_int i = npending; i-- > 0;)
			fbb_respond(&fb, pending[i], seq_of[pending[i]] % 2 ?
			    BLKIF_OP_WRITE : BLKIF_OP_READ, BLKIF_RSP_OKAY);
		(void)fbb_publish(&fb);
		u_int before = ndone;
		KU_ASSERT(blkring_consume(&r, count_done, NULL) == 0,
		    "consume: error %d id %ju", r.error_kind,
		    (uintmax_t)r.error_id);
		KU_ASSERT(ndone - before == npending, "%u completions for %u",
		    ndone - before, npending);
		answered += npending;
		KU_ASSERT(blkring_inflight(&r) == sent - answered, "in flight");
	}
	for (u_int i = 0; i < n; i++)
		KU_ASSERT(done_count[i] == 3, "order %u: id %u completed %u times",
		    order, i, done_count[i]);
	KU_ASSERT((RING_IDX)(r.fr.rsp_cons - 0xfffffffb) == total,
	    "rsp_cons did not cross the wrap");
}

KUNIT_TEST(blkring_roundtrip_1_page)
{
	roundtrip(0);
}

KUNIT_TEST(blkring_roundtrip_2_pages)
{
	roundtrip(1);
}

KUNIT_TEST(blkring_roundtrip_4_pages)
{
	roundtrip(2);
}

KUNIT_TEST(blkring_roundtrip_8_pages)
{
	roundtrip(3);
}

KUNIT_TEST(blkring_roundtrip_16_pages)
{
	roundtrip(4);
}

KUNIT_TEST(blkring_full_ring_says_eagain)
{
	struct blkring_io io = rw_io(BLKIF_OP_READ, 1, 0);
	uint16_t id;

	setup(0, 0, 0, 0);
	for (u_int i = 0; i < 32; i++)
		KU_ASSERT(blkring_queue(&r, &io, &id) == 0 && id == i,
		    "queue %u gave id %u", i, id);
	KU_ASSERT(blkring_queue(&r, &io, &id) == EAGAIN, "33rd request");
	KU_ASSERT(blkring_inflight(&r) == 32, "in flight %u",
	    blkring_inflight(&r));
}

KUNIT_TEST(blkring_indirect)
{
	static const u_int sizes[] = { 12, 100, 512, 513, 1000, 4096 };
	uint16_t id;

	for (u_int k = 0; k < nitems(sizes); k++) {
		u_int ns = sizes[k];
		struct blkring_io io = rw_io(BLKIF_OP_WRITE, ns, k);

		setup(2, 0, BLKRING_MAX_INDIRECT_SEGS, 0);
		/* Stale data where the tail of the last page will be. */
		memset(indmem, 0xee, sizeof(indmem));
		KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "%u segments", ns);
		(void)blkring_push(&r);
		KU_ASSERT(fbb_take(&fb, &got), "no request");
		KU_ASSERT(got.id == id, "id %ju", (uintmax_t)got.id);
		check_rw(&got, BLKIF_OP_WRITE, ns, k);
		KU_ASSERT(got.n_ind == howmany(ns, 512), "%u indirect pages",
		    got.n_ind);
		for (u_int p = 0; p < got.n_ind; p++)
			KU_ASSERT(got.ind_grefs[p] == IND_GREF0 + p, "indirect gref");
		/* The unused tail of the last indirect page is zeroed. */
		for (u_int i = ns; i < got.n_ind * 512; i++)
			KU_ASSERT(indmem[i / 512][i % 512].gref == 0 &&
			    indmem[i / 512][i % 512].last_sect == 0,
			    "stale segment %u after %u", i, ns);
		/* blkback answers with the inner operation. */
		fbb_respond(&fb, id, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
		(void)fbb_publish(&fb);
		KU_ASSERT(blkring_consume(&r, count_done, NULL) == 0 &&
		    ndone == 1 && last.id == id && last.error == 0 &&
		    last.op == BLKIF_OP_WRITE, "completion of %u segments", ns);
	}
}

KUNIT_TEST(blkring_indirect_limits)
{
	struct blkring_io io;
	uint16_t id;

	/* None negotiated: 11 segments go direct, 12 cannot go at all. */
	setup(0, 0, 0, 0);
	io = rw_io(BLKIF_OP_READ, 11, 1);
	KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "11 direct");
	io = rw_io(BLKIF_OP_READ, 12, 1);
	KU_ASSERT(blkring_queue(&r, &io, &id) == EOPNOTSUPP, "12, no indirect");
	/* Above the negotiated count. */
	setup(0, 0, 32, 0);
	io = rw_io(BLKIF_OP_READ, 32, 1);
	KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "32 of 32");
	io = rw_io(BLKIF_OP_READ, 33, 1);
	KU_ASSERT(blkring_queue(&r, &io, &id) == EINVAL, "33 of 32");
	/* Not enough indirect pages from the caller. */
	setup(0, 0, 4096, 0);
	io = rw_io(BLKIF_OP_READ, 513, 1);
	io.n_ind_pages = 1;
	KU_ASSERT(blkring_queue(&r, &io, &id) == EINVAL, "513 in one page");
	/* Only reads and writes may be indirect. */
	setup(0, BLKRING_F_FLUSH, 4096, 0);
	io = rw_io(BLKIF_OP_FLUSH_DISKCACHE, 12, 1);
	KU_ASSERT(blkring_queue(&r, &io, &id) == EINVAL, "indirect flush");
	/* Failed requests took no slot and wrote nothing. */
	KU_ASSERT(blkring_inflight(&r) == 0 && r.fr.req_prod_pvt == 0,
	    "a refused request was queued");
}

KUNIT_TEST(blkring_request_validation)
{
	struct blkring_io io;
	uint16_t id;

	setup(0, 0, 0, 0);
	io = rw_io(BLKIF_OP_READ, 0, 0);
	KU_ASSERT(blkring_queue(&r, &io, &id) == EINVAL, "read of 0 segments");
	io = rw_io(BLKIF_OP_READ, 2, 0);
	segbuf[1].last_sect = 8;
	KU_ASSERT(blkring_queue(&r, &io, &id) == EINVAL, "last_sect 8");
	io = rw_io(BLKIF_OP_WRITE, 2, 0);
	segbuf[0].first_sect = 5;
	segbuf[0].last_sect = 4;
	KU_ASSERT(blkring_queue(&r, &io, &id) == EINVAL, "first > last");
	io = rw_io(BLKIF_OP_INDIRECT, 2, 0);
	KU_ASSERT(blkring_queue(&r, &io, &id) == EINVAL, "op INDIRECT");
	io = rw_io(BLKIF_OP_RESERVED_1, 2, 0);
	KU_ASSERT(blkring_queue(&r, &io, &id) == EINVAL, "op RESERVED_1");
	/* Optional operations the backend did not offer. */
	io = (struct blkring_io){ .op = BLKIF_OP_FLUSH_DISKCACHE };
	KU_ASSERT(blkring_queue(&r, &io, &id) == EOPNOTSUPP, "flush");
	io = (struct blkring_io){ .op = BLKIF_OP_WRITE_BARRIER };
	KU_ASSERT(blkring_queue(&r, &io, &id) == EOPNOTSUPP, "barrier");
	io = (struct blkring_io){ .op = BLKIF_OP_DISCARD, .nr_sectors = 8 };
	KU_ASSERT(blkring_queue(&r, &io, &id) == EOPNOTSUPP, "discard");
	setup(0, BLKRING_F_DISCARD, 0, 0);
	io.secure = true;
	KU_ASSERT(blkring_queue(&r, &io, &id) == EOPNOTSUPP, "secure discard");
	io = (struct blkring_io){ .op = BLKIF_OP_DISCARD, .nr_sectors = 0 };
	KU_ASSERT(blkring_queue(&r, &io, &id) == EINVAL, "empty discard");
	KU_ASSERT(blkring_inflight(&r) == 0, "a refused request was queued");
}

KUNIT_TEST(blkring_flush_and_discard)
{
	struct blkring_io io;
	uint16_t id;

	setup(0, BLKRING_F_FLUSH | BLKRING_F_DISCARD | BLKRING_F_SECDISCARD, 0,
	    0);
	io = (struct blkring_io){ .op = BLKIF_OP_FLUSH_DISKCACHE };
	KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "flush");
	io = (struct blkring_io){ .op = BLKIF_OP_DISCARD, .sector = 4096,
		.nr_sectors = 2048, .secure = true };
	KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "discard");
	(void)blkring_push(&r);
	KU_ASSERT(fbb_take(&fb, &got) && got.op == BLKIF_OP_FLUSH_DISKCACHE &&
	    got.nsegs == 0 && got.id == 0, "flush on the ring");
	KU_ASSERT(fbb_take(&fb, &got) && got.op == BLKIF_OP_DISCARD &&
	    got.id == 1 && got.sector == 4096 && got.nr_sectors == 2048 &&
	    got.discard_flag == BLKIF_DISCARD_SECURE && got.handle == 0x33,
	    "discard on the ring: sector %ju count %ju flag %u",
	    (uintmax_t)got.sector, (uintmax_t)got.nr_sectors,
	    got.discard_flag);
}

KUNIT_TEST(blkring_readonly_refuses_writes)
{
	struct blkring_io io;
	uint16_t id;

	setup(0, BLKRING_F_READONLY | BLKRING_F_FLUSH | BLKRING_F_BARRIER |
	    BLKRING_F_DISCARD, 0, 0);
	io = rw_io(BLKIF_OP_WRITE, 3, 0);
	KU_ASSERT(blkring_queue(&r, &io, &id) == EROFS, "write");
	io = (struct blkring_io){ .op = BLKIF_OP_WRITE_BARRIER };
	KU_ASSERT(blkring_queue(&r, &io, &id) == EROFS, "barrier");
	io = (struct blkring_io){ .op = BLKIF_OP_DISCARD, .nr_sectors = 8 };
	KU_ASSERT(blkring_queue(&r, &io, &id) == EROFS, "discard");
	KU_ASSERT(blkring_inflight(&r) == 0 && r.fr.req_prod_pvt == 0,
	    "a refused request was queued");
	/* Reads and flushes still go. */
	io = rw_io(BLKIF_OP_READ, 3, 0);
	KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "read");
	io = (struct blkring_io){ .op = BLKIF_OP_FLUSH_DISKCACHE };
	KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "flush");
	(void)blkring_push(&r);
	KU_ASSERT(fbb_take(&fb, &got) && got.op == BLKIF_OP_READ &&
	    fbb_take(&fb, &got) && got.op == BLKIF_OP_FLUSH_DISKCACHE &&
	    !fbb_take(&fb, &got), "the backend saw something else");
}

/* Status mapping, and EOPNOTSUPP turning an optional operation off. */
KUNIT_TEST(blkring_status_mapping)
{
	static const struct {
		uint8_t	op;
		int16_t	status;
		int	error;
		u_int	features_after;
	} cases[] = {
		{ BLKIF_OP_READ, BLKIF_RSP_OKAY, 0, 0xf },
		{ BLKIF_OP_WRITE, BLKIF_RSP_ERROR, EIO, 0xf },
		{ BLKIF_OP_READ, BLKIF_RSP_EOPNOTSUPP, EIO, 0xf },
		{ BLKIF_OP_WRITE, 7, EIO, 0xf },
		{ BLKIF_OP_WRITE, -300, EIO, 0xf },
		{ BLKIF_OP_FLUSH_DISKCACHE, BLKIF_RSP_OKAY, 0, 0xf },
		{ BLKIF_OP_FLUSH_DISKCACHE, BLKIF_RSP_ERROR, EIO, 0xf },
		{ BLKIF_OP_FLUSH_DISKCACHE, BLKIF_RSP_EOPNOTSUPP, EOPNOTSUPP,
		    0xf & ~BLKRING_F_FLUSH },
		{ BLKIF_OP_WRITE_BARRIER, BLKIF_RSP_EOPNOTSUPP, EOPNOTSUPP,
		    0xf & ~BLKRING_F_BARRIER },
		{ BLKIF_OP_DISCARD, BLKIF_RSP_EOPNOTSUPP, EOPNOTSUPP,
		    BLKRING_F_FLUSH | BLKRING_F_BARRIER },
	};
	const u_int all = BLKRING_F_FLUSH | BLKRING_F_BARRIER |
	    BLKRING_F_DISCARD | BLKRING_F_SECDISCARD;
	uint16_t id;

	KU_ASSERT(all == 0xf, "feature bits");
	for (u_int k = 0; k < nitems(cases); k++) {
		struct blkring_io io = rw_io(cases[k].op, 1, k);

		if (cases[k].op != BLKIF_OP_READ && cases[k].op != BLKIF_OP_WRITE) {
			io.nsegs = 0;
			io.nr_sectors = 8;
		}
		setup(0, all, 0, 0);
		KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "case %u queue", k);
		(void)blkring_push(&r);
		KU_ASSERT(fbb_take(&fb, &got), "case %u take", k);
		fbb_respond(&fb, got.id, got.op, cases[k].status);
		(void)fbb_publish(&fb);
		KU_ASSERT(blkring_consume(&r, count_done, NULL) == 0 && ndone == 1,
		    "case %u consume", k);
		KU_ASSERT(last.error == cases[k].error &&
		    last.status == cases[k].status, "case %u: error %d, want %d",
		    k, last.error, cases[k].error);
		KU_ASSERT(r.features == cases[k].features_after,
		    "case %u: features %#x, want %#x", k, r.features,
		    cases[k].features_after);
	}
	/* A flush refused once is refused locally afterwards. */
	struct blkring_io io = { .op = BLKIF_OP_FLUSH_DISKCACHE };
	setup(0, all & ~BLKRING_F_FLUSH, 0, 0);
	KU_ASSERT(blkring_queue(&r, &io, &id) == EOPNOTSUPP, "flush after off");
}

/*
 * A hostile backend.  Queues 4 reads (ids 0..3), answers id 0 properly,
 * then writes the bad responses given and publishes; the ring must die with
 * the given kind, having completed id 0 exactly once and nothing else.
 */
struct bad {
	const char	*what;
	u_int		nrsp;
	struct {
		uint64_t	id;
		uint8_t		op;
	} rsp[3];
	int		prod_delta;	/* added to rsp_prod after publishing */
	enum blkring_error kind;
};

static void
hostile(const struct bad *b)
{
	struct blkring_io io;
	blkif_sring_t *s = (blkif_sring_t *)ringmem;
	uint16_t id;

	setup(0, 0, 0, 0xfffffffe);
	for (u_int i = 0; i < 4; i++) {
		io = rw_io(BLKIF_OP_READ, 1, i);
		KU_ASSERT(blkring_queue(&r, &io, &id) == 0 && id == i, "queue");
	}
	(void)blkring_push(&r);
	fbb_respond(&fb, 0, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	for (u_int i = 0; i < b->nrsp; i++)
		fbb_respond(&fb, b->rsp[i].id, b->rsp[i].op, BLKIF_RSP_OKAY);
	(void)fbb_publish(&fb);
	s->rsp_prod += (RING_IDX)b->prod_delta;
	KU_ASSERT(blkring_consume(&r, count_done, NULL) == EPROTO,
	    "%s: not a protocol error", b->what);
	KU_ASSERT(r.dead && r.error_kind == b->kind, "%s: kind %d, want %d",
	    b->what, r.error_kind, b->kind);
	for (u_int i = 0; i < BLKRING_MAX_SLOTS; i++)
		KU_ASSERT(done_count[i] <= 1, "%s: id %u completed %u times",
		    b->what, i, done_count[i]);
	KU_ASSERT(ndone <= 1 + b->nrsp, "%s: %u completions", b->what, ndone);
	/* Dead stays dead. */
	KU_ASSERT(blkring_consume(&r, count_done, NULL) == ENXIO,
	    "%s: consume after death", b->what);
	io = rw_io(BLKIF_OP_READ, 1, 9);
	KU_ASSERT(blkring_queue(&r, &io, &id) == ENXIO && !blkring_push(&r) &&
	    blkring_free_slots(&r) == 0, "%s: queue after death", b->what);
	for (u_int i = 0; i < BLKRING_MAX_SLOTS; i++)
		KU_ASSERT(done_count[i] <= 1, "%s: id %u completed %u times",
		    b->what, i, done_count[i]);
}

KUNIT_TEST(blkring_hostile_unknown_id)
{
	hostile(&(struct bad){ "id 32", 1, { { 32, BLKIF_OP_READ } }, 0,
	    BLKRING_ERR_ID });
	KU_ASSERT(done_count[0] == 1, "the good response was lost");
	hostile(&(struct bad){ "id 2^32 + 1", 1, { { (1ull << 32) | 1,
	    BLKIF_OP_READ } }, 0, BLKRING_ERR_ID });
	KU_ASSERT(done_count[1] == 0, "a truncated id completed id 1");
	hostile(&(struct bad){ "id 2^16 + 2", 1, { { (1ull << 16) | 2,
	    BLKIF_OP_READ } }, 0, BLKRING_ERR_ID });
	KU_ASSERT(done_count[2] == 0, "a truncated id completed id 2");
	hostile(&(struct bad){ "id ~0", 1, { { ~0ull, BLKIF_OP_READ } }, 0,
	    BLKRING_ERR_ID });
}

KUNIT_TEST(blkring_hostile_duplicate)
{
	hostile(&(struct bad){ "id 0 twice", 1, { { 0, BLKIF_OP_READ } }, 0,
	    BLKRING_ERR_DUPLICATE });
	KU_ASSERT(done_count[0] == 1, "id 0: %u completions", done_count[0]);
	hostile(&(struct bad){ "id 1 twice", 2, { { 1, BLKIF_OP_READ },
	    { 1, BLKIF_OP_READ } }, 0, BLKRING_ERR_DUPLICATE });
	KU_ASSERT(done_count[1] == 1, "id 1: %u completions", done_count[1]);
}

KUNIT_TEST(blkring_hostile_not_in_flight)
{
	hostile(&(struct bad){ "id 4, never sent", 1, { { 4, BLKIF_OP_READ } },
	    0, BLKRING_ERR_NOTINFLIGHT });
	hostile(&(struct bad){ "id 31, never sent", 1, { { 31, BLKIF_OP_READ } },
	    0, BLKRING_ERR_NOTINFLIGHT });
}

KUNIT_TEST(blkring_hostile_wrong_op)
{
	hostile(&(struct bad){ "write for a read", 1, { { 1, BLKIF_OP_WRITE } },
	    0, BLKRING_ERR_OP });
	KU_ASSERT(done_count[1] == 0, "a mismatched response completed");
	hostile(&(struct bad){ "INDIRECT for a read", 1, { { 1,
	    BLKIF_OP_INDIRECT } }, 0, BLKRING_ERR_OP });
}

KUNIT_TEST(blkring_hostile_prod)
{
	/* 4 requests out: 5 responses cannot exist, nor a ring's worth. */
	hostile(&(struct bad){ "rsp_prod 4 ahead of 1", 0, { { 0, 0 } }, 4,
	    BLKRING_ERR_PROD });
	KU_ASSERT(ndone == 0, "completions before a bad rsp_prod");
	hostile(&(struct bad){ "rsp_prod a ring ahead", 0, { { 0, 0 } }, 32,
	    BLKRING_ERR_PROD });
	hostile(&(struct bad){ "rsp_prod 2^31 ahead", 0, { { 0, 0 } },
	    0x7fffffff, BLKRING_ERR_PROD });
	hostile(&(struct bad){ "rsp_prod 1 behind", 0, { { 0, 0 } }, -2,
	    BLKRING_ERR_PROD });
}

/* A request written to the ring but not published cannot be answered. */
KUNIT_TEST(blkring_hostile_answers_unpublished)
{
	struct blkring_io io = rw_io(BLKIF_OP_READ, 1, 0);
	uint16_t id;

	setup(0, 0, 0, 0);
	KU_ASSERT(blkring_queue(&r, &io, &id) == 0 && id == 0, "queue 0");
	(void)blkring_push(&r);
	KU_ASSERT(blkring_queue(&r, &io, &id) == 0 && id == 1, "queue 1");
	/* The id is easy to guess: the backend answers both. */
	fbb_respond(&fb, 1, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	(void)fbb_publish(&fb);
	KU_ASSERT(blkring_consume(&r, count_done, NULL) == EPROTO &&
	    r.error_kind == BLKRING_ERR_NOTINFLIGHT && ndone == 0,
	    "answer to an unpublished request: kind %d, %u done",
	    r.error_kind, ndone);

	/* Two responses with one request published: too many. */
	setup(0, 0, 0, 0);
	KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "queue 0");
	(void)blkring_push(&r);
	KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "queue 1");
	fbb_respond(&fb, 0, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	fbb_respond(&fb, 1, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	(void)fbb_publish(&fb);
	KU_ASSERT(blkring_consume(&r, count_done, NULL) == EPROTO &&
	    r.error_kind == BLKRING_ERR_PROD && ndone == 0,
	    "2 responses for 1 published: kind %d, %u done", r.error_kind,
	    ndone);
}

/* rsp_prod moving backwards after responses were consumed. */
KUNIT_TEST(blkring_hostile_prod_backwards)
{
	struct blkring_io io = rw_io(BLKIF_OP_READ, 1, 0);
	blkif_sring_t *s = (blkif_sring_t *)ringmem;
	uint16_t id;

	setup(0, 0, 0, 0);
	for (u_int i = 0; i < 3; i++)
		KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "queue");
	(void)blkring_push(&r);
	fbb_respond(&fb, 0, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	fbb_respond(&fb, 1, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	(void)fbb_publish(&fb);
	KU_ASSERT(blkring_consume(&r, count_done, NULL) == 0 && ndone == 2,
	    "two good responses");
	s->rsp_prod = 1;
	KU_ASSERT(blkring_consume(&r, count_done, NULL) == EPROTO &&
	    r.error_kind == BLKRING_ERR_PROD && ndone == 2,
	    "rsp_prod back from 2 to 1: kind %d, %u done", r.error_kind, ndone);
}

/* The final check re-arms rsp_event and catches a late response. */
static void
late_response(void *arg, const struct blkring_done *d)
{
	count_done(arg, d);
	/* Published after consume read rsp_prod, before it re-armed. */
	if (d->id == 0) {
		fbb_respond(&fb, 1, BLKIF_OP_READ, BLKIF_RSP_OKAY);
		(void)fbb_publish(&fb);
	}
}

KUNIT_TEST(blkring_final_check_and_notify)
{
	struct blkring_io io = rw_io(BLKIF_OP_READ, 1, 0);
	blkif_sring_t *s = (blkif_sring_t *)ringmem;
	uint16_t id;

	setup(0, 0, 0, 0);
	KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "queue");
	KU_ASSERT(s->req_prod == 0, "queued request visible before push");
	/* The backend is waiting (req_event = 1): notify. */
	KU_ASSERT(blkring_push(&r), "first push did not ask for an event");
	KU_ASSERT(s->req_prod == 1, "req_prod %u after push", s->req_prod);
	KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "queue 2");
	/* The backend is busy (has not re-armed): no notification. */
	KU_ASSERT(!blkring_push(&r), "notified a backend that is not waiting");
	KU_ASSERT(fbb_take(&fb, &got) && fbb_take(&fb, &got), "two requests");
	KU_ASSERT(!fbb_final_check(&fb), "backend saw more");
	KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "queue 3");
	KU_ASSERT(blkring_push(&r), "a re-armed backend was not notified");

	fbb_respond(&fb, 0, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	(void)fbb_publish(&fb);
	KU_ASSERT(blkring_consume(&r, late_response, NULL) == 0, "consume");
	KU_ASSERT(ndone == 2 && done_count[0] == 1 && done_count[1] == 1,
	    "the late response was left on the ring (%u done)", ndone);
	KU_ASSERT(s->rsp_event == r.fr.rsp_cons + 1 && r.fr.rsp_cons == 2,
	    "rsp_event %u rsp_cons %u", s->rsp_event, r.fr.rsp_cons);
	/* With rsp_event re-armed, the backend's next response notifies. */
	fbb_respond(&fb, 2, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	KU_ASSERT(fbb_publish(&fb), "no event for the next response");
}

/* done may queue: the freed slot is reusable from inside the callback. */
static void
requeue(void *arg, const struct blkring_done *d)
{
	struct blkring_io io = rw_io(BLKIF_OP_READ, 1, 50);
	uint16_t id;

	count_done(arg, d);
	KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "requeue from done");
}

KUNIT_TEST(blkring_requeue_from_done)
{
	struct blkring_io io = rw_io(BLKIF_OP_READ, 1, 0);
	uint16_t id;

	setup(0, 0, 0, 0);
	for (u_int i = 0; i < 32; i++)
		KU_ASSERT(blkring_queue(&r, &io, &id) == 0, "queue");
	(void)blkring_push(&r);
	for (u_int i = 0; i < 32; i++) {
		KU_ASSERT(fbb_take(&fb, &got), "take");
		fbb_respond(&fb, got.id, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	}
	(void)fbb_publish(&fb);
	KU_ASSERT(blkring_consume(&r, requeue, NULL) == 0 && ndone == 32,
	    "consume with requeue");
	KU_ASSERT(blkring_inflight(&r) == 32, "in flight %u",
	    blkring_inflight(&r));
	(void)blkring_push(&r);
	for (u_int i = 0; i < 32; i++)
		KU_ASSERT(fbb_take(&fb, &got) && got.sector == 50 * 1000 + 7,
		    "requeued request %u", i);
}
