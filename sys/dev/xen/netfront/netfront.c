/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xn(4) data path.  Transmit: a frame's mbufs are cut into slots by
 * nftx_plan (netfront_ring.c) and each slot's page granted read-only; a
 * frame the plan refuses (too many slots, headers across a slot) is copied
 * into fresh pages first.  A frame the stack wants a TCP/UDP checksum for
 * goes out NETTXF_csum_blank with its pseudo-header sum in the field.
 * Receive: every ring position holds one page of ours granted to the
 * backend, which copies frames in (request-rx-copy); a packet's grants are
 * ended before its pages are read, its data is copied into mbufs, a blank
 * checksum is filled in, and the pages are posted again with new grants.
 *
 * Events: late EOI (XSA-332/391): a port stays masked while its handler
 * runs, so a backend raising it in a loop costs one pass per EOI.  Each
 * pass consumes what is published; the rx backend can publish no more
 * than the buffers we post, and tx no more than we sent.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/vmparam.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_var.h>

#include <dev/xen/netfront/netfront_csum.h>
#include <dev/xen/netfront/netfront_var.h>

MALLOC_DECLARE(M_XN);

CTASSERT(NF_PAGE_SIZE == PAGE_SIZE);

/* Drop counters are shared by the queues: atomic. */
static void
xn_drop_inc(struct xn_softc *sc, uint64_t *ctr, ift_counter ic)
{
	atomic_add_64(ctr, 1);
	if_inc_counter(sc->sc_ifp, ic, 1);
}

/* ---- receive ---- */

/* Posts free pages while the ring has room; notifies if netback wants. */
static void
xn_rx_refill(struct xn_queue *q)
{
	struct xn_softc *sc = q->xq_sc;
	grant_ref_t ref;
	uint16_t pos;
	vm_paddr_t pa;

	mtx_assert(&q->xq_rxmtx, MA_OWNED);
	while (q->xq_nrxfree > 0 && nfrx_space(q->xq_rx) > 0) {
		pa = q->xq_rxfree[q->xq_nrxfree - 1];
		if (gnttab_grant_access(q->xq_rxpool, sc->sc_otherend, atop(pa),
		    false, &ref) != 0)
			break;
		if (nfrx_post(q->xq_rx, ref, &pos) != 0) {
			(void)gnttab_end_access(ref);
			break;
		}
		q->xq_nrxfree--;
		q->xq_rxpos[pos].pa = pa;
		q->xq_rxpos[pos].ref = ref;
	}
	if (nfrx_push(q->xq_rx))
		evtchn_notify(q->xq_rxevt != NULL ? q->xq_rxevt : q->xq_txevt);
}

/*
 * Ends the grants of every position p consumed; a page whose grant the
 * backend still holds is given up (never read nor reused).  Returns false
 * if any was, so the packet is not trusted.
 */
static bool
xn_rx_reclaim(struct xn_queue *q, const struct nfrx_pkt *p, bool *lost)
{
	bool ok = true;

	for (u_int i = 0; i < p->nslots; i++) {
		uint16_t pos = (uint16_t)((p->first + i) & (NF_RX_RING_SIZE - 1));
		struct xn_rxpos *rp = &q->xq_rxpos[pos];

		lost[pos] = false;
		KASSERT(rp->pa != PHYS_NONE, ("xn: position %u has no page", pos));
		if (gnttab_end_access(rp->ref) != 0) {
			lost[pos] = true;
			ok = false;
		}
	}
	return (ok);
}

/* The pages of p back on the free list (after their data was used). */
static void
xn_rx_recycle(struct xn_queue *q, const struct nfrx_pkt *p, const bool *lost)
{
	for (u_int i = 0; i < p->nslots; i++) {
		uint16_t pos = (uint16_t)((p->first + i) & (NF_RX_RING_SIZE - 1));
		struct xn_rxpos *rp = &q->xq_rxpos[pos];

		if (lost[pos]) {
			/* The backend may still write it: leave it to it. */
			q->xq_rxpages--;
		} else {
			KASSERT(q->xq_nrxfree < NF_RX_RING_SIZE,
			    ("xn: %u free rx pages", q->xq_nrxfree));
			q->xq_rxfree[q->xq_nrxfree++] = rp->pa;
		}
		rp->pa = PHYS_NONE;
	}
}

