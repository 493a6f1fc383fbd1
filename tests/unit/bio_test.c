/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * disk(9)'s bio validation and the bio queue.  The expected verdicts are
 * written out per case from the rules of disk.9, not derived from the code.
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include "kunit.h"

static char	buf[8192];

static struct disk
test_disk(u_int flags)
{
	struct disk d;

	memset(&d, 0, sizeof(d));
	d.d_name = "ut";
	d.d_sectorsize = 512;
	d.d_mediasize = 1024 * 512;	/* 1024 sectors */
	d.d_maxsize = 8192;
	d.d_qdepth = 4;
	d.d_flags = flags;
	return (d);
}

static int
check(const struct disk *d, enum bio_cmd cmd, off_t off, size_t len, void *data)
{
	struct bio b;

	memset(&b, 0, sizeof(b));
	b.bio_cmd = cmd;
	b.bio_offset = off;
	b.bio_length = len;
	b.bio_data = data;
	return (disk_bio_check(d, &b));
}

#define MEDIA	(1024 * 512)

KUNIT_TEST(bio_check_range)
{
	struct disk d = test_disk(DISKFLAG_CANFLUSH | DISKFLAG_CANDISCARD);
	static const struct {
		int	cmd;
		off_t	off;
		size_t	len;
		int	want;
	} cases[] = {
		{ BIO_READ, 0, 512, 0 },
		{ BIO_WRITE, MEDIA - 512, 512, 0 },	/* last sector */
		{ BIO_READ, MEDIA - 8192, 8192, 0 },	/* max size at the end */
		{ BIO_READ, MEDIA, 512, EINVAL },	/* just past the end */
		{ BIO_READ, MEDIA - 512, 1024, EINVAL },	/* straddles the end */
		{ BIO_READ, 1, 512, EINVAL },		/* unaligned offset */
		{ BIO_READ, 512, 513, EINVAL },		/* unaligned length */
		{ BIO_READ, 0, 0, EINVAL },		/* empty */
		{ BIO_READ, -512, 512, EINVAL },	/* negative */
		{ BIO_READ, 0, 8704, EINVAL },		/* above d_maxsize */
		{ BIO_WRITE, INT64_MAX - 511, 512, EINVAL },	/* off + len wraps */
		{ BIO_DISCARD, 0, MEDIA, 0 },		/* no d_maxsize for discard */
		{ BIO_DISCARD, 512, MEDIA, EINVAL },
		{ BIO_FLUSH, 0, 0, 0 },
		{ BIO_FLUSH, 512, 0, EINVAL },		/* a flush has no range */
		{ BIO_FLUSH, 0, 512, EINVAL },
		{ 0, 0, 512, EOPNOTSUPP },		/* no such command */
		{ BIO_CMD_COUNT, 0, 512, EOPNOTSUPP },
		{ 77, 0, 512, EOPNOTSUPP },
	};

	for (size_t i = 0; i < nitems(cases); i++) {
		int got = check(&d, cases[i].cmd, cases[i].off, cases[i].len,
		    cases[i].cmd == BIO_READ || cases[i].cmd == BIO_WRITE ?
		    buf : NULL);

		KU_ASSERT(got == cases[i].want,
		    "case %zu (%s off %jd len %zu): got %d, want %d", i,
		    bio_cmd_name(cases[i].cmd), (intmax_t)cases[i].off,
		    cases[i].len, got, cases[i].want);
	}
	KU_ASSERT(check(&d, BIO_READ, 0, 512, NULL) == EINVAL,
	    "a read without a buffer was accepted");
}

KUNIT_TEST(bio_check_4k_sectors)
{
	struct disk d = test_disk(0);

	d.d_sectorsize = 4096;
	KU_ASSERT(check(&d, BIO_READ, 4096, 4096, buf) == 0, "aligned 4 KiB read");
	KU_ASSERT(check(&d, BIO_READ, 512, 4096, buf) == EINVAL,
	    "512-aligned offset accepted on a 4 KiB-sector disk");
	KU_ASSERT(check(&d, BIO_READ, 0, 512, buf) == EINVAL,
	    "512-byte read accepted on a 4 KiB-sector disk");
}

KUNIT_TEST(bio_check_rdonly)
{
	struct disk d = test_disk(DISKFLAG_RDONLY | DISKFLAG_CANFLUSH |
	    DISKFLAG_CANDISCARD);

	KU_ASSERT(check(&d, BIO_WRITE, 0, 512, buf) == EROFS, "write allowed");
	KU_ASSERT(check(&d, BIO_DISCARD, 0, 512, NULL) == EROFS, "discard allowed");
	/* Read-only wins over the range: the caller learns the real reason. */
	KU_ASSERT(check(&d, BIO_WRITE, MEDIA, 512, buf) == EROFS,
	    "out-of-range write on a read-only disk: not EROFS");
	KU_ASSERT(check(&d, BIO_READ, 0, 512, buf) == 0, "read refused");
	KU_ASSERT(check(&d, BIO_FLUSH, 0, 0, NULL) == 0, "flush refused");
}

