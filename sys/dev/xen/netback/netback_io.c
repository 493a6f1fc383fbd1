/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * netback's data path (see netback_var.h).  Each queue has a thread; the
 * event handlers only flag work and wake it (late EOI: a port stays
 * masked until the thread has looked at its ring, XSA-332).
 *
 * Transmit (frontend to us): packets are judged by netback_ring.c from
 * one copy of their requests, then brought in by batched GNTTABOP_copy
 * into a cluster (the first bytes, headers included, XSA-423) and pages
 * for the rest; answered once the copy is done, then given to the bridge.
 * Receive (us to frontend): frames the bridge hands the vif wait in a
 * per-queue list bounded in bytes (XSA-392; drops counted) until the
 * frontend posts buffers, then go out by batched GNTTABOP_copy.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_bridge.h>
#include <net/if_var.h>

#include <xen/gnttab.h>
#include <xen/xen_evtchn.h>

#include <dev/xen/netback/netback_var.h>

MALLOC_DECLARE(M_NETBACK);

struct netback_totals netback_totals;

/* What one tx batch holds besides its copy operations. */
struct netback_txb {
	struct nbtx_pkt	pkt[NETBACK_TX_BATCH];
	struct mbuf	*m[NETBACK_TX_BATCH];
	u_int		op0[NETBACK_TX_BATCH], nops[NETBACK_TX_BATCH];
	struct nb_copy	plan[NB_TX_MAX_OPS];
};

struct netback_rxb {
	struct mbuf	*m[NETBACK_RX_BATCH];
	struct nbrx_req	reqs[NETBACK_RX_BATCH][NB_RX_MAX_SLOTS];
	RING_IDX	first[NETBACK_RX_BATCH];
	u_int		nslots[NETBACK_RX_BATCH];
	u_int		op0[NETBACK_RX_BATCH], nops[NETBACK_RX_BATCH];
	struct nb_piece	pieces[64];
	struct nb_copy	plan[NETBACK_RX_OPS];
};

void
netback_totals_add(uint64_t *field, int64_t delta)
{
	__atomic_add_fetch(field, (uint64_t)delta, __ATOMIC_RELAXED);
}