/* One packet off the ring: an mbuf chain for the stack, or a drop. */
static struct mbuf *
xn_rx_packet(struct xn_queue *q, const struct nfrx_pkt *p, bool *lost)
{
	struct xn_softc *sc = q->xq_sc;
	struct ifnet *ifp = sc->sc_ifp;
	struct nf_iov iov[NF_RX_MAX_SLOTS];
	struct mbuf *m = NULL;
	bool validated;

	if (!xn_rx_reclaim(q, p, lost)) {
		xn_drop_inc(sc, &sc->sc_drops.rx_busy, IFCOUNTER_IERRORS);
		return (NULL);
	}
	if (p->drop != NFRX_OK) {
		xn_drop_inc(sc, &sc->sc_drops.rx_ring[p->drop],
		    IFCOUNTER_IERRORS);
		return (NULL);
	}
	for (u_int i = 0; i < p->nfrags; i++) {
		const struct nfrx_frag *f = &p->frags[i];

		iov[i].base = (uint8_t *)PHYS_TO_DMAP(q->xq_rxpos[f->pos].pa) +
		    f->offset;
		iov[i].len = f->len;
	}
	validated = (p->flags & NETRXF_data_validated) != 0;
	if ((p->flags & NETRXF_csum_blank) != 0) {
		/* Never let a blank checksum reach the stack or a forward. */
		switch (nf_csum_fill(iov, p->nfrags)) {
		case NF_CSUM_FILLED:
			atomic_add_64(&sc->sc_rx_csum_filled, 1);
			validated = true;
			break;
		case NF_CSUM_NOTL4:
			/* Nothing we know to fill: let the stack judge it. */
			validated = false;
			break;
		default:
			xn_drop_inc(sc, &sc->sc_drops.rx_csum_bad,
			    IFCOUNTER_IERRORS);
			return (NULL);
		}
	}
	m = m_gethdr(M_NOWAIT, MT_DATA);
	if (m != NULL && p->len > (uint32_t)MHLEN) {
		m_freem(m);
		m = p->len > MCLBYTES ?
		    m_getjcl(M_NOWAIT, MT_DATA, M_PKTHDR, MJUMPAGESIZE) :
		    m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
	}
	if (m == NULL) {
		xn_drop_inc(sc, &sc->sc_drops.rx_nombuf, IFCOUNTER_IQDROPS);
		return (NULL);
	}
	for (u_int i = 0; i < p->nfrags; i++)
		if (!m_append(m, (int)iov[i].len, iov[i].base)) {
			m_freem(m);
			xn_drop_inc(sc, &sc->sc_drops.rx_nombuf,
			    IFCOUNTER_IQDROPS);
			return (NULL);
		}
	m->m_pkthdr.rcvif = ifp;
	m->m_pkthdr.flowid = q->xq_index;
	if (validated && (ifp->if_capenable & IFCAP_RXCSUM) != 0) {
		/* Checked by the sender's side (or filled in just now). */
		m->m_pkthdr.csum_flags = CSUM_DATA_VALID | CSUM_PSEUDO_HDR;
		m->m_pkthdr.csum_data = 0xffff;
	}
	if_inc_counter(ifp, IFCOUNTER_IPACKETS, 1);
	if_inc_counter(ifp, IFCOUNTER_IBYTES, p->len);
	q->xq_rx_pkts++;
	return (m);
}

