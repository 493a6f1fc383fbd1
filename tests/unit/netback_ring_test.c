/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * netback's ring logic (sys/dev/xen/netback/netback_ring.c) hosted: the
 * test plays a frontend writing tx requests and posting rx buffers on
 * real ring pages.  Every slot rule has a case (18 slots pass, 19 drop, 20
 * or more are fatal, a slot across its page is fatal, a packet shorter
 * than an Ethernet header drops, fragments past the packet drop, extras
 * checked, req_prod past the ring is fatal), and the copy plans are
 * replayed byte by byte against the packet the test built.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/systm.h>

#include <dev/xen/netback/netback_ring.h>

#include "kunit.h"

static char txpage[NB_PAGE_SIZE] __aligned(NB_PAGE_SIZE);
static char rxpage[NB_PAGE_SIZE] __aligned(NB_PAGE_SIZE);
static netif_tx_sring_t *ts;
static netif_rx_sring_t *rs;
static struct nbtx tx;
static struct nbrx rx;
static RING_IDX fprod;		/* the frontend's next request */

static void
setup(void)
{
	memset(txpage, 0xa5, sizeof(txpage));
	memset(rxpage, 0xa5, sizeof(rxpage));
	ts = (netif_tx_sring_t *)txpage;
	rs = (netif_rx_sring_t *)rxpage;
	SHARED_RING_INIT(ts);
	SHARED_RING_INIT(rs);
	nbtx_init(&tx, ts);
	nbrx_init(&rx, rs);
	fprod = 0;
}

static void
put_req(uint16_t id, grant_ref_t gref, uint16_t off, uint16_t size,
    uint16_t flags)
{
	netif_tx_request_t *q = &ts->ring[fprod % NB_TX_RING_SIZE].req;

	q->id = id;
	q->gref = gref;
	q->offset = off;
	q->size = size;
	q->flags = flags;
	fprod++;
}

static void
put_extra(uint8_t type, uint8_t flags)
{
	struct netif_extra_info x;

	memset(&x, 0, sizeof(x));
	x.type = type;
	x.flags = flags;
	memcpy(&ts->ring[fprod % NB_TX_RING_SIZE].req, &x, sizeof(x));
	fprod++;
}

static void
publish(void)
{
	ts->req_prod = fprod;
}

/* A packet of n slots of each bytes (the first slot: first bytes). */
static void
put_pkt(uint16_t id0, u_int n, uint16_t first, uint16_t each)
{
	put_req(id0, 100, 0, (uint16_t)(first + (n - 1) * each),
	    n > 1 ? NETTXF_more_data : 0);
	for (u_int i = 1; i < n; i++)
		put_req((uint16_t)(id0 + i), 100 + i, 0, each,
		    i + 1 < n ? NETTXF_more_data : 0);
	publish();
}

static netif_tx_response_t *
rsp_at(RING_IDX i)
{
	return (&ts->ring[i % NB_TX_RING_SIZE].rsp);
}

KUNIT_TEST(nbtx_single_slot)
{
	struct nbtx_pkt p;
	struct nb_copy ops[NB_TX_MAX_OPS];
	u_int nbufs, n;

	setup();
	KU_ASSERT(nbtx_next(&tx, &p) == 0, "empty ring gave a packet");
	put_req(7, 33, 100, 60, NETTXF_csum_blank);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == 1, "no packet");
	KU_ASSERT(p.drop == NBTX_DROP_NONE && p.nslots == 1 && p.nreqs == 1 &&
	    p.len == 60 && p.slots[0].gref == 33 && p.slots[0].offset == 100 &&
	    p.slots[0].len == 60 && p.flags == NETTXF_csum_blank,
	    "drop %d nslots %u len %u", p.drop, p.nslots, p.len);
	n = nbtx_plan(&p, 128, ops, &nbufs);
	KU_ASSERT(n == 1 && nbufs == 1 && ops[0].buf == 0 &&
	    ops[0].src_off == 100 && ops[0].len == 60, "plan %u ops %u bufs",
	    n, nbufs);
	nbtx_respond(&tx, &p, NETIF_RSP_OKAY);
	KU_ASSERT(nbtx_push(&tx) || true, "push");
	KU_ASSERT(ts->rsp_prod == 1 && rsp_at(0)->id == 7 &&
	    rsp_at(0)->status == NETIF_RSP_OKAY, "response id %u status %d",
	    rsp_at(0)->id, rsp_at(0)->status);
	KU_ASSERT(nbtx_next(&tx, &p) == 0, "second packet from nowhere");
}

