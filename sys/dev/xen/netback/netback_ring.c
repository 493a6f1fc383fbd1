/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * netback's ring logic (see netback_ring.h): tx requests judged from one
 * copy, copy plans that never cross a page nor overrun a buffer, responses
 * built whole, checksum flags both ways.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/systm.h>

#include <dev/xen/netback/netback_ring.h>

/* An extra-info slot is read from the place of one tx request. */
CTASSERT(sizeof(struct netif_extra_info) <= sizeof(struct netif_tx_request));
CTASSERT(NB_TX_MAX_SLOTS < NB_TX_FATAL_SLOTS);
CTASSERT(NB_TX_LINEAR_MAX <= NB_PAGE_SIZE);

/* After a copy off the shared page, nothing may be read from it again. */
#define NB_BARRIER()	__asm__ __volatile__("" ::: "memory")

static const char *const fatal_names[NB_FATAL_NREASONS] = {
	[NB_OK] = "ok",
	[NB_FATAL_PROD] = "req_prod",
	[NB_FATAL_SLOTS] = "slots",
	[NB_FATAL_CROSS] = "cross_page",
	[NB_FATAL_EXTRA] = "extra",
};

static const char *const drop_names[NBTX_DROP_NREASONS] = {
	[NBTX_DROP_NONE] = "none",
	[NBTX_DROP_SLOTS] = "slots",
	[NBTX_DROP_SIZE] = "size",
	[NBTX_DROP_SHORT] = "short",
	[NBTX_DROP_GSO] = "gso",
};

const char *
nb_fatal_name(enum nb_fatal f)
{
	return ((u_int)f < NB_FATAL_NREASONS ? fatal_names[f] : "?");
}

const char *
nbtx_drop_name(enum nbtx_drop d)
{
	return ((u_int)d < NBTX_DROP_NREASONS ? drop_names[d] : "?");
}

/* ---- transmit (from the frontend) ---- */

void
nbtx_init(struct nbtx *r, netif_tx_sring_t *sring)
{
	memset(r, 0, sizeof(*r));
	BACK_RING_INIT(&r->br, sring, NB_PAGE_SIZE);
	r->nents = r->br.nr_ents;
	KASSERT(r->nents == NB_TX_RING_SIZE, ("nbtx: %u entries", r->nents));
}

static int
tx_fatal(struct nbtx *r, enum nb_fatal why, RING_IDX prod)
{
	r->dead = true;
	r->fatal = why;
	r->fatal_prod = prod;
	return (EPROTO);
}

static void
tx_copy(struct nbtx *r, RING_IDX idx, struct netif_tx_request *req)
{
	memcpy(req, RING_GET_REQUEST(&r->br, idx), sizeof(*req));
	NB_BARRIER();
}

static void
tx_drop(struct nbtx_pkt *p, enum nbtx_drop why)
{
	/* The first reason found is the one counted. */
	if (p->drop == NBTX_DROP_NONE)
		p->drop = why;
}