/* Takes every packet off the rx ring; the frames for the stack in *list. */
static bool
xn_rxeof(struct xn_queue *q, struct mbuf **list)
{
	struct mbuf **tail = list, *m;
	struct nfrx_pkt p;
	bool lost[NF_RX_RING_SIZE];
	int r;

	mtx_assert(&q->xq_rxmtx, MA_OWNED);
	*list = NULL;
	if (!q->xq_running || q->xq_rx->dead)
		return (true);
	do {
		while ((r = nfrx_next(q->xq_rx, &p)) == 1) {
			m = xn_rx_packet(q, &p, lost);
			xn_rx_recycle(q, &p, lost);
			if (m != NULL) {
				*tail = m;
				tail = &m->m_nextpkt;
			}
		}
		if (r != 0)
			return (false);
		xn_rx_refill(q);
	} while (nfrx_final_check(q->xq_rx));
	return (true);
}

static void
xn_rx_deliver(struct xn_softc *sc, struct mbuf *list)
{
	struct ifnet *ifp = sc->sc_ifp;
	struct mbuf *m;

	while ((m = list) != NULL) {
		list = m->m_nextpkt;
		m->m_nextpkt = NULL;
		(*ifp->if_input)(ifp, m);
	}
}

static void
xn_rx_run(struct xn_queue *q)
{
	struct xn_softc *sc = q->xq_sc;
	struct mbuf *list;
	bool ok;

	mtx_lock_spin(&q->xq_rxmtx);
	q->xq_rx_events++;
	ok = xn_rxeof(q, &list);
	mtx_unlock_spin(&q->xq_rxmtx);
	xn_rx_deliver(sc, list);
	if (!ok) {
		device_printf(sc->sc_dev, "queue %u: rx rsp_prod %u beyond "
		    "the buffers posted\n", q->xq_index,
		    (u_int)q->xq_rx->error_prod);
		xn_fatal(sc);
	}
}

/* ---- transmit ---- */

/* Ends what a tx id holds (grant); true if the backend let it go. */
static bool
xn_txid_end(struct xn_txid *t)
{
	bool ok = true;

	if (t->granted) {
		ok = gnttab_end_access(t->ref) == 0;
		t->granted = false;
	}
	return (ok);
}

/* A frame's last slot answered: its mbuf and copy go, unless still held. */
static void
xn_tx_free_head(struct xn_queue *q, struct xn_txid *h)
{
	struct xn_softc *sc = q->xq_sc;

	if (h->busy) {
		/* The backend still maps a page: never reuse it (leaked). */
		atomic_add_64(&sc->sc_drops.tx_busy, 1);
	} else {
		if (h->m != NULL)
			m_freem(h->m);
		if (h->bounce_pa != PHYS_NONE)
			phys_free_contig(h->bounce_pa, h->bounce_pages);
	}
	h->m = NULL;
	h->bounce_pa = PHYS_NONE;
	h->bounce_pages = 0;
	h->busy = false;
}

static void
xn_tx_done(void *arg, const struct nftx_done *d)
{
	struct xn_queue *q = arg;
	struct xn_softc *sc = q->xq_sc;
	struct xn_txid *h = &q->xq_txid[d->head];

	if (!xn_txid_end(&q->xq_txid[d->id]))
		h->busy = true;
	if (!d->pkt_done)
		return;
	if (d->pkt_status == NETIF_RSP_DROPPED)
		xn_drop_inc(sc, &sc->sc_drops.tx_rsp_dropped, IFCOUNTER_OERRORS);
	else if (d->pkt_status != NETIF_RSP_OKAY)
		xn_drop_inc(sc, &sc->sc_drops.tx_rsp_error, IFCOUNTER_OERRORS);
	xn_tx_free_head(q, h);
}

