/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xbd(4) against the real backend (lab scenario domu-blk: xvda read-write
 * and xvdb read-only, brd RAM disks in dom0 served by Linux blkback).
 * Without those disks (every other scenario) the tests skip.  The bytes
 * xbd_integrity writes are checked again from dom0 after the guest is
 * gone (tests/lab/scenarios/domu-blk/run.sh): the independent reference.
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/iotool.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <dev/xen/blkfront/blkfront_var.h>
#include <xen/xen_ktest.h>

/* The run id dom0 expects in every block of xvda (run.sh). */
#define XBDT_RUNID	0x626c6b31u

static struct disk *
xbdt_disk(const char *name)
{
	return (disk_wait(name, 5 * SBT_1S));
}

/* What was negotiated with the backend, in one line. */
KTEST(xbd_features)
{
	struct xbd_softc *sc;
	struct disk *dp;

	KT_REQUIRE_XEN();
	if ((dp = xbdt_disk("xbd0")) == NULL)
		KT_SKIP("no xbd0");
	sc = dp->d_drv1;
	KT_ASSERT(sc != NULL && sc == xbd_find(0), "xbd0's softc");
	KT_ASSERT(sc->sc_neg.ring_entries == blkring_entries(sc->sc_neg.ring_order),
	    "ring order %u with %u entries", sc->sc_neg.ring_order,
	    sc->sc_neg.ring_entries);
	KT_ASSERT(dp->d_mediasize == (off_t)sc->sc_neg.sectors * 512,
	    "media %jd bytes, %ju sectors", (intmax_t)dp->d_mediasize,
	    (uintmax_t)sc->sc_neg.sectors);
	KT_NOTE("ring-order=%u entries=%u queues=%u indirect=%u max-segs=%u "
	    "flush=%d barrier=%d discard=%d persistent=%d sectors=%ju ss=%u",
	    sc->sc_neg.ring_order, sc->sc_neg.ring_entries, sc->sc_neg.queues,
	    sc->sc_neg.indirect_segs, sc->sc_neg.max_segs,
	    (sc->sc_neg.features & BLKRING_F_FLUSH) != 0,
	    (sc->sc_neg.features & BLKRING_F_BARRIER) != 0,
	    (sc->sc_neg.features & BLKRING_F_DISCARD) != 0,
	    sc->sc_neg.persistent, (uintmax_t)sc->sc_neg.sectors,
	    sc->sc_neg.sector_size);
}

static int
xbdt_run(struct disk *dp, int cmd, size_t bsize, u_int qd,
    struct iotool_result *ir)
{
	struct iotool_args ia;

	iotool_args_init(&ia);
	ia.ia_cmd = cmd;
	ia.ia_verify = true;
	ia.ia_bsize = bsize;
	ia.ia_qdepth = qd;
	ia.ia_runid = XBDT_RUNID;
	return (iotool_run(dp, &ia, ir));
}

/*
 * The whole disk written with integrity blocks at QD 32 (4 KiB) and read
 * back at the largest request size (indirect when negotiated), then at
 * 4 KiB again: every block at its place.  dom0 checks the same bytes.
 */
