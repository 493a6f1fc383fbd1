/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xbd(4) counters, one XBD-STATS line per connected disk at power-off
 * (sys/shutdown_report.h), so a run that ends there (iotool=, bench/blk)
 * shows what its I/O cost: requests, events taken and sent, bounce
 * copies, and with
 * persistent grants the pool's size, hits and misses, and how many of its
 * pages the backend has mapped (Xen's GTF_reading/GTF_writing on our side
 * of the table: blkback's persistent mappings).
 */
#include <sys/param.h>
#include <sys/mutex.h>
#include <sys/shutdown_report.h>
#include <sys/systm.h>

#include <dev/xen/blkfront/blkfront_var.h>

/* More than xbd_find() ever answers for. */
#define XBD_STATS_UNITS	64

/*
 * One line per queue: where both ends' ring indexes stand and the port's
 * bits, so a stalled run shows who owes whom (our requests unanswered, or
 * responses we never took).
 */
static void
xbd_queue_state(struct xbd_queue *q)
{
	const struct blkring *r = q->xq_ring;
	const blkif_sring_t *s = q->xq_sring;
	bool pending = false, masked = false;

	mtx_assert(&q->xq_mtx, MA_OWNED);
	if (r == NULL || s == NULL)
		return;
	if (q->xq_evtchn != NULL)
		evtchn_peek(q->xq_evtchn, &pending, &masked);
	printf("XBD-QUEUE %s/%u running=%d dead=%d inflight=%u waiting=%u "
	    "req_prod_pvt=%u req_prod=%u req_event=%u rsp_prod=%u rsp_cons=%u "
	    "rsp_event=%u port=%u pending=%d masked=%d delivered=%ju\n",
	    q->xq_sc->sc_disk.d_ident, q->xq_index, q->xq_running, r->dead,
	    blkring_inflight(r), q->xq_bioq.count, r->fr.req_prod_pvt,
	    __atomic_load_n(&s->req_prod, __ATOMIC_RELAXED),
	    __atomic_load_n(&s->req_event, __ATOMIC_RELAXED),
	    __atomic_load_n(&s->rsp_prod, __ATOMIC_RELAXED), r->fr.rsp_cons,
	    __atomic_load_n(&s->rsp_event, __ATOMIC_RELAXED),
	    q->xq_evtchn != NULL ? evtchn_port(q->xq_evtchn) : 0, pending,
	    masked, q->xq_evtchn != NULL ?
	    (uintmax_t)evtchn_count(q->xq_evtchn) : 0);
}

static void
xbd_stats_one(struct xbd_softc *sc)
{
	struct xbd_pgstats st, sum;
	uint64_t reqs = 0, events = 0, notifies = 0, bounced = 0;
	u_int mapped = 0;
	bool pool = false;

	memset(&sum, 0, sizeof(sum));
	for (u_int i = 0; i < sc->sc_nqueues; i++) {
		struct xbd_queue *q = &sc->sc_queues[i];

		if (q->xq_mtx.mtx_name == NULL)
			continue;
		mtx_lock_spin(&q->xq_mtx);
		reqs += q->xq_requests;
		events += q->xq_events;
		notifies += q->xq_notifies;
		bounced += q->xq_bounced;
		if (q->xq_pg != NULL) {
			pool = true;
			xbd_pgpool_stats(q->xq_pg, &st);
			mapped += xbd_pgpool_mapped(q->xq_pg);
			sum.pages += st.pages;
			sum.max += st.max;
			sum.hits += st.hits;
			sum.misses += st.misses;
			sum.full += st.full;
		}
		xbd_queue_state(q);
		mtx_unlock_spin(&q->xq_mtx);
	}
	printf("XBD-STATS %s queues=%u requests=%ju events=%ju notifies=%ju "
	    "bounced=%ju persistent=%d pg-pages=%u pg-max=%u pg-hits=%ju pg-misses=%ju "
	    "pg-full=%ju pg-mapped=%u busy-unloads=%ju pg-deferred=%ju\n",
	    sc->sc_disk.d_ident, sc->sc_nqueues, (uintmax_t)reqs,
	    (uintmax_t)events, (uintmax_t)notifies, (uintmax_t)bounced, pool, sum.pages, sum.max,
	    (uintmax_t)sum.hits, (uintmax_t)sum.misses, (uintmax_t)sum.full,
	    mapped, (uintmax_t)sc->sc_busy_unloads,
	    (uintmax_t)sc->sc_pg_deferred);
}

static void
xbd_stats_report(void)
{
	for (u_int u = 0; u < XBD_STATS_UNITS; u++) {
		struct xbd_softc *sc = xbd_find(u);

		if (sc != NULL && sc->sc_conn == XBD_CONNECTED)
			xbd_stats_one(sc);
	}
}
SHUTDOWN_REPORT(xbd_stats, xbd_stats_report);