/* The frame's pieces, or false if it has too many to send as they are. */
static bool
xn_tx_bufs(struct mbuf *m, struct nftx_buf *b, struct nf_iov *iov, u_int *np)
{
	u_int n = 0;

	for (; m != NULL; m = m->m_next) {
		if (m->m_len <= 0)
			continue;
		if (n == XN_TX_MAX_BUFS)
			return (false);
		b[n].addr = (uintptr_t)m->m_data;
		b[n].len = (size_t)m->m_len;
		iov[n].base = (uint8_t *)m->m_data;
		iov[n].len = (size_t)m->m_len;
		n++;
	}
	*np = n;
	return (true);
}

/*
 * Puts m on the ring.  0: queued (m is the ring's now); EAGAIN: no room or
 * grants now, m untouched; another error: m cannot be sent (caller frees).
 */
static int
xn_encap(struct xn_queue *q, struct mbuf *m)
{
	struct xn_softc *sc = q->xq_sc;
	struct nftx_buf b[XN_TX_MAX_BUFS];
	struct nf_iov iov[XN_TX_MAX_BUFS];
	struct nftx_slot s[NF_TX_MAX_SLOTS];
	uint16_t ids[NF_TX_MAX_SLOTS], flags = 0;
	vm_paddr_t bpa = PHYS_NONE;
	u_int nb = 0, ns, npages = 0, i;
	size_t total, hdrlen;
	int error;

	mtx_assert(&q->xq_txmtx, MA_OWNED);
	if (!xn_tx_bufs(m, b, iov, &nb))
		nb = 0;
	hdrlen = nb > 0 ? nf_frame_hdrlen(iov, nb) : ETHER_HDR_LEN;
	error = nb > 0 ? nftx_plan(b, nb, (u_int)hdrlen, sc->sc_neg.tx_max_slots,
	    s, &ns, &total) : E2BIG;
	if (error == E2BIG || error == EMSGSIZE) {
		/* One page-aligned copy: headers in slot 0, fewest slots. */
		total = (size_t)m->m_pkthdr.len;
		if (total == 0 || total > XEN_NETIF_MAX_TX_SIZE) {
			atomic_add_64(&sc->sc_drops.tx_toobig, 1);
			return (EINVAL);
		}
		npages = howmany(total, PAGE_SIZE);
		bpa = phys_alloc_contig(npages, 0, DMAP_BOOT_SIZE);
		if (bpa == PHYS_NONE) {
			atomic_add_64(&sc->sc_drops.tx_nomem, 1);
			return (ENOMEM);
		}
		m_copydata(m, 0, (int)total, (void *)PHYS_TO_DMAP(bpa));
		b[0].addr = (uintptr_t)PHYS_TO_DMAP(bpa);
		b[0].len = total;
		iov[0].base = (uint8_t *)PHYS_TO_DMAP(bpa);
		iov[0].len = total;
		nb = 1;
		hdrlen = nf_frame_hdrlen(iov, 1);
		q->xq_bounced++;
		error = nftx_plan(b, 1, (u_int)hdrlen, sc->sc_neg.tx_max_slots, s,
		    &ns, &total);
	}
	if (error == 0 &&
	    (m->m_pkthdr.csum_flags & (CSUM_UDP | CSUM_TCP)) != 0) {
		/*
		 * The device's job, as the stack asked (if_hwassist), on the
		 * bytes that go out (the copy, if one was made).
		 */
		if (nf_csum_pseudo_fill(iov, nb) == NF_CSUM_FILLED) {
			flags = NETTXF_csum_blank | NETTXF_data_validated;
			atomic_add_64(&sc->sc_tx_csum_offloaded, 1);
		}
	}
	if (error != 0) {
		if (bpa != PHYS_NONE)
			phys_free_contig(bpa, npages);
		atomic_add_64(&sc->sc_drops.tx_toobig, 1);
		return (EINVAL);
	}
	if (nftx_free_slots(q->xq_tx) < ns)
		goto again;
	for (i = 0; i < ns; i++) {
		vm_paddr_t pa = pmap_kextract(s[i].page);

		if (gnttab_grant_access(q->xq_txpool, sc->sc_otherend, atop(pa),
		    true, &s[i].gref) != 0)
			break;
	}
	if (i < ns) {
		/* Never published: the backend cannot hold these. */
		while (i-- > 0)
			(void)gnttab_end_access(s[i].gref);
		goto again;
	}
	error = nftx_queue(q->xq_tx, s, ns, flags, ids);
	KASSERT(error == 0, ("xn: nftx_queue %d with %u slots free", error,
	    nftx_free_slots(q->xq_tx)));
	for (i = 0; i < ns; i++) {
		struct xn_txid *t = &q->xq_txid[ids[i]];

		KASSERT(!t->granted && t->m == NULL, ("xn: tx id %u busy",
		    ids[i]));
		t->ref = s[i].gref;
		t->granted = true;
	}
	q->xq_txid[ids[0]].m = m;
	q->xq_txid[ids[0]].bounce_pa = bpa;
	q->xq_txid[ids[0]].bounce_pages = npages;
	if_inc_counter(sc->sc_ifp, IFCOUNTER_OPACKETS, 1);
	if_inc_counter(sc->sc_ifp, IFCOUNTER_OBYTES, (int64_t)total);
	q->xq_tx_pkts++;
	return (0);
again:
	if (bpa != PHYS_NONE)
		phys_free_contig(bpa, npages);
	return (EAGAIN);
}