/* Replays a plan: slot bytes are (slot * 31 + offset), buffers flat. */
static void
replay(const struct nbtx_pkt *p, u_int linear)
{
	static uint8_t bufs[NB_TX_MAX_BUFS][NB_PAGE_SIZE], flat[70000];
	static uint8_t want[70000];
	struct nb_copy ops[NB_TX_MAX_OPS];
	u_int nbufs, n, w = 0, cap0;

	for (u_int s = 0; s < p->nslots; s++) {
		for (u_int b = 0; b < p->slots[s].len; b++)
			want[w++] = (uint8_t)(s * 31 + p->slots[s].offset + b);
	}
	KU_ASSERT(w == p->len, "slots hold %u bytes, packet %u", w, p->len);
	memset(bufs, 0, sizeof(bufs));
	n = nbtx_plan(p, linear, ops, &nbufs);
	KU_ASSERT(n <= NB_TX_MAX_OPS && nbufs <= NB_TX_MAX_BUFS, "%u ops %u "
	    "bufs", n, nbufs);
	cap0 = MIN(linear, p->len);
	for (u_int i = 0; i < n; i++) {
		u_int cap = ops[i].buf == 0 ? cap0 : NB_PAGE_SIZE;

		KU_ASSERT(ops[i].slot < p->nslots, "op %u: slot %u", i,
		    ops[i].slot);
		KU_ASSERT(ops[i].len > 0, "op %u empty", i);
		KU_ASSERT((u_int)ops[i].src_off + ops[i].len <= NB_PAGE_SIZE,
		    "op %u crosses the source page", i);
		KU_ASSERT((u_int)ops[i].dst_off + ops[i].len <= cap,
		    "op %u overruns buffer %u (%u + %u > %u)", i, ops[i].buf,
		    ops[i].dst_off, ops[i].len, cap);
		KU_ASSERT(ops[i].buf < nbufs, "op %u: buffer %u of %u", i,
		    ops[i].buf, nbufs);
		for (u_int b = 0; b < ops[i].len; b++)
			bufs[ops[i].buf][ops[i].dst_off + b] = (uint8_t)(ops[i].slot *
			    31 + ops[i].src_off + b);
	}
	/* Buffers in order: the linear one full, then pages. */
	w = 0;
	for (u_int b = 0; b < nbufs; b++) {
		u_int k = MIN(b == 0 ? cap0 : NB_PAGE_SIZE, p->len - w);

		memcpy(flat + w, bufs[b], k);
		w += k;
	}
	KU_ASSERT(w == p->len && memcmp(flat, want, w) == 0,
	    "replayed packet differs (%u of %u bytes)", w, p->len);
}

KUNIT_TEST(nbtx_headers_split_into_linear)
{
	struct nbtx_pkt p;
	struct nb_copy ops[NB_TX_MAX_OPS];
	u_int nbufs, n;

	setup();
	/* XSA-423: 10 bytes in the first slot, headers go on in the next. */
	put_req(1, 10, 4086, 1500, NETTXF_more_data);
	put_req(2, 11, 0, 30, NETTXF_more_data);
	put_req(3, 12, 0, 1460, 0);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == 1 && p.drop == NBTX_DROP_NONE,
	    "split headers refused (drop %d)", p.drop);
	KU_ASSERT(p.slots[0].len == 10 && p.nslots == 3, "first slot %u",
	    p.slots[0].len);
	n = nbtx_plan(&p, 128, ops, &nbufs);
	KU_ASSERT(n >= 3 && ops[0].buf == 0 && ops[1].buf == 0 &&
	    ops[2].buf == 0 && ops[0].len + ops[1].len + ops[2].len == 128,
	    "the first 128 bytes are not all in the linear buffer");
	replay(&p, 128);
	replay(&p, NB_ETHER_HDR_LEN);
	replay(&p, NB_TX_LINEAR_MAX);
}

