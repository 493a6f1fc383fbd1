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
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/physmem.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <dev/xen/blkfront/blkfront_ktest.h>
#include <dev/xen/blkfront/blkfront_var.h>
#include <machine/atomic.h>
#include <machine/vmparam.h>

#include <xen/gnttab.h>
#include <xen/xen_ktest.h>
#include <xen/xenstore.h>

MALLOC_DECLARE(M_XBD);

/* The run id dom0 expects in every block of xvda (run.sh). */
#define XBDT_RUNID	0x626c6b31u

/*
 * A test's disk, referenced (disk(9)); the reference goes back however the
 * test ends, KT_ASSERT's early return included.
 */
static void
xbdt_rele(struct disk **dpp)
{
	if (*dpp != NULL)
		disk_rele(*dpp);
	*dpp = NULL;
}
#define XBDT_DISK	struct disk *__attribute__((cleanup(xbdt_rele)))

int
xbdt_softc_new(domid_t dom, struct xbd_softc **scp)
{
	struct xbd_softc *sc;
	struct xbd_queue *q;

	sc = malloc(sizeof(*sc), M_TEMP, M_WAITOK | M_ZERO);
	sc->sc_otherend = dom;
	xenbus_closer_init(&sc->sc_closer, NULL);
	sc->sc_nqueues = 1;
	q = &sc->sc_queues[0];
	q->xq_sc = sc;
	q->xq_sring_pa = PHYS_NONE;
	*scp = sc;
	return (xbd_queue_alloc_ring(q, 0));
}

/*
 * xbdN once it has connected, referenced; NULL at once when the toolstack
 * gave us no disk at all (every scenario but domu-blk), so the tests skip
 * quickly.
 */
static struct disk *
xbdt_disk(const char *name)
{
	const char **ents;
	u_int num;

	/* dom0-boot has no xenstore: do not wait for its timeouts. */
	if (!xs_ready() ||
	    xs_directory(XST_NIL, "device", "vbd", &num, &ents) != 0)
		return (NULL);
	free(ents, M_XENSTORE);
	if (num == 0)
		return (NULL);
	return (disk_wait(name, 5 * SBT_1S));
}

/*
 * Detach and attach again (domu-blk's dom0 side): we report "ready" under
 * data/xbd-lab/phase, dom0 runs xl block-detach of xvdb (xbd1 must go away
 * through Closing/Closed), we report "detached", dom0 runs xl block-attach
 * and xbd1 must come back, read-only again and readable.  Defined first so
 * it runs last, after the tests that use xbd1.
 */
#define XBDT_LAB	"data/xbd-lab"

static bool
xbdt_wait_gone(const char *name, u_int ms)
{
	struct disk *dp;

	for (u_int t = 0; t <= ms; t += 50) {
		if ((dp = disk_find(name)) == NULL)
			return (true);
		disk_rele(dp);
		(void)tsleep(&xbdt_wait_gone, "xbdgone", 50 * SBT_1MS);
	}
	return (false);
}

KTEST(xbd_reattach)
{
	XBDT_DISK dp = NULL;
	uint8_t *buf;
	int error;

	KT_REQUIRE_XEN();
	if ((dp = xbdt_disk("xbd1")) == NULL)
		KT_SKIP("no xbd1");
	/* Our reference would hold its detach up: give it back first. */
	xbdt_rele(&dp);
	error = xs_write(XST_NIL, XBDT_LAB, "phase", "ready");
	KT_ASSERT(error == 0, "report ready: %d", error);
	KT_ASSERT(xbdt_wait_gone("xbd1", 20000),
	    "xbd1 still there 20 s after reporting ready");
	error = xs_write(XST_NIL, XBDT_LAB, "phase", "detached");
	KT_ASSERT(error == 0, "report detached: %d", error);
	dp = disk_wait("xbd1", 20 * SBT_1S);
	KT_ASSERT(dp != NULL, "xbd1 not back 20 s after its detach");
	KT_ASSERT((dp->d_flags & DISKFLAG_RDONLY) != 0, "xbd1 back read-write");
	buf = malloc(4096, M_TEMP, M_WAITOK);
	error = disk_io(dp, BIO_READ, 0, buf, 4096);
	free(buf, M_TEMP);
	KT_ASSERT(error == 0, "read after reattach: %d", error);
	(void)xs_write(XST_NIL, XBDT_LAB, "phase", "done");
	KT_NOTE("xbd1 gone and back (connects of the new xbd1: %ju)",
	    (uintmax_t)((struct xbd_softc *)dp->d_drv1)->sc_connects);
}

