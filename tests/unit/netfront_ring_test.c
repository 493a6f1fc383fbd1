/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * netfront's ring logic (sys/dev/xen/netfront/netfront_ring.c) against a
 * backend written here with the public header's back-ring macros only:
 * tx slot planning checked against the netback rules (<= 18 slots, no slot
 * across a page, headers in the first slot), tx round trips across the
 * index wrap with out-of-order completion, a hostile tx backend (bad ids,
 * duplicates, impossible producers) that kills the ring, and rx responses
 * of every malformed kind dropped and counted while the ring goes on.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/xen/netfront/netfront_ring.h>

#include "kunit.h"

static char txmem[4096] __aligned(4096);
static char rxmem[4096] __aligned(4096);
static struct nftx tx;
static struct nfrx rx;
static netif_tx_back_ring_t txb;
static netif_rx_back_ring_t rxb;

/* ---- tx planning ---- */

static struct nftx_slot plan[NF_TX_MAX_SLOTS];
static u_int nplan;
static size_t ptotal;

/* What netback checks on a planned packet, written from its rules. */
static void
check_netback_rules(const struct nftx_buf *b, u_int nb, u_int hdrlen)
{
	size_t want = 0, got = 0;

	for (u_int i = 0; i < nb; i++)
		want += b[i].len;
	KU_ASSERT(ptotal == want, "total %zu, buffers hold %zu", ptotal, want);
	KU_ASSERT(nplan >= 1 && nplan <= 18, "%u slots", nplan);
	for (u_int i = 0; i < nplan; i++) {
		KU_ASSERT(plan[i].len > 0, "slot %u empty", i);
		KU_ASSERT(plan[i].offset + plan[i].len <= 4096,
		    "slot %u crosses a page: %u+%u", i, plan[i].offset,
		    plan[i].len);
		KU_ASSERT((plan[i].page & 4095) == 0, "slot %u page %#lx", i,
		    (u_long)plan[i].page);
		got += plan[i].len;
	}
	KU_ASSERT(got == want, "slots hold %zu of %zu", got, want);
	KU_ASSERT(plan[0].len >= MIN(hdrlen, want) && plan[0].len >= 14,
	    "first slot %u < headers %u", plan[0].len, hdrlen);
}

KUNIT_TEST(nftx_plan_single_page)
{
	struct nftx_buf b[] = { { 0x10000 + 64, 1514 } };

	KU_ASSERT(nftx_plan(b, 1, 42, 18, plan, &nplan, &ptotal) == 0, "plan");
	KU_ASSERT(nplan == 1 && plan[0].page == 0x10000 &&
	    plan[0].offset == 64 && plan[0].len == 1514, "slot %u %#lx+%u/%u",
	    nplan, (u_long)plan[0].page, plan[0].offset, plan[0].len);
	check_netback_rules(b, 1, 42);
}

KUNIT_TEST(nftx_plan_splits_at_pages)
{
	/* Header mbuf, then a cluster straddling a page, then a big tail. */
	struct nftx_buf b[] = {
		{ 0x20000 + 4000, 42 },
		{ 0x30000 + 2048 + 1000, 2048 },
		{ 0x40000 + 100, 3 * 4096 },
	};

	KU_ASSERT(nftx_plan(b, 3, 42, 18, plan, &nplan, &ptotal) == 0, "plan");
	/* 42 | 1048 + 1000 | 3996 + 4096 + 4096 + 100 */
	KU_ASSERT(nplan == 7, "%u slots", nplan);
	KU_ASSERT(plan[1].offset == 3048 && plan[1].len == 1048 &&
	    plan[2].offset == 0 && plan[2].len == 1000, "cluster split %u+%u %u+%u",
	    plan[1].offset, plan[1].len, plan[2].offset, plan[2].len);
	KU_ASSERT(plan[6].len == 100 && plan[6].page == 0x43000, "tail %u",
	    plan[6].len);
	check_netback_rules(b, 3, 42);
}