int
nbtx_next(struct nbtx *r, struct nbtx_pkt *p)
{
	struct netif_tx_request req;
	struct netif_extra_info x;
	RING_IDX prod, cons, idx;
	uint32_t left, rest;
	u_int seen = 0, nx = 0;
	bool more;

	if (r->dead)
		return (ENXIO);
	prod = __atomic_load_n(&r->br.sring->req_prod, __ATOMIC_ACQUIRE);
	cons = r->br.req_cons;
	if (prod - cons > r->nents)
		return (tx_fatal(r, NB_FATAL_PROD, prod));
	if (prod == cons)
		return (0);
	memset(p, 0, sizeof(*p));
	p->first = cons;
	idx = cons;

	tx_copy(r, idx++, &req);
	p->ids[p->nreqs++] = req.id;
	p->flags = req.flags;
	p->len = req.size;
	p->slots[0].gref = req.gref;
	p->slots[0].offset = req.offset;
	p->nslots = 1;
	more = (req.flags & NETTXF_more_data) != 0;

	/* Extras follow the first request, each may announce another. */
	bool xmore = (req.flags & NETTXF_extra_info) != 0;
	while (xmore) {
		if (idx == prod)
			return (0);	/* the rest is not published yet */
		tx_copy(r, idx++, &req);
		memcpy(&x, &req, sizeof(x));
		if (++nx > NB_TX_MAX_EXTRAS ||
		    x.type == XEN_NETIF_EXTRA_TYPE_NONE ||
		    x.type >= XEN_NETIF_EXTRA_TYPE_MAX ||
		    (seen & (1u << x.type)) != 0)
			return (tx_fatal(r, NB_FATAL_EXTRA, prod));
		seen |= 1u << x.type;
		/* No response id lives in an extra: Linux answers it NULL. */
		p->is_extra[p->nreqs] = true;
		p->ids[p->nreqs++] = 0;
		if (x.type == XEN_NETIF_EXTRA_TYPE_GSO)
			tx_drop(p, NBTX_DROP_GSO);
		xmore = (x.flags & XEN_NETIF_EXTRA_FLAG_MORE) != 0;
	}

	/* The fragments: their sizes come off what the first one claims. */
	left = p->len;
	rest = 0;
	while (more) {
		if (p->nslots >= NB_TX_FATAL_SLOTS)
			return (tx_fatal(r, NB_FATAL_SLOTS, prod));
		if (idx == prod)
			return (0);
		tx_copy(r, idx++, &req);
		if ((uint32_t)req.offset + req.size > NB_PAGE_SIZE)
			return (tx_fatal(r, NB_FATAL_CROSS, prod));
		p->ids[p->nreqs++] = req.id;
		p->slots[p->nslots].gref = req.gref;
		p->slots[p->nslots].offset = req.offset;
		p->slots[p->nslots].len = req.size;
		p->nslots++;
		if (req.size > left - rest)
			tx_drop(p, NBTX_DROP_SIZE);
		else
			rest += req.size;
		more = (req.flags & NETTXF_more_data) != 0;
	}
	if (p->nslots >= NB_TX_FATAL_SLOTS)
		return (tx_fatal(r, NB_FATAL_SLOTS, prod));
	/* The first slot holds what the others do not. */
	p->slots[0].len = (uint16_t)(p->drop == NBTX_DROP_SIZE ? 0 : left - rest);
	if ((uint32_t)p->slots[0].offset + p->slots[0].len > NB_PAGE_SIZE)
		return (tx_fatal(r, NB_FATAL_CROSS, prod));
	if (p->nslots > NB_TX_MAX_SLOTS)
		tx_drop(p, NBTX_DROP_SLOTS);
	if (p->len < NB_ETHER_HDR_LEN)
		tx_drop(p, NBTX_DROP_SHORT);

	KASSERT(idx - cons == p->nreqs, ("nbtx: %u requests, %u recorded",
	    idx - cons, p->nreqs));
	r->br.req_cons = idx;
	if (p->drop != NBTX_DROP_NONE)
		r->drops[p->drop]++;
	else
		r->packets++;
	return (1);
}

void
nbtx_respond(struct nbtx *r, const struct nbtx_pkt *p, int16_t status)
{
	struct netif_tx_response rsp;

	/* Answers never pass requests consumed: at most one per request. */
	KASSERT(r->br.req_cons - r->br.rsp_prod_pvt >= p->nreqs,
	    ("nbtx_respond: %u requests to answer, %u unanswered",
	    p->nreqs, r->br.req_cons - r->br.rsp_prod_pvt));
	for (u_int i = 0; i < p->nreqs; i++) {
		memset(&rsp, 0, sizeof(rsp));
		rsp.id = p->ids[i];
		rsp.status = p->is_extra[i] ? NETIF_RSP_NULL : status;
		memcpy(RING_GET_RESPONSE(&r->br, r->br.rsp_prod_pvt), &rsp,
		    sizeof(rsp));
		r->br.rsp_prod_pvt++;
	}
}

