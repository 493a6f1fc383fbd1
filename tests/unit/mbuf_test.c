/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * mbuf(9) chain operations, hosted: every result is compared with the same
 * operation done on a flat array, chains are checked with m_sanity() and
 * the counters must come back to zero (no leak, no double free).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/mbuf.h>
#include <sys/systm.h>

#include "kunit.h"

#define LEN	10000

static uint8_t	ref[LEN + 4096];
static uint8_t	out[LEN + 4096];

static void
setup(void)
{
	static bool done;

	if (!done) {
		kunit_ram(16 * 1024 * 1024, 16 * 1024 * 1024);
		kunit_sysinit(SI_SUB_KMEM);
		done = true;
	}
	for (int i = 0; i < (int)sizeof(ref); i++)
		ref[i] = (uint8_t)(i * 7 + i / 251);
}

/* A packet of len bytes of ref from off, in pieces of at most piece. */
static struct mbuf *
mk(int off, int len, int piece)
{
	struct mbuf *m = m_gethdr(M_NOWAIT, MT_DATA), *t = m;
	int done = 0;

	KU_ASSERT(m != NULL, "no mbuf");
	while (done < len) {
		int n = MIN(piece, len - done);

		if (t->m_len > 0 || n > M_TRAILINGSPACE(t)) {
			struct mbuf *x = n > MLEN ? m_getcl(M_NOWAIT, MT_DATA, 0) :
			    m_get(M_NOWAIT, MT_DATA);

			KU_ASSERT(x != NULL, "no mbuf");
			t->m_next = x;
			t = x;
		}
		memcpy(t->m_data, ref + off + done, (size_t)n);
		t->m_len = n;
		done += n;
	}
	m->m_pkthdr.len = len;
	KU_ASSERT(m_sanity(m, true) == 0, "built a bad chain");
	return (m);
}

static void
same(const struct mbuf *m, const uint8_t *want, int len, const char *what)
{
	KU_ASSERT(m_sanity(m, (m->m_flags & M_PKTHDR) != 0) == 0,
	    "%s: bad chain", what);
	KU_ASSERT((int)m_length(m, NULL) == len, "%s: %u bytes, want %d", what,
	    m_length(m, NULL), len);
	m_copydata(m, 0, len, out);
	KU_ASSERT(memcmp(out, want, (size_t)len) == 0, "%s: data differ", what);
}

static void
no_leak(void)
{
	KU_ASSERT(mbstat.m_mbufs == 0 && mbstat.m_clusters == 0,
	    "%lu mbufs, %lu clusters left", mbstat.m_mbufs, mbstat.m_clusters);
}

KUNIT_TEST(mbuf_append_copydata)
{
	struct mbuf *m;

	setup();
	m = m_gethdr(M_NOWAIT, MT_DATA);
	for (int done = 0; done < LEN; done += 333)
		KU_ASSERT(m_append(m, MIN(333, LEN - done), ref + done),
		    "append");
	same(m, ref, LEN, "appended");
	KU_ASSERT(m->m_pkthdr.len == LEN, "pkthdr.len %d", m->m_pkthdr.len);
	for (int off = 0; off < LEN; off += 977) {
		int len = MIN(1500, LEN - off);

		m_copydata(m, off, len, out);
		KU_ASSERT(memcmp(out, ref + off, (size_t)len) == 0,
		    "copydata at %d", off);
	}
	m_freem(m);
	no_leak();
}

static int
count_mbufs(const struct mbuf *m, int *empty)
{
	int n = 0;

	*empty = 0;
	for (; m != NULL; m = m->m_next) {
		n++;
		if (m->m_len == 0)
			(*empty)++;
	}
	return (n);
}

/* A chain from m_getm is filled in order by m_append: no cluster left
 * empty in the middle, none allocated twice. */
KUNIT_TEST(mbuf_getm_append_in_order)
{
	static const int lens[] = { 1, 100, MHLEN, 2000, 5000, 65507 };
	static uint8_t big[65507];

	setup();
	for (size_t i = 0; i < nitems(lens); i++) {
		struct mbuf *m = m_getm(lens[i], M_NOWAIT, MT_DATA, M_PKTHDR);
		int n, empty, want = lens[i] <= MHLEN ? 1 :
		    howmany(lens[i], MCLBYTES);

		KU_ASSERT(m != NULL, "getm %d", lens[i]);
		for (int k = 0; k < lens[i]; k++)
			big[k] = ref[k % LEN];
		KU_ASSERT(m_append(m, lens[i], big), "append %d", lens[i]);
		same(m, big, lens[i], "getm+append");
		n = count_mbufs(m, &empty);
		KU_ASSERT(empty == 0, "%d: %d empty mbufs in the chain", lens[i],
		    empty);
		KU_ASSERT(n == want, "%d bytes in %d mbufs, want %d", lens[i], n,
		    want);
		m_freem(m);
	}
	no_leak();
}

/* Copies of a chain with empty mbufs inside have none. */
KUNIT_TEST(mbuf_copym_skips_empty)
{
	struct mbuf *m, *c;
	int empty;

	setup();
	m = mk(0, 3000, 500);
	m_adj(m, -1200);	/* empties the last two mbufs */
	(void)count_mbufs(m, &empty);
	/* mk() leaves the header mbuf empty when pieces exceed MHLEN. */
	KU_ASSERT(empty == 3, "setup: %d empty", empty);
	c = m_copym(m, 0, M_COPYALL, M_NOWAIT);
	KU_ASSERT(c != NULL, "copym");
	same(c, ref, 1800, "copy");
	(void)count_mbufs(c, &empty);
	KU_ASSERT(empty == 0, "%d empty mbufs in the copy", empty);
	m_freem(m);
	m_freem(c);
	no_leak();
}

