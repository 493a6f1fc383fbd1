/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * IPv4 reassembly and its limits, hosted, with the clock in the test's
 * hands: completion in any order, the datagram bound (oldest evicted), the
 * fragment bound, the memory cap, the timeout, overlaps and duplicates,
 * contradicting ends, datagrams past 65535 bytes.  Each verdict is the
 * one ip(4) promises; payloads are checked byte for byte.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/mbuf.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

#include "kunit.h"

static struct ip_reass	ir;

static void
setup(int maxq, int maxfrags, size_t maxmem)
{
	struct ip_reass_limits lim = {
		.maxq = maxq,
		.maxfrags = maxfrags,
		.maxmem = maxmem,
		.timeout = 30 * SBT_1S,
	};
	static bool ram;

	if (!ram) {
		kunit_ram(16 * 1024 * 1024, 16 * 1024 * 1024);
		kunit_sysinit(SI_SUB_KMEM);
		ram = true;
	}
	ip_reass_init(&ir, &lim);
}

static uint8_t
pat(uint16_t id, int i)
{
	return ((uint8_t)(id * 3 + i * 7));
}

/* A fragment of datagram id: payload bytes [off, off + len). */
static struct mbuf *
frag(uint16_t id, int off, int len, bool mf, uint32_t src)
{
	struct mbuf *m = m_getm(20 + len, M_NOWAIT, MT_DATA, M_PKTHDR);
	struct ip ip;
	uint8_t b;

	KU_ASSERT(m != NULL, "no mbuf");
	for (struct mbuf *t = m; t != NULL; t = t->m_next)
		t->m_len = 0;
	memset(&ip, 0, sizeof(ip));
	ip.ip_vhl = 0x45;
	ip.ip_len = htons((uint16_t)(20 + len));
	ip.ip_id = htons(id);
	ip.ip_off = htons((uint16_t)((off / 8) | (mf ? IP_MF : 0)));
	ip.ip_ttl = 64;
	ip.ip_p = IPPROTO_UDP;
	ip.ip_src = htonl(src);
	ip.ip_dst = htonl(0x0a000002);
	KU_ASSERT(m_append(m, 20, &ip), "append");
	for (int i = 0; i < len; i++) {
		b = pat(id, off + i);
		KU_ASSERT(m_append(m, 1, &b), "append");
	}
	return (m);
}

static struct mbuf *
feed(uint16_t id, int off, int len, bool mf, sbintime_t now)
{
	return (ip_reass(&ir, frag(id, off, len, mf, 0x0a000001), now));
}

static void
check_whole(struct mbuf *m, uint16_t id, int len)
{
	uint8_t b;
	struct ip ip;

	KU_ASSERT(m != NULL, "datagram %u not complete", id);
	KU_ASSERT(m->m_pkthdr.len == 20 + len, "length %d want %d",
	    m->m_pkthdr.len, 20 + len);
	KU_ASSERT(m_sanity(m, true) == 0, "bad chain");
	m_copydata(m, 0, 20, &ip);
	KU_ASSERT(ntohs(ip.ip_len) == 20 + len && ip.ip_off == 0,
	    "header not rewritten");
	for (int i = 0; i < len; i++) {
		m_copydata(m, 20 + i, 1, &b);
		KU_ASSERT(b == pat(id, i), "byte %d of %u wrong", i, id);
	}
	m_freem(m);
}

KUNIT_TEST(reass_any_order)
{
	static const int orders[][4] = {
		{ 0, 1, 2, 3 }, { 3, 2, 1, 0 }, { 2, 0, 3, 1 }, { 1, 3, 0, 2 },
	};

	setup(16, 64, 1 << 20);
	for (size_t o = 0; o < nitems(orders); o++) {
		struct mbuf *m = NULL;

		for (int k = 0; k < 4; k++) {
			int f = orders[o][k];

			KU_ASSERT(m == NULL, "complete too early");
			m = feed((uint16_t)o, f * 800, f == 3 ? 123 : 800, f != 3,
			    0);
		}
		check_whole(m, (uint16_t)o, 3 * 800 + 123);
	}
	KU_ASSERT(ir.ir_nq == 0 && ir.ir_mem == 0, "state left: %d queues, %zu"
	    " bytes", ir.ir_nq, ir.ir_mem);
	KU_ASSERT(ir.ir_done == nitems(orders), "done %lu", ir.ir_done);
	KU_ASSERT(mbstat.m_mbufs == 0, "%lu mbufs leaked", mbstat.m_mbufs);
}

