/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * blkback's request checks (see blkback_req.h).  Everything here works on
 * the caller's private copies; sizes and sums are computed in 64 bits and
 * compared against limits before use, so no value a frontend picks can
 * wrap an offset or index an array out of range.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/xen/blkback/blkback_req.h>

CTASSERT(BLKBACK_MAX_IND_PAGES <= BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);

int
blkback_ring_pending(RING_IDX prod, RING_IDX cons, RING_IDX rsp_prod_pvt,
    u_int ring_size, u_int *n)
{
	/* Unsigned differences: the indexes wrap. */
	if (prod - rsp_prod_pvt > ring_size || prod - cons > ring_size) {
		*n = 0;
		return (EPROTO);
	}
	*n = prod - cons;
	return (0);
}

static bool
blkback_range_ok(const struct blkback_limits *lim, uint64_t sector,
    uint64_t count)
{
	return (sector <= lim->sectors && count <= lim->sectors - sector);
}

/* One segment: 0 <= first <= last < 8; returns its sectors or 0. */
static u_int
blkback_seg_sectors(uint8_t first, uint8_t last)
{
	if (first > last || last >= BLKBACK_SECTS_PER_PAGE)
		return (0);
	return ((u_int)(last - first) + 1);
}

/* The segments of a direct READ or WRITE (io->kind set). */
static enum blkback_reject
blkback_decode_direct(const blkif_request_t *req,
    const struct blkback_limits *lim, struct blkback_io *io)
{
	uint64_t total = 0;

	io->sector = req->sector_number;
	if (io->kind == BLKIF_OP_WRITE && lim->readonly)
		return (BLKBACK_REJ_RDONLY);
	if (req->nr_segments == 0 ||
	    req->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST)
		return (BLKBACK_REJ_NSEGS);
	io->nsegs = req->nr_segments;
	for (u_int i = 0; i < io->nsegs; i++) {
		u_int n = blkback_seg_sectors(req->seg[i].first_sect,
		    req->seg[i].last_sect);

		if (n == 0)
			return (BLKBACK_REJ_SECT);
		io->segs[i].gref = req->seg[i].gref;
		io->segs[i].first_sect = req->seg[i].first_sect;
		io->segs[i].last_sect = req->seg[i].last_sect;
		total += n;
	}
	io->nr_sectors = total;
	if (!blkback_range_ok(lim, io->sector, total))
		return (BLKBACK_REJ_RANGE);
	return (BLKBACK_OK);
}

enum blkback_reject
blkback_req_decode(const blkif_request_t *req, const struct blkback_limits *lim,
    struct blkback_io *io)
{
	const blkif_request_discard_t *dreq = (const void *)req;
	const blkif_request_indirect_t *ireq = (const void *)req;

	memset(io, 0, sizeof(*io));
	io->id = req->id;
	io->op = io->rsp_op = req->operation;
	switch (req->operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		io->kind = req->operation;
		return (blkback_decode_direct(req, lim, io));
	case BLKIF_OP_FLUSH_DISKCACHE:
		if (!lim->flush)
			return (BLKBACK_REJ_OP);
		if (req->nr_segments == 0) {
			io->kind = BLKIF_OP_FLUSH_DISKCACHE;
			return (BLKBACK_OK);
		}
		/* With data: a write the flush follows (blkif.h allows it). */
		io->kind = BLKIF_OP_WRITE;
		io->flush = true;
		return (blkback_decode_direct(req, lim, io));
	case BLKIF_OP_DISCARD:
		io->kind = BLKIF_OP_DISCARD;
		if (!lim->discard)
			return (BLKBACK_REJ_OP);
		if (lim->readonly)
			return (BLKBACK_REJ_RDONLY);
		/* We offer discard-secure=0: a secure discard is not ours. */
		if ((dreq->flag & BLKIF_DISCARD_SECURE) != 0)
			return (BLKBACK_REJ_OP);
		io->sector = dreq->sector_number;
		io->nr_sectors = dreq->nr_sectors;
		if (io->nr_sectors == 0 ||
		    !blkback_range_ok(lim, io->sector, io->nr_sectors))
			return (BLKBACK_REJ_RANGE);
		return (BLKBACK_OK);
	case BLKIF_OP_INDIRECT:
		/* The answer carries the inner operation, as Linux's does. */
		io->rsp_op = ireq->indirect_op;
		if (lim->max_indirect == 0)
			return (BLKBACK_REJ_INDIRECT);
		if (ireq->indirect_op != BLKIF_OP_READ &&
		    ireq->indirect_op != BLKIF_OP_WRITE)
			return (BLKBACK_REJ_INDIRECT);
		io->kind = ireq->indirect_op;
		io->sector = ireq->sector_number;
		if (io->kind == BLKIF_OP_WRITE && lim->readonly)
			return (BLKBACK_REJ_RDONLY);
		if (ireq->nr_segments == 0 || ireq->nr_segments > lim->max_indirect ||
		    ireq->nr_segments > BLKBACK_MAX_SEGS)
			return (BLKBACK_REJ_NSEGS);
		io->nsegs = ireq->nr_segments;
		io->n_ind_pages = howmany(io->nsegs, BLKBACK_SEGS_PER_IND_PAGE);
		for (u_int i = 0; i < io->n_ind_pages; i++)
			io->ind_grefs[i] = ireq->indirect_grefs[i];
		return (BLKBACK_OK);
	default:
		/* WRITE_BARRIER is not offered (feature-barrier = 0). */
		return (BLKBACK_REJ_OP);
	}
}