KUNIT_TEST(nftx_plan_limits)
{
	/* 65535 bytes from a page boundary: 16 full pages + 4095. */
	struct nftx_buf big = { 0x100000, 65535 };
	/* The same from offset 2: 4094 + 15 pages + 1, 17 slots. */
	struct nftx_buf big1 = { 0x100002, 65535 };
	struct nftx_buf over = { 0x100000, 65536 };
	struct nftx_buf many[19];
	struct nftx_buf splithdr[] = { { 0x5000 + 4090, 20 } };
	struct nftx_buf tiny[] = { { 0x5000, 10 } };

	KU_ASSERT(nftx_plan(&big, 1, 42, 18, plan, &nplan, &ptotal) == 0 &&
	    nplan == 16, "64K: %u slots", nplan);
	check_netback_rules(&big, 1, 42);
	KU_ASSERT(nftx_plan(&big1, 1, 42, 18, plan, &nplan, &ptotal) == 0 &&
	    nplan == 17, "64K+2: %u slots", nplan);
	check_netback_rules(&big1, 1, 42);
	KU_ASSERT(nftx_plan(&over, 1, 42, 18, plan, &nplan, &ptotal) == EINVAL,
	    "65536 bytes accepted");
	/* Nineteen small pieces: one slot too many. */
	for (u_int i = 0; i < 19; i++) {
		many[i].addr = 0x200000 + i * 8192;
		many[i].len = 100;
	}
	KU_ASSERT(nftx_plan(many, 19, 42, 18, plan, &nplan, &ptotal) == E2BIG,
	    "19 slots accepted");
	KU_ASSERT(nftx_plan(many, 18, 42, 18, plan, &nplan, &ptotal) == 0 &&
	    nplan == 18, "18 slots refused");
	check_netback_rules(many, 18, 42);
	/* Without SG, two pieces are one too many. */
	KU_ASSERT(nftx_plan(many, 2, 42, 1, plan, &nplan, &ptotal) == E2BIG,
	    "2 slots without SG");
	/* Headers straddling a page: the first slot would hold 6 bytes. */
	KU_ASSERT(nftx_plan(splithdr, 1, 14, 18, plan, &nplan, &ptotal) ==
	    EMSGSIZE, "split Ethernet header accepted");
	KU_ASSERT(nftx_plan(many, 2, 142, 18, plan, &nplan, &ptotal) == EMSGSIZE,
	    "142 bytes of headers in a 100-byte slot");
	KU_ASSERT(nftx_plan(tiny, 1, 0, 18, plan, &nplan, &ptotal) == EMSGSIZE,
	    "10-byte frame accepted");
	KU_ASSERT(nftx_plan(many, 0, 0, 18, plan, &nplan, &ptotal) == EINVAL,
	    "empty packet");
}

/* ---- tx ring ---- */

static void
tx_setup(RING_IDX start)
{
	netif_tx_sring_t *s = (netif_tx_sring_t *)txmem;

	memset(txmem, 0xa5, sizeof(txmem));
	nftx_init(&tx, s);
	/* Indexes near the top of the index space: the wrap is crossed. */
	s->req_prod = s->rsp_prod = start;
	s->req_event = s->rsp_event = start + 1;
	tx.fr.req_prod_pvt = tx.fr.rsp_cons = tx.published = start;
	BACK_RING_ATTACH(&txb, s, start, 4096);
}

static bool
tx_take(struct netif_tx_request *req)
{
	if (!RING_HAS_UNCONSUMED_REQUESTS(&txb))
		return (false);
	RING_COPY_REQUEST(&txb, txb.req_cons, req);
	txb.req_cons++;
	return (true);
}

static void
tx_answer(uint16_t id, int16_t status)
{
	netif_tx_response_t *rsp = RING_GET_RESPONSE(&txb, txb.rsp_prod_pvt);

	rsp->id = id;
	rsp->status = status;
	txb.rsp_prod_pvt++;
}

static void
tx_publish(void)
{
	bool notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&txb, notify);
	(void)notify;
}

static u_int txdone_count[NF_TX_RING_SIZE], txpkts;
static struct nftx_done txlast;

static void
tx_done(void *arg, const struct nftx_done *d)
{
	KU_ASSERT(d->id < NF_TX_RING_SIZE, "done id %u", d->id);
	txdone_count[d->id]++;
	if (d->pkt_done) {
		txpkts++;
		txlast = *d;
	}
}

static void
three_slots(struct nftx_slot *s)
{
	memset(s, 0, 3 * sizeof(*s));
	s[0].gref = 100;
	s[0].offset = 128;
	s[0].len = 54;
	s[1].gref = 101;
	s[1].offset = 0;
	s[1].len = 4096;
	s[2].gref = 102;
	s[2].offset = 0;
	s[2].len = 10;
}