KUNIT_TEST(reass_maxq_evicts_oldest)
{
	setup(4, 64, 1 << 20);
	for (uint16_t id = 0; id < 6; id++)
		KU_ASSERT(feed(id, 0, 8, true, id) == NULL, "complete");
	KU_ASSERT(ir.ir_nq == 4, "%d in progress, bound 4", ir.ir_nq);
	KU_ASSERT(ir.ir_limit == 2, "limit count %lu", ir.ir_limit);
	/* 0 and 1 were evicted: their ends complete nothing; 5's does. */
	KU_ASSERT(feed(0, 8, 8, false, 10) == NULL, "evicted 0 completed");
	check_whole(feed(5, 8, 8, false, 10), 5, 16);
	ip_reass_flush(&ir);
	KU_ASSERT(ir.ir_nq == 0 && ir.ir_mem == 0, "flush left state");
	KU_ASSERT(mbstat.m_mbufs == 0, "%lu mbufs leaked", mbstat.m_mbufs);
}

KUNIT_TEST(reass_maxfrags)
{
	setup(16, 8, 1 << 20);
	for (int i = 0; i < 8; i++)
		KU_ASSERT(feed(7, i * 8, 8, true, 0) == NULL, "complete");
	KU_ASSERT(ir.ir_nq == 1, "queue gone early");
	/* The ninth fragment drops the whole datagram. */
	KU_ASSERT(feed(7, 64, 8, false, 0) == NULL, "ninth accepted");
	KU_ASSERT(ir.ir_nq == 0 && ir.ir_mem == 0, "datagram kept");
	KU_ASSERT(ir.ir_limit == 1 && ir.ir_fragdrop == 9, "limit %lu drop %lu",
	    ir.ir_limit, ir.ir_fragdrop);
	KU_ASSERT(mbstat.m_mbufs == 0, "%lu mbufs leaked", mbstat.m_mbufs);
}

KUNIT_TEST(reass_memory_cap)
{
	size_t cap = 16 * 1024;

	setup(64, 64, cap);
	for (uint16_t id = 0; id < 40; id++) {
		KU_ASSERT(feed(id, 0, 1400, true, 0) == NULL, "complete");
		KU_ASSERT(ir.ir_mem <= cap, "%zu bytes held, cap %zu", ir.ir_mem,
		    cap);
	}
	KU_ASSERT(ir.ir_limit > 0, "cap never hit");
	KU_ASSERT(ir.ir_nq < 40, "%d datagrams kept", ir.ir_nq);
	/* The newest survive. */
	check_whole(feed(39, 1400, 8, false, 0), 39, 1408);
	ip_reass_flush(&ir);
	KU_ASSERT(mbstat.m_mbufs == 0, "%lu mbufs leaked", mbstat.m_mbufs);
}

KUNIT_TEST(reass_timeout)
{
	setup(16, 64, 1 << 20);
	KU_ASSERT(feed(1, 0, 8, true, 0) == NULL, "complete");
	KU_ASSERT(feed(2, 0, 8, true, 20 * SBT_1S) == NULL, "complete");
	KU_ASSERT(ip_reass_timeout(&ir, 29 * SBT_1S) == 0, "expired early");
	KU_ASSERT(ip_reass_timeout(&ir, 30 * SBT_1S) == 1, "1 not expired");
	KU_ASSERT(ir.ir_timeout == 1 && ir.ir_nq == 1, "counts");
	KU_ASSERT(feed(1, 8, 8, false, 31 * SBT_1S) == NULL,
	    "expired datagram completed");
	check_whole(feed(2, 8, 8, false, 31 * SBT_1S), 2, 16);
	ip_reass_flush(&ir);
	KU_ASSERT(mbstat.m_mbufs == 0, "%lu mbufs leaked", mbstat.m_mbufs);
}

