/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The I/O tool's pure parts: CRC-32 against published check values and a
 * bit-at-a-time reference, the integrity block format and its verdicts,
 * the latency histogram's percentiles against exact ones from sorted
 * samples, and the iotool= specification parser.
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/crc32.h>
#include <sys/errno.h>
#include <sys/iotool.h>
#include <sys/lathist.h>
#include <sys/systm.h>
#include <sys/time.h>

#include "kunit.h"

/* Reference CRC-32, one bit at a time, straight from the polynomial. */
static uint32_t
ref_crc32(const uint8_t *p, size_t len)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c & 1) != 0 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return (~c);
}

KUNIT_TEST(crc32_check_values)
{
	static const uint8_t big[] = "The quick brown fox jumps over the lazy dog";

	/* Published check values of CRC-32/ISO-HDLC. */
	KU_ASSERT(crc32_update(0, "123456789", 9) == 0xcbf43926u,
	    "crc(\"123456789\") = %#x", crc32_update(0, "123456789", 9));
	KU_ASSERT(crc32_update(0, big, sizeof(big) - 1) == 0x414fa339u,
	    "crc(fox) = %#x", crc32_update(0, big, sizeof(big) - 1));
	KU_ASSERT(crc32_update(0, "", 0) == 0, "crc of nothing");
	KU_ASSERT(crc32_update(crc32_update(0, "12345", 5), "6789", 4) ==
	    0xcbf43926u, "chained crc differs");
}

KUNIT_TEST(crc32_matches_reference)
{
	static uint8_t buf[4096];
	uint64_t x = 88172645463325252ull;

	for (size_t i = 0; i < sizeof(buf); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (uint8_t)x;
	}
	for (size_t len = 0; len <= sizeof(buf); len += 257)
		KU_ASSERT(crc32_update(0, buf, len) == ref_crc32(buf, len),
		    "len %zu: %#x vs %#x", len, crc32_update(0, buf, len),
		    ref_crc32(buf, len));
}

static uint64_t	blk[512];	/* 4 KiB, aligned */

KUNIT_TEST(iotool_block_format)
{
	uint8_t *b = (uint8_t *)blk;
	struct iotool_blkhdr h;
	uint32_t crc;

	iotool_blk_fill(blk, sizeof(blk), 1234, 99);
	memcpy(&h, blk, sizeof(h));
	KU_ASSERT(h.bh_magic == IOTOOL_BLK_MAGIC && h.bh_blkno == 1234 &&
	    h.bh_runid == 99 && h.bh_bsize == sizeof(blk),
	    "header magic %#x blkno %ju runid %u bsize %u", h.bh_magic,
	    (uintmax_t)h.bh_blkno, h.bh_runid, h.bh_bsize);
	/* The CRC is of the whole block with its own field as zero. */
	memset(b + 4, 0, 4);
	crc = ref_crc32(b, sizeof(blk));
	KU_ASSERT(crc == h.bh_crc, "stored crc %#x, reference %#x", h.bh_crc, crc);
	memcpy(b + 4, &h.bh_crc, 4);
	KU_ASSERT(iotool_blk_check(blk, sizeof(blk), 1234, 99) == IOTOOL_BLK_OK,
	    "fresh block does not verify");

	/* The body depends on block and run: no two blocks alike. */
	static uint64_t other[512];
	iotool_blk_fill(other, sizeof(other), 1235, 99);
	KU_ASSERT(memcmp((uint8_t *)other + 24, b + 24, sizeof(blk) - 24) != 0,
	    "blocks 1234 and 1235 have the same body");
	iotool_blk_fill(other, sizeof(other), 1234, 98);
	KU_ASSERT(memcmp((uint8_t *)other + 24, b + 24, sizeof(blk) - 24) != 0,
	    "runs 98 and 99 have the same body");
}