void
netback_get_totals(struct netback_totals *t)
{
	uint64_t *dst = (uint64_t *)t;
	const uint64_t *src = (const uint64_t *)&netback_totals;

	for (size_t i = 0; i < sizeof(*t) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

void
netback_intr_tx(void *arg)
{
	struct netback_queue *q = arg;

	mtx_lock_spin(&q->nq_mtx);
	q->nq_st.events_tx++;
	q->nq_work_tx = true;
	/* One port for both rings: rx buffers may have come too. */
	if (q->nq_evrx == NULL)
		q->nq_work_rx = true;
	q->nq_eoi_tx = true;
	wakeup(q);
	mtx_unlock_spin(&q->nq_mtx);
}

void
netback_intr_rx(void *arg)
{
	struct netback_queue *q = arg;

	mtx_lock_spin(&q->nq_mtx);
	q->nq_st.events_rx++;
	q->nq_work_rx = true;
	q->nq_eoi_rx = true;
	wakeup(q);
	mtx_unlock_spin(&q->nq_mtx);
}

static u_long
va_gfn(uintptr_t va)
{
	return (atop(pmap_kextract((vm_offset_t)va)));
}

/* Spreads flows over the queues by their IPv4 addresses and ports. */
static u_int
netback_pick_queue(struct netback_softc *sc, struct mbuf *m)
{
	uint8_t h[26];
	uint32_t x = 0;

	if (sc->sc_nqueues <= 1 || m->m_pkthdr.len < 38)
		return (0);
	m_copydata(m, 12, sizeof(h), h);
	if (h[0] != 0x08 || h[1] != 0x00)
		return (0);
	for (u_int i = 14; i < 26; i++)
		x = x * 31 + h[i];
	return (x % sc->sc_nqueues);
}

void
netback_bridge_output(struct ifnet *ifp, struct mbuf *m)
{
	struct netback_softc *sc = ifp->if_softc;
	struct netback_queue *q;
	u_int len = (u_int)m->m_pkthdr.len;

	q = &sc->sc_queues[netback_pick_queue(sc, m)];
	mtx_lock_spin(&q->nq_mtx);
	if (q->nq_stop || q->nq_rxq_bytes + len > NETBACK_RXQ_MAX_BYTES) {
		/* A frontend that posts no buffers holds no more than this. */
		q->nq_st.rx_qdrops++;
		mtx_unlock_spin(&q->nq_mtx);
		netback_totals_add(&netback_totals.drops, 1);
		if_inc_counter(ifp, IFCOUNTER_OQDROPS, 1);
		m_freem(m);
		return;
	}
	m->m_nextpkt = NULL;
	*q->nq_rxq_tail = m;
	q->nq_rxq_tail = &m->m_nextpkt;
	q->nq_rxq_bytes += len;
	q->nq_rxq_len++;
	q->nq_work_rx = true;
	wakeup(q);
	mtx_unlock_spin(&q->nq_mtx);
	netback_totals_add(&netback_totals.rxq_bytes, len);
}

int
netback_transmit(struct ifnet *ifp, struct mbuf *m)
{
	netback_bridge_output(ifp, m);
	return (0);
}

static void
netback_notify(struct netback_queue *q, evtchn_handle_t h)
{
	q->nq_st.notifies++;
	evtchn_notify(h);
}

/* ---- transmit: from the frontend ---- */

/* Buffers for a planned packet: a cluster, then page clusters. */
static struct mbuf *
tx_mbufs(const struct nbtx_pkt *p, u_int linear, u_int nbufs,
    uintptr_t *bufva)
{
	struct mbuf *m, *t, *n;
	uint32_t left = p->len;

	m = m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
	if (m == NULL)
		return (NULL);
	m->m_len = (int)MIN(linear, left);
	left -= (uint32_t)m->m_len;
	bufva[0] = (uintptr_t)m->m_data;
	t = m;
	for (u_int b = 1; b < nbufs; b++) {
		n = m_getjcl(M_NOWAIT, MT_DATA, 0, MJUMPAGESIZE);
		if (n == NULL) {
			m_freem(m);
			return (NULL);
		}
		n->m_len = (int)MIN(left, NB_PAGE_SIZE);
		left -= (uint32_t)n->m_len;
		bufva[b] = (uintptr_t)n->m_data;
		t->m_next = n;
		t = n;
	}
	KASSERT(left == 0, ("netback: %u bytes without a buffer", left));
	m->m_pkthdr.len = (int)p->len;
	return (m);
}

/*
 * Takes up to a batch of packets off the tx ring, copies them in, answers
 * them and hands the good ones to the bridge.  Returns the number taken
 * (a full batch: call again), or -1 on a fatal error.
 */
static int
tx_batch(struct netback_queue *q, struct netback_txb *b)
{
	struct netback_softc *sc = q->nq_sc;
	struct gnttab_copy *ops = q->nq_ops;
	uintptr_t bufva[NB_TX_MAX_BUFS];
	u_int n = 0, nops = 0, linear = MIN(NB_TX_LINEAR_MAX, MCLBYTES);
	bool fatal = false;
	int error;

	while (n < NETBACK_TX_BATCH) {
		struct nbtx_pkt *p = &b->pkt[n];
		u_int k, nbufs;

		error = nbtx_next(&q->nq_tx, p);
		if (error == 0)
			break;
		if (error != 1) {
			fatal = true;
			break;
		}
		b->m[n] = NULL;
		b->nops[n] = 0;
		b->op0[n] = nops;
		if (p->drop != NBTX_DROP_NONE) {
			q->nq_st.tx_drops[p->drop]++;
			netback_totals_add(&netback_totals.drops, 1);
			n++;
			continue;
		}
		k = nbtx_plan(p, linear, b->plan, &nbufs);
		if ((b->m[n] = tx_mbufs(p, linear, nbufs, bufva)) == NULL) {
			q->nq_st.tx_nomem++;
			netback_totals_add(&netback_totals.drops, 1);
			n++;
			continue;
		}
		for (u_int i = 0; i < k; i++) {
			const struct nb_copy *c = &b->plan[i];
			struct gnttab_copy *g = &ops[nops + i];
			uintptr_t va = bufva[c->buf] + c->dst_off;

			memset(g, 0, sizeof(*g));
			g->source.u.ref = p->slots[c->slot].gref;
			g->source.domid = sc->sc_peer;
			g->source.offset = c->src_off;
			g->dest.u.gmfn = va_gfn(va);
			g->dest.domid = DOMID_SELF;
			g->dest.offset = (uint16_t)(va & PAGE_MASK);
			g->len = c->len;
			g->flags = GNTCOPY_source_gref;
		}
		b->nops[n] = k;
		nops += k;
		n++;
	}
	if (nops > 0)
		(void)gnttab_copy(ops, nops);
	for (u_int i = 0; i < n; i++) {
		struct nbtx_pkt *p = &b->pkt[i];
		bool ok = b->m[i] != NULL;

		for (u_int j = 0; ok && j < b->nops[i]; j++)
			ok = ops[b->op0[i] + j].status == GNTST_okay;
		if (b->m[i] != NULL && !ok) {
			/* A grant the frontend does not hold: its packet fails. */
			q->nq_st.tx_copy_errors++;
			netback_totals_add(&netback_totals.drops, 1);
			m_freem(b->m[i]);
			b->m[i] = NULL;
		}
		nbtx_respond(&q->nq_tx, p, ok ? NETIF_RSP_OKAY : NETIF_RSP_ERROR);
	}
	if (n > 0 && nbtx_push(&q->nq_tx))
		netback_notify(q, q->nq_evtx);
	for (u_int i = 0; i < n; i++) {
		struct mbuf *m = b->m[i];
		uint32_t cf, cd;

		if (m == NULL)
			continue;
		nb_tx_csum(b->pkt[i].flags, &cf, &cd);
		m->m_pkthdr.csum_flags = cf;
		m->m_pkthdr.csum_data = cd;
		m->m_pkthdr.rcvif = sc->sc_ifp;
		q->nq_st.tx_packets++;
		q->nq_st.tx_bytes += (uint64_t)m->m_pkthdr.len;
		netback_totals_add(&netback_totals.tx_packets, 1);
		if_inc_counter(sc->sc_ifp, IFCOUNTER_IPACKETS, 1);
		if_inc_counter(sc->sc_ifp, IFCOUNTER_IBYTES, m->m_pkthdr.len);
		bridge_input(sc->sc_port, m);
	}
	return (fatal ? -1 : (int)n);
}

/* Returns false on a fatal error. */
static bool
tx_pass(struct netback_queue *q, struct netback_txb *b)
{
	int n;

	for (;;) {
		n = tx_batch(q, b);
		if (n < 0)
			return (false);
		if (n == NETBACK_TX_BATCH)
			continue;
		if (!nbtx_final_check(&q->nq_tx))
			return (!q->nq_tx.dead);
	}
}

/* ---- receive: to the frontend ---- */

static struct mbuf *
rxq_peek(struct netback_queue *q)
{
	struct mbuf *m;

	mtx_lock_spin(&q->nq_mtx);
	m = q->nq_rxq_head;
	mtx_unlock_spin(&q->nq_mtx);
	return (m);
}

static void
rxq_drop_head(struct netback_queue *q)
{
	struct mbuf *m;
	u_int len;

	mtx_lock_spin(&q->nq_mtx);
	m = q->nq_rxq_head;
	KASSERT(m != NULL, ("netback: rx queue empty"));
	q->nq_rxq_head = m->m_nextpkt;
	if (q->nq_rxq_head == NULL)
		q->nq_rxq_tail = &q->nq_rxq_head;
	len = (u_int)m->m_pkthdr.len;
	q->nq_rxq_bytes -= len;
	q->nq_rxq_len--;
	mtx_unlock_spin(&q->nq_mtx);
	m->m_nextpkt = NULL;
	netback_totals_add(&netback_totals.rxq_bytes, -(int64_t)len);
}

/* Puts back a frame taken off the head (the batch had no room for it). */
static void
rxq_push_head(struct netback_queue *q, struct mbuf *m)
{
	u_int len = (u_int)m->m_pkthdr.len;

	mtx_lock_spin(&q->nq_mtx);
	m->m_nextpkt = q->nq_rxq_head;
	if (q->nq_rxq_head == NULL)
		q->nq_rxq_tail = &m->m_nextpkt;
	q->nq_rxq_head = m;
	q->nq_rxq_bytes += len;
	q->nq_rxq_len++;
	mtx_unlock_spin(&q->nq_mtx);
	netback_totals_add(&netback_totals.rxq_bytes, len);
}

/* Pieces of m (defragmented once if it has too many). */
static u_int
rx_pieces(struct mbuf **mp, struct nb_piece *pc, u_int max)
{
	struct mbuf *m;
	u_int n;

	for (int tries = 0; tries < 2; tries++) {
		n = 0;
		for (m = *mp; m != NULL && n < max; m = m->m_next) {
			if (m->m_len == 0)
				continue;
			pc[n].addr = (uintptr_t)m->m_data;
			pc[n].len = (uint32_t)m->m_len;
			n++;
		}
		if (m == NULL)
			return (n);
		if ((m = m_defrag(*mp, M_NOWAIT)) == NULL)
			return (0);
		*mp = m;
	}
	return (0);
}

/*
 * Sends queued frames while the frontend has buffers, a batch per copy;
 * then, if frames still wait, re-arms req_event for the next buffers.
 */
static void
rx_pass(struct netback_queue *q, struct netback_rxb *b)
{
	struct netback_softc *sc = q->nq_sc;
	struct gnttab_copy *ops = q->nq_ops + NETBACK_TX_OPS;
	evtchn_handle_t ev = q->nq_evrx != NULL ? q->nq_evrx : q->nq_evtx;
	struct mbuf *m;

	for (;;) {
		u_int n = 0, nops = 0;

		while (n < NETBACK_RX_BATCH && (m = rxq_peek(q)) != NULL) {
			uint32_t len = (uint32_t)m->m_pkthdr.len;
			u_int slots = nbrx_slots_for(len, sc->sc_sg), np, k;

			if (slots == 0) {
				rxq_drop_head(q);
				q->nq_st.rx_toobig++;
				netback_totals_add(&netback_totals.drops, 1);
				m_freem(m);
				continue;
			}
			if (nbrx_avail(&q->nq_rx) < slots)
				break;
			/* Ours from here (m_defrag may replace it). */
			rxq_drop_head(q);
			np = rx_pieces(&m, b->pieces, nitems(b->pieces));
			k = np == 0 ? 0 : nbrx_plan(b->pieces, np, slots,
			    b->plan, NETBACK_RX_OPS - nops);
			if (k == 0 && n > 0 && np > 0) {
				/* No room left in this batch: next one. */
				rxq_push_head(q, m);
				break;
			}
			if (k == 0) {
				q->nq_st.rx_toobig++;
				netback_totals_add(&netback_totals.drops, 1);
				m_freem(m);
				continue;
			}
			(void)nbrx_take(&q->nq_rx, slots, b->reqs[n], &b->first[n]);
			for (u_int i = 0; i < k; i++) {
				const struct nb_copy *c = &b->plan[i];
				struct gnttab_copy *g = &ops[nops + i];
				uintptr_t va = b->pieces[c->buf].addr + c->src_off;

				memset(g, 0, sizeof(*g));
				g->source.u.gmfn = va_gfn(va);
				g->source.domid = DOMID_SELF;
				g->source.offset = (uint16_t)(va & PAGE_MASK);
				g->dest.u.ref = b->reqs[n][c->slot].gref;
				g->dest.domid = sc->sc_peer;
				g->dest.offset = c->dst_off;
				g->len = c->len;
				g->flags = GNTCOPY_dest_gref;
			}
			b->m[n] = m;
			b->nslots[n] = slots;
			b->op0[n] = nops;
			b->nops[n] = k;
			nops += k;
			n++;
		}
		if (n == 0)
			break;
		(void)gnttab_copy(ops, nops);
		for (u_int i = 0; i < n; i++) {
			struct mbuf *pm = b->m[i];
			bool ok = true;
			uint16_t fl;

			for (u_int j = 0; ok && j < b->nops[i]; j++)
				ok = ops[b->op0[i] + j].status == GNTST_okay;
			fl = nb_rx_flags(pm->m_pkthdr.csum_flags,
			    pm->m_pkthdr.csum_data, sc->sc_csum_blank);
			nbrx_respond(&q->nq_rx, b->first[i], b->reqs[i],
			    b->nslots[i], (uint32_t)pm->m_pkthdr.len, fl,
			    ok ? 0 : NETIF_RSP_ERROR);
			if (ok) {
				q->nq_st.rx_packets++;
				q->nq_st.rx_bytes += (uint64_t)pm->m_pkthdr.len;
				netback_totals_add(&netback_totals.rx_packets, 1);
				if_inc_counter(sc->sc_ifp, IFCOUNTER_OPACKETS, 1);
				if_inc_counter(sc->sc_ifp, IFCOUNTER_OBYTES,
				    pm->m_pkthdr.len);
			} else {
				q->nq_st.rx_copy_errors++;
				netback_totals_add(&netback_totals.drops, 1);
			}
			m_freem(pm);
		}
		if (nbrx_push(&q->nq_rx))
			netback_notify(q, ev);
	}
	/* Waiting for buffers: ask to be told when they come. */
	if (rxq_peek(q) != NULL && nbrx_final_check(&q->nq_rx)) {
		mtx_lock_spin(&q->nq_mtx);
		q->nq_work_rx = true;
		mtx_unlock_spin(&q->nq_mtx);
	}
}

static void
netback_thread(void *arg)
{
	struct netback_queue *q = arg;
	struct netback_softc *sc = q->nq_sc;
	struct netback_txb *txb;
	struct netback_rxb *rxb;
	bool wtx, wrx, etx, erx;

	txb = malloc(sizeof(*txb), M_NETBACK, M_WAITOK | M_ZERO);
	rxb = malloc(sizeof(*rxb), M_NETBACK, M_WAITOK | M_ZERO);
	mtx_lock_spin(&q->nq_mtx);
	for (;;) {
		while (!q->nq_work_tx && !q->nq_work_rx && !q->nq_stop)
			msleep(q, &q->nq_mtx, "netback", 0);
		if (q->nq_stop)
			break;
		wtx = q->nq_work_tx;
		wrx = q->nq_work_rx;
		etx = q->nq_eoi_tx;
		erx = q->nq_eoi_rx;
		q->nq_work_tx = q->nq_work_rx = false;
		q->nq_eoi_tx = q->nq_eoi_rx = false;
		mtx_unlock_spin(&q->nq_mtx);

		if (!q->nq_dead && wtx && !tx_pass(q, txb))
			q->nq_dead = true;
		if (!q->nq_dead && wrx) {
			rx_pass(q, rxb);
			if (q->nq_rx.dead)
				q->nq_dead = true;
		}
		if (q->nq_dead && sc->sc_fatal_why == NB_OK) {
			/* Disabled as malicious: close, never read again. */
			sc->sc_fatal_why = q->nq_tx.dead ? q->nq_tx.fatal :
			    q->nq_rx.fatal;
			sc->sc_fatal++;
			netback_totals_add(&netback_totals.fatal, 1);
			device_printf(sc->sc_dev, "queue %u: frontend disabled: "
			    "%s\n", q->nq_index, nb_fatal_name(sc->sc_fatal_why));
			xenbus_closer_raise(&sc->sc_closer);
		}
		/* A dead queue's ports stay masked: no storm can follow. */
		if (!q->nq_dead) {
			if (etx)
				evtchn_eoi(q->nq_evtx);
			if (erx && q->nq_evrx != NULL)
				evtchn_eoi(q->nq_evrx);
		}
		mtx_lock_spin(&q->nq_mtx);
	}
	q->nq_exited = true;
	wakeup(&q->nq_exited);
	mtx_unlock_spin(&q->nq_mtx);
	free(txb, M_NETBACK);
	free(rxb, M_NETBACK);
	netback_totals_add(&netback_totals.threads, -1);
	kthread_exit();
}

int
netback_queue_start(struct netback_queue *q)
{
	int error;

	q->nq_ops = mallocarray(NETBACK_TX_OPS + NETBACK_RX_OPS,
	    sizeof(*q->nq_ops), M_NETBACK, M_WAITOK | M_ZERO);
	mtx_lock_spin(&q->nq_mtx);
	q->nq_stop = q->nq_exited = false;
	q->nq_dead = false;
	/* Requests may already wait: look at both rings first thing. */
	q->nq_work_tx = q->nq_work_rx = true;
	q->nq_eoi_tx = q->nq_eoi_rx = false;
	mtx_unlock_spin(&q->nq_mtx);
	error = kthread_add(netback_thread, q, &q->nq_td,
	    (int)(q->nq_index % mp_ncpus), "%s q%u",
	    device_get_nameunit(q->nq_sc->sc_dev), q->nq_index);
	if (error != 0) {
		q->nq_exited = true;
		return (error);
	}
	netback_totals_add(&netback_totals.threads, 1);
	return (0);
}

/* Stops the thread, then frees what waited for the frontend. */
void
netback_queue_stop(struct netback_queue *q)
{
	struct mbuf *m, *next;
	u_int bytes;

	mtx_lock_spin(&q->nq_mtx);
	q->nq_stop = true;
	wakeup(q);
	while (q->nq_ops != NULL && !q->nq_exited)
		msleep(&q->nq_exited, &q->nq_mtx, "nbstop", 0);
	m = q->nq_rxq_head;
	bytes = q->nq_rxq_bytes;
	q->nq_rxq_head = NULL;
	q->nq_rxq_tail = &q->nq_rxq_head;
	q->nq_rxq_bytes = 0;
	q->nq_rxq_len = 0;
	mtx_unlock_spin(&q->nq_mtx);
	netback_totals_add(&netback_totals.rxq_bytes, -(int64_t)bytes);
	for (; m != NULL; m = next) {
		next = m->m_nextpkt;
		m->m_nextpkt = NULL;
		m_freem(m);
	}
	free(q->nq_ops, M_NETBACK);
	q->nq_ops = NULL;
}