bool
nbtx_push(struct nbtx *r)
{
	bool notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&r->br, notify);
	return (notify);
}

bool
nbtx_final_check(struct nbtx *r)
{
	bool more;

	if (r->dead)
		return (false);
	RING_FINAL_CHECK_FOR_REQUESTS(&r->br, more);
	return (more);
}

u_int
nbtx_plan(const struct nbtx_pkt *p, u_int linear, struct nb_copy *ops,
    u_int *nbufsp)
{
	u_int n = 0, buf = 0, cap, dst = 0;

	KASSERT(p->drop == NBTX_DROP_NONE, ("nbtx_plan: dropped packet"));
	KASSERT(linear >= NB_ETHER_HDR_LEN && linear <= NB_TX_LINEAR_MAX,
	    ("nbtx_plan: linear %u", linear));
	cap = MIN(linear, p->len);
	for (u_int s = 0; s < p->nslots; s++) {
		uint32_t off = p->slots[s].offset, left = p->slots[s].len;

		while (left > 0) {
			uint32_t take;

			if (dst == cap) {
				/* Next buffer: a page for the rest. */
				buf++;
				dst = 0;
				cap = NB_PAGE_SIZE;
			}
			take = MIN(left, cap - dst);
			KASSERT(n < NB_TX_MAX_OPS && buf < NB_TX_MAX_BUFS,
			    ("nbtx_plan: %u ops, buffer %u", n, buf));
			KASSERT(off + take <= NB_PAGE_SIZE,
			    ("nbtx_plan: slot %u crosses its page", s));
			ops[n].slot = (uint16_t)s;
			ops[n].buf = (uint16_t)buf;
			ops[n].src_off = (uint16_t)off;
			ops[n].dst_off = (uint16_t)dst;
			ops[n].len = (uint16_t)take;
			n++;
			off += take;
			left -= take;
			dst += take;
		}
	}
	*nbufsp = p->len == 0 ? 0 : buf + 1;
	return (n);
}

/* ---- receive (to the frontend) ---- */

void
nbrx_init(struct nbrx *r, netif_rx_sring_t *sring)
{
	memset(r, 0, sizeof(*r));
	BACK_RING_INIT(&r->br, sring, NB_PAGE_SIZE);
	r->nents = r->br.nr_ents;
	KASSERT(r->nents == NB_RX_RING_SIZE, ("nbrx: %u entries", r->nents));
}

u_int
nbrx_avail(struct nbrx *r)
{
	RING_IDX prod;

	if (r->dead)
		return (0);
	prod = __atomic_load_n(&r->br.sring->req_prod, __ATOMIC_ACQUIRE);
	if (prod - r->br.req_cons > r->nents) {
		r->dead = true;
		r->fatal = NB_FATAL_PROD;
		r->fatal_prod = prod;
		return (0);
	}
	return (prod - r->br.req_cons);
}

u_int
nbrx_slots_for(uint32_t len, bool sg)
{
	u_int n = howmany(len, NB_PAGE_SIZE);

	if (len == 0 || n > NB_RX_MAX_SLOTS || (n > 1 && !sg))
		return (0);
	return (n);
}

bool
nbrx_take(struct nbrx *r, u_int n, struct nbrx_req *reqs, RING_IDX *firstp)
{
	struct netif_rx_request req;

	if (n == 0 || nbrx_avail(r) < n)
		return (false);
	*firstp = r->br.req_cons;
	for (u_int i = 0; i < n; i++) {
		memcpy(&req, RING_GET_REQUEST(&r->br, r->br.req_cons),
		    sizeof(req));
		NB_BARRIER();
		reqs[i].id = req.id;
		reqs[i].gref = req.gref;
		r->br.req_cons++;
	}
	return (true);
}