KUNIT_TEST(nbtx_18_slots_pass)
{
	struct nbtx_pkt p;

	setup();
	put_pkt(10, 18, 1000, 3000);
	KU_ASSERT(nbtx_next(&tx, &p) == 1 && p.drop == NBTX_DROP_NONE &&
	    p.nslots == 18 && p.len == 1000 + 17 * 3000, "18 slots: drop %d "
	    "nslots %u", p.drop, p.nslots);
	replay(&p, 128);
	nbtx_respond(&tx, &p, NETIF_RSP_OKAY);
	for (u_int i = 0; i < 18; i++)
		KU_ASSERT(rsp_at(i)->id == 10 + i, "response %u id %u", i,
		    rsp_at(i)->id);
}

KUNIT_TEST(nbtx_19_slots_dropped)
{
	struct nbtx_pkt p;

	setup();
	put_pkt(0, 19, 100, 100);
	put_pkt(50, 1, 60, 0);
	KU_ASSERT(nbtx_next(&tx, &p) == 1 && p.drop == NBTX_DROP_SLOTS &&
	    p.nreqs == 19, "19 slots: drop %d nreqs %u", p.drop, p.nreqs);
	nbtx_respond(&tx, &p, NETIF_RSP_ERROR);
	for (u_int i = 0; i < 19; i++)
		KU_ASSERT(rsp_at(i)->id == i && rsp_at(i)->status ==
		    NETIF_RSP_ERROR, "response %u: id %u status %d", i,
		    rsp_at(i)->id, rsp_at(i)->status);
	/* The vif lives on: the next packet is taken. */
	KU_ASSERT(nbtx_next(&tx, &p) == 1 && p.drop == NBTX_DROP_NONE &&
	    p.ids[0] == 50, "packet after the dropped one lost");
	KU_ASSERT(tx.drops[NBTX_DROP_SLOTS] == 1 && !tx.dead, "drops %ju",
	    (uintmax_t)tx.drops[NBTX_DROP_SLOTS]);
}

KUNIT_TEST(nbtx_20_slots_fatal)
{
	struct nbtx_pkt p;

	for (u_int n = 20; n <= 40; n += 20) {
		setup();
		put_pkt(0, n, 100, 100);
		KU_ASSERT(nbtx_next(&tx, &p) == EPROTO && tx.dead &&
		    tx.fatal == NB_FATAL_SLOTS, "%u slots not fatal (%s)", n,
		    nb_fatal_name(tx.fatal));
		KU_ASSERT(nbtx_next(&tx, &p) == ENXIO, "dead ring consumed");
		KU_ASSERT(tx.br.req_cons == 0 && ts->rsp_prod == 0,
		    "a fatal packet was consumed or answered");
	}
	/* Still fatal when only 20 of them are published so far. */
	setup();
	put_pkt(0, 19, 100, 100);
	ts->ring[18].req.flags |= NETTXF_more_data;
	put_req(19, 1, 0, 100, NETTXF_more_data);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == EPROTO && tx.fatal == NB_FATAL_SLOTS,
	    "20 slots with more to come not fatal");
}