KUNIT_TEST(reass_overlaps_drop_datagram)
{
	static const struct {
		int	a_off, a_len, b_off, b_len;
	} cases[] = {
		{ 0, 16, 8, 16 },	/* tail over head */
		{ 8, 16, 0, 16 },	/* head over tail */
		{ 0, 16, 0, 16 },	/* exact duplicate */
		{ 0, 32, 8, 8 },	/* inside */
		{ 8, 8, 0, 32 },	/* around */
	};

	setup(16, 64, 1 << 20);
	for (size_t i = 0; i < nitems(cases); i++) {
		uint16_t id = (uint16_t)(100 + i);

		KU_ASSERT(feed(id, cases[i].a_off, cases[i].a_len, true, 0) ==
		    NULL, "complete");
		KU_ASSERT(feed(id, cases[i].b_off, cases[i].b_len, true, 0) ==
		    NULL, "complete");
		KU_ASSERT(ir.ir_overlap == i + 1, "case %zu: overlap %lu", i,
		    ir.ir_overlap);
		KU_ASSERT(ir.ir_nq == 0, "case %zu: datagram kept", i);
	}
	/* Adjacent is not an overlap. */
	KU_ASSERT(feed(200, 0, 16, true, 0) == NULL, "complete");
	check_whole(feed(200, 16, 16, false, 0), 200, 32);
	KU_ASSERT(ir.ir_overlap == nitems(cases), "adjacent counted");
	KU_ASSERT(mbstat.m_mbufs == 0, "%lu mbufs leaked", mbstat.m_mbufs);
}

KUNIT_TEST(reass_contradicting_ends)
{
	setup(16, 64, 1 << 20);
	/* Two different last fragments. */
	KU_ASSERT(feed(1, 16, 8, false, 0) == NULL, "complete");
	KU_ASSERT(feed(1, 32, 8, false, 0) == NULL, "complete");
	KU_ASSERT(ir.ir_bad == 1 && ir.ir_nq == 0, "second end accepted");
	/* A fragment past a known end. */
	KU_ASSERT(feed(2, 16, 8, false, 0) == NULL, "complete");
	KU_ASSERT(feed(2, 24, 8, true, 0) == NULL, "complete");
	KU_ASSERT(ir.ir_bad == 2 && ir.ir_nq == 0, "fragment past the end");
	/* An end before fragments already held. */
	KU_ASSERT(feed(3, 32, 8, true, 0) == NULL, "complete");
	KU_ASSERT(feed(3, 8, 8, false, 0) == NULL, "complete");
	KU_ASSERT(ir.ir_bad == 3 && ir.ir_nq == 0, "end before held data");
	KU_ASSERT(mbstat.m_mbufs == 0, "%lu mbufs leaked", mbstat.m_mbufs);
}

KUNIT_TEST(reass_too_long)
{
	struct mbuf *m = NULL;
	int off;

	setup(16, 64, 4 << 20);
	/* 65520 payload bytes + 20 header = 65540: refused when complete. */
	for (off = 0; off + 1480 < 65520; off += 1480)
		KU_ASSERT(feed(9, off, 1480, true, 0) == NULL, "complete");
	m = feed(9, off, 65520 - off, false, 0);
	KU_ASSERT(m == NULL, "65540-byte datagram delivered");
	KU_ASSERT(ir.ir_toolong == 1 && ir.ir_nq == 0, "toolong %lu",
	    ir.ir_toolong);
	KU_ASSERT(mbstat.m_mbufs == 0, "%lu mbufs leaked", mbstat.m_mbufs);
}