/*
 * xen-blkback unloaded and loaded again under a connected xbd0 (lab
 * scenario domu-blkreload, ktest.xbd_reload=1; it skips elsewhere).  The
 * guest and dom0 take turns through data/xbd-lab: the guest's "phase",
 * dom0's "dom0".
 *   1. We write run A over the first XBDT_RL_LEN bytes: phase written.
 *      dom0 finds run A on its RAM disk and says "go".
 *   2. We read and verify run A in a loop, saying "reading" as the first
 *      pass starts; dom0 then unbinds blkback from the disk, unloads it
 *      and loads it again with the same parameters.  The requests on the
 *      ring wait for the new blkback, which takes the same rings up again
 *      (Linux 6.1), so every pass is clean and we never reconnect; the
 *      slowest read (XBD-RELOAD plain max_ms) shows the wait.  dom0 says
 *      "reloaded" once blkback is Connected again: phase verified.
 *   3. dom0 does it again with max_ring_page_order=0: the new blkback
 *      refuses our order-4 rings and closes; xbd0 must go away, return
 *      to Initialising by itself (the backend is still online) and come
 *      back on a one-page ring: phase back, and we wait for dom0 to have
 *      read both ends' nodes ("checked").  Run A must be intact; we
 *      write and verify run B: phase done, and dom0 finds run B on its
 *      RAM disk once we are gone.
 */
static bool xbdt_reload;
TUNABLE_BOOL("ktest.xbd_reload", &xbdt_reload,
    "run ktest xbd_reload (lab scenario domu-blkreload)");

#define XBDT_RL_LEN	(4 * 1024 * 1024)
#define XBDT_RL_RUNA	0x524c4431u
#define XBDT_RL_RUNB	0x524c4432u

static int
xbdt_rl_run(struct disk *dp, int cmd, uint32_t runid,
    struct iotool_result *ir)
{
	struct iotool_args ia;

	iotool_args_init(&ia);
	ia.ia_cmd = cmd;
	ia.ia_verify = true;
	ia.ia_qdepth = 8;
	ia.ia_length = XBDT_RL_LEN;
	ia.ia_runid = runid;
	return (iotool_run(dp, &ia, ir));
}

/* dom0's word in data/xbd-lab/dom0 is want. */
static bool
xbdt_dom0_says(const char *want)
{
	char *v;
	size_t len;
	bool yes;

	if (xs_read(XST_NIL, XBDT_LAB, "dom0", &v, &len) != 0)
		return (false);
	yes = strcmp(v, want) == 0;
	free(v, M_XENSTORE);
	return (yes);
}

#define XBDT_RL_RESULT(ir)						\
	(uintmax_t)(ir).ir_ios, (uintmax_t)(ir).ir_errors,		\
	(ir).ir_first_error, (uintmax_t)(ir).ir_bad_crc,		\
	(uintmax_t)(ir).ir_bad_blkno, (uintmax_t)(ir).ir_stale,		\
	(intmax_t)(ir).ir_first_bad
#define XBDT_RL_FMT	"%ju ios, %ju errors (first %d), bad crc %ju, "	\
	"bad blkno %ju, stale %ju, first bad %jd"