KUNIT_TEST(nftx_roundtrip_wrap)
{
	struct netif_tx_request req[3];
	struct nftx_slot s[3];
	uint16_t ids[3];
	u_int flags = NETTXF_csum_blank | NETTXF_data_validated;

	tx_setup(0xffffff00u);
	three_slots(s);
	memset(txdone_count, 0, sizeof(txdone_count));
	txpkts = 0;
	/* Round after round across the wrap: 200 packets of 3 slots. */
	for (u_int round = 0; round < 200; round++) {
		KU_ASSERT(nftx_queue(&tx, s, 3, (uint16_t)flags, ids) == 0,
		    "queue round %u", round);
		(void)nftx_push(&tx);
		for (u_int i = 0; i < 3; i++)
			KU_ASSERT(tx_take(&req[i]), "request %u missing", i);
		KU_ASSERT(!tx_take(&req[0]), "extra request");
		/* What netback reads: total in the first, more_data chain. */
		KU_ASSERT(req[0].size == 54 + 4096 + 10 && req[0].flags ==
		    (flags | NETTXF_more_data) && req[0].gref == 100 &&
		    req[0].offset == 128, "first %u %#x", req[0].size,
		    req[0].flags);
		KU_ASSERT(req[1].size == 4096 && req[1].flags == NETTXF_more_data,
		    "second %u %#x", req[1].size, req[1].flags);
		KU_ASSERT(req[2].size == 10 && req[2].flags == 0, "last %u %#x",
		    req[2].size, req[2].flags);
		KU_ASSERT(req[0].id == ids[0] && req[1].id == ids[1] &&
		    req[2].id == ids[2], "ids");
		/* Answered out of order: the packet ends with the last. */
		tx_answer(req[2].id, NETIF_RSP_OKAY);
		tx_answer(req[0].id, NETIF_RSP_OKAY);
		tx_publish();
		KU_ASSERT(nftx_consume(&tx, tx_done, NULL) == 0, "consume");
		KU_ASSERT(txpkts == round, "packet done early");
		tx_answer(req[1].id, round == 7 ? NETIF_RSP_ERROR : NETIF_RSP_OKAY);
		tx_publish();
		KU_ASSERT(nftx_consume(&tx, tx_done, NULL) == 0, "consume 2");
		KU_ASSERT(txpkts == round + 1 && txlast.head == ids[0],
		    "packet %u not done (head %u)", round, txlast.head);
		KU_ASSERT(txlast.pkt_status == (round == 7 ? NETIF_RSP_ERROR :
		    NETIF_RSP_OKAY), "status %d round %u", txlast.pkt_status,
		    round);
	}
	KU_ASSERT(nftx_inflight(&tx) == 0 && nftx_free_slots(&tx) == 256,
	    "inflight %u", nftx_inflight(&tx));
	for (u_int i = 0; i < NF_TX_RING_SIZE; i++)
		KU_ASSERT(txdone_count[i] <= 3, "id %u done %u times", i,
		    txdone_count[i]);
}