KUNIT_TEST(bio_check_unsupported)
{
	struct disk d = test_disk(0);

	KU_ASSERT(check(&d, BIO_FLUSH, 0, 0, NULL) == EOPNOTSUPP,
	    "flush accepted by a disk without DISKFLAG_CANFLUSH");
	KU_ASSERT(check(&d, BIO_DISCARD, 0, 512, NULL) == EOPNOTSUPP,
	    "discard accepted by a disk without DISKFLAG_CANDISCARD");
	d.d_flags = DISKFLAG_RDONLY;
	KU_ASSERT(check(&d, BIO_DISCARD, 0, 512, NULL) == EOPNOTSUPP,
	    "unsupported discard on a read-only disk: not EOPNOTSUPP");
}

/*
 * Discard granules (disk.9): with d_discard_gran G and d_discard_align A a
 * discard starts at A + kG and covers a multiple of G; 0 means sectors.
 */
KUNIT_TEST(bio_check_discard_granules)
{
	struct disk d = test_disk(DISKFLAG_CANDISCARD);
	static const struct {
		u_int	gran, align;
		off_t	off;
		size_t	len;
		int	want;
	} cases[] = {
		{ 0, 0, 512, 512, 0 },			/* sectors */
		{ 4096, 0, 0, 4096, 0 },
		{ 4096, 0, 8192, 3 * 4096, 0 },
		{ 4096, 0, 512, 4096, EINVAL },		/* starts mid-granule */
		{ 4096, 0, 0, 1024, EINVAL },		/* part of a granule */
		{ 4096, 0, 4096, 4096 + 512, EINVAL },	/* ends mid-granule */
		{ 4096, 1024, 1024, 4096, 0 },		/* granules from 1 KiB */
		{ 4096, 1024, 0, 4096, EINVAL },	/* before the first */
		{ 4096, 1024, 4096, 4096, EINVAL },	/* off by the alignment */
		{ 4096, 1024, 1024 + 8192, 8192, 0 },
		{ 3 * 512, 0, 3 * 512, 6 * 512, 0 },	/* not a power of two */
		{ 3 * 512, 0, 2 * 512, 3 * 512, EINVAL },
	};

	for (size_t i = 0; i < nitems(cases); i++) {
		d.d_discard_gran = cases[i].gran;
		d.d_discard_align = cases[i].align;
		KU_ASSERT(check(&d, BIO_DISCARD, cases[i].off, cases[i].len,
		    NULL) == cases[i].want, "case %zu: gran %u align %u, "
		    "discard %jd+%zu: got %d, want %d", i, cases[i].gran,
		    cases[i].align, (intmax_t)cases[i].off, cases[i].len,
		    check(&d, BIO_DISCARD, cases[i].off, cases[i].len, NULL),
		    cases[i].want);
	}
	/* Reads and writes are not held to the granules. */
	d.d_discard_gran = 4096;
	KU_ASSERT(check(&d, BIO_WRITE, 512, 512, buf) == 0,
	    "write refused on a disk with 4 KiB discard granules");
}

KUNIT_TEST(bioq_fifo)
{
	struct bio_queue_head q;
	struct bio b[5];

	bioq_init(&q);
	KU_ASSERT(bioq_takefirst(&q) == NULL && q.count == 0, "new queue not empty");
	for (int i = 0; i < 5; i++)
		bioq_insert_tail(&q, &b[i]);
	KU_ASSERT(q.count == 5, "count %u after 5 inserts", q.count);
	KU_ASSERT(bioq_first(&q) == &b[0], "first is not the oldest");
	bioq_remove(&q, &b[2]);
	KU_ASSERT(q.count == 4, "count %u after a remove", q.count);
	static const int order[] = { 0, 1, 3, 4 };
	for (int i = 0; i < 4; i++) {
		struct bio *bp = bioq_takefirst(&q);

		KU_ASSERT(bp == &b[order[i]], "take %d: bio %td, want %d", i,
		    bp == NULL ? -1 : bp - b, order[i]);
	}
	KU_ASSERT(bioq_takefirst(&q) == NULL && q.count == 0,
	    "queue not empty after taking everything");
	KU_EXPECT_PANIC(bioq_remove(&q, &b[0]), "empty queue");
}
