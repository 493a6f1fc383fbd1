/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * blkfront's ring logic built as the kernel builds it, on a private 4-page
 * ring whose other end the test works with the public header's back ring
 * macros: three ring-fulls answered in reverse order, then a duplicate
 * response that must kill the ring without a second completion.  The
 * hosted tests (tests/unit/blkfront_ring_test.c) cover the rest.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/systm.h>

#include <dev/xen/blkfront/blkfront_ring.h>

#define KT_ORDER	2

static char kt_ringmem[BLKRING_PAGE_SIZE << KT_ORDER]
    __aligned(BLKRING_PAGE_SIZE);
static struct blkring kt_ring;
static blkif_back_ring_t kt_back;
static u_int kt_done[BLKRING_MAX_SLOTS];
static u_int kt_ndone;

static void
kt_count(void *arg __unused, const struct blkring_done *d)
{
	if (d->id < BLKRING_MAX_SLOTS)
		kt_done[d->id]++;
	kt_ndone++;
}

/* The backend: answers every published request, last first. */
static u_int
kt_answer(void)
{
	uint64_t ids[BLKRING_MAX_SLOTS >> (BLKRING_MAX_ORDER - KT_ORDER)] = { 0 };
	blkif_request_t req;
	u_int n = 0;

	while (RING_HAS_UNCONSUMED_REQUESTS(&kt_back) && n < nitems(ids)) {
		RING_COPY_REQUEST(&kt_back, kt_back.req_cons, &req);
		kt_back.req_cons++;
		ids[n++] = req.id;
	}
	for (u_int i = n; i-- > 0;) {
		blkif_response_t *rsp = RING_GET_RESPONSE(&kt_back,
		    kt_back.rsp_prod_pvt);

		rsp->id = ids[i];
		rsp->operation = BLKIF_OP_READ;
		rsp->status = BLKIF_RSP_OKAY;
		kt_back.rsp_prod_pvt++;
	}
	RING_PUSH_RESPONSES(&kt_back);
	return (n);
}

KTEST(blkring_kernel_roundtrip)
{
	blkif_sring_t *s = (blkif_sring_t *)kt_ringmem;
	struct blkring_seg seg = { .gref = 77, .first_sect = 0, .last_sect = 7 };
	struct blkring_io io = { .op = BLKIF_OP_READ, .segs = &seg, .nsegs = 1 };
	u_int n, answered = 0;
	uint16_t id, id2;

	KT_ASSERT(blkring_init(&kt_ring, s, KT_ORDER, 0, 0, 1) == 0, "init");
	BACK_RING_INIT(&kt_back, s, sizeof(kt_ringmem));
	n = kt_ring.nslots;
	KT_ASSERT(n == 128 && RING_SIZE(&kt_back) == n, "%u entries", n);
	memset(kt_done, 0, sizeof(kt_done));
	kt_ndone = 0;
	for (u_int round = 0; round < 3; round++) {
		while (blkring_free_slots(&kt_ring) > 0)
			KT_ASSERT(blkring_queue(&kt_ring, &io, &id) == 0,
			    "queue in round %u", round);
		(void)blkring_push(&kt_ring);
		answered += kt_answer();
		KT_ASSERT(blkring_consume(&kt_ring, kt_count, NULL) == 0,
		    "round %u: ring died (%d)", round, kt_ring.error_kind);
	}
	KT_ASSERT(answered == 3 * n && kt_ndone == 3 * n, "%u answered, %u done",
	    answered, kt_ndone);
	for (u_int i = 0; i < n; i++)
		KT_ASSERT(kt_done[i] == 3, "id %u completed %u times", i,
		    kt_done[i]);

	/* Two requests out, the first answered twice. */
	KT_ASSERT(blkring_queue(&kt_ring, &io, &id) == 0 &&
	    blkring_queue(&kt_ring, &io, &id2) == 0, "queue two");
	(void)blkring_push(&kt_ring);
	kt_back.req_cons = s->req_prod;
	for (u_int i = 0; i < 2; i++) {
		blkif_response_t *rsp = RING_GET_RESPONSE(&kt_back,
		    kt_back.rsp_prod_pvt++);

		rsp->id = id;
		rsp->operation = BLKIF_OP_READ;
		rsp->status = BLKIF_RSP_OKAY;
	}
	RING_PUSH_RESPONSES(&kt_back);
	KT_ASSERT(blkring_consume(&kt_ring, kt_count, NULL) == EPROTO &&
	    kt_ring.error_kind == BLKRING_ERR_DUPLICATE, "duplicate: kind %d",
	    kt_ring.error_kind);
	KT_ASSERT(kt_done[id] == 4 && kt_done[id2] == 3 &&
	    kt_ndone == 3 * n + 1, "id %u completed %u times", id, kt_done[id]);
	KT_NOTE("%u entries, %u round trips, duplicate refused", n, kt_ndone);
}