KUNIT_TEST(nftx_head_answered_first)
{
	struct netif_tx_request a[3], req;
	struct nftx_slot s[3];
	uint16_t ida[3], idb[3], one;
	int error;

	/*
	 * The ring nearly full (251 one-slot packets out), then A of 3
	 * slots: 2 ids left.  A's head answered first frees no id (the head
	 * holds A's count), so B (3 slots) must wait, never get A's head id
	 * (found by fuzz_nfrx), and A completes once, with its last slot.
	 */
	tx_setup(0);
	three_slots(s);
	txpkts = 0;
	memset(txdone_count, 0, sizeof(txdone_count));
	for (u_int i = 0; i < 251; i++)
		KU_ASSERT(nftx_queue(&tx, s, 1, 0, &one) == 0, "filler %u", i);
	KU_ASSERT(nftx_queue(&tx, s, 3, 0, ida) == 0, "queue A");
	(void)nftx_push(&tx);
	for (u_int i = 0; i < 251; i++)
		KU_ASSERT(tx_take(&req), "filler request %u", i);
	for (u_int i = 0; i < 3; i++)
		KU_ASSERT(tx_take(&a[i]), "A request %u", i);
	tx_answer(a[0].id, NETIF_RSP_OKAY);
	tx_publish();
	KU_ASSERT(nftx_consume(&tx, tx_done, NULL) == 0, "consume");
	KU_ASSERT(txpkts == 0, "A done with two slots out");
	error = nftx_queue(&tx, s, 3, 0, idb);
	KU_ASSERT(error == EAGAIN || (idb[0] != ida[0] && idb[1] != ida[0] &&
	    idb[2] != ida[0]), "B got A's head id %u while A is out", ida[0]);
	KU_ASSERT(error == EAGAIN, "B queued with 2 ids free: %d", error);
	tx_answer(a[2].id, NETIF_RSP_OKAY);
	tx_answer(a[1].id, NETIF_RSP_ERROR);
	tx_publish();
	KU_ASSERT(nftx_consume(&tx, tx_done, NULL) == 0, "consume 2");
	KU_ASSERT(txpkts == 1 && txlast.head == ida[0] &&
	    txlast.pkt_status == NETIF_RSP_ERROR, "A: %u packets, head %u",
	    txpkts, txlast.head);
	KU_ASSERT(nftx_free_slots(&tx) == 5, "free %u", nftx_free_slots(&tx));
	/* A head answered twice while its packet is out: a duplicate. */
	KU_ASSERT(nftx_queue(&tx, s, 3, 0, idb) == 0, "queue B");
	(void)nftx_push(&tx);
	tx_answer(idb[0], NETIF_RSP_OKAY);
	tx_answer(idb[0], NETIF_RSP_OKAY);
	tx_publish();
	KU_ASSERT(nftx_consume(&tx, tx_done, NULL) == EPROTO &&
	    tx.error_kind == NF_RING_ERR_NOTINFLIGHT, "head answered twice");
}

KUNIT_TEST(nftx_ring_full_and_bad_packets)
{
	struct nftx_slot s[19];
	uint16_t ids[19];

	tx_setup(0);
	memset(s, 0, sizeof(s));
	for (u_int i = 0; i < 19; i++)
		s[i].len = 100;
	KU_ASSERT(nftx_queue(&tx, s, 19, 0, ids) == EINVAL, "19 slots queued");
	s[0].offset = 4000;
	KU_ASSERT(nftx_queue(&tx, s, 1, 0, ids) == EINVAL,
	    "slot across a page queued");
	s[0].offset = 0;
	s[0].len = 13;
	KU_ASSERT(nftx_queue(&tx, s, 1, 0, ids) == EINVAL, "13-byte first slot");
	s[0].len = 100;
	KU_ASSERT(nftx_queue(&tx, s, 1, NETTXF_extra_info, ids) == EINVAL,
	    "extra_info flag taken");
	/* 256 entries: 14 packets of 18 slots, then 4 left. */
	for (u_int i = 0; i < 14; i++)
		KU_ASSERT(nftx_queue(&tx, s, 18, 0, ids) == 0, "packet %u", i);
	KU_ASSERT(nftx_queue(&tx, s, 5, 0, ids) == EAGAIN, "ring overfilled");
	KU_ASSERT(nftx_queue(&tx, s, 4, 0, ids) == 0, "last 4 slots");
	KU_ASSERT(nftx_free_slots(&tx) == 0, "free %u", nftx_free_slots(&tx));
}

static void
tx_hostile(RING_IDX start, void (*evil)(uint16_t id0), const char *what)
{
	struct netif_tx_request req;
	struct nftx_slot s[3];
	uint16_t ids[3];

	tx_setup(start);
	three_slots(s);
	memset(txdone_count, 0, sizeof(txdone_count));
	KU_ASSERT(nftx_queue(&tx, s, 3, 0, ids) == 0, "queue");
	(void)nftx_push(&tx);
	while (tx_take(&req))
		;
	evil(ids[0]);
	KU_ASSERT(nftx_consume(&tx, tx_done, NULL) == EPROTO, "%s not caught",
	    what);
	KU_ASSERT(tx.dead, "%s: ring alive", what);
	KU_ASSERT(nftx_consume(&tx, tx_done, NULL) == ENXIO, "%s: not dead",
	    what);
	KU_ASSERT(nftx_queue(&tx, s, 1, 0, ids) == ENXIO, "%s: queue on dead",
	    what);
	for (u_int i = 0; i < NF_TX_RING_SIZE; i++)
		KU_ASSERT(txdone_count[i] <= 1, "%s: id %u done twice", what, i);
}

