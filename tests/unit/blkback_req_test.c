/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * blkback's request checks (sys/dev/xen/blkback/blkback_req.c, as it is):
 * one case per rule of a hostile frontend: the ring index bound, segment
 * counts, first/last sector, sector ranges (end of disk, wrap-around),
 * read-only exports, unoffered operations, secure discard, indirect
 * requests (feature, inner operation, segment count, their pages'
 * segments), the grant-copy operations of a request, whole responses
 * (XSA-216) and the params syntax.  Expected values are worked out by
 * hand from <xen/io/blkif.h>, not from the code.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/xen/blkback/blkback_req.h>

#include "kunit.h"

#define DISK_SECTORS	2048	/* a 1 MiB disk */

static const struct blkback_limits rw = {
	.sectors = DISK_SECTORS, .max_indirect = 256, .flush = true,
	.discard = true,
};

static blkif_request_t
rq(uint8_t op, uint8_t nsegs, uint64_t sector)
{
	blkif_request_t r;

	memset(&r, 0, sizeof(r));
	r.operation = op;
	r.nr_segments = nsegs;
	r.id = 0x1122334455667788ULL;
	r.sector_number = sector;
	for (u_int i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
		r.seg[i].gref = 100 + i;
		r.seg[i].first_sect = 0;
		r.seg[i].last_sect = 7;
	}
	return (r);
}

KUNIT_TEST(blkback_ring_index_bound)
{
	u_int n = 99;

	KU_ASSERT(blkback_ring_pending(5, 5, 5, 32, &n) == 0 && n == 0, "empty");
	KU_ASSERT(blkback_ring_pending(37, 5, 5, 32, &n) == 0 && n == 32,
	    "full ring: %u", n);
	KU_ASSERT(blkback_ring_pending(38, 5, 5, 32, &n) == EPROTO && n == 0,
	    "one past the ring accepted");
	/* Answered less than taken: the frontend's room shrinks by that. */
	KU_ASSERT(blkback_ring_pending(37, 10, 5, 32, &n) == 0 && n == 27, "%u", n);
	KU_ASSERT(blkback_ring_pending(38, 10, 5, 32, &n) == EPROTO,
	    "more outstanding than the ring holds");
	/* req_prod moved back. */
	KU_ASSERT(blkback_ring_pending(4, 5, 5, 32, &n) == EPROTO, "prod behind");
	/* Indexes wrap: 0xfffffff0 .. 0x10 is 32 requests. */
	KU_ASSERT(blkback_ring_pending(0x10, 0xfffffff0u, 0xfffffff0u, 32, &n) ==
	    0 && n == 32, "wrap: %u", n);
	KU_ASSERT(blkback_ring_pending(0x11, 0xfffffff0u, 0xfffffff0u, 32, &n) ==
	    EPROTO, "wrap past the ring");
}

KUNIT_TEST(blkback_rw_segments_and_sectors)
{
	struct blkback_io io;
	blkif_request_t r = rq(BLKIF_OP_READ, 3, 16);

	r.seg[1].first_sect = 2;
	r.seg[1].last_sect = 5;
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_OK, "read");
	KU_ASSERT(io.id == r.id && io.op == BLKIF_OP_READ &&
	    io.kind == BLKIF_OP_READ && io.sector == 16 && io.nsegs == 3 &&
	    io.nr_sectors == 8 + 4 + 8 && io.segs[1].gref == 101 &&
	    io.segs[1].first_sect == 2 && io.segs[1].last_sect == 5,
	    "decoded: sector %ju nsegs %u sectors %ju", (uintmax_t)io.sector,
	    io.nsegs, (uintmax_t)io.nr_sectors);
	r = rq(BLKIF_OP_WRITE, 0, 0);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_NSEGS &&
	    io.id == r.id && io.op == BLKIF_OP_WRITE, "0 segments");
	r = rq(BLKIF_OP_WRITE, 12, 0);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_NSEGS,
	    "12 segments");
	r = rq(BLKIF_OP_WRITE, 11, 0);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_OK &&
	    io.nr_sectors == 88, "11 segments");
	r = rq(BLKIF_OP_READ, 2, 0);
	r.seg[1].first_sect = 5;
	r.seg[1].last_sect = 4;
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_SECT,
	    "first > last");
	r = rq(BLKIF_OP_READ, 1, 0);
	r.seg[0].last_sect = 8;
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_SECT,
	    "last past the page");
	r.seg[0].first_sect = r.seg[0].last_sect = 255;
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_SECT,
	    "sector 255 of a page");
	/* The last 8 sectors are fine, one more is not. */
	r = rq(BLKIF_OP_READ, 1, DISK_SECTORS - 8);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_OK, "last page");
	r = rq(BLKIF_OP_READ, 1, DISK_SECTORS - 7);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_RANGE,
	    "one sector past the end");
	r = rq(BLKIF_OP_WRITE, 1, UINT64_MAX - 3);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_RANGE,
	    "sector + count wraps");
	r = rq(BLKIF_OP_READ, 1, DISK_SECTORS);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_RANGE,
	    "starts at the end");
}

