/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer target over blkfront's response path
 * (sys/dev/xen/blkfront/blkfront_ring.c, compiled unchanged against the
 * kernel headers).  The input plays the backend: it writes any response
 * (id, operation, status) at any ring entry, sets rsp_prod and the event
 * indexes to anything, answers some requests properly, and scribbles on
 * the shared page; the harness keeps requests in flight and runs the
 * frontend.  A shadow table, kept apart from the code under test, checks
 * after every step that no request completes twice or while not in flight,
 * that a completion carries its request's operation, that the slot
 * accounting and free list stay whole, and that a dead ring stays dead.
 * The ring sits at the very end of its buffer, so an index past its
 * 2^order pages hits ASan's redzone.  Invariants trap.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/xen/blkfront/blkfront_ring.h>

#include "../lib/fuzz_input.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(x) do {							\
	if (!(x))							\
		__builtin_trap();					\
} while (0)

/* KASSERT's panic: an assertion in the code under test is a finding. */
void
panic(const char *fmt, ...)
{
	(void)fmt;
	__builtin_trap();
}

static char ringbuf[BLKRING_MAX_PAGES * BLKRING_PAGE_SIZE]
    __aligned(BLKRING_PAGE_SIZE);
static struct blkif_request_segment
    indmem[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST][BLKRING_SEGS_PER_INDIRECT_PAGE]
    __aligned(BLKRING_PAGE_SIZE);
static struct blkif_request_segment *const indptr[] = { indmem[0],
	indmem[1], indmem[2], indmem[3], indmem[4], indmem[5], indmem[6],
	indmem[7] };
static const grant_ref_t indgref[] = { 8, 9, 10, 11, 12, 13, 14, 15 };
static struct blkring_seg segs[BLKRING_MAX_INDIRECT_SEGS];

static struct blkring r;
static blkif_sring_t *sring;

/* The harness's own view of each id. */
static struct {
	bool	inflight;	/* queued or published, not completed */
	bool	published;	/* pushed: the backend may answer it */
	uint8_t	op;
} shadow[BLKRING_MAX_SLOTS];
static u_int shadow_inflight;
static bool requeue_in_done;

static void
start(struct input *in)
{
	u_int cfg = take(in, 1), order = cfg % (BLKRING_MAX_ORDER + 1);
	u_int max_indirect = (cfg & 0x08) ? BLKRING_MAX_INDIRECT_SEGS :
	    (cfg & 0x10) ? 32 : 0;
	RING_IDX base = take(in, 4);

	sring = (blkif_sring_t *)(ringbuf + sizeof(ringbuf) -
	    ((size_t)BLKRING_PAGE_SIZE << order));
	CHECK(blkring_init(&r, sring, order, BLKRING_F_FLUSH |
	    BLKRING_F_BARRIER | BLKRING_F_DISCARD | BLKRING_F_SECDISCARD,
	    max_indirect, 0) == 0);
	/* Any starting point of the index space, wraps included. */
	sring->req_prod = sring->rsp_prod = base;
	sring->req_event = sring->rsp_event = base + 1;
	r.fr.req_prod_pvt = r.fr.rsp_cons = r.published = base;
	memset(shadow, 0, sizeof(shadow));
	shadow_inflight = 0;
}

/* Slot accounting and the free list, checked against the shadow. */
static void
check_ring(void)
{
	u_int n = 0, id;

	CHECK(r.nslots == blkring_entries(r.order));
	CHECK(r.nfree <= r.nslots);
	CHECK(blkring_inflight(&r) == shadow_inflight);
	for (id = r.free_head; id != 0xffff; id = r.slots[id].next) {
		CHECK(id < r.nslots);
		CHECK(r.slots[id].state != BLKRING_SLOT_INFLIGHT);
		CHECK(!shadow[id].inflight);
		CHECK(++n <= r.nfree);
	}
	CHECK(n == r.nfree);
	for (id = 0; id < r.nslots; id++) {
		CHECK((r.slots[id].state == BLKRING_SLOT_INFLIGHT) ==
		    (shadow[id].inflight && shadow[id].published));
		CHECK((r.slots[id].state == BLKRING_SLOT_QUEUED) ==
		    (shadow[id].inflight && !shadow[id].published));
	}
	/* Our own indexes: never more requests out than the ring holds. */
	CHECK(r.fr.req_prod_pvt - r.fr.rsp_cons <= r.nslots);
}

static int
queue(uint8_t kind, u_int nsegs)
{
	struct blkring_io io = { .sector = kind, .segs = segs,
		.ind_pages = indptr, .ind_grefs = indgref,
		.n_ind_pages = BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST };
	uint16_t id;
	int error;

	switch (kind % 5) {
	case 0:
		io.op = BLKIF_OP_READ;
		io.nsegs = 1 + nsegs % (r.max_indirect ? r.max_indirect : 11);
		break;
	case 1:
		io.op = BLKIF_OP_WRITE;
		io.nsegs = 1 + nsegs % 11;
		break;
	case 2:
		io.op = BLKIF_OP_FLUSH_DISKCACHE;
		break;
	case 3:
		io.op = BLKIF_OP_WRITE_BARRIER;
		break;
	default:
		io.op = BLKIF_OP_DISCARD;
		io.nr_sectors = 8;
		io.secure = (kind & 0x80) != 0;
		break;
	}
	for (u_int i = 0; i < io.nsegs; i++) {
		segs[i].gref = 100 + i;
		segs[i].first_sect = 0;
		segs[i].last_sect = 7;
	}
	error = blkring_queue(&r, &io, &id);
	if (r.dead) {
		CHECK(error == ENXIO);
		return (error);
	}
	if (blkring_free_slots(&r) == 0 && error == EAGAIN)
		return (error);
	/* Only a feature turned off by EOPNOTSUPP may refuse a sane request. */
	if (error == EOPNOTSUPP) {
		CHECK(io.op != BLKIF_OP_READ && io.op != BLKIF_OP_WRITE);
		return (error);
	}
	CHECK(error == 0 || error == EAGAIN);
	if (error != 0)
		return (error);
	CHECK(id < r.nslots && !shadow[id].inflight);
	shadow[id].inflight = true;
	shadow[id].published = false;
	shadow[id].op = io.op;
	shadow_inflight++;
	return (0);
}

