/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * netfront's ring logic (see netfront_ring.h): tx slot planning and ids,
 * rx posting by position, response validation.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/xen/netfront/netfront_ring.h>
#include <xen/xen_ring_rsp.h>

/* Ids travel in 16-bit links; rx positions index posted[] with a mask. */
CTASSERT(NF_TX_RING_SIZE <= 0xffff && NF_RX_RING_SIZE <= 0xffff);
CTASSERT(powerof2(NF_RX_RING_SIZE));
/* An extra-info slot is read from the place of one rx response. */
CTASSERT(sizeof(struct netif_extra_info) <= sizeof(struct netif_rx_response));
/* head_left counts slots of one packet. */
CTASSERT(NF_TX_MAX_SLOTS < 256);

#define ID_NONE		0xffff

/* ---- transmit ---- */

int
nftx_plan(const struct nftx_buf *bufs, u_int nbufs, u_int hdrlen,
    u_int maxslots, struct nftx_slot *out, u_int *noutp, size_t *totalp)
{
	size_t total = 0;
	u_int n = 0;

	*noutp = 0;
	*totalp = 0;
	if (maxslots == 0 || maxslots > NF_TX_MAX_SLOTS)
		return (EINVAL);
	for (u_int i = 0; i < nbufs; i++) {
		uintptr_t a = bufs[i].addr;
		size_t left = bufs[i].len;

		if (left > XEN_NETIF_MAX_TX_SIZE ||
		    total + left > XEN_NETIF_MAX_TX_SIZE)
			return (EINVAL);
		total += left;
		while (left > 0) {
			size_t off = a & NF_PAGE_MASK;
			size_t take = MIN(left, NF_PAGE_SIZE - off);

			if (n == maxslots)
				return (E2BIG);
			out[n].page = a - off;
			out[n].gref = 0;
			out[n].offset = (uint16_t)off;
			out[n].len = (uint16_t)take;
			n++;
			a += take;
			left -= take;
		}
	}
	if (total == 0)
		return (EINVAL);
	if (out[0].len < MIN((size_t)MAX(hdrlen, NF_MIN_FRAME), total) ||
	    total < NF_MIN_FRAME)
		return (EMSGSIZE);
	*noutp = n;
	*totalp = total;
	return (0);
}

void
nftx_init(struct nftx *r, netif_tx_sring_t *sring)
{
	u_int n;

	memset(r, 0, sizeof(*r));
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&r->fr, sring, NF_PAGE_SIZE);
	n = r->fr.nr_ents;
	KASSERT(n == NF_TX_RING_SIZE, ("nftx: %u entries", n));
	r->nslots = n;
	for (u_int i = 0; i < n; i++)
		r->ids[i].next = (i + 1 < n) ? (uint16_t)(i + 1) : ID_NONE;
	r->free_head = 0;
	r->free_tail = (uint16_t)(n - 1);
	r->nfree = n;
	r->published = r->fr.req_prod_pvt;
}

u_int
nftx_free_slots(const struct nftx *r)
{
	return (r->dead ? 0 : r->nfree);
}

u_int
nftx_inflight(const struct nftx *r)
{
	return (r->nslots - r->nfree);
}

static uint16_t
id_get(struct nftx *r)
{
	uint16_t id = r->free_head;

	KASSERT(r->nfree > 0 && id != ID_NONE, ("nftx: no free id"));
	r->free_head = r->ids[id].next;
	if (r->free_head == ID_NONE)
		r->free_tail = ID_NONE;
	r->nfree--;
	r->ids[id].next = ID_NONE;
	return (id);
}

/* FIFO reuse: a just-answered id is the last handed out again. */
static void
id_put(struct nftx *r, uint16_t id)
{
	KASSERT(r->ids[id].state == NFTX_FREE, ("nftx: id %u freed in state %u",
	    id, r->ids[id].state));
	r->ids[id].next = ID_NONE;
	if (r->free_tail == ID_NONE)
		r->free_head = id;
	else
		r->ids[r->free_tail].next = id;
	r->free_tail = id;
	r->nfree++;
	KASSERT(r->nfree <= r->nslots, ("nftx: %u free of %u", r->nfree,
	    r->nslots));
}

