/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer target over blkback's request path
 * (sys/dev/xen/blkback/blkback_req.c, compiled unchanged against the
 * kernel headers).  The input plays the frontend: the ring's order, the
 * disk's limits, any bytes in every ring entry, req_prod anywhere, any
 * indirect page contents.  The harness consumes the ring the way
 * blkback_io.c does (index bound, one copy per request, decode, indirect
 * pages copied then decoded, copy operations, one response per request)
 * and checks what the checks promise, independently of them: a request
 * accepted reads and writes only inside the disk and inside each page, its
 * copy operations move exactly its bytes, every request gets exactly one
 * response, a response never holds stale bytes, and an index past the ring
 * stops the consumer.  The ring sits at the very end of its buffer, so an
 * index past its pages hits ASan's redzone.  Invariants trap.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/xen/blkback/blkback_req.h>

#include "../lib/fuzz_input.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(x) do {							\
	if (!(x))							\
		__builtin_trap();					\
} while (0)

void
panic(const char *fmt, ...)
{
	(void)fmt;
	__builtin_trap();
}

static char ringbuf[BLKBACK_MAX_RING_PAGES * BLKBACK_PAGE_SIZE]
    __aligned(BLKBACK_PAGE_SIZE);
static struct blkif_request_segment ind[BLKBACK_MAX_IND_PAGES *
    BLKBACK_SEGS_PER_IND_PAGE];
static struct blkback_seg isegs[BLKBACK_MAX_SEGS];
static struct gnttab_copy ops[BLKBACK_MAX_COPY_OPS];

static uint64_t
gfn_of(void *arg, size_t off)
{
	(void)arg;
	return (0x1000 + off / BLKBACK_PAGE_SIZE);
}

/* The copy operations of an accepted READ/WRITE, checked one by one. */
static void
check_copies(const struct blkback_io *io, const struct blkback_seg *segs,
    bool to_guest)
{
	u_int n = blkback_copy_ops(segs, io->nsegs, to_guest, 7, 0, gfn_of, NULL,
	    ops, BLKBACK_MAX_COPY_OPS);
	uint64_t bytes = 0;

	/* At most two operations a segment: the list always fits. */
	CHECK(n >= io->nsegs && n <= 2 * io->nsegs);
	for (u_int i = 0; i < n; i++) {
		const struct gnttab_copy *op = &ops[i];

		CHECK(op->len > 0 && op->len <= BLKBACK_PAGE_SIZE);
		CHECK(op->source.offset + op->len <= BLKBACK_PAGE_SIZE);
		CHECK(op->dest.offset + op->len <= BLKBACK_PAGE_SIZE);
		CHECK(op->flags == (to_guest ? GNTCOPY_dest_gref :
		    GNTCOPY_source_gref));
		/* Our side: the buffer, in order, never past its end. */
		CHECK((to_guest ? op->source.u.gmfn : op->dest.u.gmfn) ==
		    0x1000 + bytes / BLKBACK_PAGE_SIZE);
		bytes += op->len;
	}
	CHECK(bytes == io->nr_sectors * 512);
}