/*
 * Moves waiting frames onto the ring while it has room; notifies.  With
 * reclaim (the sender's path), a full ring first takes back what the
 * backend has answered, once: the ring refills at the sender's pace, not
 * only at the next tx event, so netback finds requests whenever it looks.
 * Returns nftx_consume's error (EPROTO: the caller must go xn_fatal).
 */
static int
xn_tx_start(struct xn_queue *q, struct mbuf **freelist, bool reclaim)
{
	struct xn_softc *sc = q->xq_sc;
	struct mbuf *m;
	int error, cerr = 0;

	mtx_assert(&q->xq_txmtx, MA_OWNED);
	while ((m = q->xq_sendq) != NULL) {
		error = xn_encap(q, m);
		if (error == EAGAIN && reclaim) {
			reclaim = false;
			q->xq_tx_reclaims++;
			if ((cerr = nftx_consume(q->xq_tx, xn_tx_done, q)) == 0)
				continue;
		}
		if (error == EAGAIN)
			break;
		q->xq_sendq = m->m_nextpkt;
		if (q->xq_sendq == NULL)
			q->xq_sendq_tail = &q->xq_sendq;
		q->xq_sendq_len--;
		m->m_nextpkt = NULL;
		if (error != 0) {
			if_inc_counter(sc->sc_ifp, IFCOUNTER_OERRORS, 1);
			m->m_nextpkt = *freelist;
			*freelist = m;
		}
	}
	if (nftx_push(q->xq_tx))
		evtchn_notify(q->xq_txevt);
	return (cerr == ENXIO ? 0 : cerr);
}

static void
xn_tx_error(struct xn_queue *q)
{
	device_printf(q->xq_sc->sc_dev, "queue %u: tx protocol error %d "
	    "(id %u, rsp_prod %u)\n", q->xq_index, q->xq_tx->error_kind,
	    q->xq_tx->error_id, q->xq_tx->error_prod);
	xn_fatal(q->xq_sc);
}

static void
xn_freelist(struct mbuf *m)
{
	struct mbuf *n;

	for (; m != NULL; m = n) {
		n = m->m_nextpkt;
		m->m_nextpkt = NULL;
		m_freem(m);
	}
}

static void
xn_tx_run(struct xn_queue *q)
{
	struct mbuf *fl = NULL;
	int error = 0;

	mtx_lock_spin(&q->xq_txmtx);
	q->xq_tx_events++;
	if (q->xq_running && !q->xq_tx->dead) {
		error = nftx_consume(q->xq_tx, xn_tx_done, q);
		if (error == 0)
			error = xn_tx_start(q, &fl, false);
	}
	mtx_unlock_spin(&q->xq_txmtx);
	xn_freelist(fl);
	if (error == EPROTO)
		xn_tx_error(q);
}

