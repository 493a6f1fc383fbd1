/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The I/O tool's engine (iotool(9)).  A run owns qdepth slots, each a bio
 * and a buffer.  The submitting thread keeps every free slot in flight and
 * sleeps; completions (from any context) only stamp the time and queue the
 * slot back to it, so verification and accounting happen in one thread.
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/iotool.h>
#include <sys/lathist.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/shutdown_report.h>
#include <sys/systm.h>
#include <sys/time.h>

MALLOC_DEFINE(M_IOTOOL, "iotool", "in-kernel I/O tool");

struct iot_run;

struct iot_slot {
	struct bio		s_bio;
	struct iot_run		*s_run;
	uint8_t			*s_buf;
	uint64_t		s_blkno;
	sbintime_t		s_start;
	sbintime_t		s_end;		/* set by the completion */
	TAILQ_ENTRY(iot_slot)	s_link;
};
TAILQ_HEAD(iot_slotq, iot_slot);

struct iot_run {
	struct mtx		r_mtx;		/* r_done */
	struct iot_slotq	r_done;
	struct iot_slotq	r_free;		/* the submitter's only */
	struct lathist		r_hist;
	struct iot_slot		*r_slots;
	uint8_t			*r_bufs;
};

static void
iot_done(struct bio *bp)
{
	struct iot_slot *s = bp->bio_caller1;
	struct iot_run *r = s->s_run;

	s->s_end = sbinuptime();
	mtx_lock_spin(&r->r_mtx);
	TAILQ_INSERT_TAIL(&r->r_done, s, s_link);
	wakeup(r);
	mtx_unlock_spin(&r->r_mtx);
}

static int
iot_check_args(const struct disk *dp, const struct iotool_args *ia,
    off_t *regionp)
{
	off_t region;

	if (ia->ia_cmd != BIO_READ && ia->ia_cmd != BIO_WRITE)
		return (EINVAL);
	if (ia->ia_bsize == 0 || ia->ia_bsize % dp->d_sectorsize != 0 ||
	    ia->ia_bsize > dp->d_maxsize)
		return (EINVAL);
	if (ia->ia_verify && (ia->ia_bsize < sizeof(struct iotool_blkhdr) ||
	    ia->ia_bsize % 8 != 0))
		return (EINVAL);
	if (ia->ia_qdepth == 0 || ia->ia_qdepth > IOTOOL_QD_MAX ||
	    ia->ia_qdepth * ia->ia_bsize > IOTOOL_BUF_MAX)
		return (EINVAL);
	if (ia->ia_offset < 0 || ia->ia_offset % (off_t)ia->ia_bsize != 0 ||
	    ia->ia_offset >= dp->d_mediasize || ia->ia_length < 0)
		return (EINVAL);
	region = ia->ia_length != 0 ? ia->ia_length :
	    dp->d_mediasize - ia->ia_offset;
	if (region > dp->d_mediasize - ia->ia_offset)
		return (EINVAL);
	region -= region % (off_t)ia->ia_bsize;
	if (region == 0)
		return (EINVAL);
	*regionp = region;
	return (0);
}

static uint64_t
iot_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return (x);
}

/* Seconds without a completion, bios in flight, before a stall report. */
#define IOTOOL_STALL_SECS	10

static void
iot_stall_report(const struct disk *dp, u_int inflight, uint64_t ios)
{
	printf("IOTOOL-STALL disk=%s inflight=%u ios=%ju: no completion for "
	    "%d s; drivers' state follows\n", dp->d_ident, inflight,
	    (uintmax_t)ios, IOTOOL_STALL_SECS);
	shutdown_reports_print();
}

/* Accounts one completed slot. */
static void
iot_complete(struct iot_run *r, struct iot_slot *s,
    const struct iotool_args *ia, struct iotool_result *ir)
{
	struct bio *bp = &s->s_bio;
	enum iotool_blk_verdict v;

	ir->ir_ios++;
	lathist_add(&r->r_hist, (uint64_t)sbttons(s->s_end - s->s_start));
	if (bp->bio_error != 0) {
		if (ir->ir_errors++ == 0)
			ir->ir_first_error = bp->bio_error;
		return;
	}
	ir->ir_bytes += bp->bio_length - bp->bio_resid;
	if (!ia->ia_verify || ia->ia_cmd != BIO_READ)
		return;
	v = iotool_blk_check(s->s_buf, ia->ia_bsize, s->s_blkno, ia->ia_runid);
	switch (v) {
	case IOTOOL_BLK_OK:
		return;
	case IOTOOL_BLK_BADCRC:
		ir->ir_bad_crc++;
		break;
	case IOTOOL_BLK_BADBLKNO:
		ir->ir_bad_blkno++;
		break;
	case IOTOOL_BLK_STALE:
		ir->ir_stale++;
		break;
	}
	if (ir->ir_first_bad < 0 || (int64_t)s->s_blkno < ir->ir_first_bad)
		ir->ir_first_bad = (int64_t)s->s_blkno;
}

int
iotool_run(struct disk *dp, const struct iotool_args *ia,
    struct iotool_result *ir)
{
	struct iot_run *r;
	struct iot_slotq done;
	struct iot_slot *s;
	uint64_t count, issued, nblocks, first, rng;
	u_int inflight;
	off_t region;
	sbintime_t t0, now;
	u_int waited;
	int error;

