/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * blkfront's ring logic (see blkfront_ring.h): request slots, request
 * building, response validation.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/xen/blkfront/blkfront_ring.h>
#include <xen/xen_ring_rsp.h>

/* Slot ids travel in 16-bit links; the request formats must fit an entry. */
CTASSERT(BLKRING_MAX_SLOTS <= 0xffff);
CTASSERT(sizeof(struct blkif_request_discard) <= sizeof(struct blkif_request));
CTASSERT(sizeof(struct blkif_request_indirect) <= sizeof(struct blkif_request));
CTASSERT(BLKRING_MAX_INDIRECT_SEGS <= 0xffff);

#define SLOT_NONE	0xffff

u_int
blkring_entries(u_int order)
{
	if (order > BLKRING_MAX_ORDER)
		return (0);
	return (__CONST_RING_SIZE(blkif, (size_t)BLKRING_PAGE_SIZE << order));
}

int
blkring_init(struct blkring *r, blkif_sring_t *sring, u_int order,
    u_int features, u_int max_indirect, blkif_vdev_t handle)
{
	u_int n;

	if (order > BLKRING_MAX_ORDER || max_indirect > BLKRING_MAX_INDIRECT_SEGS)
		return (EINVAL);
	memset(r, 0, sizeof(*r));
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&r->fr, sring, (size_t)BLKRING_PAGE_SIZE << order);
	n = r->fr.nr_ents;
	KASSERT(n == blkring_entries(order) && n <= BLKRING_MAX_SLOTS,
	    ("blkring: %u entries for order %u", n, order));
	r->order = order;
	r->nslots = n;
	r->features = features;
	r->max_indirect = max_indirect;
	r->handle = handle;
	for (u_int i = 0; i < n; i++)
		r->slots[i].next = (i + 1 < n) ? (uint16_t)(i + 1) : SLOT_NONE;
	r->free_head = 0;
	r->free_tail = (uint16_t)(n - 1);
	r->published = r->fr.req_prod_pvt;
	r->nfree = n;
	return (0);
}

u_int
blkring_free_slots(const struct blkring *r)
{
	return (r->dead ? 0 : r->nfree);
}

u_int
blkring_inflight(const struct blkring *r)
{
	return (r->nslots - r->nfree);
}

static uint16_t
slot_get(struct blkring *r)
{
	uint16_t id = r->free_head;

	KASSERT(r->nfree > 0 && id != SLOT_NONE, ("blkring: no free slot"));
	r->free_head = r->slots[id].next;
	if (r->free_head == SLOT_NONE)
		r->free_tail = SLOT_NONE;
	r->nfree--;
	r->slots[id].next = SLOT_NONE;
	return (id);
}

/* Appends at the tail: FIFO reuse. */
static void
slot_put(struct blkring *r, uint16_t id)
{
	KASSERT(r->slots[id].state == BLKRING_SLOT_DONE,
	    ("blkring: slot %u freed in state %u", id, r->slots[id].state));
	r->slots[id].next = SLOT_NONE;
	if (r->free_tail == SLOT_NONE)
		r->free_head = id;
	else
		r->slots[r->free_tail].next = id;
	r->free_tail = id;
	r->nfree++;
	KASSERT(r->nfree <= r->nslots, ("blkring: %u free of %u", r->nfree,
	    r->nslots));
}

static bool
seg_ok(const struct blkring_seg *s)
{
	return (s->first_sect <= s->last_sect &&
	    s->last_sect < BLKRING_SECTS_PER_PAGE);
}

static int
check_segs(const struct blkring_io *io)
{
	if (io->nsegs > 0 && io->segs == NULL)
		return (EINVAL);
	for (u_int i = 0; i < io->nsegs; i++)
		if (!seg_ok(&io->segs[i]))
			return (EINVAL);
	return (0);
}

/*
 * Slot id (taken) expects a response of op: it is queued, and req, the
 * finished local copy, goes into the ring entry in one write.
 */
static void
slot_queue(struct blkring *r, uint16_t id, uint8_t op, uint16_t nsegs,
    const struct blkif_request *req)
{
	r->slots[id].state = BLKRING_SLOT_QUEUED;
	r->queued[r->nqueued++] = id;
	r->slots[id].op = op;
	r->slots[id].nsegs = nsegs;
	memcpy(RING_GET_REQUEST(&r->fr, r->fr.req_prod_pvt), req, sizeof(*req));
	r->fr.req_prod_pvt++;
}

/* Fills req (zeroed by the caller) from io; id is the request's slot. */
static int
build(const struct blkring *r, const struct blkring_io *io, uint16_t id,
    struct blkif_request *req, uint16_t *nsegsp)
{
	struct blkif_request_discard *d = (struct blkif_request_discard *)req;
	struct blkif_request_indirect *ind =
	    (struct blkif_request_indirect *)req;
	u_int need, i;
	int error;