KUNIT_TEST(nbtx_cross_page_fatal)
{
	struct nbtx_pkt p;

	/* A fragment. */
	setup();
	put_req(1, 1, 0, 300, NETTXF_more_data);
	put_req(2, 2, 4000, 200, 0);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == EPROTO && tx.fatal == NB_FATAL_CROSS,
	    "fragment across its page not fatal");
	/* The first slot (its own share is what the others leave). */
	setup();
	put_req(1, 1, 4000, 300, NETTXF_more_data);
	put_req(2, 2, 0, 100, 0);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == EPROTO && tx.fatal == NB_FATAL_CROSS,
	    "first slot across its page not fatal");
	/* Exactly to the end of the page is fine. */
	setup();
	put_req(1, 1, 3996, 200, NETTXF_more_data);
	put_req(2, 2, 3900, 100, 0);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == 1 && p.drop == NBTX_DROP_NONE,
	    "slots ending at the page end refused");
	replay(&p, 64);
}

KUNIT_TEST(nbtx_short_dropped)
{
	struct nbtx_pkt p;

	setup();
	put_req(1, 1, 0, 13, 0);
	put_req(2, 1, 0, 14, 0);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == 1 && p.drop == NBTX_DROP_SHORT,
	    "13-byte packet: drop %d", p.drop);
	nbtx_respond(&tx, &p, NETIF_RSP_ERROR);
	KU_ASSERT(nbtx_next(&tx, &p) == 1 && p.drop == NBTX_DROP_NONE,
	    "14-byte packet dropped");
	nbtx_respond(&tx, &p, NETIF_RSP_OKAY);
	KU_ASSERT(rsp_at(0)->status == NETIF_RSP_ERROR &&
	    rsp_at(1)->status == NETIF_RSP_OKAY, "statuses %d %d",
	    rsp_at(0)->status, rsp_at(1)->status);
}

KUNIT_TEST(nbtx_fragments_past_packet_dropped)
{
	struct nbtx_pkt p;

	setup();
	/* Packet says 200 bytes; fragments bring 150 + 100. */
	put_req(1, 1, 0, 200, NETTXF_more_data);
	put_req(2, 2, 0, 150, NETTXF_more_data);
	put_req(3, 3, 0, 100, 0);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == 1 && p.drop == NBTX_DROP_SIZE &&
	    p.nreqs == 3, "oversized fragments: drop %d", p.drop);
	/* Fragments exactly filling it leave the first slot empty: fine. */
	setup();
	put_req(1, 1, 0, 250, NETTXF_more_data);
	put_req(2, 2, 0, 150, NETTXF_more_data);
	put_req(3, 3, 0, 100, 0);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == 1 && p.drop == NBTX_DROP_NONE &&
	    p.slots[0].len == 0, "exact fragments: drop %d first %u", p.drop,
	    p.slots[0].len);
	replay(&p, 128);
}

KUNIT_TEST(nbtx_prod_past_ring_fatal)
{
	struct nbtx_pkt p;

	setup();
	ts->req_prod = NB_TX_RING_SIZE + 1;
	KU_ASSERT(nbtx_next(&tx, &p) == EPROTO && tx.fatal == NB_FATAL_PROD,
	    "req_prod past the ring not fatal");
	/* A whole ring is allowed (a full ring of one-slot packets). */
	setup();
	for (u_int i = 0; i < NB_TX_RING_SIZE; i++)
		put_req((uint16_t)i, 1, 0, 60, 0);
	publish();
	for (u_int i = 0; i < NB_TX_RING_SIZE; i++) {
		KU_ASSERT(nbtx_next(&tx, &p) == 1, "packet %u of a full ring",
		    i);
		nbtx_respond(&tx, &p, NETIF_RSP_OKAY);
	}
	/* Behind us (an index gone backwards) is past the ring too. */
	ts->req_prod = fprod - 1;
	KU_ASSERT(nbtx_next(&tx, &p) == EPROTO && tx.fatal == NB_FATAL_PROD,
	    "req_prod gone backwards not fatal");
}