KUNIT_TEST(iotool_block_verdicts)
{
	uint8_t *b = (uint8_t *)blk;

	iotool_blk_fill(blk, sizeof(blk), 7, 3);
	KU_ASSERT(iotool_blk_check(blk, sizeof(blk), 8, 3) == IOTOOL_BLK_BADBLKNO,
	    "block 7 read as 8 not reported as misplaced");
	KU_ASSERT(iotool_blk_check(blk, sizeof(blk), 7, 4) == IOTOOL_BLK_STALE,
	    "run 3 block read in run 4 not reported as stale");
	KU_ASSERT(iotool_blk_check(blk, 2048, 7, 3) == IOTOOL_BLK_BADCRC,
	    "block checked at another size verified");
	/* Every single-bit flip, in header and body, is a bad CRC. */
	for (size_t i = 0; i < sizeof(blk); i += 61) {
		b[i] ^= 0x04;
		KU_ASSERT(iotool_blk_check(blk, sizeof(blk), 7, 3) ==
		    IOTOOL_BLK_BADCRC, "flip at byte %zu not detected", i);
		b[i] ^= 0x04;
	}
	memset(blk, 0, sizeof(blk));
	KU_ASSERT(iotool_blk_check(blk, sizeof(blk), 0, 0) == IOTOOL_BLK_BADCRC,
	    "a zeroed (never written) block verified");
}

KUNIT_TEST(lathist_buckets)
{
	uint64_t v;

	for (v = 0; v < 16; v++)
		KU_ASSERT(lathist_bucket_max(lathist_bucket(v)) == v,
		    "small value %ju not exact", (uintmax_t)v);
	/* Buckets are contiguous, ordered, and at most 1/8 wide. */
	for (u_int b = 16; b < LATHIST_NBUCKETS; b++) {
		uint64_t lo = lathist_bucket_max(b - 1) + 1;
		uint64_t hi = lathist_bucket_max(b);

		KU_ASSERT(hi >= lo && lathist_bucket(lo) == b &&
		    lathist_bucket(hi) == b, "bucket %u [%ju, %ju]", b,
		    (uintmax_t)lo, (uintmax_t)hi);
		KU_ASSERT(hi - lo <= lo / 8, "bucket %u [%ju, %ju] too wide", b,
		    (uintmax_t)lo, (uintmax_t)hi);
	}
	KU_ASSERT(lathist_bucket(UINT64_MAX) == LATHIST_NBUCKETS - 1,
	    "UINT64_MAX in bucket %u", lathist_bucket(UINT64_MAX));
}

#define NSAMP	2000
static uint64_t	samp[NSAMP];
static struct lathist hist;

KUNIT_TEST(lathist_percentiles)
{
	static const u_int pm[] = { 1, 100, 500, 900, 990, 999, 1000 };
	uint64_t x = 0x2545f4914f6cdd1dull, got, want;

	lathist_init(&hist);
	KU_ASSERT(lathist_percentile(&hist, 500) == 0, "empty histogram");
	for (int i = 0; i < NSAMP; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* Long-tailed, like latencies: mostly small, some huge. */
		samp[i] = (x % 100000) >> (x >> 60);
		lathist_add(&hist, samp[i]);
	}
	for (int i = 1; i < NSAMP; i++) {
		uint64_t v = samp[i];
		int j = i;

		for (; j > 0 && samp[j - 1] > v; j--)
			samp[j] = samp[j - 1];
		samp[j] = v;
	}
	KU_ASSERT(hist.lh_count == NSAMP && hist.lh_min == samp[0] &&
	    hist.lh_max == samp[NSAMP - 1], "count/min/max");
	for (size_t i = 0; i < nitems(pm); i++) {
		/* Nearest rank: the ceil(n * p)-th smallest. */
		size_t rank = (NSAMP * pm[i] + 999) / 1000;

		want = samp[rank - 1];
		got = lathist_percentile(&hist, pm[i]);
		KU_ASSERT(got >= want && got <= want + want / 8,
		    "p%u.%u: %ju, exact %ju", pm[i] / 10, pm[i] % 10,
		    (uintmax_t)got, (uintmax_t)want);
	}
	KU_ASSERT(lathist_percentile(&hist, 1000) == samp[NSAMP - 1],
	    "p100 is not the maximum");

	/* One sample: every percentile is it. */
	lathist_init(&hist);
	lathist_add(&hist, 12345);
	KU_ASSERT(lathist_percentile(&hist, 500) == 12345 &&
	    lathist_percentile(&hist, 990) == 12345, "single sample");
}