KUNIT_TEST(mbuf_pullup)
{
	static const int lens[] = { 1, 14, 34, 42, 60, 100, MHLEN };

	setup();
	for (size_t i = 0; i < nitems(lens); i++) {
		for (int piece = 1; piece <= 64; piece *= 4) {
			struct mbuf *m = mk(0, 3000, piece);

			m = m_pullup(m, lens[i]);
			KU_ASSERT(m != NULL, "pullup %d failed", lens[i]);
			KU_ASSERT(m->m_len >= lens[i], "pullup %d: %d contiguous",
			    lens[i], m->m_len);
			same(m, ref, 3000, "pulled up");
			m_freem(m);
		}
	}
	/* Longer than the chain or than an mbuf: freed, NULL. */
	KU_ASSERT(m_pullup(mk(0, 10, 3), 11) == NULL, "short chain");
	KU_ASSERT(m_pullup(mk(0, 3000, 7), MHLEN + 1) == NULL, "past MHLEN");
	no_leak();
}

KUNIT_TEST(mbuf_split)
{
	static const int at[] = { 0, 1, 13, 100, 999, 1000, 2047, 2048, 4999 };

	setup();
	for (size_t i = 0; i < nitems(at); i++) {
		for (int piece = 50; piece <= 2048; piece *= 4) {
			struct mbuf *m = mk(0, 5000, piece), *n;

			n = m_split(m, at[i], M_NOWAIT);
			KU_ASSERT(n != NULL, "split at %d", at[i]);
			KU_ASSERT(m->m_pkthdr.len == at[i] &&
			    n->m_pkthdr.len == 5000 - at[i], "split lengths");
			if (at[i] > 0)
				same(m, ref, at[i], "head");
			same(n, ref + at[i], 5000 - at[i], "tail");
			m_freem(m);
			m_freem(n);
		}
	}
	no_leak();
}

KUNIT_TEST(mbuf_adj)
{
	struct mbuf *m;

	setup();
	m = mk(0, 5000, 700);
	m_adj(m, 1234);
	same(m, ref + 1234, 5000 - 1234, "head trimmed");
	KU_ASSERT(m->m_pkthdr.len == 5000 - 1234, "len after head trim");
	m_adj(m, -766);
	same(m, ref + 1234, 3000, "tail trimmed");
	KU_ASSERT(m->m_pkthdr.len == 3000, "len after tail trim");
	m_adj(m, -5000);
	KU_ASSERT(m->m_pkthdr.len == 0 && m_length(m, NULL) == 0, "trim all");
	m_freem(m);
	no_leak();
}

KUNIT_TEST(mbuf_copyback)
{
	struct mbuf *m;
	uint8_t want[6000];

	setup();
	m = mk(0, 3000, 500);
	memcpy(want, ref, 3000);
	m_copyback(m, 100, 50, ref + 5000);
	memcpy(want + 100, ref + 5000, 50);
	same(m, want, 3000, "overwritten");
	/* Past the end: the gap is zeros, the chain grows. */
	KU_ASSERT(m_copyback(m, 4000, 1000, ref + 6000) == 0, "grow");
	memset(want + 3000, 0, 1000);
	memcpy(want + 4000, ref + 6000, 1000);
	same(m, want, 5000, "grown");
	KU_ASSERT(m->m_pkthdr.len == 5000, "len %d", m->m_pkthdr.len);
	m_freem(m);
	no_leak();
}

KUNIT_TEST(mbuf_copym_shares)
{
	struct mbuf *m, *c, *d;

	setup();
	m = mk(0, 6000, 2048);
	c = m_copym(m, 1000, 3000, M_NOWAIT);
	KU_ASSERT(c != NULL, "copym");
	same(c, ref + 1000, 3000, "copy");
	KU_ASSERT(!M_WRITABLE(c) && !M_WRITABLE(m->m_next),
	    "shared storage writable");
	d = m_dup(m, M_NOWAIT);
	KU_ASSERT(d != NULL, "dup");
	same(d, ref, 6000, "dup");
	for (struct mbuf *t = d; t != NULL; t = t->m_next)
		KU_ASSERT(M_WRITABLE(t), "dup not writable");
	m_freem(m);
	/* The copy outlives the original (reference count). */
	same(c, ref + 1000, 3000, "copy after the original is freed");
	KU_ASSERT(M_WRITABLE(c), "sole owner still read-only");
	m_freem(c);
	m_freem(d);
	no_leak();
}

KUNIT_TEST(mbuf_defrag_cat_prepend)
{
	struct mbuf *m, *n;
	uint8_t want[8000];
	int count = 0;

	setup();
	m = mk(0, 4000, 10);
	n = m_defrag(m, M_NOWAIT);
	KU_ASSERT(n != NULL, "defrag");
	for (struct mbuf *t = n; t != NULL; t = t->m_next)
		count++;
	KU_ASSERT(count <= 2, "defrag left %d mbufs", count);
	same(n, ref, 4000, "defragged");
	m = mk(4000, 3000, 100);
	m_cat(n, m);
	n->m_pkthdr.len += 3000;
	same(n, ref, 7000, "concatenated");
	M_PREPEND(n, 20, M_NOWAIT);
	KU_ASSERT(n != NULL, "prepend");
	memcpy(mtod(n, uint8_t *), "01234567890123456789", 20);
	memcpy(want, "01234567890123456789", 20);
	memcpy(want + 20, ref, 7000);
	same(n, want, 7020, "prepended");
	KU_ASSERT(n->m_pkthdr.len == 7020, "len %d", n->m_pkthdr.len);
	m_freem(n);
	no_leak();
}