KUNIT_TEST(nbtx_incomplete_waits)
{
	struct nbtx_pkt p;

	setup();
	put_req(1, 1, 0, 300, NETTXF_more_data);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == 0 && tx.br.req_cons == 0,
	    "half a packet consumed");
	put_req(2, 2, 0, 100, 0);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == 1 && p.nslots == 2 &&
	    p.slots[0].len == 200, "completed packet: %u slots", p.nslots);
	/* Extras announced and not yet published: wait as well. */
	put_req(3, 3, 0, 60, NETTXF_extra_info);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == 0, "packet without its extra taken");
}

KUNIT_TEST(nbtx_extras)
{
	struct nbtx_pkt p;

	/* A multicast extra is answered NULL in its own slot. */
	setup();
	put_req(5, 1, 0, 60, NETTXF_extra_info | NETTXF_more_data);
	put_extra(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0);
	put_req(6, 2, 0, 10, 0);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == 1 && p.drop == NBTX_DROP_NONE &&
	    p.nreqs == 3 && p.nslots == 2, "mcast extra: drop %d nreqs %u",
	    p.drop, p.nreqs);
	nbtx_respond(&tx, &p, NETIF_RSP_OKAY);
	KU_ASSERT(rsp_at(0)->id == 5 && rsp_at(0)->status == NETIF_RSP_OKAY &&
	    rsp_at(1)->status == NETIF_RSP_NULL && rsp_at(2)->id == 6 &&
	    rsp_at(2)->status == NETIF_RSP_OKAY, "responses %u/%d %d %u/%d",
	    rsp_at(0)->id, rsp_at(0)->status, rsp_at(1)->status,
	    rsp_at(2)->id, rsp_at(2)->status);
	/* GSO (not offered): dropped. */
	setup();
	put_req(5, 1, 0, 60, NETTXF_extra_info);
	put_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == 1 && p.drop == NBTX_DROP_GSO,
	    "GSO extra: drop %d", p.drop);
	/* Unknown type, none, and the same type twice: fatal. */
	static const uint8_t bad[][2] = {
		{ XEN_NETIF_EXTRA_TYPE_MAX, 0 },
		{ XEN_NETIF_EXTRA_TYPE_NONE, 0 },
		{ XEN_NETIF_EXTRA_TYPE_MCAST_ADD, XEN_NETIF_EXTRA_TYPE_MCAST_ADD },
	};
	for (u_int i = 0; i < nitems(bad); i++) {
		setup();
		put_req(5, 1, 0, 60, NETTXF_extra_info);
		put_extra(bad[i][0], bad[i][1] ? XEN_NETIF_EXTRA_FLAG_MORE : 0);
		if (bad[i][1])
			put_extra(bad[i][1], 0);
		publish();
		KU_ASSERT(nbtx_next(&tx, &p) == EPROTO &&
		    tx.fatal == NB_FATAL_EXTRA, "bad extra %u not fatal", i);
	}
	/* A chain of extras longer than the types there are: fatal. */
	setup();
	put_req(5, 1, 0, 60, NETTXF_extra_info);
	for (u_int i = 0; i < 6; i++)
		put_extra((uint8_t)(1 + i % 4), XEN_NETIF_EXTRA_FLAG_MORE);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == EPROTO, "endless extras not fatal");
}

KUNIT_TEST(nbtx_copy_is_the_judge)
{
	struct nbtx_pkt p;

	setup();
	put_req(1, 1, 0, 1000, 0);
	publish();
	KU_ASSERT(nbtx_next(&tx, &p) == 1, "no packet");
	/* The frontend rewrites the slot after we took it: nothing changes. */
	ts->ring[0].req.size = 60000;
	ts->ring[0].req.offset = 4095;
	KU_ASSERT(p.len == 1000 && p.slots[0].offset == 0 &&
	    p.slots[0].len == 1000, "packet follows the shared page");
	replay(&p, 128);
}