int
xn_transmit(struct ifnet *ifp, struct mbuf *m)
{
	struct xn_softc *sc = ifp->if_softc;
	struct mbuf *fl = NULL;
	struct xn_queue *q;
	int error = 0;
	bool perr = false;

	if (sc->sc_nqueues == 0) {
		xn_drop_inc(sc, &sc->sc_drops.tx_down, IFCOUNTER_OQDROPS);
		m_freem(m);
		return (ENETDOWN);
	}
	/* The stack's flow, else the sender's CPU (no lock shared). */
	q = &sc->sc_queues[(m->m_pkthdr.flowid != 0 ? m->m_pkthdr.flowid :
	    curcpu) % sc->sc_nqueues];
	mtx_lock_spin(&q->xq_txmtx);
	if (!q->xq_running) {
		xn_drop_inc(sc, &sc->sc_drops.tx_down, IFCOUNTER_OQDROPS);
		error = ENETDOWN;
	} else if (q->xq_sendq_len >= XN_SENDQ_MAX) {
		xn_drop_inc(sc, &sc->sc_drops.tx_qfull, IFCOUNTER_OQDROPS);
		error = ENOBUFS;
	} else {
		m->m_nextpkt = NULL;
		*q->xq_sendq_tail = m;
		q->xq_sendq_tail = &m->m_nextpkt;
		q->xq_sendq_len++;
		m = NULL;
		if (xn_tx_start(q, &fl, true) == EPROTO)
			perr = true;
	}
	mtx_unlock_spin(&q->xq_txmtx);
	if (m != NULL)
		m_freem(m);
	xn_freelist(fl);
	if (perr)
		xn_tx_error(q);
	return (error);
}

static void
xn_sendq_flush(struct xn_queue *q, struct mbuf **fl)
{
	struct mbuf *m;

	mtx_assert(&q->xq_txmtx, MA_OWNED);
	while ((m = q->xq_sendq) != NULL) {
		q->xq_sendq = m->m_nextpkt;
		m->m_nextpkt = *fl;
		*fl = m;
		if_inc_counter(q->xq_sc->sc_ifp, IFCOUNTER_OQDROPS, 1);
	}
	q->xq_sendq_tail = &q->xq_sendq;
	q->xq_sendq_len = 0;
}

void
xn_qflush(struct ifnet *ifp)
{
	struct xn_softc *sc = ifp->if_softc;
	struct mbuf *fl = NULL;

	for (u_int i = 0; i < sc->sc_nqueues; i++) {
		struct xn_queue *q = &sc->sc_queues[i];

		mtx_lock_spin(&q->xq_txmtx);
		xn_sendq_flush(q, &fl);
		mtx_unlock_spin(&q->xq_txmtx);
	}
	xn_freelist(fl);
}

/* ---- events ---- */

static void
xn_intr_tx(void *arg)
{
	struct xn_queue *q = arg;

	xn_tx_run(q);
	evtchn_eoi(q->xq_txevt);
}

static void
xn_intr_rx(void *arg)
{
	struct xn_queue *q = arg;

	xn_rx_run(q);
	evtchn_eoi(q->xq_rxevt);
}

/* One port for both rings. */
static void
xn_intr_both(void *arg)
{
	struct xn_queue *q = arg;

	xn_tx_run(q);
	xn_rx_run(q);
	evtchn_eoi(q->xq_txevt);
}

/* ---- set-up and teardown (thread context) ---- */