static void
evil_range(uint16_t id0)
{
	tx_answer(300, NETIF_RSP_OKAY);
	tx_publish();
}

static void
evil_dup(uint16_t id0)
{
	tx_answer(id0, NETIF_RSP_OKAY);
	tx_answer(id0, NETIF_RSP_OKAY);
	tx_publish();
}

static void
evil_unused(uint16_t id0)
{
	tx_answer((uint16_t)(id0 + 10), NETIF_RSP_OKAY);
	tx_publish();
}

static void
evil_prod(uint16_t id0)
{
	netif_tx_sring_t *s = (netif_tx_sring_t *)txmem;

	s->rsp_prod = txb.rsp_prod_pvt + 4;	/* 4 answers for 3 requests */
}

static void
evil_behind(uint16_t id0)
{
	netif_tx_sring_t *s = (netif_tx_sring_t *)txmem;

	s->rsp_prod = txb.rsp_prod_pvt - 1;
}

KUNIT_TEST(nftx_hostile_backend)
{
	tx_hostile(0, evil_range, "id out of range");
	tx_hostile(0xfffffffeu, evil_dup, "duplicate id");
	tx_hostile(5, evil_unused, "id never queued");
	tx_hostile(0xffffffffu, evil_prod, "rsp_prod past requests");
	tx_hostile(7, evil_behind, "rsp_prod behind");
}

/* ---- rx ---- */

static void
rx_setup(RING_IDX start, u_int nbufs)
{
	netif_rx_sring_t *s = (netif_rx_sring_t *)rxmem;
	uint16_t pos;

	memset(rxmem, 0x5a, sizeof(rxmem));
	nfrx_init(&rx, s);
	s->req_prod = s->rsp_prod = start;
	s->req_event = s->rsp_event = start + 1;
	rx.fr.req_prod_pvt = rx.fr.rsp_cons = rx.published = start;
	BACK_RING_ATTACH(&rxb, s, start, 4096);
	for (u_int i = 0; i < nbufs; i++) {
		KU_ASSERT(nfrx_post(&rx, 1000 + i, &pos) == 0, "post %u", i);
		KU_ASSERT(pos == ((start + i) & 255), "buffer %u at %u", i, pos);
	}
	(void)nfrx_push(&rx);
}

/* The backend's response to its next request; id echoed unless told. */
static void
rx_answer(int id, uint16_t offset, int16_t status, uint16_t flags)
{
	struct netif_rx_request req;
	netif_rx_response_t *rsp;

	KU_ASSERT(RING_HAS_UNCONSUMED_REQUESTS(&rxb), "no rx request left");
	RING_COPY_REQUEST(&rxb, rxb.req_cons, &req);
	rxb.req_cons++;
	rsp = RING_GET_RESPONSE(&rxb, rxb.rsp_prod_pvt);
	rsp->id = id < 0 ? req.id : (uint16_t)id;
	rsp->offset = offset;
	rsp->status = status;
	rsp->flags = flags;
	rxb.rsp_prod_pvt++;
}

static void
rx_extra(uint8_t type, uint8_t xflags)
{
	struct netif_extra_info *x;

	rxb.req_cons++;
	x = (struct netif_extra_info *)RING_GET_RESPONSE(&rxb, rxb.rsp_prod_pvt);
	memset(x, 0, sizeof(*x));
	x->type = type;
	x->flags = xflags;
	if (type == XEN_NETIF_EXTRA_TYPE_GSO)
		x->u.gso.size = 1448;
	rxb.rsp_prod_pvt++;
}

static void
rx_publish(void)
{
	bool notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&rxb, notify);
	(void)notify;
}

static struct nfrx_pkt pk;

