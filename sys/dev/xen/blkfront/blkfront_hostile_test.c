/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xbd_hostile (ktest.xbd_hostile=1): xbd0 turned into a frontend that
 * misbehaves on purpose, to prove a backend's request checks from the
 * outside.  Each malformed request below goes on queue 0's ring as it is
 * (only its id is ours) and must come back as an error response, never
 * as success and never as silence; then an event storm (the backend's
 * port raised in a tight loop) after which a plain read must still
 * complete.  With ktest.xbd_hostile_overflow=1 it ends by publishing a
 * request index past the ring: the backend must leave Connected (its
 * state node says Closing or Closed) within XBDH_GONE_MS.
 *
 * Run against Linux's blkback (the reference: it must answer every case
 * as an error too) and against ours in a driver domain.  One KT_NOTE
 * lists what each case got; the lab scenario compares the backend's own
 * counters with it.
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/physmem.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/atomic.h>
#include <machine/vmparam.h>

#include <dev/xen/blkfront/blkfront_var.h>
#include <xen/gnttab.h>
#include <xen/xenbus/xenbus_subr.h>
#include <xen/xen_ktest.h>

static bool xbdh_run;
TUNABLE_BOOL("ktest.xbd_hostile", &xbdh_run,
    "run ktest xbd_hostile (lab: a frontend that misbehaves on purpose)");
static bool xbdh_overflow;
TUNABLE_BOOL("ktest.xbd_hostile_overflow", &xbdh_overflow,
    "end xbd_hostile with a request index past the ring");

/* How long one response may take, and the backend's leaving. */
#define XBDH_RSP_MS	5000
#define XBDH_GONE_MS	10000
/* Notifications of the storm. */
#define XBDH_STORM	200000u

struct xbdh_done {
	volatile u_int	done;	/* a whole word: read with one atomic load */
	int		error;
};

static void
xbdh_biodone(struct bio *bp)
{
	struct xbdh_done *d = bp->bio_caller1;

	d->error = bp->bio_error;
	atomic_store_rel_int(&d->done, 1);
}

enum xbdh_case {
	XBDH_NO_SEGS,
	XBDH_TOO_MANY_SEGS,
	XBDH_FIRST_AFTER_LAST,
	XBDH_LAST_PAST_PAGE,
	XBDH_BEYOND_DISK,
	XBDH_UNGRANTED_REF,
	XBDH_BAD_OP,
	XBDH_IND_TOO_MANY,
	XBDH_IND_UNGRANTED_PAGE,
	XBDH_IND_BAD_INNER_OP,
	XBDH_NCASES
};

static const char *const xbdh_names[XBDH_NCASES] = {
	"no_segments", "too_many_segments", "first_after_last",
	"last_past_page", "beyond_disk", "ungranted_ref", "bad_operation",
	"indirect_too_many", "indirect_ungranted_page", "indirect_bad_inner_op",
};

struct xbdh_ctx {
	struct xbd_softc	*sc;
	grant_ref_t		good;	/* our page, granted writable */
	grant_ref_t		bad;	/* allocated, never granted */
	uint64_t		sectors;
	u_int			max_indirect;
};

/* A well-formed read of disk sector 0-7 into our page. */
static void
xbdh_good(const struct xbdh_ctx *x, struct blkif_request *req)
{
	memset(req, 0, sizeof(*req));
	req->operation = BLKIF_OP_READ;
	req->handle = x->sc->sc_queues[0].xq_ring->handle;
	req->nr_segments = 1;
	req->seg[0].gref = x->good;
	req->seg[0].last_sect = 7;
}