KUNIT_TEST(blkback_read_only_and_operations)
{
	struct blkback_limits ro = rw;
	struct blkback_limits bare = rw;
	struct blkback_io io;
	blkif_request_t r = rq(BLKIF_OP_WRITE, 1, 0);
	blkif_request_discard_t *d = (void *)&r;

	ro.readonly = true;
	bare.flush = bare.discard = false;
	bare.max_indirect = 0;
	KU_ASSERT(blkback_req_decode(&r, &ro, &io) == BLKBACK_REJ_RDONLY,
	    "write to a read-only export");
	r = rq(BLKIF_OP_READ, 1, 0);
	KU_ASSERT(blkback_req_decode(&r, &ro, &io) == BLKBACK_OK, "read of ro");
	r = rq(BLKIF_OP_FLUSH_DISKCACHE, 0, 0);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_OK &&
	    io.kind == BLKIF_OP_FLUSH_DISKCACHE, "flush");
	KU_ASSERT(blkback_req_decode(&r, &bare, &io) == BLKBACK_REJ_OP,
	    "flush not offered");
	/* A flush with data is a write, then the flush. */
	r = rq(BLKIF_OP_FLUSH_DISKCACHE, 2, 8);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_OK &&
	    io.kind == BLKIF_OP_WRITE && io.flush && io.nsegs == 2 &&
	    io.nr_sectors == 16 && io.op == BLKIF_OP_FLUSH_DISKCACHE,
	    "flush with data: kind %u flush %d", io.kind, io.flush);
	KU_ASSERT(blkback_req_decode(&r, &ro, &io) == BLKBACK_REJ_RDONLY,
	    "flush with data on read-only");
	r.seg[1].last_sect = 9;
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_SECT,
	    "flush with a bad segment");
	r = rq(BLKIF_OP_WRITE_BARRIER, 1, 0);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_OP &&
	    io.op == BLKIF_OP_WRITE_BARRIER, "barrier (never offered)");
	r = rq(BLKIF_OP_RESERVED_1, 1, 0);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_OP, "reserved");
	r = rq(200, 1, 0);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_OP &&
	    io.op == 200, "unknown operation");

	memset(&r, 0, sizeof(r));
	d->operation = BLKIF_OP_DISCARD;
	d->id = 7;
	d->sector_number = 1024;
	d->nr_sectors = 1024;
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_OK &&
	    io.kind == BLKIF_OP_DISCARD && io.sector == 1024 &&
	    io.nr_sectors == 1024 && io.id == 7, "discard to the end");
	KU_ASSERT(blkback_req_decode(&r, &ro, &io) == BLKBACK_REJ_RDONLY,
	    "discard on read-only");
	KU_ASSERT(blkback_req_decode(&r, &bare, &io) == BLKBACK_REJ_OP,
	    "discard not offered");
	d->nr_sectors = 1025;
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_RANGE,
	    "discard past the end");
	d->nr_sectors = UINT64_MAX;
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_RANGE,
	    "discard wraps");
	d->nr_sectors = 0;
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_RANGE,
	    "empty discard");
	d->nr_sectors = 8;
	d->flag = BLKIF_DISCARD_SECURE;
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_OP,
	    "secure discard (discard-secure=0)");
}

static blkif_request_t
irq(uint8_t inner, uint16_t nsegs, uint64_t sector)
{
	blkif_request_t r;
	blkif_request_indirect_t *ir = (void *)&r;

	memset(&r, 0, sizeof(r));
	ir->operation = BLKIF_OP_INDIRECT;
	ir->indirect_op = inner;
	ir->nr_segments = nsegs;
	ir->id = 42;
	ir->sector_number = sector;
	for (u_int i = 0; i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++)
		ir->indirect_grefs[i] = 500 + i;
	return (r);
}