	*nsegsp = 0;
	/* The backend would fail them too; refuse before using a slot. */
	if ((r->features & BLKRING_F_READONLY) != 0 &&
	    (io->op == BLKIF_OP_WRITE || io->op == BLKIF_OP_WRITE_BARRIER ||
	    io->op == BLKIF_OP_DISCARD))
		return (EROFS);
	switch (io->op) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		if (io->nsegs == 0)
			return (EINVAL);
		break;
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		if ((r->features & (io->op == BLKIF_OP_FLUSH_DISKCACHE ?
		    BLKRING_F_FLUSH : BLKRING_F_BARRIER)) == 0)
			return (EOPNOTSUPP);
		if (io->nsegs > BLKIF_MAX_SEGMENTS_PER_REQUEST)
			return (EINVAL);
		break;
	case BLKIF_OP_DISCARD:
		if ((r->features & BLKRING_F_DISCARD) == 0 ||
		    (io->secure && (r->features & BLKRING_F_SECDISCARD) == 0))
			return (EOPNOTSUPP);
		if (io->nsegs != 0 || io->nr_sectors == 0)
			return (EINVAL);
		d->operation = BLKIF_OP_DISCARD;
		d->flag = io->secure ? BLKIF_DISCARD_SECURE : 0;
		d->handle = r->handle;
		d->id = id;
		d->sector_number = io->sector;
		d->nr_sectors = io->nr_sectors;
		return (0);
	default:
		return (EINVAL);
	}
	if ((error = check_segs(io)) != 0)
		return (error);
	*nsegsp = (uint16_t)io->nsegs;

	if (io->nsegs <= BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		req->operation = io->op;
		req->nr_segments = (uint8_t)io->nsegs;
		req->handle = r->handle;
		req->id = id;
		req->sector_number = io->sector;
		for (i = 0; i < io->nsegs; i++) {
			req->seg[i].gref = io->segs[i].gref;
			req->seg[i].first_sect = io->segs[i].first_sect;
			req->seg[i].last_sect = io->segs[i].last_sect;
		}
		return (0);
	}

	/* Indirect: only reads and writes get here. */
	if (r->max_indirect == 0)
		return (EOPNOTSUPP);
	if (io->nsegs > r->max_indirect)
		return (EINVAL);
	need = howmany(io->nsegs, BLKRING_SEGS_PER_INDIRECT_PAGE);
	KASSERT(need <= BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST,
	    ("blkring: %u indirect pages", need));
	if (io->n_ind_pages < need || io->ind_pages == NULL ||
	    io->ind_grefs == NULL)
		return (EINVAL);
	for (i = 0; i < need; i++)
		if (io->ind_pages[i] == NULL)
			return (EINVAL);
	/* The backend reads these pages: write them whole, tail zeroed. */
	for (i = 0; i < need * BLKRING_SEGS_PER_INDIRECT_PAGE; i++) {
		struct blkif_request_segment *s =
		    &io->ind_pages[i / BLKRING_SEGS_PER_INDIRECT_PAGE]
				  [i % BLKRING_SEGS_PER_INDIRECT_PAGE];

		if (i < io->nsegs) {
			s->gref = io->segs[i].gref;
			s->first_sect = io->segs[i].first_sect;
			s->last_sect = io->segs[i].last_sect;
		} else
			memset(s, 0, sizeof(*s));
	}
	ind->operation = BLKIF_OP_INDIRECT;
	ind->indirect_op = io->op;
	ind->nr_segments = (uint16_t)io->nsegs;
	ind->id = id;
	ind->sector_number = io->sector;
	ind->handle = r->handle;
	for (i = 0; i < need; i++)
		ind->indirect_grefs[i] = io->ind_grefs[i];
	return (0);
}

int
blkring_queue(struct blkring *r, const struct blkring_io *io, uint16_t *idp)
{
	struct blkif_request req;
	uint16_t id, nsegs;
	int error;

	if (r->dead)
		return (ENXIO);
	if (r->nfree == 0)
		return (EAGAIN);
	/* One slot per entry: a free slot means a free entry. */
	KASSERT(!RING_FULL(&r->fr), ("blkring: ring full with %u free slots",
	    r->nfree));
	/* Zeroed whole: padding and unused segments never carry stale data. */
	memset(&req, 0, sizeof(req));
	id = r->free_head;
	if ((error = build(r, io, id, &req, &nsegs)) != 0)
		return (error);
	(void)slot_get(r);
	slot_queue(r, id, io->op, nsegs, &req);
	*idp = id;
	return (0);
}