/* Builds case c; false if the backend's features make it meaningless. */
static bool
xbdh_build(const struct xbdh_ctx *x, enum xbdh_case c, struct blkif_request *req)
{
	struct blkif_request_indirect *ind = (struct blkif_request_indirect *)req;

	xbdh_good(x, req);
	switch (c) {
	case XBDH_NO_SEGS:
		req->nr_segments = 0;
		break;
	case XBDH_TOO_MANY_SEGS:
		for (u_int i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
			req->seg[i] = req->seg[0];
		req->nr_segments = BLKIF_MAX_SEGMENTS_PER_REQUEST + 1;
		break;
	case XBDH_FIRST_AFTER_LAST:
		req->seg[0].first_sect = 5;
		req->seg[0].last_sect = 2;
		break;
	case XBDH_LAST_PAST_PAGE:
		req->seg[0].last_sect = 8;
		break;
	case XBDH_BEYOND_DISK:
		/* Eight sectors from four before the end. */
		req->sector_number = x->sectors - 4;
		break;
	case XBDH_UNGRANTED_REF:
		req->seg[0].gref = x->bad;
		break;
	case XBDH_BAD_OP:
		req->operation = 0x7f;
		break;
	case XBDH_IND_TOO_MANY:
	case XBDH_IND_UNGRANTED_PAGE:
	case XBDH_IND_BAD_INNER_OP:
		if (x->max_indirect == 0)
			return (false);
		memset(req, 0, sizeof(*req));
		ind->operation = BLKIF_OP_INDIRECT;
		ind->indirect_op = c == XBDH_IND_BAD_INNER_OP ?
		    BLKIF_OP_FLUSH_DISKCACHE : BLKIF_OP_READ;
		ind->handle = x->sc->sc_queues[0].xq_ring->handle;
		ind->nr_segments = c == XBDH_IND_TOO_MANY ?
		    (uint16_t)(x->max_indirect + 1) : 1;
		/* The page list names our page: its bytes are zero. */
		ind->indirect_grefs[0] = c == XBDH_IND_UNGRANTED_PAGE ?
		    x->bad : x->good;
		break;
	default:
		return (false);
	}
	return (true);
}

/* Sends req and waits for its completion: its error, or ETIMEDOUT. */
static int
xbdh_send(struct xbd_queue *q, const struct blkif_request *req)
{
	struct xbdh_done *d;
	struct bio *bio;
	int error;

	/* Each its own, so a late or second answer cannot hit a later one. */
	d = malloc(sizeof(*d), M_TEMP, M_WAITOK | M_ZERO);
	bio = malloc(sizeof(*bio), M_TEMP, M_WAITOK | M_ZERO);
	bio->bio_cmd = BIO_READ;
	bio->bio_done = xbdh_biodone;
	bio->bio_caller1 = d;
	if ((error = xbd_queue_raw(q, req, bio)) != 0) {
		free(bio, M_TEMP);
		free(d, M_TEMP);
		return (error == EAGAIN ? EBUSY : error);
	}
	for (u_int t = 0; t < XBDH_RSP_MS; t += 10) {
		if (atomic_load_acq_int(&d->done)) {
			error = d->error;
			free(bio, M_TEMP);
			free(d, M_TEMP);
			return (error);
		}
		(void)tsleep(d, "xbdh", 10 * SBT_1MS);
	}
	/*
	 * Unanswered: the queue is killed (which fails the bio), and both
	 * stay allocated in case an answer still comes.
	 */
	xbd_queue_fail_all(q, EIO);
	return (ETIMEDOUT);
}

KTEST(xbd_hostile)
{
	struct xbdh_ctx x;
	struct blkif_request req;
	struct disk *dp;
	struct xbd_queue *q;
	char notes[512];
	size_t len = 0;
	vm_paddr_t pa;
	uint8_t *buf;
	uint64_t t0;
	XenbusState state = XenbusStateUnknown;
	int error;

	KT_REQUIRE_XEN();
	if (!xbdh_run)
		KT_SKIP("only with ktest.xbd_hostile=1 (lab)");
	dp = disk_wait("xbd0", 20 * SBT_1S);
	KT_ASSERT(dp != NULL, "no xbd0 after 20 s");
	memset(&x, 0, sizeof(x));
	x.sc = dp->d_drv1;
	x.sectors = (uint64_t)dp->d_mediasize / 512;
	x.max_indirect = x.sc->sc_neg.indirect_segs;
	q = &x.sc->sc_queues[0];
	pa = phys_alloc_page();
	KT_ASSERT(pa != PHYS_NONE, "no page");
	buf = (uint8_t *)PHYS_TO_DMAP(pa);
	memset(buf, 0, PAGE_SIZE);
	error = gnttab_grant_access(NULL, x.sc->sc_otherend, atop(pa), false,
	    &x.good);
	KT_ASSERT(error == 0, "grant: %d", error);
	error = gnttab_alloc(NULL, &x.bad);
	KT_ASSERT(error == 0, "ref: %d", error);

	/* The good request first: the ring and our page work. */
	xbdh_good(&x, &req);
	error = xbdh_send(q, &req);
	KT_CHECK(error == 0, "a well-formed read failed: %d", error);

	for (u_int c = 0; c < XBDH_NCASES && !KT_FAILED(); c++) {
		if (!xbdh_build(&x, (enum xbdh_case)c, &req)) {
			len += snprintf(notes + len, sizeof(notes) - len,
			    " %s=n/a", xbdh_names[c]);
			continue;
		}
		error = xbdh_send(q, &req);
		printf("XBD-HOSTILE %s: error %d\n", xbdh_names[c], error);
		KT_CHECK(error != 0 && error != ETIMEDOUT && error != EBUSY,
		    "%s: %s", xbdh_names[c], error == 0 ? "answered OKAY" :
		    error == ETIMEDOUT ? "no response" : "not sent");
		len += snprintf(notes + len, sizeof(notes) - len, " %s=%s",
		    xbdh_names[c], error == 0 ? "ok" : error == EIO ? "error" :
		    "other");
		len = MIN(len, sizeof(notes) - 1);
	}
	printf("XBD-HOSTILE cases:%s\n", notes);

	/* The storm: the backend must take it and still answer. */
	if (!KT_FAILED()) {
		t0 = sbinuptime();
		for (u_int i = 0; i < XBDH_STORM; i++)
			evtchn_notify(q->xq_evtchn);
		xbdh_good(&x, &req);
		error = xbdh_send(q, &req);
		KT_CHECK(error == 0, "read after %u notifications: %d",
		    XBDH_STORM, error);
		printf("XBD-HOSTILE storm notifies=%u ms=%ju read=%d\n",
		    XBDH_STORM, (uintmax_t)((sbinuptime() - t0) / SBT_1MS),
		    error);
	}

	if (xbdh_overflow && !KT_FAILED()) {
		struct blkif_sring *s = q->xq_sring;

		/* A producer index a whole ring and more ahead of ours. */
		mtx_lock_spin(&q->xq_mtx);
		wmb();
		s->req_prod = q->xq_ring->fr.req_prod_pvt +
		    q->xq_ring->nslots + 1;
		wmb();
		mtx_unlock_spin(&q->xq_mtx);
		evtchn_notify(q->xq_evtchn);
		for (u_int t = 0; t < XBDH_GONE_MS; t += 50) {
			if (xenbus_read_state(x.sc->sc_otherend_path,
			    &state) != 0 || state >= XenbusStateClosing)
				break;
			(void)tsleep(&state, "xbdhgone", 50 * SBT_1MS);
		}
		KT_CHECK(state >= XenbusStateClosing,
		    "the backend still in state %d %u ms after the overflow",
		    (int)state, XBDH_GONE_MS);
		printf("XBD-HOSTILE overflow backend-state=%d\n", (int)state);
	}

	gnttab_free(x.bad);
	/* The backend may still hold our page mapped: then it stays. */
	if (gnttab_end_access(x.good) == 0)
		phys_free_page(pa);
	disk_rele(dp);
	KT_NOTE("every malformed request answered with an error%s",
	    xbdh_overflow ? "; the backend left after the overflow" : "");
}
