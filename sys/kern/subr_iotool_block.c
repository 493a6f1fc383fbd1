/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The I/O tool's integrity blocks: a header (magic, CRC-32, block number,
 * run id, block size) and a body whose bytes follow from the block number
 * and run id.  The CRC covers the whole block, so a damaged block shows as
 * a bad CRC; an intact block found at another block's place shows its own
 * block number; an intact block from an earlier run shows that run's id.
 * Pure: shared with the hosted tests.
 */
#include <sys/param.h>
#include <sys/crc32.h>
#include <sys/iotool.h>
#include <sys/systm.h>

CTASSERT(sizeof(struct iotool_blkhdr) == 24);

uint32_t
iotool_blk_crc(const void *blk, size_t bsize)
{
	static const uint32_t zero;
	const uint8_t *p = blk;
	uint32_t crc;
	size_t at = __builtin_offsetof(struct iotool_blkhdr, bh_crc);

	crc = crc32_update(0, p, at);
	crc = crc32_update(crc, &zero, sizeof(zero));
	return (crc32_update(crc, p + at + sizeof(zero),
	    bsize - at - sizeof(zero)));
}

void
iotool_blk_fill(void *blk, size_t bsize, uint64_t blkno, uint32_t runid)
{
	struct iotool_blkhdr h;
	uint8_t *p = blk;
	uint64_t x;
	size_t i;

	KASSERT(bsize >= sizeof(h) && bsize % 8 == 0,
	    ("iotool: block size %zu", bsize));
	/* xorshift64: cheap, and differs for every block and run. */
	x = (blkno + 1) * 0x9e3779b97f4a7c15ull ^ ((uint64_t)runid << 17);
	for (i = sizeof(h); i < bsize; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(p + i, &x, 8);
	}
	h.bh_magic = IOTOOL_BLK_MAGIC;
	h.bh_crc = 0;
	h.bh_blkno = blkno;
	h.bh_runid = runid;
	h.bh_bsize = (uint32_t)bsize;
	memcpy(p, &h, sizeof(h));
	h.bh_crc = iotool_blk_crc(p, bsize);
	memcpy(p + __builtin_offsetof(struct iotool_blkhdr, bh_crc), &h.bh_crc,
	    sizeof(h.bh_crc));
}

enum iotool_blk_verdict
iotool_blk_check(const void *blk, size_t bsize, uint64_t blkno, uint32_t runid)
{
	struct iotool_blkhdr h;

	if (bsize < sizeof(h))
		return (IOTOOL_BLK_BADCRC);
	memcpy(&h, blk, sizeof(h));
	if (h.bh_magic != IOTOOL_BLK_MAGIC || h.bh_bsize != bsize ||
	    h.bh_crc != iotool_blk_crc(blk, bsize))
		return (IOTOOL_BLK_BADCRC);
	if (h.bh_blkno != blkno)
		return (IOTOOL_BLK_BADBLKNO);
	if (h.bh_runid != runid)
		return (IOTOOL_BLK_STALE);
	return (IOTOOL_BLK_OK);
}