int
nftx_queue(struct nftx *r, const struct nftx_slot *slots, u_int n,
    uint16_t flags, uint16_t *ids)
{
	struct netif_tx_request req;
	size_t total = 0;
	uint16_t head;

	if (r->dead)
		return (ENXIO);
	if (n == 0 || n > NF_TX_MAX_SLOTS ||
	    (flags & ~(NETTXF_csum_blank | NETTXF_data_validated)) != 0)
		return (EINVAL);
	for (u_int i = 0; i < n; i++) {
		if (slots[i].len == 0 ||
		    (u_int)slots[i].offset + slots[i].len > NF_PAGE_SIZE)
			return (EINVAL);
		total += slots[i].len;
	}
	if (total > XEN_NETIF_MAX_TX_SIZE || slots[0].len < NF_MIN_FRAME)
		return (EINVAL);
	if (r->nfree < n)
		return (EAGAIN);
	/* One id per entry: free ids mean free entries. */
	KASSERT(RING_FREE_REQUESTS(&r->fr) >= n,
	    ("nftx: %u entries free for %u ids", RING_FREE_REQUESTS(&r->fr),
	    r->nfree));
	head = r->free_head;
	for (u_int i = 0; i < n; i++) {
		uint16_t id = id_get(r);
		struct nftx_id *s = &r->ids[id];

		/* Zeroed whole, then written in one go from this copy. */
		memset(&req, 0, sizeof(req));
		req.gref = slots[i].gref;
		req.offset = slots[i].offset;
		req.id = id;
		if (i == 0) {
			req.flags = flags;
			req.size = (uint16_t)total;
		} else
			req.size = slots[i].len;
		if (i + 1 < n)
			req.flags |= NETTXF_more_data;
		memcpy(RING_GET_REQUEST(&r->fr, r->fr.req_prod_pvt), &req,
		    sizeof(req));
		r->fr.req_prod_pvt++;
		s->state = NFTX_QUEUED;
		s->head = head;
		r->queued[r->nqueued++] = id;
		ids[i] = id;
	}
	KASSERT(ids[0] == head, ("nftx: head %u first id %u", head, ids[0]));
	r->ids[head].head_left = (uint8_t)n;
	r->ids[head].head_status = NETIF_RSP_OKAY;
	return (0);
}

bool
nftx_push(struct nftx *r)
{
	bool notify;

	if (r->dead)
		return (false);
	/* From here the backend may answer them, and only them. */
	for (u_int i = 0; i < r->nqueued; i++) {
		KASSERT(r->ids[r->queued[i]].state == NFTX_QUEUED,
		    ("nftx: queued id %u in state %u", r->queued[i],
		    r->ids[r->queued[i]].state));
		r->ids[r->queued[i]].state = NFTX_INFLIGHT;
	}
	r->nqueued = 0;
	r->published = r->fr.req_prod_pvt;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&r->fr, notify);
	return (notify);
}

static int
tx_fail(struct nftx *r, enum nf_ring_error kind, uint32_t id, RING_IDX prod)
{
	r->dead = true;
	r->error_kind = kind;
	r->error_id = id;
	r->error_prod = prod;
	return (EPROTO);
}

static int
tx_complete(struct nftx *r, const struct netif_tx_response *rsp,
    struct nftx_done *d)
{
	struct nftx_id *s, *h;
	uint16_t id = rsp->id;

	if (id >= r->nslots)
		return (tx_fail(r, NF_RING_ERR_ID, id, 0));
	s = &r->ids[id];
	/* Free since init or answered already, or not yet published. */
	if (s->state != NFTX_INFLIGHT)
		return (tx_fail(r, NF_RING_ERR_NOTINFLIGHT, id, 0));
	h = &r->ids[s->head];
	KASSERT(h->head_left > 0, ("nftx: packet %u complete before id %u",
	    s->head, id));
	memset(d, 0, sizeof(*d));
	d->id = id;
	d->status = rsp->status;
	d->head = s->head;
	/* NULL answers an extra-info slot: not a failure. */
	if (rsp->status != NETIF_RSP_OKAY && rsp->status != NETIF_RSP_NULL &&
	    h->head_status == NETIF_RSP_OKAY)
		h->head_status = rsp->status;
	if (--h->head_left == 0) {
		d->pkt_done = true;
		d->pkt_status = h->head_status;
	}
	/*
	 * The head keeps the packet's count: answered before the rest, it
	 * is not handed out again until the packet completes.
	 */
	if (id == s->head && !d->pkt_done) {
		s->state = NFTX_ANSWERED;
		return (0);
	}
	s->state = NFTX_FREE;
	id_put(r, id);
	if (d->pkt_done && id != d->head) {
		KASSERT(h->state == NFTX_ANSWERED, ("nftx: head %u in state %u",
		    d->head, h->state));
		h->state = NFTX_FREE;
		id_put(r, d->head);
	}
	return (0);
}

