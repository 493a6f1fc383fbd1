/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer target over netfront's receive path
 * (sys/dev/xen/netfront/netfront_ring.c and netfront_csum.c, compiled
 * unchanged against the kernel headers).  The input plays netback: it
 * writes any rx response or extra-info slot (id, offset, status, flags)
 * at any place, sets rsp_prod and the event indexes to anything and
 * scribbles on the shared page; the harness posts buffers, takes packets
 * and fills blank checksums in the buffers as the driver does.  A shadow
 * kept apart from the code under test checks after every step that each
 * posted buffer comes back exactly once, in ring order, that a good
 * packet's pieces lie inside their pages and inside the positions it
 * consumed, that no more than 18 pieces make a packet, and that a dead
 * ring stays dead.  A few tx steps run too (ids answered in any order).
 * The rings sit at the very end of their buffers, so an index past the
 * page hits ASan's redzone.  Invariants trap.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/xen/netfront/netfront_csum.h>
#include <dev/xen/netfront/netfront_ring.h>

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

static char rxring[NF_PAGE_SIZE] __aligned(NF_PAGE_SIZE);
static char txring[NF_PAGE_SIZE] __aligned(NF_PAGE_SIZE);
static uint8_t pages[NF_RX_RING_SIZE][NF_PAGE_SIZE];

static struct nfrx rx;
static struct nftx tx;
static netif_rx_sring_t *rs;
static netif_tx_sring_t *ts;

/* The harness's view. */
static bool sh_posted[NF_RX_RING_SIZE];
static u_int sh_nposted;
static RING_IDX sh_cons;		/* where the next packet must start */
static RING_IDX bprod;			/* the backend's next response */
static bool tx_inflight[NF_TX_RING_SIZE];
static uint16_t tx_head[NF_TX_RING_SIZE];	/* packet of each id */
static u_int tx_left[NF_TX_RING_SIZE];		/* per head: unanswered */
static u_int tx_n;				/* ids the ring may not reuse */
static RING_IDX tbprod;

static void
start(struct input *in)
{
	RING_IDX base = take(in, 4);

	rs = (netif_rx_sring_t *)rxring;
	ts = (netif_tx_sring_t *)txring;
	nfrx_init(&rx, rs);
	nftx_init(&tx, ts);
	/* Any starting point of the index space, wraps included. */
	rs->req_prod = rs->rsp_prod = base;
	rs->req_event = rs->rsp_event = base + 1;
	rx.fr.req_prod_pvt = rx.fr.rsp_cons = rx.published = base;
	ts->req_prod = ts->rsp_prod = base;
	ts->req_event = ts->rsp_event = base + 1;
	tx.fr.req_prod_pvt = tx.fr.rsp_cons = tx.published = base;
	memset(sh_posted, 0, sizeof(sh_posted));
	memset(tx_inflight, 0, sizeof(tx_inflight));
	memset(tx_left, 0, sizeof(tx_left));
	sh_nposted = 0;
	sh_cons = bprod = tbprod = base;
	tx_n = 0;
}

static void
post(u_int k)
{
	uint16_t pos;
	int error;

	for (u_int i = 0; i < k; i++) {
		error = nfrx_post(&rx, 100 + i, &pos);
		if (rx.dead) {
			CHECK(error == ENXIO);
			return;
		}
		if (sh_nposted == NF_RX_RING_SIZE) {
			CHECK(error == EAGAIN);
			break;
		}
		CHECK(error == 0);
		CHECK(pos < NF_RX_RING_SIZE && !sh_posted[pos]);
		CHECK(pos == ((sh_cons + sh_nposted) & (NF_RX_RING_SIZE - 1)));
		sh_posted[pos] = true;
		sh_nposted++;
	}
	(void)nfrx_push(&rx);
	CHECK(nfrx_posted(&rx) == sh_nposted);
}

static void
check_pkt(const struct nfrx_pkt *p)
{
	struct nf_iov iov[NF_RX_MAX_SLOTS];
	uint32_t sum = 0;

	CHECK(p->first == sh_cons);
	CHECK(p->nslots >= 1 && p->nslots <= sh_nposted);
	CHECK(p->drop < NFRX_DROP_NREASONS);
	CHECK(p->nfrags <= NF_RX_MAX_SLOTS);
	if (p->drop != NFRX_OK)
		CHECK(p->nfrags == 0 && p->len == 0);
	for (u_int i = 0; i < p->nfrags; i++) {
		const struct nfrx_frag *f = &p->frags[i];
		uint16_t rel = (uint16_t)((f->pos - p->first) &
		    (NF_RX_RING_SIZE - 1));

		/* Inside this packet's positions, in order, inside the page. */
		CHECK(f->pos < NF_RX_RING_SIZE && rel < p->nslots);
		CHECK(i == 0 || rel > (uint16_t)((p->frags[i - 1].pos -
		    p->first) & (NF_RX_RING_SIZE - 1)));
		CHECK(f->len > 0 && (u_int)f->offset + f->len <= NF_PAGE_SIZE);
		sum += f->len;
		iov[i].base = &pages[f->pos][f->offset];
		iov[i].len = f->len;
	}
	CHECK(sum == p->len);
	if (p->drop == NFRX_OK) {
		CHECK(p->nfrags >= 1 && p->frags[0].len >= NF_MIN_FRAME);
		CHECK(p->frags[0].pos == (p->first & (NF_RX_RING_SIZE - 1)));
		/* The driver fills blank checksums in place. */
		if ((p->flags & NETRXF_csum_blank) != 0) {
			enum nf_csum_result cr = nf_csum_fill(iov, p->nfrags);

			CHECK(cr == NF_CSUM_FILLED || cr == NF_CSUM_NOTL4 ||
			    cr == NF_CSUM_BAD);
		}
	}
	/* Every position consumed comes back once. */
	for (u_int i = 0; i < p->nslots; i++) {
		uint16_t pos = (uint16_t)((p->first + i) &
		    (NF_RX_RING_SIZE - 1));

		CHECK(sh_posted[pos]);
		sh_posted[pos] = false;
	}
	sh_nposted -= p->nslots;
	sh_cons += p->nslots;
}