static int
xn_ring_page(struct xn_queue *q, vm_paddr_t *pap, grant_ref_t *refp,
    bool *granted)
{
	*pap = phys_alloc_contig(1, 0, DMAP_BOOT_SIZE);
	if (*pap == PHYS_NONE)
		return (ENOMEM);
	memset((void *)PHYS_TO_DMAP(*pap), 0, PAGE_SIZE);
	if (gnttab_grant_access(NULL, q->xq_sc->sc_otherend, atop(*pap), false,
	    refp) != 0)
		return (ENOSPC);
	*granted = true;
	return (0);
}

int
xn_queue_alloc(struct xn_queue *q, const struct nfneg *n)
{
	struct xn_softc *sc = q->xq_sc;
	int error;

	KASSERT(q->xq_tx == NULL && q->xq_rx == NULL,
	    ("xn: queue %u allocated twice", q->xq_index));
	if (q->xq_txmtx.mtx_name == NULL) {
		mtx_init(&q->xq_txmtx, "xn tx", NULL, MTX_SPIN);
		mtx_init(&q->xq_rxmtx, "xn rx", NULL, MTX_SPIN);
	}
	q->xq_tx = malloc(sizeof(*q->xq_tx), M_XN, M_WAITOK | M_ZERO);
	q->xq_rx = malloc(sizeof(*q->xq_rx), M_XN, M_WAITOK | M_ZERO);
	q->xq_sendq = NULL;
	q->xq_sendq_tail = &q->xq_sendq;
	q->xq_sendq_len = 0;
	for (u_int i = 0; i < NF_TX_RING_SIZE; i++)
		q->xq_txid[i] = (struct xn_txid){ .bounce_pa = PHYS_NONE };
	for (u_int i = 0; i < NF_RX_RING_SIZE; i++)
		q->xq_rxpos[i].pa = PHYS_NONE;
	q->xq_nrxfree = 0;
	q->xq_rxpages = 0;
	if ((error = xn_ring_page(q, &q->xq_txs_pa, &q->xq_txs_ref,
	    &q->xq_txs_granted)) != 0 ||
	    (error = xn_ring_page(q, &q->xq_rxs_pa, &q->xq_rxs_ref,
	    &q->xq_rxs_granted)) != 0)
		goto fail;
	nftx_init(q->xq_tx, (netif_tx_sring_t *)PHYS_TO_DMAP(q->xq_txs_pa));
	nfrx_init(q->xq_rx, (netif_rx_sring_t *)PHYS_TO_DMAP(q->xq_rxs_pa));
	/* One reference per ring entry each way, set aside up front. */
	if ((error = gnttab_reserve(NF_TX_RING_SIZE, &q->xq_txpool)) != 0 ||
	    (error = gnttab_reserve(NF_RX_RING_SIZE, &q->xq_rxpool)) != 0)
		goto fail;
	for (u_int i = 0; i < NF_RX_RING_SIZE; i++) {
		vm_paddr_t pa = phys_alloc_contig(1, 0, DMAP_BOOT_SIZE);

		if (pa == PHYS_NONE) {
			error = ENOMEM;
			goto fail;
		}
		q->xq_rxfree[q->xq_nrxfree++] = pa;
		q->xq_rxpages++;
	}
	if (n->split) {
		error = evtchn_alloc_unbound(sc->sc_otherend, xn_intr_tx, q,
		    EVTCHN_BIND_LATE_EOI, &q->xq_txevt);
		if (error == 0)
			error = evtchn_alloc_unbound(sc->sc_otherend, xn_intr_rx,
			    q, EVTCHN_BIND_LATE_EOI, &q->xq_rxevt);
	} else
		error = evtchn_alloc_unbound(sc->sc_otherend, xn_intr_both, q,
		    EVTCHN_BIND_LATE_EOI, &q->xq_txevt);
	if (error != 0)
		goto fail;
	return (0);
fail:
	xn_queue_free(q);
	return (error);
}

