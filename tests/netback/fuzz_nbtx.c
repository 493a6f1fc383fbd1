/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer target over netback's tx slot path
 * (sys/dev/xen/netback/netback_ring.c, compiled unchanged against the
 * kernel headers).  The input plays a hostile frontend: it writes any tx
 * request or extra-info slot (gref, offset, size, flags, id) where it
 * writes next or anywhere on the ring, sets req_prod to anything and
 * scribbles on the shared header; the harness takes packets, plans their
 * copies and answers them as the driver does, and a few rx steps post,
 * take and answer buffers.  Checked after every step, against a shadow
 * kept apart from the code under test: a good packet has 1..18 slots,
 * at least an Ethernet header, no slot past its page, slot lengths that
 * add up to its length; its copy plan stays inside the source pages and
 * the buffers and rebuilds the packet byte for byte with the linear
 * buffer full first; every consumed request is answered once, in order,
 * with its id; nothing is consumed past req_prod nor more than a ring
 * ahead; a dead ring stays dead and answers nothing more.  Invariants trap.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/xen/netback/netback_ring.h>

#include "../lib/fuzz_input.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(x) do {							\
	if (!(x))							\
		__builtin_trap();					\
} while (0)

/* KASSERT's panic: an assertion in the code under test is a finding. */
void
panic(const char *fmt, ...)
{
	(void)fmt;
	__builtin_trap();
}

static char txring[NB_PAGE_SIZE] __aligned(NB_PAGE_SIZE);
static char rxring[NB_PAGE_SIZE] __aligned(NB_PAGE_SIZE);
static netif_tx_sring_t *ts;
static netif_rx_sring_t *rs;
static struct nbtx tx;
static struct nbrx rx;
static RING_IDX fprod;		/* where the frontend writes next */
static RING_IDX sh_cons;	/* the shadow's count of consumed requests */
static RING_IDX rx_fprod;

static void
start(struct input *in)
{
	memset(txring, 0, sizeof(txring));
	memset(rxring, 0, sizeof(rxring));
	ts = (netif_tx_sring_t *)txring;
	rs = (netif_rx_sring_t *)rxring;
	SHARED_RING_INIT(ts);
	SHARED_RING_INIT(rs);
	/* Any starting index: the arithmetic must wrap. */
	fprod = take(in, 1) & 1 ? 0xffffff00u : 0;
	ts->req_prod = ts->rsp_prod = fprod;
	nbtx_init(&tx, ts);
	tx.br.req_cons = tx.br.rsp_prod_pvt = fprod;
	sh_cons = fprod;
	rx_fprod = 0;
	nbrx_init(&rx, rs);
}

/* The bytes of slot s at page offset o (any pattern the shadow can redo). */
static uint8_t
slot_byte(u_int s, u_int o)
{
	return ((uint8_t)(s * 37 + o * 5 + (o >> 8)));
}

static void
check_plan(const struct nbtx_pkt *p, u_int linear)
{
	static uint8_t bufs[NB_TX_MAX_BUFS][NB_PAGE_SIZE];
	static uint8_t want[XEN_NETIF_MAX_TX_SIZE], got[XEN_NETIF_MAX_TX_SIZE];
	struct nb_copy ops[NB_TX_MAX_OPS];
	u_int n, nbufs, w = 0, cap0 = MIN(linear, p->len);

	for (u_int s = 0; s < p->nslots; s++) {
		for (u_int b = 0; b < p->slots[s].len; b++)
			want[w++] = slot_byte(s, p->slots[s].offset + b);
	}
	CHECK(w == p->len);
	n = nbtx_plan(p, linear, ops, &nbufs);
	CHECK(n <= NB_TX_MAX_OPS && nbufs <= NB_TX_MAX_BUFS);
	for (u_int i = 0; i < n; i++) {
		u_int cap = ops[i].buf == 0 ? cap0 : NB_PAGE_SIZE;

		CHECK(ops[i].slot < p->nslots && ops[i].buf < nbufs);
		CHECK(ops[i].len > 0);
		CHECK((u_int)ops[i].src_off + ops[i].len <= NB_PAGE_SIZE);
		CHECK((u_int)ops[i].dst_off + ops[i].len <= cap);
		for (u_int b = 0; b < ops[i].len; b++)
			bufs[ops[i].buf][ops[i].dst_off + b] =
			    slot_byte(ops[i].slot, ops[i].src_off + b);
	}
	w = 0;
	for (u_int b = 0; b < nbufs; b++) {
		u_int k = MIN(b == 0 ? cap0 : NB_PAGE_SIZE, p->len - w);

		memcpy(got + w, bufs[b], k);
		w += k;
	}
	CHECK(w == p->len && memcmp(got, want, w) == 0);
}