u_int
nbrx_plan(const struct nb_piece *pieces, u_int npieces, u_int nslots,
    struct nb_copy *ops, u_int maxops)
{
	u_int n = 0, slot = 0, dst = 0;

	for (u_int i = 0; i < npieces; i++) {
		uintptr_t a = pieces[i].addr;
		uint32_t left = pieces[i].len, off = 0;

		while (left > 0) {
			uint32_t take = MIN(left, NB_PAGE_SIZE -
			    (uint32_t)(a & NB_PAGE_MASK));

			if (dst == NB_PAGE_SIZE) {
				slot++;
				dst = 0;
			}
			if (slot >= nslots || n >= maxops)
				return (0);
			take = MIN(take, NB_PAGE_SIZE - dst);
			ops[n].slot = (uint16_t)slot;
			ops[n].buf = (uint16_t)i;
			ops[n].src_off = (uint16_t)off;
			ops[n].dst_off = (uint16_t)dst;
			ops[n].len = (uint16_t)take;
			n++;
			a += take;
			off += take;
			left -= take;
			dst += take;
		}
	}
	return (n);
}

void
nbrx_respond(struct nbrx *r, RING_IDX first, const struct nbrx_req *reqs,
    u_int n, uint32_t len, uint16_t flags, int16_t status)
{
	struct netif_rx_response rsp;
	uint32_t left = len;

	/* Each response in the slot of its request: Linux netfront's rule. */
	KASSERT(r->br.rsp_prod_pvt == first, ("nbrx_respond: at %u, taken at "
	    "%u", r->br.rsp_prod_pvt, first));
	KASSERT(len <= n * NB_PAGE_SIZE, ("nbrx_respond: %u bytes in %u slots",
	    len, n));
	for (u_int i = 0; i < n; i++) {
		uint32_t take = MIN(left, NB_PAGE_SIZE);

		memset(&rsp, 0, sizeof(rsp));
		rsp.id = reqs[i].id;
		rsp.offset = 0;
		rsp.flags = (i == 0 ? flags : 0) |
		    (i + 1 < n ? NETRXF_more_data : 0);
		rsp.status = status < 0 ? status : (int16_t)take;
		memcpy(RING_GET_RESPONSE(&r->br, r->br.rsp_prod_pvt), &rsp,
		    sizeof(rsp));
		r->br.rsp_prod_pvt++;
		left -= take;
	}
}

bool
nbrx_push(struct nbrx *r)
{
	bool notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&r->br, notify);
	return (notify);
}

bool
nbrx_final_check(struct nbrx *r)
{
	bool more;

	if (r->dead)
		return (false);
	RING_FINAL_CHECK_FOR_REQUESTS(&r->br, more);
	return (more);
}

/* ---- checksum flags ---- */

void
nb_tx_csum(uint16_t nettxf, uint32_t *csum_flags, uint32_t *csum_data)
{
	*csum_flags = 0;
	*csum_data = 0;
	if (nettxf & NETTXF_csum_blank)
		*csum_flags = CSUM_DELAY_DATA;
	else if (nettxf & NETTXF_data_validated) {
		*csum_flags = CSUM_L4_CALC | CSUM_L4_VALID | CSUM_DATA_VALID |
		    CSUM_PSEUDO_HDR;
		*csum_data = 0xffff;
	}
}

uint16_t
nb_rx_flags(uint32_t csum_flags, uint32_t csum_data, bool blank_ok)
{
	if (csum_flags & CSUM_DELAY_DATA)
		return (blank_ok ? NETRXF_csum_blank | NETRXF_data_validated :
		    0);
	if ((csum_flags & (CSUM_DATA_VALID | CSUM_PSEUDO_HDR)) ==
	    (CSUM_DATA_VALID | CSUM_PSEUDO_HDR) && csum_data == 0xffff)
		return (NETRXF_data_validated);
	return (0);
}