struct tx_consume {
	struct nftx	*r;
	nftx_done_fn	*done;
	void		*arg;
};

static int
tx_one(void *arg, const void *rsp)
{
	struct tx_consume *c = arg;
	struct nftx_done d;
	int error;

	if ((error = tx_complete(c->r, rsp, &d)) != 0)
		return (error);
	c->done(c->arg, &d);
	return (c->r->dead ? ENXIO : 0);
}

int
nftx_consume(struct nftx *r, nftx_done_fn *done, void *arg)
{
	struct xen_ring_rsp rr;
	struct netif_tx_response rsp;
	struct tx_consume c = { r, done, arg };
	RING_IDX prod;
	int error;

	if (r->dead)
		return (ENXIO);
	XEN_RING_RSP_INIT(&rr, &r->fr, r->published);
	error = xen_ring_consume(&rr, &rsp, sizeof(rsp), tx_one, &c, &prod);
	if (error == XEN_RING_BADPROD)
		return (tx_fail(r, NF_RING_ERR_PROD, 0, prod));
	return (error);
}

/* ---- receive ---- */

static const char *const nfrx_drop_names[NFRX_DROP_NREASONS] = {
	[NFRX_OK] = "ok",
	[NFRX_DROP_ID] = "bad-id",
	[NFRX_DROP_BOUNDS] = "bad-offset-size",
	[NFRX_DROP_STATUS] = "error-status",
	[NFRX_DROP_SHORT] = "short",
	[NFRX_DROP_TOOMANY] = "too-many-slots",
	[NFRX_DROP_TRUNC] = "truncated-chain",
	[NFRX_DROP_EXTRA] = "bad-extra",
};

const char *
nfrx_drop_name(enum nfrx_drop d)
{
	return ((u_int)d < NFRX_DROP_NREASONS ? nfrx_drop_names[d] : "?");
}

void
nfrx_init(struct nfrx *r, netif_rx_sring_t *sring)
{
	memset(r, 0, sizeof(*r));
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&r->fr, sring, NF_PAGE_SIZE);
	KASSERT(r->fr.nr_ents == NF_RX_RING_SIZE, ("nfrx: %u entries",
	    r->fr.nr_ents));
	r->nslots = r->fr.nr_ents;
	r->published = r->fr.req_prod_pvt;
}

u_int
nfrx_posted(const struct nfrx *r)
{
	return (r->fr.req_prod_pvt - r->fr.rsp_cons);
}

u_int
nfrx_space(const struct nfrx *r)
{
	return (r->dead ? 0 : r->nslots - nfrx_posted(r));
}

int
nfrx_post(struct nfrx *r, grant_ref_t gref, uint16_t *posp)
{
	struct netif_rx_request req;
	uint16_t pos;

	if (r->dead)
		return (ENXIO);
	if (nfrx_posted(r) >= r->nslots)
		return (EAGAIN);
	pos = (uint16_t)(r->fr.req_prod_pvt & (r->nslots - 1));
	KASSERT(!r->posted[pos], ("nfrx: position %u posted twice", pos));
	memset(&req, 0, sizeof(req));
	req.id = pos;
	req.gref = gref;
	memcpy(RING_GET_REQUEST(&r->fr, r->fr.req_prod_pvt), &req, sizeof(req));
	r->fr.req_prod_pvt++;
	r->posted[pos] = true;
	*posp = pos;
	return (0);
}

bool
nfrx_push(struct nfrx *r)
{
	bool notify;

	if (r->dead)
		return (false);
	r->published = r->fr.req_prod_pvt;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&r->fr, notify);
	return (notify);
}

/* The copy of the response at cons, its position handed back. */
static void
rx_take(struct nfrx *r, RING_IDX cons, struct netif_rx_response *rsp,
    uint16_t *posp)
{
	uint16_t pos = (uint16_t)(cons & (r->nslots - 1));

	KASSERT(r->posted[pos], ("nfrx: response at unposted position %u",
	    pos));
	RING_COPY_RESPONSE(&r->fr, cons, rsp);
	r->posted[pos] = false;
	*posp = pos;
}

static void
rx_drop(struct nfrx_pkt *p, enum nfrx_drop why)
{
	if (p->drop == NFRX_OK)
		p->drop = why;
}

