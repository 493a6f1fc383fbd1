/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * IPv4 reassembly, bounded: at most maxq datagrams in progress (a new one
 * evicts the oldest), maxfrags fragments each, maxmem bytes of mbuf
 * memory over all of them (the oldest datagrams go first), and a timeout.
 * A fragment that overlaps another, even an exact duplicate, drops its
 * whole datagram (RFC 5722's rule, applied to IPv4: overlaps are how
 * filters get fooled).  Fragments whose lengths contradict the datagram's
 * end drop it too.  Time comes from the caller, so the logic is pure and
 * the hosted tests drive it.
 */
#include <sys/param.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/queue.h>
#include <sys/systm.h>

#include <netinet/in.h>
#include <netinet/in_cksum.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

MALLOC_DEFINE(M_IPREASS, "ipreass", "IPv4 reassembly queues");

struct ipq {
	TAILQ_ENTRY(ipq) iq_link;	/* oldest first */
	in_addr_t	iq_src;
	in_addr_t	iq_dst;
	uint16_t	iq_id;
	uint8_t		iq_p;
	struct mbuf	*iq_frags;	/* by offset, linked by m_nextpkt */
	int		iq_nfrags;
	int		iq_end;		/* payload length, -1 until known */
	size_t		iq_mem;
	sbintime_t	iq_expire;
	bool		iq_allvalid;	/* every fragment's data vouched for */
};

struct frag {
	int	off;	/* payload offset in the datagram */
	int	len;	/* payload bytes */
	int	hlen;
	bool	mf;
};

static void
frag_of(const struct mbuf *m, struct frag *f)
{
	const struct ip *ip = mtod(m, const struct ip *);

	f->hlen = IP_HL(ip) << 2;
	f->off = (ntohs(ip->ip_off) & IP_OFFMASK) * 8;
	f->len = ntohs(ip->ip_len) - f->hlen;
	f->mf = (ntohs(ip->ip_off) & IP_MF) != 0;
}

/* Memory an mbuf chain really pins (what a peer could make us hold). */
static size_t
mbuf_mem(const struct mbuf *m)
{
	size_t mem = 0;

	for (; m != NULL; m = m->m_next)
		mem += MSIZE + ((m->m_flags & M_EXT) ? m_ext_of(m)->ext_size : 0);
	return (mem);
}

void
ip_reass_init(struct ip_reass *ir, const struct ip_reass_limits *lim)
{
	memset(ir, 0, sizeof(*ir));
	TAILQ_INIT(&ir->ir_queues);
	ir->ir_lim = *lim;
}

static void
ipq_free(struct ip_reass *ir, struct ipq *q, bool delivered)
{
	struct mbuf *m, *n;

	for (m = q->iq_frags; m != NULL; m = n) {
		n = m->m_nextpkt;
		m->m_nextpkt = NULL;
		if (!delivered) {
			ir->ir_fragdrop++;
			m_freem(m);
		}
	}
	KASSERT(ir->ir_mem >= q->iq_mem, ("ip_reass: memory count"));
	ir->ir_mem -= q->iq_mem;
	ir->ir_nq--;
	TAILQ_REMOVE(&ir->ir_queues, q, iq_link);
	free(q, M_IPREASS);
}

static struct mbuf *
ipq_complete(struct ip_reass *ir, struct ipq *q)
{
	struct mbuf *head, *m, *n;
	struct frag f;
	struct ip *ip;
	int expect = 0, total;

	for (m = q->iq_frags; m != NULL; m = m->m_nextpkt) {
		frag_of(m, &f);
		if (f.off != expect)
			return (NULL);
		expect = f.off + f.len;
	}
	if (q->iq_end < 0 || expect != q->iq_end)
		return (NULL);
	head = q->iq_frags;
	frag_of(head, &f);
	total = f.hlen + q->iq_end;
	if (total > IP_MAXPACKET) {
		ir->ir_toolong++;
		ipq_free(ir, q, false);
		return (NULL);
	}
	m = head->m_nextpkt;
	head->m_nextpkt = NULL;
	for (; m != NULL; m = n) {
		struct frag g;

		n = m->m_nextpkt;
		m->m_nextpkt = NULL;
		frag_of(m, &g);
		m_adj(m, g.hlen);
		m_cat(head, m);
	}
	q->iq_frags = NULL;
	head->m_pkthdr.len = total;
	ip = mtod(head, struct ip *);
	ip->ip_len = htons((uint16_t)total);
	ip->ip_off = 0;
	ip->ip_sum = 0;
	ip->ip_sum = in_cksum_buf(ip, (size_t)f.hlen);
	if (!q->iq_allvalid)
		head->m_pkthdr.csum_flags &= ~(CSUM_L4_CALC | CSUM_L4_VALID |
		    CSUM_DATA_VALID | CSUM_PSEUDO_HDR);
	ir->ir_done++;
	ipq_free(ir, q, true);
	return (head);
}