int
blkring_queue_raw(struct blkring *r, const struct blkif_request *req,
    uint16_t *idp)
{
	struct blkif_request copy = *req;
	const struct blkif_request_indirect *ind =
	    (const struct blkif_request_indirect *)req;
	uint16_t id;

	if (r->dead)
		return (ENXIO);
	if (r->nfree == 0)
		return (EAGAIN);
	id = slot_get(r);
	copy.id = id;
	slot_queue(r, id, req->operation == BLKIF_OP_INDIRECT ?
	    ind->indirect_op : req->operation, 0, &copy);
	*idp = id;
	return (0);
}

bool
blkring_push(struct blkring *r)
{
	bool notify;

	if (r->dead)
		return (false);
	/* From here the backend may answer them, and only them. */
	for (u_int i = 0; i < r->nqueued; i++) {
		KASSERT(r->slots[r->queued[i]].state == BLKRING_SLOT_QUEUED,
		    ("blkring: queued slot %u in state %u", r->queued[i],
		    r->slots[r->queued[i]].state));
		r->slots[r->queued[i]].state = BLKRING_SLOT_INFLIGHT;
	}
	r->nqueued = 0;
	r->published = r->fr.req_prod_pvt;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&r->fr, notify);
	return (notify);
}

int
blkring_status_errno(int16_t status)
{
	switch (status) {
	case BLKIF_RSP_OKAY:
		return (0);
	case BLKIF_RSP_EOPNOTSUPP:
		return (EOPNOTSUPP);
	default:
		return (EIO);
	}
}

static int
fail(struct blkring *r, enum blkring_error kind, uint64_t id, RING_IDX prod)
{
	r->dead = true;
	r->error_kind = kind;
	r->error_id = id;
	r->error_prod = prod;
	return (EPROTO);
}

/* Validates the copy rsp; on success completes its slot and fills d. */
static int
complete(struct blkring *r, const struct blkif_response *rsp,
    struct blkring_done *d)
{
	struct blkring_slot *s;
	uint16_t id;

	if (rsp->id >= r->nslots)
		return (fail(r, BLKRING_ERR_ID, rsp->id, 0));
	id = (uint16_t)rsp->id;
	s = &r->slots[id];
	if (s->state == BLKRING_SLOT_DONE)
		return (fail(r, BLKRING_ERR_DUPLICATE, id, 0));
	/* Free since init, or queued but not yet published. */
	if (s->state != BLKRING_SLOT_INFLIGHT)
		return (fail(r, BLKRING_ERR_NOTINFLIGHT, id, 0));
	/* An indirect request's response carries the inner operation. */
	if (rsp->operation != s->op)
		return (fail(r, BLKRING_ERR_OP, id, 0));

	d->id = id;
	d->op = s->op;
	d->status = rsp->status;
	d->error = blkring_status_errno(rsp->status);
	if (d->error == EOPNOTSUPP) {
		switch (s->op) {
		case BLKIF_OP_FLUSH_DISKCACHE:
			r->features &= ~BLKRING_F_FLUSH;
			break;
		case BLKIF_OP_WRITE_BARRIER:
			r->features &= ~BLKRING_F_BARRIER;
			break;
		case BLKIF_OP_DISCARD:
			r->features &= ~(BLKRING_F_DISCARD | BLKRING_F_SECDISCARD);
			break;
		default:
			/* Reads and writes are not optional: a plain error. */
			d->error = EIO;
			break;
		}
	}
	s->state = BLKRING_SLOT_DONE;
	slot_put(r, id);
	return (0);
}

struct blk_consume {
	struct blkring	*r;
	blkring_done_fn	*done;
	void		*arg;
};

static int
blk_one(void *arg, const void *rsp)
{
	struct blk_consume *c = arg;
	struct blkring_done d;
	int error;

	if ((error = complete(c->r, rsp, &d)) != 0)
		return (error);
	c->done(c->arg, &d);
	/* done may not kill the ring, but be safe if it did. */
	return (c->r->dead ? ENXIO : 0);
}

int
blkring_consume(struct blkring *r, blkring_done_fn *done, void *arg)
{
	struct xen_ring_rsp rr;
	struct blkif_response rsp;
	struct blk_consume c = { r, done, arg };
	RING_IDX prod;
	int error;

	if (r->dead)
		return (ENXIO);
	XEN_RING_RSP_INIT(&rr, &r->fr, r->published);
	error = xen_ring_consume(&rr, &rsp, sizeof(rsp), blk_one, &c, &prod);
	if (error == XEN_RING_BADPROD)
		return (fail(r, BLKRING_ERR_PROD, 0, prod));
	return (error);
}