/*
 * Extra-info slots follow a response flagged NETRXF_extra_info; each may
 * flag another.  Consumes them (bounded by prod); returns the next index.
 */
static RING_IDX
rx_extras(struct nfrx *r, RING_IDX cons, RING_IDX prod, struct nfrx_pkt *p)
{
	struct netif_rx_response rsp;
	struct netif_extra_info x;
	u_int seen = 0, nx = 0;
	bool more = true;
	uint16_t pos;

	while (more) {
		if (cons == prod) {
			rx_drop(p, NFRX_DROP_TRUNC);
			break;
		}
		rx_take(r, cons, &rsp, &pos);
		cons++;
		p->nslots++;
		memcpy(&x, &rsp, sizeof(x));
		more = (x.flags & XEN_NETIF_EXTRA_FLAG_MORE) != 0;
		/* One of each type at most, and only types that exist. */
		if (++nx > NF_RX_MAX_EXTRAS || x.type == XEN_NETIF_EXTRA_TYPE_NONE ||
		    x.type >= XEN_NETIF_EXTRA_TYPE_MAX ||
		    (seen & (1u << x.type)) != 0) {
			rx_drop(p, NFRX_DROP_EXTRA);
			continue;
		}
		seen |= 1u << x.type;
		if (x.type == XEN_NETIF_EXTRA_TYPE_GSO)
			p->gso_size = x.u.gso.size;
	}
	return (cons);
}

int
nfrx_next(struct nfrx *r, struct nfrx_pkt *p)
{
	struct netif_rx_response rsp;
	RING_IDX prod, cons;
	uint16_t pos;
	bool more;

	if (r->dead)
		return (ENXIO);
	prod = __atomic_load_n(&r->fr.sring->rsp_prod, __ATOMIC_ACQUIRE);
	cons = r->fr.rsp_cons;
	/* At most one response per posted buffer (a producer behind wraps). */
	if (prod - cons > r->published - cons) {
		r->dead = true;
		r->error_kind = NF_RING_ERR_PROD;
		r->error_prod = prod;
		return (EPROTO);
	}
	if (prod == cons)
		return (0);
	memset(p, 0, sizeof(*p));
	p->first = cons;
	do {
		u_int nslots_before = p->nslots;

		if (cons == prod) {
			rx_drop(p, NFRX_DROP_TRUNC);
			break;
		}
		rx_take(r, cons, &rsp, &pos);
		cons++;
		p->nslots++;
		more = (rsp.flags & NETRXF_more_data) != 0;
		if (nslots_before == 0)
			p->flags = rsp.flags;
		if (rsp.id != pos)
			rx_drop(p, NFRX_DROP_ID);
		else if (rsp.status < 0)
			rx_drop(p, NFRX_DROP_STATUS);
		else if ((u_int)rsp.offset + (u_int)rsp.status > NF_PAGE_SIZE)
			rx_drop(p, NFRX_DROP_BOUNDS);
		else if (nslots_before == 0 && rsp.status < NF_MIN_FRAME)
			rx_drop(p, NFRX_DROP_SHORT);
		else if (rsp.status > 0) {
			if (p->nfrags == NF_RX_MAX_SLOTS)
				rx_drop(p, NFRX_DROP_TOOMANY);
			else {
				p->frags[p->nfrags].pos = pos;
				p->frags[p->nfrags].offset = rsp.offset;
				p->frags[p->nfrags].len = (uint16_t)rsp.status;
				p->nfrags++;
				p->len += (uint32_t)rsp.status;
			}
		}
		if ((rsp.flags & NETRXF_extra_info) != 0) {
			/* Only the first response may carry extras. */
			if (nslots_before != 0)
				rx_drop(p, NFRX_DROP_EXTRA);
			cons = rx_extras(r, cons, prod, p);
		}
	} while (more);
	r->fr.rsp_cons = cons;
	if (p->drop != NFRX_OK) {
		p->nfrags = 0;
		p->len = 0;
	}
	KASSERT(p->nslots == cons - p->first, ("nfrx: %u slots over %u",
	    p->nslots, cons - p->first));
	return (1);
}

bool
nfrx_final_check(struct nfrx *r)
{
	if (r->dead)
		return (false);
	r->fr.sring->rsp_event = r->fr.rsp_cons + 1;
	xen_mb();
	return (__atomic_load_n(&r->fr.sring->rsp_prod, __ATOMIC_ACQUIRE) !=
	    r->fr.rsp_cons);
}
