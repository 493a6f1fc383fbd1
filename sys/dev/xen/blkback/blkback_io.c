/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * blkback's data path (see blkback_var.h).  Each queue has a thread; the
 * event handler only flags work and wakes it (late EOI: the port stays
 * masked until the thread has looked at the ring, XSA-332), and the disk's
 * completions go on a list the thread answers.  The thread reads req_prod
 * once per pass, bounds it (a frontend claiming more than the ring holds
 * is disconnected), copies each request off the ring once and checks the
 * copy (blkback_req.c), takes at most BLKBACK_MAX_INFLIGHT requests before
 * answering some, and writes each response whole (XSA-216).
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

#include <xen/gnttab.h>
#include <xen/xen_evtchn.h>

#include <dev/xen/blkback/blkback_var.h>

MALLOC_DECLARE(M_BLKBACK);

struct blkback_totals blkback_totals;

void
blkback_totals_add(uint64_t *field, int64_t delta)
{
	__atomic_add_fetch(field, (uint64_t)delta, __ATOMIC_RELAXED);
}

void
blkback_get_totals(struct blkback_totals *t)
{
	uint64_t *dst = (uint64_t *)t;
	const uint64_t *src = (const uint64_t *)&blkback_totals;

	for (size_t i = 0; i < sizeof(*t) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

void
blkback_intr(void *arg)
{
	struct blkback_queue *q = arg;

	mtx_lock_spin(&q->bq_mtx);
	q->bq_st.events++;
	q->bq_work = true;
	q->bq_eoi = true;
	wakeup(q);
	mtx_unlock_spin(&q->bq_mtx);
}

static void
blkback_bio_done(struct bio *bp)
{
	struct blkback_req *r = bp->bio_caller1;
	struct blkback_queue *q = r->br_q;

	mtx_lock_spin(&q->bq_mtx);
	TAILQ_INSERT_TAIL(&q->bq_done, r, br_link);
	wakeup(q);
	mtx_unlock_spin(&q->bq_mtx);
}

static uint64_t
blkback_gfn(void *arg, size_t off)
{
	return (atop(pmap_kextract((vm_offset_t)((uint8_t *)arg + off))));
}

/* Writes one response at rsp_prod_pvt; published by blkback_push(). */
static void
blkback_respond(struct blkback_queue *q, uint64_t id, uint8_t op, int16_t st)
{
	blkif_back_ring_t *ring = &q->bq_ring;

	blkback_rsp_make(RING_GET_RESPONSE(ring, ring->rsp_prod_pvt), id, op, st);
	ring->rsp_prod_pvt++;
}

static void
blkback_push(struct blkback_queue *q)
{
	int notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->bq_ring, notify);
	if (notify) {
		q->bq_st.notifies++;
		evtchn_notify(q->bq_evtchn);
	}
}

static int16_t
blkback_status(enum blkback_reject rej, uint8_t kind)
{
	if (rej == BLKBACK_OK)
		return (BLKIF_RSP_OKAY);
	/* An operation we do not offer, as Linux answers a barrier. */
	if (rej == BLKBACK_REJ_OP && kind != BLKIF_OP_READ &&
	    kind != BLKIF_OP_WRITE)
		return (BLKIF_RSP_EOPNOTSUPP);
	return (BLKIF_RSP_ERROR);
}

static void
blkback_reject(struct blkback_queue *q, const struct blkback_io *io,
    enum blkback_reject rej)
{
	q->bq_st.rejected[rej]++;
	blkback_totals_add(&blkback_totals.rejected, 1);
	blkback_respond(q, io->id, io->rsp_op, blkback_status(rej, io->kind));
}

/* Runs n grant copies; any failure fails the request. */
static bool
blkback_copy(struct blkback_queue *q, u_int n)
{
	return (n > 0 && gnttab_copy(q->bq_ops, n) == 0);
}

/* Grows a slot's buffer to len bytes (page-aligned: copies go by page). */
static bool
blkback_buf(struct blkback_req *r, size_t len)
{
	size_t want = round_page(len);

	if (r->br_bufsize >= want)
		return (true);
	if (r->br_buf != NULL) {
		free(r->br_buf, M_BLKBACK);
		blkback_totals_add(&blkback_totals.bufs, -(int64_t)r->br_bufsize);
	}
	r->br_bufsize = 0;
	r->br_buf = malloc_aligned(want, PAGE_SIZE, M_BLKBACK, M_NOWAIT);
	if (r->br_buf == NULL)
		return (false);
	r->br_bufsize = want;
	blkback_totals_add(&blkback_totals.bufs, (int64_t)want);
	return (true);
}

/* Fetches an indirect request's pages into bq_ind and checks them. */
static enum blkback_reject
blkback_fetch_indirect(struct blkback_queue *q, struct blkback_req *r)
{
	struct blkback_io *io = &r->br_io;

	for (u_int i = 0; i < io->n_ind_pages; i++) {
		struct gnttab_copy *op = &q->bq_ops[i];

		memset(op, 0, sizeof(*op));
		op->source.u.ref = io->ind_grefs[i];
		op->source.domid = q->bq_sc->sc_peer;
		op->dest.u.gmfn = blkback_gfn(q->bq_ind, ptoa(i));
		op->dest.domid = DOMID_SELF;
		op->len = BLKBACK_PAGE_SIZE;
		op->flags = GNTCOPY_source_gref;
	}
	if (!blkback_copy(q, io->n_ind_pages))
		return (BLKBACK_REJ_GRANT);
	/* From here on only our copy is read. */
	return (blkback_ind_decode(q->bq_ind, &q->bq_sc->sc_lim, io,
	    r->br_isegs));
}

/* Starts one decoded request on the disk, or answers it at once. */
static void
blkback_start(struct blkback_queue *q, struct blkback_req *r)
{
	struct blkback_io *io = &r->br_io;
	struct bio *bp = &r->br_bio;
	u_int n;

	memset(bp, 0, sizeof(*bp));
	bp->bio_done = blkback_bio_done;
	bp->bio_caller1 = r;
	switch (io->kind) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		bp->bio_cmd = io->kind == BLKIF_OP_READ ? BIO_READ : BIO_WRITE;
		bp->bio_offset = (off_t)(io->sector * 512);
		bp->bio_length = (size_t)io->nr_sectors * 512;
		if (!blkback_buf(r, bp->bio_length)) {
			r->br_rej = BLKBACK_REJ_IO;
			goto answer;
		}
		bp->bio_data = r->br_buf;
		if (io->kind == BLKIF_OP_WRITE) {
			n = blkback_copy_ops(r->br_segs, io->nsegs, false,
			    q->bq_sc->sc_peer, 0, blkback_gfn, r->br_buf,
			    q->bq_ops, BLKBACK_MAX_COPY_OPS);
			if (!blkback_copy(q, n)) {
				r->br_rej = BLKBACK_REJ_GRANT;
				goto answer;
			}
			q->bq_st.bytes_written += bp->bio_length;
		}
		break;
	case BLKIF_OP_FLUSH_DISKCACHE:
		bp->bio_cmd = BIO_FLUSH;
		break;
	case BLKIF_OP_DISCARD:
		bp->bio_cmd = BIO_DISCARD;
		bp->bio_offset = (off_t)(io->sector * 512);
		bp->bio_length = (size_t)io->nr_sectors * 512;
		break;
	default:
		panic("blkback: starting request of kind %u", io->kind);
	}
	disk_strategy(q->bq_sc->sc_disk, bp);
	return;
answer:
	/* Not started: complete it through the same list as the disk's. */
	mtx_lock_spin(&q->bq_mtx);
	TAILQ_INSERT_TAIL(&q->bq_done, r, br_link);
	mtx_unlock_spin(&q->bq_mtx);
}