	memset(ir, 0, sizeof(*ir));
	ir->ir_first_bad = -1;
	error = iot_check_args(dp, ia, &region);
	if (error != 0)
		return (error);
	nblocks = (uint64_t)region / ia->ia_bsize;
	first = (uint64_t)ia->ia_offset / ia->ia_bsize;
	count = ia->ia_count != 0 ? ia->ia_count :
	    ia->ia_time > 0 ? UINT64_MAX : nblocks;
	rng = ia->ia_seed != 0 ? ia->ia_seed : 1;

	r = malloc(sizeof(*r), M_IOTOOL, M_WAITOK | M_ZERO);
	r->r_slots = mallocarray(ia->ia_qdepth, sizeof(*r->r_slots), M_IOTOOL,
	    M_WAITOK | M_ZERO);
	/*
	 * Page-aligned: a driver that grants pages (xbd) then carries each
	 * buffer as it is instead of copying it through a bounce page.
	 */
	r->r_bufs = malloc_aligned(ia->ia_qdepth * ia->ia_bsize, PAGE_SIZE,
	    M_IOTOOL, M_NOWAIT);
	if (r->r_bufs == NULL) {
		free(r->r_slots, M_IOTOOL);
		free(r, M_IOTOOL);
		return (ENOMEM);
	}
	mtx_init(&r->r_mtx, "iotool", NULL, MTX_SPIN);
	TAILQ_INIT(&r->r_done);
	TAILQ_INIT(&r->r_free);
	lathist_init(&r->r_hist);
	for (u_int i = 0; i < ia->ia_qdepth; i++) {
		s = &r->r_slots[i];
		s->s_run = r;
		s->s_buf = r->r_bufs + (size_t)i * ia->ia_bsize;
		/* Plain writes carry a pattern too, made once. */
		if (ia->ia_cmd == BIO_WRITE && !ia->ia_verify)
			memset(s->s_buf, 0xa5 ^ (int)i, ia->ia_bsize);
		TAILQ_INSERT_TAIL(&r->r_free, s, s_link);
	}

	issued = 0;
	inflight = 0;
	t0 = sbinuptime();
	for (;;) {
		now = sbinuptime();
		if (ia->ia_time > 0 && now - t0 >= ia->ia_time)
			count = issued;
		while (issued < count && (s = TAILQ_FIRST(&r->r_free)) != NULL) {
			TAILQ_REMOVE(&r->r_free, s, s_link);
			s->s_blkno = first + (ia->ia_random ?
			    iot_random(&rng) % nblocks : issued % nblocks);
			if (ia->ia_cmd == BIO_WRITE && ia->ia_verify)
				iotool_blk_fill(s->s_buf, ia->ia_bsize,
				    s->s_blkno, ia->ia_runid);
			memset(&s->s_bio, 0, sizeof(s->s_bio));
			s->s_bio.bio_cmd = (enum bio_cmd)ia->ia_cmd;
			s->s_bio.bio_offset = (off_t)(s->s_blkno * ia->ia_bsize);
			s->s_bio.bio_length = ia->ia_bsize;
			s->s_bio.bio_data = s->s_buf;
			s->s_bio.bio_done = iot_done;
			s->s_bio.bio_caller1 = s;
			issued++;
			if (++inflight > ir->ir_max_inflight)
				ir->ir_max_inflight = inflight;
			s->s_start = sbinuptime();
			disk_strategy(dp, &s->s_bio);
		}
		if (inflight == 0)
			break;
		TAILQ_INIT(&done);
		mtx_lock_spin(&r->r_mtx);
		waited = 0;
		while (TAILQ_EMPTY(&r->r_done)) {
			if (msleep(r, &r->r_mtx, "iotool", SBT_1S) == 0 ||
			    !TAILQ_EMPTY(&r->r_done))
				continue;
			/*
			 * Nothing completes: say so, with the drivers' state,
			 * once per stall, and keep waiting (a bio in flight
			 * cannot be taken back).
			 */
			if (++waited == IOTOOL_STALL_SECS) {
				mtx_unlock_spin(&r->r_mtx);
				iot_stall_report(dp, inflight, ir->ir_ios);
				mtx_lock_spin(&r->r_mtx);
			}
		}
		while ((s = TAILQ_FIRST(&r->r_done)) != NULL) {
			TAILQ_REMOVE(&r->r_done, s, s_link);
			TAILQ_INSERT_TAIL(&done, s, s_link);
		}
		mtx_unlock_spin(&r->r_mtx);
		while ((s = TAILQ_FIRST(&done)) != NULL) {
			TAILQ_REMOVE(&done, s, s_link);
			KASSERT(inflight > 0, ("iotool: completion of an idle slot"));
			inflight--;
			iot_complete(r, s, ia, ir);
			TAILQ_INSERT_TAIL(&r->r_free, s, s_link);
		}
	}
	ir->ir_elapsed = sbinuptime() - t0;
	ir->ir_p50_ns = lathist_percentile(&r->r_hist, 500);
	ir->ir_p99_ns = lathist_percentile(&r->r_hist, 990);
	ir->ir_max_ns = r->r_hist.lh_count != 0 ? r->r_hist.lh_max : 0;

	mtx_destroy(&r->r_mtx);
	free(r->r_bufs, M_IOTOOL);
	free(r->r_slots, M_IOTOOL);
	free(r, M_IOTOOL);
	return (0);
}

int
iotool_verify_run(struct disk *dp, int cmd, size_t bsize, u_int qd,
    uint32_t runid, struct iotool_result *ir)
{
	struct iotool_args ia;

	iotool_args_init(&ia);
	ia.ia_cmd = cmd;
	ia.ia_verify = true;
	ia.ia_bsize = bsize;
	ia.ia_qdepth = qd;
	ia.ia_runid = runid;
	return (iotool_run(dp, &ia, ir));
}