KTEST(xbd_reload)
{
	struct iotool_result ir;
	struct xbd_softc *sc;
	XBDT_DISK dp = NULL;
	uint64_t connects, reconnects;
	uint64_t max_ns = 0;
	u_int passes = 0;
	sbintime_t deadline;
	int error;

	KT_REQUIRE_XEN();
	if (!xbdt_reload)
		KT_SKIP("not domu-blkreload (ktest.xbd_reload=1)");
	dp = xbdt_disk("xbd0");
	KT_ASSERT(dp != NULL, "no xbd0");
	sc = dp->d_drv1;
	connects = sc->sc_connects;
	reconnects = sc->sc_reconnects;
	error = xbdt_rl_run(dp, BIO_WRITE, XBDT_RL_RUNA, &ir);
	KT_ASSERT(error == 0 && iotool_clean(&ir), "run A write: %d, "
	    XBDT_RL_FMT, error, XBDT_RL_RESULT(ir));
	error = xs_write(XST_NIL, XBDT_LAB, "phase", "written");
	KT_ASSERT(error == 0, "report written: %d", error);

	/* 2: verify passes across the plain reload, from dom0's "go" on. */
	deadline = sbinuptime() + 60 * SBT_1S;
	while (!xbdt_dom0_says("go")) {
		KT_ASSERT(sbinuptime() < deadline, "no go from dom0 in 60 s");
		(void)tsleep(&xbdt_reload, "xbdtgo", 50 * SBT_1MS);
	}
	/* dom0 unbinds blkback as soon as it reads this: mid-pass. */
	error = xs_write(XST_NIL, XBDT_LAB, "phase", "reading");
	KT_ASSERT(error == 0, "report reading: %d", error);
	deadline = sbinuptime() + 90 * SBT_1S;
	while (!xbdt_dom0_says("reloaded")) {
		KT_ASSERT(sbinuptime() < deadline, "dom0 not done reloading "
		    "in 90 s (%u passes)", passes);
		if (xbdt_dom0_says("failed"))
			KT_FAIL("dom0 gave up (%u passes)", passes);
		error = xbdt_rl_run(dp, BIO_READ, XBDT_RL_RUNA, &ir);
		KT_ASSERT(error == 0 && iotool_clean(&ir), "run A verify pass "
		    "%u across the reload: %d, " XBDT_RL_FMT, passes, error,
		    XBDT_RL_RESULT(ir));
		passes++;
		max_ns = MAX(max_ns, ir.ir_max_ns);
	}
	KT_ASSERT(sc->sc_connects == connects && sc->sc_reconnects == reconnects,
	    "the plain reload made xbd0 reconnect (connects %ju -> %ju)",
	    (uintmax_t)connects, (uintmax_t)sc->sc_connects);
	printf("XBD-RELOAD plain passes=%u max_ms=%ju connects=%ju\n", passes,
	    (uintmax_t)(max_ns / 1000000), (uintmax_t)sc->sc_connects);
	/* Our reference would hold up the disconnect to come. */
	xbdt_rele(&dp);
	error = xs_write(XST_NIL, XBDT_LAB, "phase", "verified");
	KT_ASSERT(error == 0, "report verified: %d", error);

	/* 3: the reload that refuses our rings. */
	KT_ASSERT(xbdt_wait_gone("xbd0", 60000),
	    "xbd0 still there 60 s after reporting verified");
	dp = disk_wait("xbd0", 60 * SBT_1S);
	KT_ASSERT(dp != NULL, "xbd0 not back 60 s after it went");
	KT_ASSERT(dp->d_drv1 == sc, "xbd0 back on another device");
	KT_ASSERT(sc->sc_connects == connects + 1 &&
	    sc->sc_reconnects > reconnects, "connects %ju -> %ju, reconnects "
	    "%ju -> %ju", (uintmax_t)connects, (uintmax_t)sc->sc_connects,
	    (uintmax_t)reconnects, (uintmax_t)sc->sc_reconnects);
	KT_ASSERT(sc->sc_neg.ring_order == 0, "back with ring order %u, "
	    "blkback allows 0", sc->sc_neg.ring_order);
	/* dom0 looks at both ends' nodes while we are surely connected. */
	error = xs_write(XST_NIL, XBDT_LAB, "phase", "back");
	KT_ASSERT(error == 0, "report back: %d", error);
	deadline = sbinuptime() + 30 * SBT_1S;
	while (!xbdt_dom0_says("checked")) {
		KT_ASSERT(sbinuptime() < deadline, "dom0 did not check the "
		    "nodes in 30 s");
		(void)tsleep(&xbdt_reload, "xbdtchk", 50 * SBT_1MS);
	}
	error = xbdt_rl_run(dp, BIO_READ, XBDT_RL_RUNA, &ir);
	KT_ASSERT(error == 0 && iotool_clean(&ir), "run A after the "
	    "reconnect: %d, " XBDT_RL_FMT, error, XBDT_RL_RESULT(ir));
	error = xbdt_rl_run(dp, BIO_WRITE, XBDT_RL_RUNB, &ir);
	KT_ASSERT(error == 0 && iotool_clean(&ir), "run B write: %d, "
	    XBDT_RL_FMT, error, XBDT_RL_RESULT(ir));
	error = xbdt_rl_run(dp, BIO_READ, XBDT_RL_RUNB, &ir);
	KT_ASSERT(error == 0 && iotool_clean(&ir), "run B verify: %d, "
	    XBDT_RL_FMT, error, XBDT_RL_RESULT(ir));
	printf("XBD-RELOAD refused connects=%ju reconnects=%ju ring-order=%u\n",
	    (uintmax_t)sc->sc_connects, (uintmax_t)sc->sc_reconnects,
	    sc->sc_neg.ring_order);
	(void)xs_write(XST_NIL, XBDT_LAB, "phase", "done");
	KT_NOTE("plain reload: %u clean passes (slowest read %ju ms); refused "
	    "rings: reconnected on order 0, run A intact, run B clean", passes,
	    (uintmax_t)(max_ns / 1000000));
}