KUNIT_TEST(nbtx_plan_random)
{
	struct nbtx_pkt p;
	uint32_t seed = 12345;

	/* Random good layouts: every plan replays to the packet. */
	for (u_int iter = 0; iter < 2000; iter++) {
		u_int n, len = 0;

		memset(&p, 0, sizeof(p));
		seed = seed * 1103515245 + 12345;
		n = 1 + (seed >> 16) % NB_TX_MAX_SLOTS;
		p.nslots = n;
		for (u_int s = 0; s < n; s++) {
			seed = seed * 1103515245 + 12345;
			p.slots[s].offset = (uint16_t)((seed >> 8) % NB_PAGE_SIZE);
			seed = seed * 1103515245 + 12345;
			u_int room = NB_PAGE_SIZE - p.slots[s].offset;
			u_int l = (seed >> 8) % (room + 1);

			if (len + l > XEN_NETIF_MAX_TX_SIZE)
				l = XEN_NETIF_MAX_TX_SIZE - len;
			p.slots[s].len = (uint16_t)l;
			len += l;
		}
		if (len < NB_ETHER_HDR_LEN)
			continue;
		p.len = len;
		seed = seed * 1103515245 + 12345;
		replay(&p, NB_ETHER_HDR_LEN + (seed >> 8) % (NB_TX_LINEAR_MAX -
		    NB_ETHER_HDR_LEN + 1));
	}
}

/* ---- receive ---- */

static void
post(u_int n)
{
	for (u_int i = 0; i < n; i++) {
		netif_rx_request_t *q = &rs->ring[(rs->req_prod + i) %
		    NB_RX_RING_SIZE].req;

		q->id = (uint16_t)(1000 + rs->req_prod + i);
		q->gref = 500 + rs->req_prod + i;
	}
	rs->req_prod += n;
}

KUNIT_TEST(nbrx_take_and_respond)
{
	struct nbrx_req reqs[NB_RX_MAX_SLOTS];
	RING_IDX first;

	setup();
	KU_ASSERT(nbrx_avail(&rx) == 0, "buffers from nowhere");
	post(5);
	KU_ASSERT(nbrx_avail(&rx) == 5, "avail %u", nbrx_avail(&rx));
	KU_ASSERT(!nbrx_take(&rx, 6, reqs, &first), "took more than posted");
	KU_ASSERT(nbrx_take(&rx, 1, reqs, &first) && first == 0 &&
	    reqs[0].id == 1000 && reqs[0].gref == 500, "take 1");
	nbrx_respond(&rx, first, reqs, 1, 60, NETRXF_data_validated, 0);
	KU_ASSERT(nbrx_take(&rx, 3, reqs, &first) && first == 1, "take 3");
	nbrx_respond(&rx, first, reqs, 3, 9000, NETRXF_csum_blank, 0);
	nbrx_push(&rx);
	KU_ASSERT(rs->rsp_prod == 4, "rsp_prod %u", rs->rsp_prod);
	netif_rx_response_t *r0 = &rs->ring[0].rsp;
	KU_ASSERT(r0->id == 1000 && r0->status == 60 && r0->offset == 0 &&
	    r0->flags == NETRXF_data_validated, "first response");
	/* Each response in the slot of its request, sizes 4096 4096 808. */
	static const int16_t sz[3] = { 4096, 4096, 808 };
	for (u_int i = 0; i < 3; i++) {
		netif_rx_response_t *r = &rs->ring[1 + i].rsp;

		KU_ASSERT(r->id == 1001 + i && r->status == sz[i] &&
		    r->offset == 0, "slot %u: id %u status %d", 1 + i, r->id,
		    r->status);
		KU_ASSERT(!!(r->flags & NETRXF_more_data) == (i < 2) &&
		    !!(r->flags & NETRXF_csum_blank) == (i == 0),
		    "slot %u flags %#x", 1 + i, r->flags);
	}
}

KUNIT_TEST(nbrx_prod_past_ring_fatal)
{
	setup();
	rs->req_prod = NB_RX_RING_SIZE + 1;
	KU_ASSERT(nbrx_avail(&rx) == 0 && rx.dead &&
	    rx.fatal == NB_FATAL_PROD, "rx req_prod past the ring not fatal");
	setup();
	rs->req_prod = NB_RX_RING_SIZE;
	KU_ASSERT(nbrx_avail(&rx) == NB_RX_RING_SIZE && !rx.dead,
	    "a full ring refused");
}