KUNIT_TEST(blkback_indirect_header_and_pages)
{
	static struct blkif_request_segment page[BLKBACK_SEGS_PER_IND_PAGE];
	struct blkback_limits ro = rw, none = rw, small = rw;
	struct blkback_seg segs[BLKBACK_MAX_SEGS];
	struct blkback_io io;
	blkif_request_t r = irq(BLKIF_OP_WRITE, 256, 0);

	ro.readonly = true;
	none.max_indirect = 0;
	small.max_indirect = 32;
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_OK &&
	    io.op == BLKIF_OP_INDIRECT && io.kind == BLKIF_OP_WRITE &&
	    io.nsegs == 256 && io.n_ind_pages == 1 && io.ind_grefs[0] == 500 &&
	    io.id == 42, "256 segments: %u pages", io.n_ind_pages);
	/* Linux's blkfront wants the inner operation back (seen in drv-blk). */
	KU_ASSERT(io.rsp_op == BLKIF_OP_WRITE, "indirect write answered as op %u",
	    io.rsp_op);
	KU_ASSERT(blkback_req_decode(&r, &none, &io) == BLKBACK_REJ_INDIRECT,
	    "indirect not offered");
	KU_ASSERT(blkback_req_decode(&r, &ro, &io) == BLKBACK_REJ_RDONLY,
	    "indirect write on read-only");
	KU_ASSERT(blkback_req_decode(&r, &small, &io) == BLKBACK_REJ_NSEGS,
	    "256 segments with 32 offered");
	r = irq(BLKIF_OP_WRITE, 257, 0);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_NSEGS, "257");
	r = irq(BLKIF_OP_READ, 0, 0);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_NSEGS, "0");
	r = irq(BLKIF_OP_FLUSH_DISKCACHE, 1, 0);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_INDIRECT &&
	    io.rsp_op == BLKIF_OP_FLUSH_DISKCACHE, "indirect flush");
	r = rq(BLKIF_OP_READ, 1, 0);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_OK &&
	    io.rsp_op == BLKIF_OP_READ, "direct read answered as op %u", io.rsp_op);
	r = irq(BLKIF_OP_INDIRECT, 1, 0);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_REJ_INDIRECT,
	    "indirect in indirect");

	/* The pages' segments, from our copy. */
	r = irq(BLKIF_OP_READ, 200, 8);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_OK, "200");
	for (u_int i = 0; i < nitems(page); i++) {
		page[i].gref = 1000 + i;
		page[i].first_sect = 0;
		page[i].last_sect = 7;
	}
	KU_ASSERT(blkback_ind_decode(page, &rw, &io, segs) == BLKBACK_OK &&
	    io.nr_sectors == 1600 && segs[199].gref == 1199,
	    "200 pages: %ju sectors", (uintmax_t)io.nr_sectors);
	/* Segments past nsegs are never looked at. */
	page[200].first_sect = 9;
	KU_ASSERT(blkback_ind_decode(page, &rw, &io, segs) == BLKBACK_OK,
	    "a bad segment past nsegs was read");
	page[199].first_sect = 9;
	KU_ASSERT(blkback_ind_decode(page, &rw, &io, segs) == BLKBACK_REJ_SECT,
	    "bad segment 199");
	page[199].first_sect = 0;
	/* 8 + 1600 = 1608 sectors fit; from 449 they pass the end. */
	r = irq(BLKIF_OP_READ, 200, 449);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_OK &&
	    blkback_ind_decode(page, &rw, &io, segs) == BLKBACK_REJ_RANGE,
	    "indirect past the end");
	r = irq(BLKIF_OP_READ, 200, 448);
	KU_ASSERT(blkback_req_decode(&r, &rw, &io) == BLKBACK_OK &&
	    blkback_ind_decode(page, &rw, &io, segs) == BLKBACK_OK,
	    "indirect to the end");
}

static uint64_t
fake_gfn(void *arg, size_t off)
{
	return ((uintptr_t)arg + off / 4096);
}