/* Rx buffers posted, traffic allowed (the backend is Connected). */
void
xn_queue_start(struct xn_queue *q)
{
	mtx_lock_spin(&q->xq_rxmtx);
	q->xq_running = true;
	xn_rx_refill(q);
	mtx_unlock_spin(&q->xq_rxmtx);
	mtx_lock_spin(&q->xq_txmtx);
	q->xq_running = true;
	mtx_unlock_spin(&q->xq_txmtx);
	/* Anything netback published before we looked. */
	xn_rx_run(q);
	xn_tx_run(q);
}

void
xn_queue_stop(struct xn_queue *q)
{
	struct mbuf *fl = NULL;

	if (q->xq_txmtx.mtx_name == NULL)
		return;
	mtx_lock_spin(&q->xq_txmtx);
	q->xq_running = false;
	xn_sendq_flush(q, &fl);
	mtx_unlock_spin(&q->xq_txmtx);
	mtx_lock_spin(&q->xq_rxmtx);
	q->xq_running = false;
	mtx_unlock_spin(&q->xq_rxmtx);
	xn_freelist(fl);
}

/* A shared page's grant ended, or the page is left to the backend. */
static void
xn_ring_page_free(struct xn_softc *sc, vm_paddr_t *pap, grant_ref_t ref,
    bool *granted)
{
	if (*granted && gnttab_end_access(ref) != 0) {
		atomic_add_64(&sc->sc_drops.tx_busy, 1);
		*pap = PHYS_NONE;	/* still mapped: never reuse it */
	}
	*granted = false;
	if (*pap != PHYS_NONE)
		phys_free_contig(*pap, 1);
	*pap = PHYS_NONE;
}

void
xn_queue_free(struct xn_queue *q)
{
	struct xn_softc *sc = q->xq_sc;

	xn_queue_stop(q);
	/* No handler runs on q once its ports are gone. */
	if (q->xq_txevt != NULL)
		evtchn_unbind(&q->xq_txevt);
	if (q->xq_rxevt != NULL)
		evtchn_unbind(&q->xq_rxevt);
	/* Frames out on tx: their grants end (or are deferred), mbufs go. */
	for (u_int i = 0; q->xq_tx != NULL && i < NF_TX_RING_SIZE; i++) {
		struct xn_txid *t = &q->xq_txid[i];

		if (!xn_txid_end(t))
			q->xq_txid[i].busy = true;
	}
	for (u_int i = 0; q->xq_tx != NULL && i < NF_TX_RING_SIZE; i++) {
		struct xn_txid *t = &q->xq_txid[i];

		if (t->m != NULL || t->bounce_pa != PHYS_NONE)
			xn_tx_free_head(q, t);
	}
	/* Posted rx pages: a page whose grant is still held stays out. */
	for (u_int i = 0; i < NF_RX_RING_SIZE; i++) {
		struct xn_rxpos *rp = &q->xq_rxpos[i];

		if (rp->pa == PHYS_NONE)
			continue;
		if (gnttab_end_access(rp->ref) == 0)
			phys_free_contig(rp->pa, 1);
		else
			atomic_add_64(&sc->sc_drops.rx_busy, 1);
		rp->pa = PHYS_NONE;
	}
	while (q->xq_nrxfree > 0)
		phys_free_contig(q->xq_rxfree[--q->xq_nrxfree], 1);
	q->xq_rxpages = 0;
	if (q->xq_txpool != NULL)
		gnttab_unreserve(q->xq_txpool);
	if (q->xq_rxpool != NULL)
		gnttab_unreserve(q->xq_rxpool);
	q->xq_txpool = q->xq_rxpool = NULL;
	xn_ring_page_free(sc, &q->xq_txs_pa, q->xq_txs_ref, &q->xq_txs_granted);
	xn_ring_page_free(sc, &q->xq_rxs_pa, q->xq_rxs_ref, &q->xq_rxs_granted);
	if (q->xq_tx != NULL)
		free(q->xq_tx, M_XN);
	if (q->xq_rx != NULL)
		free(q->xq_rx, M_XN);
	q->xq_tx = NULL;
	q->xq_rx = NULL;
}