/*
 * Flush and discard on xvdc (domu-blk: a loop device on a tmpfs file,
 * which unlike brd has a write cache and discards): both offered, both
 * completed by the backend; dom0 then counts them in blkback's statistics
 * (f_req, ds_req).  A discarded range of a punched tmpfs file reads back
 * as zeroes.
 */
KTEST(xbd_flush_discard)
{
	XBDT_DISK dp = NULL;
	uint8_t *buf;
	size_t len = 64 * 1024, nz = 0;
	int werr, ferr, derr, rerr;

	KT_REQUIRE_XEN();
	if ((dp = xbdt_disk("xbd2")) == NULL)
		KT_SKIP("no xbd2");
	KT_ASSERT((dp->d_flags & (DISKFLAG_CANFLUSH | DISKFLAG_CANDISCARD)) ==
	    (DISKFLAG_CANFLUSH | DISKFLAG_CANDISCARD),
	    "xbd2 flags %#x: flush and discard not both offered", dp->d_flags);
	buf = malloc(len, M_TEMP, M_WAITOK);
	memset(buf, 0xc3, len);
	werr = disk_io(dp, BIO_WRITE, 0, buf, len);
	ferr = disk_io(dp, BIO_FLUSH, 0, NULL, 0);
	derr = disk_io(dp, BIO_DISCARD, 0, NULL, len);
	memset(buf, 0xff, len);
	rerr = disk_io(dp, BIO_READ, 0, buf, len);
	for (size_t i = 0; i < len; i++)
		nz += buf[i] != 0;
	free(buf, M_TEMP);
	KT_ASSERT(werr == 0 && ferr == 0 && derr == 0 && rerr == 0,
	    "write %d, flush %d, discard %d, read %d", werr, ferr, derr, rerr);
	KT_ASSERT(nz == 0, "%zu of %zu discarded bytes read back non-zero", nz,
	    len);
	KT_NOTE("flush and discard done; discarded range reads back as zeroes");
}

/*
 * Discards held to the backend's granules (domu-blkflush: xvda on a loop
 * device over a tmpfs file, whose discards punch holes).  From
 * XBDT_DS_OFF, 8 granules written with 0xc3; a discard starting one
 * sector into a granule is refused (EINVAL) before the backend sees it;
 * granules 2 and 3 discarded; read back, they are zeroes and the others
 * intact.  dom0 checks the same bytes in the file and that blkback
 * counted exactly one discard (ds_req).  Skips on a disk without discard.
 */
#define XBDT_DS_OFF	(1024 * 1024)

KTEST(xbd_discard_granules)
{
	XBDT_DISK dp = NULL;
	uint8_t *buf;
	size_t g, len, bad = 0;
	int werr, merr, derr, rerr;

	KT_REQUIRE_XEN();
	if ((dp = xbdt_disk("xbd0")) == NULL)
		KT_SKIP("no xbd0");
	if ((dp->d_flags & DISKFLAG_CANDISCARD) == 0)
		KT_SKIP("xbd0 does not discard");
	g = dp->d_discard_gran;
	KT_ASSERT(g >= dp->d_sectorsize && g <= 64 * 1024 &&
	    dp->d_discard_align == 0, "granularity %zu alignment %u: not "
	    "what this test handles", g, dp->d_discard_align);
	len = 8 * g;
	buf = malloc(len, M_TEMP, M_WAITOK);
	memset(buf, 0xc3, len);
	werr = disk_io(dp, BIO_WRITE, XBDT_DS_OFF, buf, len);
	merr = g > dp->d_sectorsize ? disk_io(dp, BIO_DISCARD, XBDT_DS_OFF +
	    dp->d_sectorsize, NULL, g) : EINVAL;
	derr = disk_io(dp, BIO_DISCARD, XBDT_DS_OFF + 2 * g, NULL, 2 * g);
	memset(buf, 0x5a, len);
	rerr = disk_io(dp, BIO_READ, XBDT_DS_OFF, buf, len);
	for (size_t i = 0; i < len; i++)
		bad += buf[i] != (i >= 2 * g && i < 4 * g ? 0 : 0xc3);
	free(buf, M_TEMP);
	KT_ASSERT(werr == 0 && derr == 0 && rerr == 0,
	    "write %d, discard %d, read %d", werr, derr, rerr);
	KT_ASSERT(merr == EINVAL, "discard off the granules: %d, want EINVAL",
	    merr);
	KT_ASSERT(bad == 0, "%zu of %zu bytes read back wrong", bad, len);
	KT_NOTE("granularity %zu: misaligned discard refused, 2 granules "
	    "discarded at %d read back as zeroes, the rest intact", g,
	    XBDT_DS_OFF + 2 * (int)g);
}