static void
consume(struct input *in)
{
	struct nbtx_pkt p;
	RING_IDX prod;
	int error;

	for (;;) {
		bool was_dead = tx.dead;
		RING_IDX rsp0 = tx.br.rsp_prod_pvt;

		prod = ts->req_prod;
		error = nbtx_next(&tx, &p);
		if (was_dead) {
			CHECK(error == ENXIO);
			return;
		}
		if (error == EPROTO) {
			CHECK(tx.dead && tx.fatal != NB_OK);
			CHECK(tx.br.req_cons == sh_cons);
			return;
		}
		CHECK(error == 0 || error == 1);
		if (error == 0) {
			CHECK(tx.br.req_cons == sh_cons);
			return;
		}
		/* Consumed: within what was published, never past a ring. */
		CHECK(p.first == sh_cons && p.nreqs > 0);
		CHECK(tx.br.req_cons == sh_cons + p.nreqs);
		CHECK(prod - sh_cons <= NB_TX_RING_SIZE);
		CHECK(tx.br.req_cons - sh_cons <= prod - sh_cons);
		CHECK(p.nslots >= 1 && p.nslots < NB_TX_FATAL_SLOTS);
		CHECK(p.nreqs <= p.nslots + NB_TX_MAX_EXTRAS);
		sh_cons += p.nreqs;
		if (p.drop == NBTX_DROP_NONE) {
			uint32_t sum = 0;

			CHECK(p.nslots <= NB_TX_MAX_SLOTS);
			CHECK(p.len >= NB_ETHER_HDR_LEN);
			for (u_int s = 0; s < p.nslots; s++) {
				CHECK((u_int)p.slots[s].offset + p.slots[s].len <=
				    NB_PAGE_SIZE);
				sum += p.slots[s].len;
			}
			CHECK(sum == p.len);
			check_plan(&p, NB_ETHER_HDR_LEN + take(in, 1) %
			    (NB_TX_LINEAR_MAX - NB_ETHER_HDR_LEN + 1));
		}
		nbtx_respond(&tx, &p, p.drop == NBTX_DROP_NONE ?
		    NETIF_RSP_OKAY : NETIF_RSP_ERROR);
		/* One answer per request, in order, ids echoed. */
		CHECK(tx.br.rsp_prod_pvt == rsp0 + p.nreqs);
		CHECK(tx.br.rsp_prod_pvt == sh_cons);
		for (u_int i = 0; i < p.nreqs; i++) {
			netif_tx_response_t *r = RING_GET_RESPONSE(&tx.br,
			    rsp0 + i);

			CHECK(r->id == p.ids[i]);
			CHECK(r->status == (p.is_extra[i] ? NETIF_RSP_NULL :
			    p.drop == NBTX_DROP_NONE ? NETIF_RSP_OKAY :
			    NETIF_RSP_ERROR));
		}
		(void)nbtx_push(&tx);
		CHECK(ts->rsp_prod == tx.br.rsp_prod_pvt);
	}
}