KUNIT_TEST(nfrx_good_packets_wrap)
{
	uint16_t pos;

	rx_setup(0xfffffff0u, 256);
	KU_ASSERT(nfrx_space(&rx) == 0 && nfrx_posted(&rx) == 256, "posted %u",
	    nfrx_posted(&rx));
	KU_ASSERT(nfrx_next(&rx, &pk) == 0, "packet from nowhere");
	for (u_int round = 0; round < 100; round++) {
		/* A 3-slot frame with a GSO extra after the first. */
		rx_answer(-1, 0, 4096,
		    NETRXF_more_data | NETRXF_extra_info | NETRXF_data_validated);
		rx_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0);
		rx_answer(-1, 0, 4096, NETRXF_more_data);
		rx_answer(-1, 0, 100, 0);
		/* And a small one. */
		rx_answer(-1, 2, 60, NETRXF_csum_blank | NETRXF_data_validated);
		rx_publish();
		KU_ASSERT(nfrx_next(&rx, &pk) == 1 && pk.drop == NFRX_OK,
		    "round %u big: drop %s", round, nfrx_drop_name(pk.drop));
		KU_ASSERT(pk.nslots == 4 && pk.nfrags == 3 &&
		    pk.len == 4096 + 4096 + 100 && pk.gso_size == 1448 &&
		    (pk.flags & NETRXF_data_validated) != 0, "big: %u/%u %u",
		    pk.nslots, pk.nfrags, pk.len);
		/* Buffers by position: the extra's position is skipped. */
		KU_ASSERT(pk.frags[0].pos == (pk.first & 255) &&
		    pk.frags[1].pos == ((pk.first + 2) & 255) &&
		    pk.frags[2].pos == ((pk.first + 3) & 255), "positions");
		KU_ASSERT(nfrx_next(&rx, &pk) == 1 && pk.drop == NFRX_OK &&
		    pk.nslots == 1 && pk.len == 60 && pk.frags[0].offset == 2 &&
		    (pk.flags & NETRXF_csum_blank) != 0, "small");
		KU_ASSERT(nfrx_next(&rx, &pk) == 0, "more than sent");
		KU_ASSERT(!nfrx_final_check(&rx), "final check");
		/* Refill the five positions. */
		for (u_int i = 0; i < 5; i++)
			KU_ASSERT(nfrx_post(&rx, 2000 + i, &pos) == 0, "refill");
		(void)nfrx_push(&rx);
	}
}

struct rx_case {
	const char	*what;
	enum nfrx_drop	want;
	u_int		slots;		/* positions it must consume */
};

static void
rx_expect(const struct rx_case *c)
{
	KU_ASSERT(nfrx_next(&rx, &pk) == 1, "%s: no packet", c->what);
	KU_ASSERT(pk.drop == c->want, "%s: drop %s, want %s", c->what,
	    nfrx_drop_name(pk.drop), nfrx_drop_name(c->want));
	KU_ASSERT(pk.nslots == c->slots, "%s: %u slots, want %u", c->what,
	    pk.nslots, c->slots);
	KU_ASSERT(pk.nfrags == 0 && pk.len == 0, "%s: frags left", c->what);
	/* The ring goes on: a good frame right after is taken. */
	rx_answer(-1, 0, 60, 0);
	rx_publish();
	KU_ASSERT(nfrx_next(&rx, &pk) == 1 && pk.drop == NFRX_OK &&
	    pk.len == 60, "%s: next frame %s", c->what, nfrx_drop_name(pk.drop));
}