KUNIT_TEST(iotool_spec_parse)
{
	struct iotool_args ia;
	char disk[16];

	KU_ASSERT(iotool_parse("disk=xbd0,op=write,pattern=rand,bs=64k,qd=32,"
	    "verify=1,count=1000,offset=1m,length=2m,time=500,runid=9,seed=3",
	    &ia, disk, sizeof(disk)) == 0, "full spec refused");
	KU_ASSERT(strcmp(disk, "xbd0") == 0, "disk %s", disk);
	KU_ASSERT(ia.ia_cmd == BIO_WRITE && ia.ia_random && ia.ia_verify &&
	    ia.ia_bsize == 65536 && ia.ia_qdepth == 32 && ia.ia_count == 1000 &&
	    ia.ia_offset == 1048576 && ia.ia_length == 2097152 &&
	    ia.ia_time == mstosbt(500) && ia.ia_runid == 9 && ia.ia_seed == 3,
	    "fields parsed wrong");

	KU_ASSERT(iotool_parse("disk=md0", &ia, disk, sizeof(disk)) == 0 &&
	    ia.ia_cmd == BIO_READ && !ia.ia_random && !ia.ia_verify &&
	    ia.ia_bsize == 4096 && ia.ia_qdepth == 1 && ia.ia_count == 0,
	    "defaults");

	static const char *const bad[] = {
		"op=read",			/* no disk */
		"disk=md0,op=erase",
		"disk=md0,pattern=zigzag",
		"disk=md0,qd=0",
		"disk=md0,qd=257",
		"disk=md0,bs=0",
		"disk=md0,verify=2",
		"disk=md0,bs=4q",
		"disk=md0,color=blue",
		"disk=md0,=1",
		"disk=md0,qd",
		"disk=averyveryverylongdiskname",
		"disk=md0,runid=4294967296",
	};
	for (size_t i = 0; i < nitems(bad); i++)
		KU_ASSERT(iotool_parse(bad[i], &ia, disk, sizeof(disk)) == EINVAL,
		    "\"%s\" accepted", bad[i]);
}

KUNIT_TEST(iotool_result_line)
{
	struct iotool_args ia;
	struct iotool_result ir;
	char line[320];

	iotool_args_init(&ia);
	memset(&ir, 0, sizeof(ir));
	ir.ir_ios = 1000;
	ir.ir_bytes = 4096000;
	ir.ir_elapsed = 2 * SBT_1S;	/* 2.048 MB/s, 500 IOPS */
	ir.ir_p50_ns = 150000;
	ir.ir_p99_ns = 2500000;
	ir.ir_first_bad = -1;
	iotool_format(line, sizeof(line), "md0", &ia, &ir);
	KU_ASSERT(strstr_simple(line, "IOTOOL disk=md0 op=read ") == line,
	    "line starts \"%s\"", line);
	KU_ASSERT(strstr_simple(line, " MB/s=2.04 ") != NULL ||
	    strstr_simple(line, " MB/s=2.05 ") != NULL, "rate in \"%s\"", line);
	KU_ASSERT(strstr_simple(line, " iops=500 ") != NULL &&
	    strstr_simple(line, " p50_us=150 ") != NULL &&
	    strstr_simple(line, " p99_us=2500 ") != NULL &&
	    strstr_simple(line, " first_bad=-1") != NULL, "fields in \"%s\"", line);
}