/* Answers a request the disk completed (or that never started). */
static void
blkback_finish(struct blkback_queue *q, struct blkback_req *r)
{
	struct blkback_io *io = &r->br_io;
	u_int n;

	if (r->br_rej == BLKBACK_OK && r->br_bio.bio_error != 0)
		r->br_rej = BLKBACK_REJ_IO;
	/* A flush carrying data: the write is done, now the flush. */
	if (r->br_rej == BLKBACK_OK && io->flush && !r->br_flushing) {
		r->br_flushing = true;
		memset(&r->br_bio, 0, sizeof(r->br_bio));
		r->br_bio.bio_cmd = BIO_FLUSH;
		r->br_bio.bio_done = blkback_bio_done;
		r->br_bio.bio_caller1 = r;
		disk_strategy(q->bq_sc->sc_disk, &r->br_bio);
		return;
	}
	if (r->br_rej == BLKBACK_OK && io->kind == BLKIF_OP_READ) {
		n = blkback_copy_ops(r->br_segs, io->nsegs, true,
		    q->bq_sc->sc_peer, 0, blkback_gfn, r->br_buf, q->bq_ops,
		    BLKBACK_MAX_COPY_OPS);
		if (!blkback_copy(q, n))
			r->br_rej = BLKBACK_REJ_GRANT;
		else
			q->bq_st.bytes_read += r->br_bio.bio_length;
	}
	if (r->br_rej != BLKBACK_OK)
		blkback_reject(q, io, r->br_rej);
	else
		blkback_respond(q, io->id, io->rsp_op, BLKIF_RSP_OKAY);
	TAILQ_INSERT_TAIL(&q->bq_free, r, br_link);
	q->bq_inflight--;
}

