/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The I/O tool on RAM disks: integrity write and verify of a whole disk at
 * queue depths 1 and 32, and the verifier catching blocks damaged, moved or
 * left from another run behind its back (through md's memory), each named
 * by its block number.
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/iotool.h>
#include <sys/ktest.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <dev/md/md_var.h>

#define IOT_SIZE	(4 * 1024 * 1024)
#define IOT_BS		4096
#define IOT_NBLK	(IOT_SIZE / IOT_BS)

static struct md_softc *
iot_md(void)
{
	struct md_args ma = { .ma_size = IOT_SIZE };
	struct md_softc *sc;

	return (md_create(&ma, &sc) == 0 ? sc : NULL);
}

/* Writes and verifies the whole disk; checks the counts and the depth. */
static void
iot_integrity(struct ktest_ctx *ktest_ctx, u_int qd)
{
	struct iotool_result w, r;
	struct md_softc *sc;
	int ew, er;

	sc = iot_md();
	KT_ASSERT(sc != NULL, "no RAM disk");
	ew = iotool_verify_run(md_disk(sc), BIO_WRITE, IOT_BS, qd, 7, &w);
	er = iotool_verify_run(md_disk(sc), BIO_READ, IOT_BS, qd, 7, &r);
	md_destroy(sc);
	KT_ASSERT(ew == 0 && er == 0, "iotool_run: write %d, read %d", ew, er);
	KT_ASSERT(w.ir_ios == IOT_NBLK && w.ir_bytes == IOT_SIZE &&
	    w.ir_errors == 0, "write: %ju ios, %ju bytes, %ju errors",
	    (uintmax_t)w.ir_ios, (uintmax_t)w.ir_bytes, (uintmax_t)w.ir_errors);
	KT_ASSERT(r.ir_ios == IOT_NBLK && r.ir_bytes == IOT_SIZE &&
	    iotool_clean(&r), "verify: %ju ios, %ju errors, crc %ju blkno %ju "
	    "stale %ju, first bad %jd", (uintmax_t)r.ir_ios,
	    (uintmax_t)r.ir_errors, (uintmax_t)r.ir_bad_crc,
	    (uintmax_t)r.ir_bad_blkno, (uintmax_t)r.ir_stale,
	    (intmax_t)r.ir_first_bad);
	KT_ASSERT(w.ir_max_inflight == qd && r.ir_max_inflight == qd,
	    "in flight at most %u/%u, want %u", w.ir_max_inflight,
	    r.ir_max_inflight, qd);
	KT_ASSERT(r.ir_p50_ns > 0 && r.ir_p50_ns <= r.ir_p99_ns &&
	    r.ir_p99_ns <= r.ir_max_ns, "latencies p50 %ju p99 %ju max %ju ns",
	    (uintmax_t)r.ir_p50_ns, (uintmax_t)r.ir_p99_ns,
	    (uintmax_t)r.ir_max_ns);
	KT_NOTE("write %ju ms, verify %ju ms, p50 %ju us, p99 %ju us",
	    (uintmax_t)sbttoms(w.ir_elapsed), (uintmax_t)sbttoms(r.ir_elapsed),
	    (uintmax_t)(r.ir_p50_ns / 1000), (uintmax_t)(r.ir_p99_ns / 1000));
}

KTEST(iotool_integrity_qd1)
{
	iot_integrity(ktest_ctx, 1);
}

KTEST(iotool_integrity_qd32)
{
	iot_integrity(ktest_ctx, 32);
}

/*
 * Damage behind the driver: one flipped byte in block 37 (bad CRC), block
 * 5's content copied over block 90 (wrong block number), block 200
 * rewritten by another run (stale run id).  Each is found, once, by number.
 */
KTEST(iotool_detects_corruption)
{
	struct iotool_result w, r, r1, r2;
	struct iotool_args ia;
	struct md_softc *sc;
	uint8_t *mem;
	int error;

	sc = iot_md();
	KT_ASSERT(sc != NULL, "no RAM disk");
	mem = md_memory(sc);
	error = iotool_verify_run(md_disk(sc), BIO_WRITE, IOT_BS, 8, 11, &w);
	if (!KT_CHECK(error == 0 && iotool_clean(&w), "write: %d", error))
		goto out;

	mem[37 * IOT_BS + 1000] ^= 0x10;
	error = iotool_verify_run(md_disk(sc), BIO_READ, IOT_BS, 8, 11, &r);
	KT_CHECK(error == 0 && r.ir_bad_crc == 1 && r.ir_bad_blkno == 0 &&
	    r.ir_stale == 0 && r.ir_first_bad == 37,
	    "flipped byte: error %d, crc %ju blkno %ju stale %ju first %jd",
	    error, (uintmax_t)r.ir_bad_crc, (uintmax_t)r.ir_bad_blkno,
	    (uintmax_t)r.ir_stale, (intmax_t)r.ir_first_bad);
	mem[37 * IOT_BS + 1000] ^= 0x10;

	memcpy(mem + 90 * IOT_BS, mem + 5 * IOT_BS, IOT_BS);
	error = iotool_verify_run(md_disk(sc), BIO_READ, IOT_BS, 8, 11, &r1);
	KT_CHECK(error == 0 && r1.ir_bad_blkno == 1 && r1.ir_bad_crc == 0 &&
	    r1.ir_first_bad == 90,
	    "misplaced block: crc %ju blkno %ju first %jd",
	    (uintmax_t)r1.ir_bad_crc, (uintmax_t)r1.ir_bad_blkno,
	    (intmax_t)r1.ir_first_bad);
	iotool_blk_fill(mem + 90 * IOT_BS, IOT_BS, 90, 11);

	iotool_args_init(&ia);
	ia.ia_cmd = BIO_WRITE;
	ia.ia_verify = true;
	ia.ia_offset = 200 * IOT_BS;
	ia.ia_length = IOT_BS;
	ia.ia_runid = 12;
	error = iotool_run(md_disk(sc), &ia, &w);
	KT_CHECK(error == 0 && w.ir_ios == 1, "rewrite of block 200: %d", error);
	error = iotool_verify_run(md_disk(sc), BIO_READ, IOT_BS, 8, 11, &r2);
	KT_CHECK(error == 0 && r2.ir_stale == 1 && r2.ir_bad_crc == 0 &&
	    r2.ir_bad_blkno == 0 && r2.ir_first_bad == 200,
	    "stale block: crc %ju blkno %ju stale %ju first %jd",
	    (uintmax_t)r2.ir_bad_crc, (uintmax_t)r2.ir_bad_blkno,
	    (uintmax_t)r2.ir_stale, (intmax_t)r2.ir_first_bad);
out:
	md_destroy(sc);
	KT_NOTE_OK("bad crc at 37, moved block at 90, stale run at 200");
}

/* Failed bios are counted, not mistaken for mismatches. */
KTEST(iotool_counts_errors)
{
	struct iotool_result w, r = { .ir_first_bad = -1 };
	struct md_softc *sc;
	int error;

	sc = iot_md();
	KT_ASSERT(sc != NULL, "no RAM disk");
	error = iotool_verify_run(md_disk(sc), BIO_WRITE, IOT_BS, 4, 3, &w);
	md_set_fault(sc, 17 * IOT_BS + 512, EIO);
	if (error == 0)
		error = iotool_verify_run(md_disk(sc), BIO_READ, IOT_BS, 4, 3, &r);
	md_destroy(sc);
	KT_ASSERT(error == 0, "iotool_run: %d", error);
	KT_ASSERT(r.ir_errors == 1 && r.ir_first_error == EIO &&
	    r.ir_bad_crc == 0 && r.ir_ios == IOT_NBLK &&
	    r.ir_bytes == IOT_SIZE - IOT_BS && !iotool_clean(&r),
	    "errors %ju (first %d), crc %ju, ios %ju, bytes %ju",
	    (uintmax_t)r.ir_errors, r.ir_first_error, (uintmax_t)r.ir_bad_crc,
	    (uintmax_t)r.ir_ios, (uintmax_t)r.ir_bytes);
	KT_NOTE("one EIO counted");
}

/* Random reads at depth 16 over a verified disk, and refused arguments. */
KTEST(iotool_random_and_args)
{
	struct iotool_result w, r = { .ir_first_bad = -1 };
	struct iotool_args ia;
	struct md_softc *sc;
	int error, e1, e2, e3;

	sc = iot_md();
	KT_ASSERT(sc != NULL, "no RAM disk");
	error = iotool_verify_run(md_disk(sc), BIO_WRITE, IOT_BS, 16, 5, &w);
	iotool_args_init(&ia);
	ia.ia_random = true;
	ia.ia_verify = true;
	ia.ia_qdepth = 16;
	ia.ia_runid = 5;
	ia.ia_count = 3000;
	ia.ia_seed = 42;
	if (error == 0)
		error = iotool_run(md_disk(sc), &ia, &r);
	ia.ia_bsize = 1000;			/* not a sector multiple */
	e1 = iotool_run(md_disk(sc), &ia, &w);
	ia.ia_bsize = 4096;
	ia.ia_offset = IOT_SIZE;		/* outside the disk */
	e2 = iotool_run(md_disk(sc), &ia, &w);
	ia.ia_offset = 0;
	ia.ia_qdepth = 0;
	e3 = iotool_run(md_disk(sc), &ia, &w);
	md_destroy(sc);
	KT_ASSERT(error == 0 && r.ir_ios == 3000 && iotool_clean(&r) &&
	    r.ir_max_inflight == 16, "random verify: error %d, ios %ju, "
	    "clean %d, depth %u", error, (uintmax_t)r.ir_ios, iotool_clean(&r),
	    r.ir_max_inflight);
	KT_ASSERT(e1 == EINVAL && e2 == EINVAL && e3 == EINVAL,
	    "bad arguments: %d %d %d, want EINVAL", e1, e2, e3);
	KT_NOTE("3000 random reads verified");
}

/* A timed run stops issuing at its time and drains what is in flight. */
KTEST(iotool_time_limit)
{
	struct iotool_result r = { .ir_first_bad = -1 };
	struct iotool_args ia;
	struct md_softc *sc;
	int error;

	sc = iot_md();
	KT_ASSERT(sc != NULL, "no RAM disk");
	iotool_args_init(&ia);
	ia.ia_random = true;
	ia.ia_qdepth = 4;
	ia.ia_time = 30 * SBT_1MS;
	error = iotool_run(md_disk(sc), &ia, &r);
	md_destroy(sc);
	KT_ASSERT(error == 0 && r.ir_errors == 0, "iotool_run: %d, %ju errors",
	    error, (uintmax_t)r.ir_errors);
	KT_ASSERT(r.ir_elapsed >= ia.ia_time && r.ir_elapsed < ia.ia_time + SBT_1S,
	    "ran %ju ms for a 30 ms run", (uintmax_t)sbttoms(r.ir_elapsed));
	KT_ASSERT(r.ir_ios > 0 && r.ir_bytes == r.ir_ios * ia.ia_bsize,
	    "%ju ios, %ju bytes", (uintmax_t)r.ir_ios, (uintmax_t)r.ir_bytes);
	KT_NOTE("%ju reads in %ju ms", (uintmax_t)r.ir_ios,
	    (uintmax_t)sbttoms(r.ir_elapsed));
}

/*
 * Every buffer iotool hands a disk starts on a page boundary (a driver
 * that grants pages would otherwise copy each one through a bounce page),
 * at depth 1 and 8 and block sizes of a sector, a page and 1 MiB.
 */
static u_int	iot_align_bios, iot_align_off;

static void
iot_align_strategy(struct bio *bp)
{
	/* One disk, one run at a time: no lock for the counters. */
	iot_align_bios++;
	if (((uintptr_t)bp->bio_data & PAGE_MASK) != 0)
		iot_align_off++;
	bp->bio_resid = 0;
	bp->bio_error = 0;
	biodone(bp);
}

KTEST(iotool_buffers_page_aligned)
{
	static const struct {
		u_int	bs, qd;
	} runs[] = { { 512, 1 }, { 4096, 8 }, { 1048576, 1 }, { 65536, 8 } };
	struct disk d;
	struct iotool_result r;
	struct iotool_args ia;
	int error;

	memset(&d, 0, sizeof(d));
	d.d_name = "iotalign";
	d.d_unit = 0;
	d.d_sectorsize = 512;
	d.d_mediasize = 4 * 1024 * 1024;
	d.d_maxsize = 1048576;
	d.d_qdepth = 8;
	d.d_strategy = iot_align_strategy;
	KT_ASSERT(disk_create(&d) == 0, "disk_create");
	iot_align_bios = iot_align_off = 0;
	for (size_t i = 0; i < nitems(runs); i++) {
		iotool_args_init(&ia);
		ia.ia_cmd = BIO_READ;
		ia.ia_bsize = runs[i].bs;
		ia.ia_qdepth = runs[i].qd;
		ia.ia_count = 16;
		error = iotool_run(&d, &ia, &r);
		KT_CHECK(error == 0 && r.ir_ios == 16 && r.ir_errors == 0,
		    "bs %u qd %u: error %d, %ju ios, %ju errors", runs[i].bs,
		    runs[i].qd, error, (uintmax_t)r.ir_ios,
		    (uintmax_t)r.ir_errors);
	}
	disk_destroy(&d);
	KT_CHECK(iot_align_bios == 16 * nitems(runs) && iot_align_off == 0,
	    "%u of %u bios not page-aligned", iot_align_off, iot_align_bios);
	KT_NOTE_OK("%u bios, all page-aligned", iot_align_bios);
}