struct mbuf *
ip_reass(struct ip_reass *ir, struct mbuf *m, sbintime_t now)
{
	const struct ip *ip = mtod(m, const struct ip *);
	struct mbuf **pp, *p;
	struct ipq *q;
	struct frag f, g;
	size_t mem;
	bool valid;

	frag_of(m, &f);
	valid = (m->m_pkthdr.csum_flags & (CSUM_DATA_VALID | CSUM_PSEUDO_HDR)) ==
	    (CSUM_DATA_VALID | CSUM_PSEUDO_HDR) && m->m_pkthdr.csum_data == 0xffff;
	TAILQ_FOREACH(q, &ir->ir_queues, iq_link) {
		if (q->iq_id == ip->ip_id && q->iq_src == ip->ip_src &&
		    q->iq_dst == ip->ip_dst && q->iq_p == ip->ip_p)
			break;
	}
	if (q == NULL) {
		if (ir->ir_nq >= ir->ir_lim.maxq) {
			/* Fresh traffic wins over a datagram stuck half-way. */
			ir->ir_limit++;
			ipq_free(ir, TAILQ_FIRST(&ir->ir_queues), false);
		}
		q = malloc(sizeof(*q), M_IPREASS, M_NOWAIT | M_ZERO);
		if (q == NULL) {
			ir->ir_fragdrop++;
			m_freem(m);
			return (NULL);
		}
		q->iq_src = ip->ip_src;
		q->iq_dst = ip->ip_dst;
		q->iq_id = ip->ip_id;
		q->iq_p = ip->ip_p;
		q->iq_end = -1;
		q->iq_expire = now + ir->ir_lim.timeout;
		q->iq_allvalid = true;
		TAILQ_INSERT_TAIL(&ir->ir_queues, q, iq_link);
		ir->ir_nq++;
	}
	if (q->iq_nfrags >= ir->ir_lim.maxfrags)
		goto limit;
	mem = mbuf_mem(m);
	while (ir->ir_mem + mem > ir->ir_lim.maxmem &&
	    TAILQ_FIRST(&ir->ir_queues) != q) {
		ir->ir_limit++;
		ipq_free(ir, TAILQ_FIRST(&ir->ir_queues), false);
	}
	if (ir->ir_mem + mem > ir->ir_lim.maxmem)
		goto limit;
	/* The datagram's end: fixed by the last fragment, never passed. */
	if (!f.mf) {
		if (q->iq_end >= 0 && q->iq_end != f.off + f.len)
			goto bad;
		q->iq_end = f.off + f.len;
	}
	if (q->iq_end >= 0 && f.off + f.len > q->iq_end)
		goto bad;
	for (pp = &q->iq_frags; (p = *pp) != NULL; pp = &p->m_nextpkt) {
		frag_of(p, &g);
		if (g.off + g.len > q->iq_end && q->iq_end >= 0)
			goto bad;
		if (g.off >= f.off)
			break;
	}
	/* p: first fragment at or after f; the one before ends at most at f.off. */
	if (p != NULL && (g.off < f.off + f.len || g.off == f.off))
		goto overlap;
	if (pp != &q->iq_frags) {
		struct mbuf *prev = q->iq_frags;

		while (prev->m_nextpkt != p)
			prev = prev->m_nextpkt;
		frag_of(prev, &g);
		if (g.off + g.len > f.off)
			goto overlap;
	}
	/* The rest of the list must also respect a newly learnt end. */
	for (struct mbuf *r = p; r != NULL; r = r->m_nextpkt) {
		frag_of(r, &g);
		if (q->iq_end >= 0 && g.off + g.len > q->iq_end)
			goto bad;
	}
	m->m_nextpkt = p;
	*pp = m;
	q->iq_nfrags++;
	q->iq_mem += mem;
	ir->ir_mem += mem;
	if (!valid)
		q->iq_allvalid = false;
	return (ipq_complete(ir, q));
overlap:
	ir->ir_overlap++;
	goto drop;
bad:
	ir->ir_bad++;
	goto drop;
limit:
	ir->ir_limit++;
drop:
	ir->ir_fragdrop++;
	m_freem(m);
	ipq_free(ir, q, false);
	return (NULL);
}

int
ip_reass_timeout(struct ip_reass *ir, sbintime_t now)
{
	struct ipq *q, *next;
	int n = 0;

	TAILQ_FOREACH_SAFE(q, &ir->ir_queues, iq_link, next) {
		if (q->iq_expire <= now) {
			ir->ir_timeout++;
			ipq_free(ir, q, false);
			n++;
		}
	}
	return (n);
}

void
ip_reass_flush(struct ip_reass *ir)
{
	while (!TAILQ_EMPTY(&ir->ir_queues))
		ipq_free(ir, TAILQ_FIRST(&ir->ir_queues), false);
}