/*
 * Takes requests while slots are free.  Returns false on a protocol error
 * (the queue is dead from then on).
 */
static bool
blkback_take(struct blkback_queue *q)
{
	blkif_back_ring_t *ring = &q->bq_ring;
	struct blkback_softc *sc = q->bq_sc;
	RING_IDX rp;
	u_int avail;
	int more;

	for (;;) {
		rp = ring->sring->req_prod;
		xen_rmb();	/* the requests before the index */
		if (blkback_ring_pending(rp, ring->req_cons, ring->rsp_prod_pvt,
		    RING_SIZE(ring), &avail) != 0) {
			device_printf(sc->sc_dev, "queue %u: req_prod %u with "
			    "req_cons %u, rsp_prod %u on a ring of %u: "
			    "disconnecting\n", q->bq_index, rp, ring->req_cons,
			    ring->rsp_prod_pvt, RING_SIZE(ring));
			return (false);
		}
		while (avail > 0) {
			blkif_request_t req;
			struct blkback_req *r;
			enum blkback_reject rej;

			if ((r = TAILQ_FIRST(&q->bq_free)) == NULL) {
				q->bq_st.full++;
				return (true);
			}
			RING_COPY_REQUEST(ring, ring->req_cons, &req);
			ring->req_cons++;
			avail--;
			q->bq_st.requests++;
			blkback_totals_add(&blkback_totals.requests, 1);
			rej = blkback_req_decode(&req, &sc->sc_lim, &r->br_io);
			if (r->br_io.op <= BLKIF_OP_INDIRECT)
				q->bq_st.ops[r->br_io.op]++;
			if (r->br_io.op == BLKIF_OP_FLUSH_DISKCACHE)
				blkback_totals_add(&blkback_totals.flushes, 1);
			else if (r->br_io.op == BLKIF_OP_DISCARD)
				blkback_totals_add(&blkback_totals.discards, 1);
			else if (r->br_io.op == BLKIF_OP_INDIRECT)
				blkback_totals_add(&blkback_totals.indirect, 1);
			r->br_segs = r->br_io.segs;
			if (rej == BLKBACK_OK && r->br_io.op == BLKIF_OP_INDIRECT) {
				rej = blkback_fetch_indirect(q, r);
				r->br_segs = r->br_isegs;
			}
			if (rej != BLKBACK_OK) {
				blkback_reject(q, &r->br_io, rej);
				continue;
			}
			TAILQ_REMOVE(&q->bq_free, r, br_link);
			q->bq_inflight++;
			r->br_rej = BLKBACK_OK;
			r->br_flushing = false;
			blkback_start(q, r);
		}
		/* Re-arm req_event, then look once more. */
		RING_FINAL_CHECK_FOR_REQUESTS(ring, more);
		if (!more)
			return (true);
	}
}

static void
blkback_thread(void *arg)
{
	struct blkback_queue *q = arg;
	struct blkback_reqs done;
	struct blkback_req *r;
	bool work, eoi;

	TAILQ_INIT(&done);
	mtx_lock_spin(&q->bq_mtx);
	for (;;) {
		while (!q->bq_work && TAILQ_EMPTY(&q->bq_done) &&
		    !(q->bq_stop && q->bq_inflight == 0))
			msleep(q, &q->bq_mtx, "blkback", 0);
		if (q->bq_stop && q->bq_inflight == 0 && TAILQ_EMPTY(&q->bq_done))
			break;
		work = q->bq_work;
		eoi = q->bq_eoi;
		q->bq_work = q->bq_eoi = false;
		while ((r = TAILQ_FIRST(&q->bq_done)) != NULL) {
			TAILQ_REMOVE(&q->bq_done, r, br_link);
			TAILQ_INSERT_TAIL(&done, r, br_link);
		}
		mtx_unlock_spin(&q->bq_mtx);

		while ((r = TAILQ_FIRST(&done)) != NULL) {
			TAILQ_REMOVE(&done, r, br_link);
			blkback_finish(q, r);
			/* A slot came free: requests may be waiting for it. */
			work = true;
		}
		if (work && !q->bq_dead && !q->bq_stop && !blkback_take(q)) {
			q->bq_dead = true;
			q->bq_sc->sc_proto_errors++;
			blkback_totals_add(&blkback_totals.proto_errors, 1);
			xenbus_closer_raise(&q->bq_sc->sc_closer);
		}
		if (!q->bq_dead)
			blkback_push(q);
		/* Events may come again (a dead queue's stay masked). */
		if (eoi && !q->bq_dead)
			evtchn_eoi(q->bq_evtchn);
		mtx_lock_spin(&q->bq_mtx);
	}
	q->bq_exited = true;
	wakeup(&q->bq_exited);
	mtx_unlock_spin(&q->bq_mtx);
	blkback_totals_add(&blkback_totals.threads, -1);
	kthread_exit();
}