enum blkback_reject
blkback_ind_decode(const struct blkif_request_segment *copy,
    const struct blkback_limits *lim, struct blkback_io *io,
    struct blkback_seg *segs)
{
	uint64_t total = 0;

	KASSERT(io->op == BLKIF_OP_INDIRECT && io->nsegs > 0 &&
	    io->nsegs <= BLKBACK_MAX_SEGS, ("blkback: indirect decode of op %u "
	    "with %u segments", io->op, io->nsegs));
	for (u_int i = 0; i < io->nsegs; i++) {
		struct blkif_request_segment s = copy[i];
		u_int n = blkback_seg_sectors(s.first_sect, s.last_sect);

		if (n == 0)
			return (BLKBACK_REJ_SECT);
		segs[i].gref = s.gref;
		segs[i].first_sect = s.first_sect;
		segs[i].last_sect = s.last_sect;
		total += n;
	}
	io->nr_sectors = total;
	if (!blkback_range_ok(lim, io->sector, total))
		return (BLKBACK_REJ_RANGE);
	return (BLKBACK_OK);
}

u_int
blkback_copy_ops(const struct blkback_seg *segs, u_int nsegs, bool to_guest,
    domid_t peer, size_t buf_off, uint64_t (*gfn_of)(void *, size_t), void *arg,
    struct gnttab_copy *ops, u_int max_ops)
{
	u_int n = 0;

	for (u_int i = 0; i < nsegs; i++) {
		size_t goff = (size_t)segs[i].first_sect * 512;
		size_t left = ((size_t)segs[i].last_sect + 1) * 512 - goff;

		while (left > 0) {
			size_t ooff = buf_off & (BLKBACK_PAGE_SIZE - 1);
			size_t len = MIN(left, BLKBACK_PAGE_SIZE - ooff);
			struct gnttab_copy *op;

			if (n == max_ops)
				return (0);
			op = &ops[n++];
			memset(op, 0, sizeof(*op));
			if (to_guest) {
				op->source.u.gmfn = gfn_of(arg, buf_off);
				op->source.domid = DOMID_SELF;
				op->source.offset = (uint16_t)ooff;
				op->dest.u.ref = segs[i].gref;
				op->dest.domid = peer;
				op->dest.offset = (uint16_t)goff;
				op->flags = GNTCOPY_dest_gref;
			} else {
				op->source.u.ref = segs[i].gref;
				op->source.domid = peer;
				op->source.offset = (uint16_t)goff;
				op->dest.u.gmfn = gfn_of(arg, buf_off);
				op->dest.domid = DOMID_SELF;
				op->dest.offset = (uint16_t)ooff;
				op->flags = GNTCOPY_source_gref;
			}
			op->len = (uint16_t)len;
			goff += len;
			buf_off += len;
			left -= len;
		}
	}
	return (n);
}

void
blkback_rsp_make(blkif_response_t *rsp, uint64_t id, uint8_t op, int16_t status)
{
	blkif_response_t r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	r.operation = op;
	r.status = status;
	/* One store of the whole, padding included. */
	memcpy(rsp, &r, sizeof(r));
}

const char *
blkback_reject_name(enum blkback_reject r)
{
	static const char *const names[] = {
		[BLKBACK_OK] = "ok",
		[BLKBACK_REJ_OP] = "bad_op",
		[BLKBACK_REJ_NSEGS] = "bad_nsegs",
		[BLKBACK_REJ_SECT] = "bad_sect",
		[BLKBACK_REJ_RANGE] = "bad_range",
		[BLKBACK_REJ_RDONLY] = "read_only",
		[BLKBACK_REJ_INDIRECT] = "bad_indirect",
		[BLKBACK_REJ_GRANT] = "grant",
		[BLKBACK_REJ_IO] = "io",
	};

	if ((u_int)r >= nitems(names))
		return ("invalid");
	return (names[r]);
}

int
blkback_params_parse(const char *s, char *disk, size_t disksize,
    uint64_t *ram_bytes)
{
	char num[24];
	uint64_t v, mult = 1;
	size_t n;

	*ram_bytes = 0;
	disk[0] = '\0';
	if (strncmp(s, "ram:", 4) != 0) {
		n = strlen(s);
		if (n == 0 || n >= disksize)
			return (EINVAL);
		for (size_t i = 0; i < n; i++)
			if (!((s[i] >= 'a' && s[i] <= 'z') ||
			    (s[i] >= '0' && s[i] <= '9')))
				return (EINVAL);
		memcpy(disk, s, n + 1);
		return (0);
	}
	s += 4;
	n = strlen(s);
	if (n == 0 || n >= sizeof(num))
		return (EINVAL);
	memcpy(num, s, n + 1);
	switch (num[n - 1]) {
	case 'k': case 'K':
		mult = 1ULL << 10;
		break;
	case 'm': case 'M':
		mult = 1ULL << 20;
		break;
	case 'g': case 'G':
		mult = 1ULL << 30;
		break;
	default:
		break;
	}
	if (mult != 1)
		num[--n] = '\0';
	if (n == 0 || num[0] < '0' || num[0] > '9' ||
	    parse_uint64(num, &v) != 0 || v == 0 ||
	    v > BLKBACK_RAM_MAX / mult || (v * mult) % 512 != 0)
		return (EINVAL);
	*ram_bytes = v * mult;
	return (0);
}