/* What was negotiated with the backend, in one line. */
KTEST(xbd_features)
{
	struct xbd_softc *sc;
	XBDT_DISK dp = NULL;

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

/* A whole-disk integrity pass: write, then read back and verify. */
static const char *
xbdt_pass(struct disk *dp, size_t bsize, u_int qd, struct iotool_result *w,
    struct iotool_result *r)
{
	if (iotool_verify_run(dp, BIO_WRITE, bsize, qd, XBDT_RUNID, w) != 0)
		return ("write run refused");
	if (!iotool_clean(w) || w->ir_bytes != (uint64_t)dp->d_mediasize)
		return ("write failed");
	if (iotool_verify_run(dp, BIO_READ, bsize, qd, XBDT_RUNID, r) != 0)
		return ("read run refused");
	if (!iotool_clean(r) || r->ir_bytes != (uint64_t)dp->d_mediasize)
		return ("read back wrong");
	return (NULL);
}

/*
 * The whole disk written with integrity blocks and read back, first at the
 * largest request the disk takes (indirect when negotiated), then in 4 KiB
 * blocks at QD 32 (the last, which dom0 checks on its side).
 */
KTEST(xbd_integrity)
{
	struct iotool_result w = { 0 }, r = { 0 }, w4 = { 0 }, r4 = { 0 };
	struct xbd_softc *sc;
	XBDT_DISK dp = NULL;
	const char *why;
	size_t big;

	KT_REQUIRE_XEN();
	if ((dp = xbdt_disk("xbd0")) == NULL)
		KT_SKIP("no xbd0");
	sc = dp->d_drv1;
	/* The largest request the disk takes that divides the disk. */
	big = dp->d_maxsize;
	while (big > 4096 && (dp->d_mediasize % (off_t)big) != 0)
		big /= 2;
	why = xbdt_pass(dp, big, 4, &w, &r);
	KT_ASSERT(why == NULL, "bs %zu: %s: write %ju errors (first %d), read "
	    "%ju errors (first %d), bad crc %ju, bad blkno %ju, stale %ju, "
	    "first bad %jd", big, why, (uintmax_t)w.ir_errors,
	    w.ir_first_error, (uintmax_t)r.ir_errors, r.ir_first_error,
	    (uintmax_t)r.ir_bad_crc, (uintmax_t)r.ir_bad_blkno,
	    (uintmax_t)r.ir_stale, (intmax_t)r.ir_first_bad);
	why = xbdt_pass(dp, 4096, 32, &w4, &r4);
	KT_ASSERT(why == NULL, "bs 4096: %s: write %ju errors (first %d), read "
	    "%ju errors (first %d), bad crc %ju, bad blkno %ju, stale %ju, "
	    "first bad %jd", why, (uintmax_t)w4.ir_errors, w4.ir_first_error,
	    (uintmax_t)r4.ir_errors, r4.ir_first_error,
	    (uintmax_t)r4.ir_bad_crc, (uintmax_t)r4.ir_bad_blkno,
	    (uintmax_t)r4.ir_stale, (intmax_t)r4.ir_first_bad);
	KT_ASSERT(w4.ir_max_inflight > 1, "never more than one request in "
	    "flight at QD 32");
	KT_ASSERT(sc->sc_proto_errors == 0, "%ju protocol errors",
	    (uintmax_t)sc->sc_proto_errors);
	KT_NOTE("bs %zu: w %ju r %ju ms; 4k qd32: w %ju r %ju ms, inflight %u; "
	    "bounced %ju/%ju", big, (uintmax_t)(w.ir_elapsed / SBT_1MS),
	    (uintmax_t)(r.ir_elapsed / SBT_1MS),
	    (uintmax_t)(w4.ir_elapsed / SBT_1MS),
	    (uintmax_t)(r4.ir_elapsed / SBT_1MS), w4.ir_max_inflight,
	    (uintmax_t)sc->sc_queues[0].xq_bounced,
	    (uintmax_t)sc->sc_queues[0].xq_requests);
}

/* An aligned buffer goes straight to the backend, and reads back. */
KTEST(xbd_flush_aligned)
{
	XBDT_DISK dp = NULL;
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
	XBDT_DISK dp = NULL;
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

/*
 * The data path against a backend played by the test: one queue on a
 * one-page ring granted to ourselves (nobody maps it), the test reading
 * requests off the shared ring and writing responses, then calling the
 * event handler.  Checks a read's request and completion, an error
 * status, and that a duplicated response kills the queue: the bio in
 * flight fails with EIO once, the completed one is not completed again,
 * and later bios fail at once.
 */
static struct {
	u_int		calls;
	int		error;
	struct bio	*last;
} xbdt_done;

static void
xbdt_done_cb(struct bio *bp)
{
	xbdt_done.calls++;
	xbdt_done.error = bp->bio_error;
	xbdt_done.last = bp;
}

static void
xbdt_respond(blkif_sring_t *sr, u_int entries, RING_IDX *prod, uint64_t id,
    uint8_t op, int16_t status)
{
	struct blkif_response rsp;

	memset(&rsp, 0, sizeof(rsp));
	rsp.id = id;
	rsp.operation = op;
	rsp.status = status;
	sr->ring[*prod & (entries - 1)].rsp = rsp;
	wmb();
	sr->rsp_prod = ++*prod;
}

static void
xbdt_bio(struct bio *bp, struct disk *dp, int cmd, void *buf)
{
	memset(bp, 0, sizeof(*bp));
	bp->bio_cmd = cmd;
	bp->bio_offset = 8 * 512;
	bp->bio_length = PAGE_SIZE;
	bp->bio_data = buf;
	bp->bio_done = xbdt_done_cb;
	bp->bio_disk = dp;
}

KTEST(xbd_rogue_backend)
{
	struct xbd_softc *sc;
	struct xbd_queue *q;
	struct blkneg n;
	struct disk d;
	struct bio b0, b1, b2, b3;
	struct blkif_request req;
	blkif_sring_t *sr;
	RING_IDX prod = 0;
	vm_paddr_t pa;
	uint8_t *buf;
	u_int dom = 0, entries;
	int error;

	KT_REQUIRE_XEN();
	if (xs_ready())
		(void)xs_domid(&dom);
	error = xbdt_softc_new((domid_t)dom, &sc);
	q = &sc->sc_queues[0];
	KT_ASSERT(error == 0, "ring: %d", error);
	entries = blkring_entries(0);
	memset(&n, 0, sizeof(n));
	n.ring_pages = 1;
	n.ring_entries = entries;
	n.queues = 1;
	n.max_segs = BLKIF_MAX_SEGMENTS_PER_REQUEST;
	n.sector_size = 512;
	error = xbd_queue_connect(q, &n);
	KT_CHECK(error == 0, "connect: %d", error);
	sr = q->xq_sring;
	memset(&d, 0, sizeof(d));
	d.d_drv1 = sc;
	pa = phys_alloc_page();
	buf = (uint8_t *)PHYS_TO_DMAP(pa);
	memset(&xbdt_done, 0, sizeof(xbdt_done));

	/* A read of one aligned page: one direct segment, sectors 0-7. */
	xbdt_bio(&b0, &d, BIO_READ, buf);
	xbd_strategy(&b0);
	rmb();
	KT_CHECK(sr->req_prod == 1, "req_prod %u after one bio", sr->req_prod);
	req = sr->ring[0].req;
	KT_CHECK(req.operation == BLKIF_OP_READ && req.nr_segments == 1 &&
	    req.sector_number == 8 && req.seg[0].first_sect == 0 &&
	    req.seg[0].last_sect == 7, "request op %u segs %u sector %ju "
	    "sects %u-%u", req.operation, req.nr_segments,
	    (uintmax_t)req.sector_number, req.seg[0].first_sect,
	    req.seg[0].last_sect);
	KT_CHECK((gnttab_entry_flags(req.seg[0].gref) &
	    (GTF_permit_access | GTF_readonly)) == GTF_permit_access,
	    "read's page granted with flags %#x",
	    gnttab_entry_flags(req.seg[0].gref));
	/* "DMA" by the backend, then its response. */
	memset(buf, 0x5a, PAGE_SIZE);
	xbdt_respond(sr, entries, &prod, req.id, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	xbd_intr(q);
	KT_CHECK(xbdt_done.calls == 1 && xbdt_done.last == &b0 &&
	    xbdt_done.error == 0, "read: %u completions, error %d",
	    xbdt_done.calls, xbdt_done.error);
	KT_CHECK(gnttab_entry_flags(req.seg[0].gref) == 0,
	    "grant %u still has flags %#x after completion", req.seg[0].gref,
	    gnttab_entry_flags(req.seg[0].gref));

	/* An unaligned write goes through a bounce page; an error status. */
	memset(buf, 0xa5, PAGE_SIZE);
	xbdt_bio(&b1, &d, BIO_WRITE, buf + 16);
	b1.bio_length = 1024;
	xbd_strategy(&b1);
	rmb();
	req = sr->ring[1].req;
	KT_CHECK(sr->req_prod == 2 && req.operation == BLKIF_OP_WRITE &&
	    req.seg[0].first_sect == 0 && req.seg[0].last_sect == 1 &&
	    q->xq_bounced == 1, "unaligned write: req_prod %u op %u sects "
	    "%u-%u bounced %ju", sr->req_prod, req.operation,
	    req.seg[0].first_sect, req.seg[0].last_sect,
	    (uintmax_t)q->xq_bounced);
	KT_CHECK((gnttab_entry_flags(req.seg[0].gref) & GTF_readonly) != 0,
	    "write's page not read-only to the backend");
	xbdt_respond(sr, entries, &prod, req.id, BLKIF_OP_WRITE,
	    BLKIF_RSP_ERROR);
	xbd_intr(q);
	KT_CHECK(xbdt_done.calls == 2 && xbdt_done.last == &b1 &&
	    xbdt_done.error == EIO, "error status: %u completions, error %d",
	    xbdt_done.calls, xbdt_done.error);

	/* b2 in flight; the backend answers b0's id again. */
	xbdt_bio(&b2, &d, BIO_READ, buf);
	xbd_strategy(&b2);
	xbdt_respond(sr, entries, &prod, sr->ring[0].req.id, BLKIF_OP_READ,
	    BLKIF_RSP_OKAY);
	xbd_intr(q);
	KT_CHECK(xbdt_done.calls == 3 && xbdt_done.last == &b2 &&
	    xbdt_done.error == EIO, "duplicate: %u completions (want 3), last "
	    "%s, error %d", xbdt_done.calls,
	    xbdt_done.last == &b2 ? "b2" : "not b2", xbdt_done.error);
	KT_CHECK(sc->sc_proto_errors == 1 &&
	    xenbus_closer_pending(&sc->sc_closer) && !q->xq_running,
	    "protocol errors %ju, fatal %d, running %d",
	    (uintmax_t)sc->sc_proto_errors,
	    xenbus_closer_pending(&sc->sc_closer), q->xq_running);
	/* Once dead, a bio fails at once; the handler stays harmless. */
	xbdt_bio(&b3, &d, BIO_READ, buf);
	xbd_strategy(&b3);
	xbd_intr(q);
	KT_CHECK(xbdt_done.calls == 4 && xbdt_done.last == &b3 &&
	    xbdt_done.error == ENXIO, "after death: %u completions, error %d",
	    xbdt_done.calls, xbdt_done.error);

	xbd_queue_teardown(q);
	free(q->xq_ring, M_XBD);
	free(q->xq_sb, M_XBD);
	mtx_destroy(&q->xq_mtx);
	xenbus_closer_fini(&sc->sc_closer);
	free(sc, M_TEMP);
	phys_free_page(pa);
	KT_NOTE_OK("read, error status, duplicate id: %u completions",
	    xbdt_done.calls);
}

static struct {
	struct mtx	mtx;
	bool		done;
} xbdt_disc;

static void
xbdt_disconnect_thread(void *arg)
{
	struct xbd_softc *sc = arg;

	mtx_lock(&sc->sc_mtx);
	xbd_disconnect(sc);
	mtx_unlock(&sc->sc_mtx);
	mtx_lock_spin(&xbdt_disc.mtx);
	xbdt_disc.done = true;
	wakeup(&xbdt_disc.done);
	mtx_unlock_spin(&xbdt_disc.mtx);
	kthread_exit();
}

static bool
xbdt_disc_wait(u_int ms)
{
	sbintime_t deadline = sbinuptime() + ms * SBT_1MS;
	bool done;

	mtx_lock_spin(&xbdt_disc.mtx);
	while (!(done = xbdt_disc.done) && sbinuptime() < deadline)
		msleep(&xbdt_disc.done, &xbdt_disc.mtx, "xbdtdisc",
		    10 * SBT_1MS);
	mtx_unlock_spin(&xbdt_disc.mtx);
	return (done);
}

/*
 * A disconnecting disk leaves disk(9) at once, not after the drain: one
 * read stays in flight on a ring the test plays the backend of (and never
 * answers), xbd_disconnect() runs in a thread and drains for up to
 * XBD_DRAIN_MS, and meanwhile the name must already be gone and a new bio
 * refused.  The drain then gives up, the read fails with EIO once, and
 * disk_destroy() lets the disconnect finish.
 */
KTEST(xbd_disconnect_unlists_at_once)
{
	struct xbd_softc *sc;
	struct xbd_queue *q;
	struct disk *dp, *found;
	struct blkneg n;
	struct bio b0, b1;
	vm_paddr_t pa;
	sbintime_t t0, gone_at = 0;
	u_int dom = 0;
	bool done_early, done;
	int error;

	KT_REQUIRE_XEN();
	if (xs_ready())
		(void)xs_domid(&dom);
	if (xbdt_disc.mtx.mtx_name == NULL)
		mtx_init(&xbdt_disc.mtx, "xbd test disconnect", NULL, MTX_SPIN);
	xbdt_disc.done = false;
	error = xbdt_softc_new((domid_t)dom, &sc);
	mtx_init(&sc->sc_mtx, "xbd test", NULL, MTX_DEF);
	q = &sc->sc_queues[0];
	KT_ASSERT(error == 0, "ring: %d", error);
	memset(&n, 0, sizeof(n));
	n.ring_pages = 1;
	n.ring_entries = blkring_entries(0);
	n.queues = 1;
	n.max_segs = BLKIF_MAX_SEGMENTS_PER_REQUEST;
	n.sector_size = 512;
	error = xbd_queue_connect(q, &n);
	KT_ASSERT(error == 0, "connect: %d", error);
	dp = &sc->sc_disk;
	dp->d_name = "xbdt";
	dp->d_sectorsize = 512;
	dp->d_mediasize = 1024 * 1024;
	dp->d_maxsize = PAGE_SIZE;
	dp->d_qdepth = q->xq_nreqs;
	dp->d_strategy = xbd_strategy;
	dp->d_drv1 = sc;
	error = disk_create(dp);
	KT_ASSERT(error == 0, "disk_create: %d", error);
	sc->sc_disk_created = true;
	sc->sc_conn = XBD_CONNECTED;
	pa = phys_alloc_page();
	memset(&xbdt_done, 0, sizeof(xbdt_done));
	xbdt_bio(&b0, dp, BIO_READ, (void *)PHYS_TO_DMAP(pa));
	disk_strategy(dp, &b0);
	KT_CHECK(blkring_inflight(q->xq_ring) == 1 && xbdt_done.calls == 0,
	    "read not in flight: %u on the ring, %u done",
	    blkring_inflight(q->xq_ring), xbdt_done.calls);

	t0 = sbinuptime();
	error = kthread_add(xbdt_disconnect_thread, sc, NULL, -1, "xbdtdisc");
	KT_ASSERT(error == 0, "kthread_add: %d", error);
	for (u_int ms = 0; ms < XBD_DRAIN_MS / 2; ms += 5) {
		if ((found = disk_find("xbdt0")) == NULL) {
			gone_at = sbinuptime() - t0;
			break;
		}
		disk_rele(found);
		(void)tsleep(&xbdt_disc, "xbdtgone", 5 * SBT_1MS);
	}
	done_early = xbdt_disc_wait(0);
	KT_CHECK(gone_at != 0, "xbdt0 still findable %u ms into the disconnect",
	    XBD_DRAIN_MS / 2);
	KT_CHECK(!done_early, "the disconnect did not wait for the read");
	xbdt_bio(&b1, dp, BIO_READ, (void *)PHYS_TO_DMAP(pa));
	disk_strategy(dp, &b1);
	KT_CHECK(xbdt_done.calls == 1 && xbdt_done.last == &b1 &&
	    xbdt_done.error == ENXIO, "a bio while disconnecting: %u done, "
	    "error %d", xbdt_done.calls, xbdt_done.error);
	done = xbdt_disc_wait(XBD_DRAIN_MS + 5000);
	KT_CHECK(done, "the disconnect never finished");
	KT_CHECK(xbdt_done.calls == 2 && xbdt_done.last == &b0 &&
	    xbdt_done.error == EIO, "the unanswered read: %u done, error %d",
	    xbdt_done.calls, xbdt_done.error);
	KT_CHECK(sc->sc_conn == XBD_DOWN && !sc->sc_disk_created,
	    "after the disconnect: conn %d, disk %d", sc->sc_conn,
	    sc->sc_disk_created);
	if (!done)
		KT_FAIL("leaving the softc to the disconnect thread");
	free(q->xq_ring, M_XBD);
	free(q->xq_sb, M_XBD);
	mtx_destroy(&q->xq_mtx);
	xenbus_closer_fini(&sc->sc_closer);
	mtx_destroy(&sc->sc_mtx);
	free(sc, M_TEMP);
	phys_free_page(pa);
	KT_NOTE_OK("unlisted %ju us into the disconnect; the read failed with "
	    "EIO after the drain", (uintmax_t)(gone_at / SBT_1US));
}