static void
check_accepted(const struct blkback_io *io, const struct blkback_limits *lim,
    const struct blkback_seg *segs)
{
	uint64_t sum = 0;

	switch (io->kind) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		CHECK(!(io->kind == BLKIF_OP_WRITE && lim->readonly));
		/* Only a FLUSH_DISKCACHE carries a flush, and only if offered. */
		CHECK(!io->flush || (io->op == BLKIF_OP_FLUSH_DISKCACHE &&
		    lim->flush && io->kind == BLKIF_OP_WRITE));
		CHECK(io->nsegs >= 1);
		CHECK(io->op == BLKIF_OP_INDIRECT ? io->nsegs <= lim->max_indirect :
		    io->nsegs <= BLKIF_MAX_SEGMENTS_PER_REQUEST);
		for (u_int i = 0; i < io->nsegs; i++) {
			CHECK(segs[i].first_sect <= segs[i].last_sect);
			CHECK(segs[i].last_sect < BLKBACK_SECTS_PER_PAGE);
			sum += segs[i].last_sect - segs[i].first_sect + 1u;
		}
		CHECK(sum == io->nr_sectors);
		check_copies(io, segs, io->kind == BLKIF_OP_READ);
		break;
	case BLKIF_OP_DISCARD:
		CHECK(lim->discard && !lim->readonly && io->nr_sectors > 0);
		break;
	case BLKIF_OP_FLUSH_DISKCACHE:
		CHECK(lim->flush);
		return;
	default:
		CHECK(0);
	}
	CHECK(io->sector <= lim->sectors &&
	    io->nr_sectors <= lim->sectors - io->sector);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct blkback_limits lim;
	blkif_back_ring_t ring;
	blkif_sring_t *sring;
	u_int cfg = take(&in, 1), order = cfg % (BLKBACK_MAX_ORDER + 1);
	u_int responses = 0, requests = 0, avail;
	RING_IDX base = take(&in, 4);
	size_t rsize = (size_t)BLKBACK_PAGE_SIZE << order;

	memset(&lim, 0, sizeof(lim));
	lim.sectors = take(&in, 4);
	if (cfg & 0x80)
		lim.sectors |= (uint64_t)take(&in, 4) << 32;
	lim.readonly = (cfg & 0x08) != 0;
	lim.flush = (cfg & 0x10) != 0;
	lim.discard = (cfg & 0x20) != 0;
	lim.max_indirect = (cfg & 0x40) ? BLKBACK_MAX_INDIRECT : 0;

	sring = (blkif_sring_t *)(ringbuf + sizeof(ringbuf) - rsize);
	/* The frontend's bytes fill the ring entries (and the indexes). */
	for (size_t i = 0; i < rsize; i++)
		((uint8_t *)sring)[i] = (uint8_t)take(&in, 1);
	BACK_RING_INIT(&ring, sring, rsize);
	ring.req_cons = ring.rsp_prod_pvt = base;
	sring->req_prod = base + take(&in, 2);
	for (size_t i = 0; i < sizeof(ind); i++)
		((uint8_t *)ind)[i] = (uint8_t)take(&in, 1);

	for (;;) {
		RING_IDX rp = sring->req_prod;

		if (blkback_ring_pending(rp, ring.req_cons, ring.rsp_prod_pvt,
		    RING_SIZE(&ring), &avail) != 0) {
			/* The only way out without answering: disconnect. */
			CHECK(rp - ring.rsp_prod_pvt > RING_SIZE(&ring) ||
			    rp - ring.req_cons > RING_SIZE(&ring));
			break;
		}
		CHECK(avail <= RING_SIZE(&ring));
		if (avail == 0)
			break;
		while (avail-- > 0) {
			blkif_request_t req;
			struct blkback_io io;
			const struct blkback_seg *segs;
			enum blkback_reject rej;
			blkif_response_t *rsp;
			uint8_t *b;

			RING_COPY_REQUEST(&ring, ring.req_cons, &req);
			ring.req_cons++;
			requests++;
			/* The frontend rewrites the entry after our copy. */
			memset(RING_GET_REQUEST(&ring, ring.req_cons - 1),
			    (int)take(&in, 1), sizeof(req));
			rej = blkback_req_decode(&req, &lim, &io);
			CHECK(io.id == req.id && io.op == req.operation);
			/* An indirect request is answered with its inner op. */
			CHECK(io.rsp_op == (req.operation == BLKIF_OP_INDIRECT ?
			    ((blkif_request_indirect_t *)&req)->indirect_op :
			    req.operation));
			segs = io.segs;
			if (rej == BLKBACK_OK && io.op == BLKIF_OP_INDIRECT) {
				CHECK(io.n_ind_pages >= 1 &&
				    io.n_ind_pages <= BLKBACK_MAX_IND_PAGES);
				rej = blkback_ind_decode(ind, &lim, &io, isegs);
				segs = isegs;
			}
			CHECK((u_int)rej < BLKBACK_REJ_COUNT);
			if (rej == BLKBACK_OK)
				check_accepted(&io, &lim, segs);
			/* One response per request, all its bytes ours. */
			rsp = RING_GET_RESPONSE(&ring, ring.rsp_prod_pvt);
			blkback_rsp_make(rsp, io.id, io.rsp_op, rej == BLKBACK_OK ?
			    BLKIF_RSP_OKAY : BLKIF_RSP_ERROR);
			b = (uint8_t *)rsp;
			CHECK(rsp->id == req.id && b[9] == 0 && b[12] == 0 &&
			    b[13] == 0 && b[14] == 0 && b[15] == 0);
			ring.rsp_prod_pvt++;
			responses++;
		}
		/* The frontend may move req_prod anywhere between passes. */
		sring->req_prod += take(&in, 1);
		if (in.left == 0)
			break;
	}
	CHECK(responses == requests);
	CHECK(ring.rsp_prod_pvt - base == responses);
	return (0);
}