KUNIT_TEST(nbrx_slots_and_plan)
{
	static uint8_t src[3 * NB_PAGE_SIZE] __aligned(NB_PAGE_SIZE);
	static uint8_t dst[4][NB_PAGE_SIZE];
	struct nb_copy ops[64];
	struct nb_piece pc[3];
	u_int n, w;

	KU_ASSERT(nbrx_slots_for(0, true) == 0 && nbrx_slots_for(1, false) == 1 &&
	    nbrx_slots_for(4096, false) == 1 && nbrx_slots_for(4097, false) == 0 &&
	    nbrx_slots_for(4097, true) == 2 && nbrx_slots_for(65535, true) == 16,
	    "slot counts");
	for (u_int i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 3);
	/* Pieces crossing our pages at odd places. */
	pc[0] = (struct nb_piece){ (uintptr_t)src + 4000, 200 };
	pc[1] = (struct nb_piece){ (uintptr_t)src + 4200, 5000 };
	pc[2] = (struct nb_piece){ (uintptr_t)src + 9200, 10 };
	n = nbrx_plan(pc, 3, 2, ops, nitems(ops));
	KU_ASSERT(n > 0, "plan failed");
	memset(dst, 0, sizeof(dst));
	for (u_int i = 0; i < n; i++) {
		uintptr_t a = pc[ops[i].buf].addr + ops[i].src_off;

		KU_ASSERT((a & NB_PAGE_MASK) + ops[i].len <= NB_PAGE_SIZE,
		    "op %u crosses our page", i);
		KU_ASSERT((u_int)ops[i].dst_off + ops[i].len <= NB_PAGE_SIZE &&
		    ops[i].slot < 2, "op %u crosses a frontend page", i);
		memcpy(&dst[ops[i].slot][ops[i].dst_off], (void *)a, ops[i].len);
	}
	w = 200 + 5000 + 10;
	KU_ASSERT(memcmp(dst[0], src + 4000, NB_PAGE_SIZE) == 0 &&
	    memcmp(dst[1], src + 4000 + NB_PAGE_SIZE, w - NB_PAGE_SIZE) == 0,
	    "planned copies do not rebuild the packet");
	/* One slot is not enough: refused, not truncated. */
	KU_ASSERT(nbrx_plan(pc, 3, 1, ops, nitems(ops)) == 0,
	    "5210 bytes planned into one slot");
	KU_ASSERT(nbrx_plan(pc, 3, 2, ops, 2) == 0, "ops bound ignored");
}

KUNIT_TEST(nb_csum_flags_both_ways)
{
	uint32_t f, d;

	nb_tx_csum(NETTXF_csum_blank | NETTXF_data_validated, &f, &d);
	KU_ASSERT((f & CSUM_DELAY_DATA) == CSUM_DELAY_DATA, "blank: %#x", f);
	KU_ASSERT(nb_rx_flags(f, d, true) ==
	    (NETRXF_csum_blank | NETRXF_data_validated), "blank to a taker");
	KU_ASSERT(nb_rx_flags(f, d, false) == 0, "blank to a non-taker");
	nb_tx_csum(NETTXF_data_validated, &f, &d);
	KU_ASSERT(!(f & CSUM_DELAY_DATA) && (f & CSUM_DATA_VALID) &&
	    (f & CSUM_PSEUDO_HDR) && d == 0xffff, "validated: %#x %#x", f, d);
	KU_ASSERT(nb_rx_flags(f, d, false) == NETRXF_data_validated,
	    "validated lost");
	nb_tx_csum(0, &f, &d);
	KU_ASSERT(f == 0 && nb_rx_flags(f, d, true) == 0, "nothing: %#x", f);
}