int
blkback_queue_start(struct blkback_queue *q)
{
	int error;

	q->bq_nreqs = MIN(BLKBACK_MAX_INFLIGHT, RING_SIZE(&q->bq_ring));
	q->bq_reqs = mallocarray(q->bq_nreqs, sizeof(*q->bq_reqs), M_BLKBACK,
	    M_WAITOK | M_ZERO);
	q->bq_ops = mallocarray(BLKBACK_MAX_COPY_OPS, sizeof(*q->bq_ops),
	    M_BLKBACK, M_WAITOK | M_ZERO);
	q->bq_ind = malloc_aligned(ptoa(BLKBACK_MAX_IND_PAGES), PAGE_SIZE,
	    M_BLKBACK, M_WAITOK);
	TAILQ_INIT(&q->bq_free);
	TAILQ_INIT(&q->bq_done);
	for (u_int i = 0; i < q->bq_nreqs; i++) {
		q->bq_reqs[i].br_q = q;
		TAILQ_INSERT_TAIL(&q->bq_free, &q->bq_reqs[i], br_link);
	}
	q->bq_inflight = 0;
	q->bq_stop = q->bq_exited = q->bq_dead = false;
	/*
	 * The port is bound already: an event may have come (and wants its
	 * EOI, bq_eoi), and requests may wait.  Look at the ring first thing.
	 */
	mtx_lock_spin(&q->bq_mtx);
	q->bq_work = true;
	mtx_unlock_spin(&q->bq_mtx);
	error = kthread_add(blkback_thread, q, &q->bq_td,
	    (int)(q->bq_index % mp_ncpus), "%s q%u",
	    device_get_nameunit(q->bq_sc->sc_dev), q->bq_index);
	if (error != 0) {
		free(q->bq_reqs, M_BLKBACK);
		free(q->bq_ops, M_BLKBACK);
		free(q->bq_ind, M_BLKBACK);
		q->bq_reqs = NULL;
		q->bq_ops = NULL;
		q->bq_ind = NULL;
		return (error);
	}
	blkback_totals_add(&blkback_totals.threads, 1);
	blkback_totals_add(&blkback_totals.queues, 1);
	return (0);
}

/* Stops the thread once the disk returned every request; frees the slots. */
void
blkback_queue_stop(struct blkback_queue *q)
{
	if (q->bq_reqs == NULL)
		return;
	mtx_lock_spin(&q->bq_mtx);
	q->bq_stop = true;
	wakeup(q);
	while (!q->bq_exited)
		msleep(&q->bq_exited, &q->bq_mtx, "bbstop", 0);
	/* The port goes with this connection; so does a pending EOI. */
	q->bq_eoi = q->bq_work = false;
	mtx_unlock_spin(&q->bq_mtx);
	KASSERT(q->bq_inflight == 0, ("blkback: queue %u stopped with %u in flight",
	    q->bq_index, q->bq_inflight));
	for (u_int i = 0; i < q->bq_nreqs; i++) {
		struct blkback_req *r = &q->bq_reqs[i];

		if (r->br_buf != NULL) {
			free(r->br_buf, M_BLKBACK);
			blkback_totals_add(&blkback_totals.bufs,
			    -(int64_t)r->br_bufsize);
		}
	}
	free(q->bq_reqs, M_BLKBACK);
	free(q->bq_ops, M_BLKBACK);
	free(q->bq_ind, M_BLKBACK);
	q->bq_reqs = NULL;
	q->bq_ops = NULL;
	q->bq_ind = NULL;
	q->bq_td = NULL;
	blkback_totals_add(&blkback_totals.queues, -1);
}