KUNIT_TEST(nfrx_hostile_responses)
{
	static const struct rx_case cases[] = {
		{ "wrong id", NFRX_DROP_ID, 1 },
		{ "offset+size past page", NFRX_DROP_BOUNDS, 1 },
		{ "error status", NFRX_DROP_STATUS, 1 },
		{ "short first slot", NFRX_DROP_SHORT, 1 },
		{ "19 data slots", NFRX_DROP_TOOMANY, 19 },
		{ "bad id in the middle", NFRX_DROP_ID, 3 },
		{ "extra of type 0", NFRX_DROP_EXTRA, 2 },
		{ "two GSO extras", NFRX_DROP_EXTRA, 3 },
		{ "extra on a later slot", NFRX_DROP_EXTRA, 3 },
		{ "size 32767 at offset 0", NFRX_DROP_BOUNDS, 1 },
	};
	u_int c = 0;

	rx_setup(0xffffffc0u, 256);
	rx_answer(77, 0, 60, 0);
	rx_publish();
	rx_expect(&cases[c++]);
	rx_answer(-1, 4000, 200, 0);
	rx_publish();
	rx_expect(&cases[c++]);
	rx_answer(-1, 0, NETIF_RSP_ERROR, 0);
	rx_publish();
	rx_expect(&cases[c++]);
	rx_answer(-1, 0, 13, 0);
	rx_publish();
	rx_expect(&cases[c++]);
	for (u_int i = 0; i < 19; i++)
		rx_answer(-1, 0, 100, i < 18 ? NETRXF_more_data : 0);
	rx_publish();
	rx_expect(&cases[c++]);
	rx_answer(-1, 0, 100, NETRXF_more_data);
	rx_answer(3, 0, 100, NETRXF_more_data);
	rx_answer(-1, 0, 100, 0);
	rx_publish();
	rx_expect(&cases[c++]);
	rx_answer(-1, 0, 100, NETRXF_extra_info);
	rx_extra(XEN_NETIF_EXTRA_TYPE_NONE, 0);
	rx_publish();
	rx_expect(&cases[c++]);
	rx_answer(-1, 0, 100, NETRXF_extra_info);
	rx_extra(XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE);
	rx_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0);
	rx_publish();
	rx_expect(&cases[c++]);
	rx_answer(-1, 0, 100, NETRXF_more_data);
	rx_answer(-1, 0, 100, NETRXF_extra_info);
	rx_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0);
	rx_publish();
	rx_expect(&cases[c++]);
	rx_answer(-1, 0, (int16_t)-1 /* 0xffff read as a size */, 0);
	/* A status of -1 is an error; a huge positive one overruns. */
	((netif_rx_response_t *)RING_GET_RESPONSE(&rxb,
	    rxb.rsp_prod_pvt - 1))->status = 0x7fff;
	rx_publish();
	rx_expect(&cases[c++]);
	KU_ASSERT(c == nitems(cases), "cases");
}

KUNIT_TEST(nfrx_truncated_chain)
{
	/* more_data on the last published response: dropped, not waited on. */
	rx_setup(0, 8);
	rx_answer(-1, 0, 1000, NETRXF_more_data);
	rx_answer(-1, 0, 1000, NETRXF_more_data);
	rx_publish();
	KU_ASSERT(nfrx_next(&rx, &pk) == 1 && pk.drop == NFRX_DROP_TRUNC &&
	    pk.nslots == 2, "truncated: %s %u", nfrx_drop_name(pk.drop),
	    pk.nslots);
	/* An extra flagged but never sent. */
	rx_answer(-1, 0, 1000, NETRXF_extra_info);
	rx_publish();
	KU_ASSERT(nfrx_next(&rx, &pk) == 1 && pk.drop == NFRX_DROP_TRUNC &&
	    pk.nslots == 1, "missing extra: %s", nfrx_drop_name(pk.drop));
	/* A chain as long as every posted buffer. */
	for (u_int i = 0; i < 5; i++)
		rx_answer(-1, 0, 1000, NETRXF_more_data);
	rx_publish();
	KU_ASSERT(nfrx_next(&rx, &pk) == 1 && pk.drop == NFRX_DROP_TRUNC &&
	    pk.nslots == 5, "endless chain: %u", pk.nslots);
	KU_ASSERT(nfrx_posted(&rx) == 0, "posted %u", nfrx_posted(&rx));
}

KUNIT_TEST(nfrx_prod_beyond_posted)
{
	netif_rx_sring_t *s = (netif_rx_sring_t *)rxmem;
	uint16_t pos;

	rx_setup(0xfffffffeu, 4);
	s->rsp_prod = 0xfffffffeu + 5;
	KU_ASSERT(nfrx_next(&rx, &pk) == EPROTO && rx.dead &&
	    rx.error_kind == NF_RING_ERR_PROD, "5 responses for 4 buffers");
	KU_ASSERT(nfrx_next(&rx, &pk) == ENXIO, "dead ring answers");
	KU_ASSERT(nfrx_post(&rx, 1, &pos) == ENXIO && nfrx_space(&rx) == 0,
	    "post on dead ring");
	rx_setup(10, 4);
	s->rsp_prod = 9;
	KU_ASSERT(nfrx_next(&rx, &pk) == EPROTO, "rsp_prod behind");
	/* A posted-but-unpushed buffer cannot be answered either. */
	rx_setup(20, 2);
	KU_ASSERT(nfrx_post(&rx, 5, &pos) == 0, "post");
	s->rsp_prod = 23;
	KU_ASSERT(nfrx_next(&rx, &pk) == EPROTO, "answer to unpublished");
}
