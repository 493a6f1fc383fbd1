/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The in-memory blkif backend of fake_blkback.h.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include "fake_blkback.h"
#include "kunit.h"

void
fbb_attach(struct fake_blkback *fb, blkif_sring_t *sring, u_int order)
{
	memset(fb, 0, sizeof(*fb));
	BACK_RING_INIT(&fb->br, sring, (size_t)BLKRING_PAGE_SIZE << order);
	/* Pick up where the shared indexes are (tests start near the wrap). */
	fb->br.req_cons = sring->req_prod;
	fb->br.rsp_prod_pvt = sring->rsp_prod;
}

bool
fbb_take(struct fake_blkback *fb, struct fbb_req *out)
{
	blkif_request_t req;
	struct blkif_request_discard *d = (void *)&req;
	struct blkif_request_indirect *ind = (void *)&req;

	if (!RING_HAS_UNCONSUMED_REQUESTS(&fb->br))
		return (false);
	RING_COPY_REQUEST(&fb->br, fb->br.req_cons, &req);
	fb->br.req_cons++;
	memset(out, 0, sizeof(*out));
	out->operation = req.operation;
	out->op = req.operation;
	switch (req.operation) {
	case BLKIF_OP_DISCARD:
		out->id = d->id;
		out->sector = d->sector_number;
		out->nr_sectors = d->nr_sectors;
		out->discard_flag = d->flag;
		out->handle = d->handle;
		break;
	case BLKIF_OP_INDIRECT:
		out->op = ind->indirect_op;
		out->id = ind->id;
		out->sector = ind->sector_number;
		out->handle = ind->handle;
		out->nsegs = ind->nr_segments;
		KU_ASSERT(out->nsegs <= FBB_MAX_SEGS, "indirect nsegs %u",
		    out->nsegs);
		out->n_ind = howmany(out->nsegs, BLKRING_SEGS_PER_INDIRECT_PAGE);
		KU_ASSERT(out->n_ind <= BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST,
		    "%u indirect pages", out->n_ind);
		for (u_int p = 0; p < out->n_ind; p++) {
			grant_ref_t g = ind->indirect_grefs[p];
			const struct blkif_request_segment *pg;

			KU_ASSERT(g < FBB_NGRANTS && fb->grants[g] != NULL,
			    "indirect gref %u not granted", g);
			out->ind_grefs[p] = g;
			pg = fb->grants[g];
			for (u_int i = 0; i < BLKRING_SEGS_PER_INDIRECT_PAGE &&
			    p * BLKRING_SEGS_PER_INDIRECT_PAGE + i < out->nsegs; i++)
				out->segs[p * BLKRING_SEGS_PER_INDIRECT_PAGE + i] =
				    pg[i];
		}
		break;
	default:
		out->id = req.id;
		out->sector = req.sector_number;
		out->handle = req.handle;
		out->nsegs = req.nr_segments;
		KU_ASSERT(out->nsegs <= BLKIF_MAX_SEGMENTS_PER_REQUEST,
		    "direct nsegs %u", out->nsegs);
		for (u_int i = 0; i < out->nsegs; i++)
			out->segs[i] = req.seg[i];
		break;
	}
	return (true);
}

void
fbb_respond(struct fake_blkback *fb, uint64_t id, uint8_t op, int16_t status)
{
	blkif_response_t *rsp = RING_GET_RESPONSE(&fb->br, fb->br.rsp_prod_pvt);

	memset(rsp, 0, sizeof(*rsp));
	rsp->id = id;
	rsp->operation = op;
	rsp->status = status;
	fb->br.rsp_prod_pvt++;
}

bool
fbb_publish(struct fake_blkback *fb)
{
	bool notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&fb->br, notify);
	return (notify);
}

bool
fbb_final_check(struct fake_blkback *fb)
{
	int more;

	RING_FINAL_CHECK_FOR_REQUESTS(&fb->br, more);
	return (more != 0);
}