static void
done(void *arg, const struct blkring_done *d)
{
	/*
	 * The response just consumed, as the backend left it (nothing writes
	 * the page during consume before this point): what was accepted must
	 * be exactly what was written.
	 */
	const blkif_response_t *rsp = RING_GET_RESPONSE(&r.fr,
	    r.fr.rsp_cons - 1);

	(void)arg;
	CHECK(rsp->id == d->id && rsp->operation == d->op &&
	    rsp->status == d->status);
	/* The heart of it: a completion only for a request in flight. */
	CHECK(d->id < r.nslots);
	CHECK(shadow[d->id].inflight && shadow[d->id].published);
	CHECK(d->op == shadow[d->id].op);
	CHECK(d->error == 0 || d->error == EIO || d->error == EOPNOTSUPP);
	CHECK(d->error != EOPNOTSUPP || (d->op != BLKIF_OP_READ &&
	    d->op != BLKIF_OP_WRITE));
	shadow[d->id].inflight = false;
	shadow_inflight--;
	if (requeue_in_done)
		(void)queue((uint8_t)d->id, d->id);
}

/* Where the backend writes its next response. */
static RING_IDX bprod;

static void
respond(RING_IDX idx, uint64_t id, uint8_t op, int16_t status)
{
	blkif_response_t *rsp = RING_GET_RESPONSE(&r.fr, idx);

	rsp->id = id;
	rsp->operation = op;
	rsp->status = status;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	u_int steps = 0;
	int error;

	start(&in);
	bprod = sring->rsp_prod;
	requeue_in_done = false;
	while (in.left > 0 && steps++ < 4096) {
		uint8_t cmd = (uint8_t)take(&in, 1);

		switch (cmd % 9) {
		case 0:	/* queue a few requests */
			for (u_int k = take(&in, 1) % 8 + 1; k > 0; k--)
				(void)queue((uint8_t)take(&in, 1), take(&in, 2));
			break;
		case 1:
			(void)blkring_push(&r);
			if (!r.dead)
				for (u_int id = 0; id < r.nslots; id++)
					if (shadow[id].inflight)
						shadow[id].published = true;
			break;
		case 2:	/* any response at the backend's next entry */
			respond(bprod++, take(&in, 1) & 0x80 ?
			    ((uint64_t)take(&in, 4) << 32) | take(&in, 4) :
			    take(&in, 2), (uint8_t)take(&in, 1),
			    (int16_t)take(&in, 2));
			break;
		case 3:	/* a proper answer to some request in flight */
			for (u_int id = take(&in, 2) % r.nslots, k = 0;
			    k < r.nslots; k++, id = (id + 1) % r.nslots)
				if (shadow[id].inflight && shadow[id].published) {
					respond(bprod++, id, shadow[id].op,
					    (int16_t)((int8_t)take(&in, 1) % 3));
					break;
				}
			break;
		case 4:	/* publish what was written, or lie */
			if (cmd & 0x10)
				sring->rsp_prod = r.fr.rsp_cons +
				    (RING_IDX)(int16_t)take(&in, 2);
			else if (cmd & 0x20)
				sring->rsp_prod = take(&in, 4);
			else
				sring->rsp_prod = bprod;
			break;
		case 5:
			requeue_in_done = (cmd & 0x10) != 0;
			error = blkring_consume(&r, done, NULL);
			CHECK(error == 0 || error == EPROTO || error == ENXIO);
			CHECK((error != 0) == r.dead);
			break;
		case 6:	/* the backend writes anywhere on the page */
		{
			size_t len = (size_t)BLKRING_PAGE_SIZE << r.order;
			size_t off = take(&in, 3) % len;

			((uint8_t *)sring)[off] = (uint8_t)take(&in, 1);
			break;
		}
		case 7:	/* the backend's event and request indexes */
			sring->req_event = take(&in, 4);
			sring->rsp_event = take(&in, 4);
			break;
		default: /* the backend sees the requests: align bprod */
			bprod = sring->req_prod;
			break;
		}
		check_ring();
		if (r.dead) {
			/* Dead stays dead, and nothing completes after. */
			u_int before = shadow_inflight;

			CHECK(blkring_consume(&r, done, NULL) == ENXIO);
			CHECK(shadow_inflight == before);
			CHECK(blkring_free_slots(&r) == 0);
			CHECK(queue(0, 1) == ENXIO);
			/* The driver would reconnect with a fresh ring. */
			start(&in);
			bprod = sring->rsp_prod;
		}
	}
	return (0);
}