KTEST(xbd_integrity)
{
	struct iotool_result w, r, r4;
	struct xbd_softc *sc;
	struct disk *dp;
	size_t big;
	int error;

	KT_REQUIRE_XEN();
	if ((dp = xbdt_disk("xbd0")) == NULL)
		KT_SKIP("no xbd0");
	sc = dp->d_drv1;
	error = xbdt_run(dp, BIO_WRITE, 4096, 32, &w);
	KT_ASSERT(error == 0, "write run: %d", error);
	KT_ASSERT(iotool_clean(&w), "write: %ju errors (first %d)",
	    (uintmax_t)w.ir_errors, w.ir_first_error);
	KT_ASSERT(w.ir_bytes == (uint64_t)dp->d_mediasize,
	    "wrote %ju of %jd bytes", (uintmax_t)w.ir_bytes,
	    (intmax_t)dp->d_mediasize);
	/* The largest request the disk takes that divides the disk. */
	big = dp->d_maxsize;
	while (big > 4096 && (dp->d_mediasize % (off_t)big) != 0)
		big /= 2;
	error = xbdt_run(dp, BIO_READ, big, 4, &r);
	KT_ASSERT(error == 0, "read run (bs %zu): %d", big, error);
	KT_ASSERT(iotool_clean(&r), "read bs %zu: %ju errors (first %d), "
	    "bad crc %ju, bad blkno %ju, stale %ju, first bad %jd", big,
	    (uintmax_t)r.ir_errors, r.ir_first_error, (uintmax_t)r.ir_bad_crc,
	    (uintmax_t)r.ir_bad_blkno, (uintmax_t)r.ir_stale,
	    (intmax_t)r.ir_first_bad);
	error = xbdt_run(dp, BIO_READ, 4096, 32, &r4);
	KT_ASSERT(error == 0 && iotool_clean(&r4), "read 4k: %d, %ju errors, "
	    "first bad %jd", error, (uintmax_t)r4.ir_errors,
	    (intmax_t)r4.ir_first_bad);
	KT_ASSERT(sc->sc_proto_errors == 0, "%ju protocol errors",
	    (uintmax_t)sc->sc_proto_errors);
	KT_NOTE("%jd bytes: write 4k qd32 %ju ios max inflight %u, read bs %zu "
	    "%ju ios, read 4k %ju ios; bounced %ju; requests %ju",
	    (intmax_t)dp->d_mediasize, (uintmax_t)w.ir_ios, w.ir_max_inflight,
	    big, (uintmax_t)r.ir_ios, (uintmax_t)r4.ir_ios,
	    (uintmax_t)sc->sc_queues[0].xq_bounced,
	    (uintmax_t)sc->sc_queues[0].xq_requests);
}

/* An aligned buffer goes straight to the backend, and reads back. */
KTEST(xbd_flush_aligned)
{
	struct disk *dp;
	uint8_t *p;
	int error;

	KT_REQUIRE_XEN();
	if ((dp = xbdt_disk("xbd0")) == NULL)
		KT_SKIP("no xbd0");
	/* A large malloc is a page run plus a 16-byte header. */
	p = malloc(3 * PAGE_SIZE, M_TEMP, M_WAITOK | M_ZERO);
	error = (dp->d_flags & DISKFLAG_CANFLUSH) != 0 ?
	    disk_io(dp, BIO_FLUSH, 0, NULL, 0) : 0;
	KT_CHECK(error == 0, "flush: %d", error);
	error = disk_io(dp, BIO_READ, 0,
	    (void *)roundup2((uintptr_t)p, PAGE_SIZE), PAGE_SIZE);
	KT_CHECK(error == 0, "aligned read: %d", error);
	free(p, M_TEMP);
	KT_NOTE_OK("flush %s", (dp->d_flags & DISKFLAG_CANFLUSH) != 0 ?
	    "sent" : "not offered");
}

/* The read-only disk: reads work, writes fail with EROFS. */
KTEST(xbd_readonly)
{
	struct disk *dp;
	uint8_t *buf;
	int rerr, werr;

	KT_REQUIRE_XEN();
	if ((dp = xbdt_disk("xbd1")) == NULL)
		KT_SKIP("no xbd1");
	KT_ASSERT((dp->d_flags & DISKFLAG_RDONLY) != 0,
	    "xbd1 is not read-only (flags %#x)", dp->d_flags);
	buf = malloc(4096, M_TEMP, M_WAITOK | M_ZERO);
	rerr = disk_io(dp, BIO_READ, 0, buf, 4096);
	werr = disk_io(dp, BIO_WRITE, 0, buf, 4096);
	free(buf, M_TEMP);
	KT_ASSERT(rerr == 0, "read: %d", rerr);
	KT_ASSERT(werr == EROFS, "write: %d, want EROFS", werr);
}