static void
consume(void)
{
	struct nfrx_pkt p;
	bool was_dead = rx.dead;
	int r;

	for (u_int guard = 0; guard <= NF_RX_RING_SIZE; guard++) {
		r = nfrx_next(&rx, &p);
		if (was_dead) {
			CHECK(r == ENXIO);
			return;
		}
		if (r == 0)
			break;
		if (r == EPROTO) {
			CHECK(rx.dead && rx.error_kind == NF_RING_ERR_PROD);
			return;
		}
		CHECK(r == 1);
		check_pkt(&p);
	}
	CHECK(rx.fr.rsp_cons == sh_cons);
	CHECK(nfrx_posted(&rx) == sh_nposted);
}

static void
tx_done(void *arg, const struct nftx_done *d)
{
	(void)arg;
	uint16_t h;

	CHECK(d->id < NF_TX_RING_SIZE && tx_inflight[d->id]);
	h = tx_head[d->id];
	CHECK(d->head == h && tx_left[h] > 0);
	tx_inflight[d->id] = false;
	/* The packet completes with its last slot, whatever the order. */
	CHECK(d->pkt_done == (--tx_left[h] == 0));
	/* A head's id is held until its packet completes. */
	if (d->id != h)
		tx_n--;
	if (d->pkt_done)
		tx_n--;
}

static void
tx_step(struct input *in)
{
	struct nftx_slot s[3] = {
		{ 0, 1, 0, 60 }, { 0, 2, 100, 200 }, { 0, 3, 0, 4096 },
	};
	u_int op = take(in, 1), n = 1 + op % 3;
	uint16_t ids[3];
	netif_tx_response_t *rsp;
	int error;

	switch ((op >> 2) % 4) {
	case 0:
		error = nftx_queue(&tx, s, n, 0, ids);
		if (tx.dead) {
			CHECK(error == ENXIO);
			break;
		}
		if (error == EAGAIN) {
			CHECK(tx_n + n > NF_TX_RING_SIZE);
			break;
		}
		CHECK(error == 0);
		CHECK(tx_left[ids[0]] == 0);
		for (u_int i = 0; i < n; i++) {
			CHECK(!tx_inflight[ids[i]]);
			CHECK(i == 0 || tx_left[ids[i]] == 0);
			tx_inflight[ids[i]] = true;
			tx_head[ids[i]] = ids[0];
			tx_n++;
		}
		tx_left[ids[0]] = n;
		(void)nftx_push(&tx);
		break;
	case 1:
		rsp = RING_GET_RESPONSE(&tx.fr, tbprod);
		rsp->id = (uint16_t)take(in, 2);
		rsp->status = (int16_t)take(in, 1);
		tbprod++;
		ts->rsp_prod = tbprod;
		break;
	case 2:
		ts->rsp_prod = take(in, 1) == 0 ? take(in, 4) : tbprod;
		break;
	default:
		error = nftx_consume(&tx, tx_done, NULL);
		CHECK(error == 0 || error == EPROTO || error == ENXIO);
		if (error == 0)
			CHECK(nftx_inflight(&tx) == tx_n);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	netif_rx_response_t *rsp;
	struct netif_extra_info *x;

	start(&in);
	while (in.left > 0) {
		u_int op = take(&in, 1);

		switch (op % 9) {
		case 0:
			post(1 + take(&in, 1) % NF_RX_RING_SIZE);
			break;
		case 1:
		case 2:
			/* Any response where the backend writes next. */
			rsp = RING_GET_RESPONSE(&rx.fr, bprod);
			rsp->id = (op & 0x80) ? (uint16_t)take(&in, 2) :
			    (uint16_t)(bprod & (NF_RX_RING_SIZE - 1));
			rsp->offset = (uint16_t)take(&in, 2) & (op & 0x40 ?
			    0xffff : 0x3ff);
			rsp->status = (int16_t)take(&in, 2);
			rsp->flags = (uint16_t)take(&in, 1);
			/* Frame bytes for the checksum fill to parse. */
			memset(pages[bprod & (NF_RX_RING_SIZE - 1)],
			    (int)take(&in, 1), 64);
			pages[bprod & (NF_RX_RING_SIZE - 1)][12] = 0x08;
			pages[bprod & (NF_RX_RING_SIZE - 1)][14] = 0x45;
			bprod++;
			break;
		case 3:
			x = (struct netif_extra_info *)RING_GET_RESPONSE(&rx.fr,
			    bprod);
			x->type = (uint8_t)take(&in, 1);
			x->flags = (uint8_t)take(&in, 1);
			x->u.gso.size = (uint16_t)take(&in, 2);
			bprod++;
			break;
		case 4:
			rs->rsp_prod = bprod;
			break;
		case 5:
			rs->rsp_prod = take(&in, 4);
			break;
		case 6:
			consume();
			break;
		case 7:
			/* Scribble on the shared header (events, padding). */
			rxring[take(&in, 1) % 64] = (char)take(&in, 1);
			(void)nfrx_final_check(&rx);
			break;
		default:
			tx_step(&in);
			break;
		}
	}
	consume();
	return (0);
}