KUNIT_TEST(blkback_copy_operations)
{
	struct blkback_seg segs[2] = {
		{ .gref = 7, .first_sect = 4, .last_sect = 7 },	/* 2 KiB */
		{ .gref = 8, .first_sect = 0, .last_sect = 7 },	/* 4 KiB */
	};
	struct gnttab_copy ops[4];
	u_int n;

	/* Write: guest -> our buffer (frames 0x100, 0x101). */
	n = blkback_copy_ops(segs, 2, false, 5, 0, fake_gfn, (void *)0x100, ops, 4);
	KU_ASSERT(n == 3, "%u ops, want 3 (the second segment crosses our page)", n);
	KU_ASSERT(ops[0].source.u.ref == 7 && ops[0].source.domid == 5 &&
	    ops[0].source.offset == 2048 && ops[0].dest.u.gmfn == 0x100 &&
	    ops[0].dest.domid == DOMID_SELF && ops[0].dest.offset == 0 &&
	    ops[0].len == 2048 && ops[0].flags == GNTCOPY_source_gref, "op 0");
	KU_ASSERT(ops[1].source.u.ref == 8 && ops[1].source.offset == 0 &&
	    ops[1].dest.u.gmfn == 0x100 && ops[1].dest.offset == 2048 &&
	    ops[1].len == 2048, "op 1");
	KU_ASSERT(ops[2].source.u.ref == 8 && ops[2].source.offset == 2048 &&
	    ops[2].dest.u.gmfn == 0x101 && ops[2].dest.offset == 0 &&
	    ops[2].len == 2048, "op 2");
	/* Read: our buffer -> guest. */
	n = blkback_copy_ops(segs, 2, true, 5, 0, fake_gfn, (void *)0x100, ops, 4);
	KU_ASSERT(n == 3 && ops[0].dest.u.ref == 7 && ops[0].dest.domid == 5 &&
	    ops[0].dest.offset == 2048 && ops[0].source.u.gmfn == 0x100 &&
	    ops[0].source.domid == DOMID_SELF && ops[0].flags == GNTCOPY_dest_gref,
	    "read ops");
	/* Too many operations: none rather than part of the request. */
	KU_ASSERT(blkback_copy_ops(segs, 2, true, 5, 0, fake_gfn, (void *)0x100,
	    ops, 2) == 0, "partial op list");
}

KUNIT_TEST(blkback_response_whole)
{
	blkif_response_t rsp;
	const uint8_t *b = (const uint8_t *)&rsp;

	memset(&rsp, 0xaa, sizeof(rsp));
	blkback_rsp_make(&rsp, 0x0102030405060708ULL, BLKIF_OP_WRITE,
	    BLKIF_RSP_ERROR);
	KU_ASSERT(rsp.id == 0x0102030405060708ULL && rsp.operation == 1 &&
	    rsp.status == -1, "fields");
	/* 16 bytes: id 0-7, operation 8, pad 9, status 10-11, pad 12-15. */
	KU_ASSERT(sizeof(rsp) == 16 && b[9] == 0 && b[12] == 0 && b[13] == 0 &&
	    b[14] == 0 && b[15] == 0, "padding not zeroed: %02x %02x %02x",
	    b[9], b[12], b[15]);
}

KUNIT_TEST(blkback_params_syntax)
{
	char disk[16];
	uint64_t ram;

	KU_ASSERT(blkback_params_parse("md0", disk, sizeof(disk), &ram) == 0 &&
	    strcmp(disk, "md0") == 0 && ram == 0, "md0");
	KU_ASSERT(blkback_params_parse("ram:16M", disk, sizeof(disk), &ram) == 0 &&
	    ram == 16ULL << 20 && disk[0] == '\0', "ram:16M -> %ju", (uintmax_t)ram);
	KU_ASSERT(blkback_params_parse("ram:4096", disk, sizeof(disk), &ram) == 0 &&
	    ram == 4096, "ram:4096");
	KU_ASSERT(blkback_params_parse("ram:4g", disk, sizeof(disk), &ram) == 0 &&
	    ram == 4ULL << 30, "ram:4g");
	KU_ASSERT(blkback_params_parse("ram:5g", disk, sizeof(disk), &ram) == EINVAL &&
	    blkback_params_parse("ram:1000", disk, sizeof(disk), &ram) == EINVAL &&
	    blkback_params_parse("ram:0", disk, sizeof(disk), &ram) == EINVAL &&
	    blkback_params_parse("ram:", disk, sizeof(disk), &ram) == EINVAL &&
	    blkback_params_parse("ram:M", disk, sizeof(disk), &ram) == EINVAL &&
	    blkback_params_parse("ram:-8", disk, sizeof(disk), &ram) == EINVAL &&
	    blkback_params_parse("ram:99999999999999999999k", disk, sizeof(disk),
	    &ram) == EINVAL, "bad sizes accepted");
	KU_ASSERT(blkback_params_parse("", disk, sizeof(disk), &ram) == EINVAL &&
	    blkback_params_parse("/dev/md0", disk, sizeof(disk), &ram) == EINVAL &&
	    blkback_params_parse("MD0", disk, sizeof(disk), &ram) == EINVAL &&
	    blkback_params_parse("md0 ", disk, sizeof(disk), &ram) == EINVAL &&
	    blkback_params_parse("abcdefghijklmnop", disk, sizeof(disk), &ram) ==
	    EINVAL, "bad disk names accepted");
}