static void
rx_step(struct input *in)
{
	static uint8_t src[2 * NB_PAGE_SIZE] __aligned(NB_PAGE_SIZE);
	struct nbrx_req reqs[NB_RX_MAX_SLOTS];
	struct nb_copy ops[64];
	struct nb_piece pc[2];
	RING_IDX first;
	u_int op = take(in, 1), n, avail;

	switch (op % 3) {
	case 0:
		rs->req_prod = (op & 0x80) ? take(in, 4) :
		    (rx_fprod += take(in, 1) % (NB_RX_RING_SIZE + 1));
		break;
	case 1:
		avail = nbrx_avail(&rx);
		CHECK(avail <= NB_RX_RING_SIZE);
		CHECK(!rx.dead || avail == 0);
		n = nbrx_slots_for(take(in, 3) & 0x1ffff, take(in, 1) & 1);
		CHECK(n <= NB_RX_MAX_SLOTS);
		if (n == 0 || !nbrx_take(&rx, n, reqs, &first))
			break;
		pc[0] = (struct nb_piece){ (uintptr_t)src + take(in, 2) %
		    NB_PAGE_SIZE, take(in, 2) % NB_PAGE_SIZE };
		pc[1] = (struct nb_piece){ (uintptr_t)src + take(in, 2) %
		    NB_PAGE_SIZE, take(in, 2) % NB_PAGE_SIZE };
		u_int k = nbrx_plan(pc, 2, n, ops, nitems(ops));
		uint32_t total = 0;
		for (u_int i = 0; i < k; i++) {
			uintptr_t a = pc[ops[i].buf].addr + ops[i].src_off;

			CHECK((a & NB_PAGE_MASK) + ops[i].len <= NB_PAGE_SIZE);
			CHECK((u_int)ops[i].dst_off + ops[i].len <= NB_PAGE_SIZE);
			CHECK(ops[i].slot < n);
			total += ops[i].len;
		}
		CHECK(k == 0 || total == pc[0].len + pc[1].len);
		if (k == 0)
			total = 0;
		nbrx_respond(&rx, first, reqs, n, MIN(total, n * NB_PAGE_SIZE),
		    0, k == 0 ? NETIF_RSP_ERROR : 0);
		(void)nbrx_push(&rx);
		break;
	default:
		rxring[take(in, 1) % 64] = (char)take(in, 1);
		(void)nbrx_final_check(&rx);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	netif_tx_request_t *q;
	struct netif_extra_info *x;

	start(&in);
	while (in.left > 0) {
		u_int op = take(&in, 1);

		switch (op % 9) {
		case 0:
		case 1:
		case 2:
			/* A request where the frontend writes next, or anywhere. */
			q = &ts->ring[((op & 0x80) ? take(&in, 1) : fprod++) %
			    NB_TX_RING_SIZE].req;
			q->gref = take(&in, 1);
			q->offset = (uint16_t)take(&in, 2) & (op & 0x40 ? 0xffff :
			    0x0fff);
			q->size = (uint16_t)take(&in, 2) & (op & 0x20 ? 0xffff :
			    0x0fff);
			q->flags = (uint16_t)take(&in, 1);
			q->id = (uint16_t)take(&in, 2);
			break;
		case 3:
			x = (struct netif_extra_info *)&ts->ring[fprod++ %
			    NB_TX_RING_SIZE].req;
			x->type = (uint8_t)take(&in, 1) % 7;
			x->flags = (uint8_t)take(&in, 1);
			break;
		case 4:
			ts->req_prod = fprod;
			break;
		case 5:
			ts->req_prod = (op & 0x80) ? take(&in, 4) :
			    ts->req_prod + take(&in, 1);
			break;
		case 6:
			consume(&in);
			break;
		case 7:
			/* Scribble on the shared header (events, padding). */
			txring[take(&in, 1) % 64] = (char)take(&in, 1);
			(void)nbtx_final_check(&tx);
			break;
		default:
			rx_step(&in);
			break;
		}
	}
	consume(&in);
	return (0);
}
