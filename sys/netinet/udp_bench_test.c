/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * In-kernel tests of bench/net's source and sink (udp_bench.h): the
 * datagram bytes against the layout bench/net/netbench.c uses, the
 * netbench= syntax, the result lines, and a receiving round counted from
 * datagrams that come in through the stack over a ktap interface.
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/if_ktap.h>
#include <netinet/in.h>
#include <netinet/inet_test_util.h>
#include <netinet/udp_bench.h>
#include <netinet/udp_kern.h>

KTEST(netbench_msg)
{
	/* "NBN1", kind 1, value 0x0102030405060708, as netbench.c lays it
	 * out with htonl/htobe64. */
	static const uint8_t want[NB_HDR] = { 'N', 'B', 'N', '1', 0, 0, 0, 1,
	    1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t b[NB_HDR];
	uint32_t kind;
	uint64_t v;

	nb_msg_put(b, NB_KIND_END, 0x0102030405060708ull);
	KT_ASSERT(memcmp(b, want, sizeof(b)) == 0, "bytes differ: %02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3]);
	KT_ASSERT(nb_msg_get(want, sizeof(want), &kind, &v) &&
	    kind == NB_KIND_END && v == 0x0102030405060708ull,
	    "decoded kind %u", kind);
	KT_ASSERT(!nb_msg_get(want, NB_HDR - 1, &kind, &v), "short accepted");
	b[0] = 'X';
	KT_ASSERT(!nb_msg_get(b, sizeof(b), &kind, &v), "bad magic accepted");
}

KTEST(netbench_parse)
{
	struct nb_act a[NB_MAXACTS];
	const char *why = NULL;
	/* NB_MAXACTS + 1 actions. */
	static const char nine[] =
	    "recv:1;recv:1;recv:1;recv:1;recv:1;recv:1;recv:1;recv:1;recv:1";
	static const char *const bad[] = { "", "recv", "recv:0", "recv:x",
	    "send:64", "send:15:100", "send:65508:100", "send:64:0",
	    "ping:1", "recv:2;", nine };
	int n;
	size_t i;

	n = nb_parse("recv:2;send:64:3000;send:1472:500", a, NB_MAXACTS, &why);
	KT_ASSERT(n == 3, "parsed %d (%s)", n, why != NULL ? why : "");
	KT_ASSERT(!a[0].na_send && a[0].na_rounds == 2, "recv:2");
	KT_ASSERT(a[1].na_send && a[1].na_size == 64 && a[1].na_ms == 3000,
	    "send:64:3000 -> %u %u", a[1].na_size, a[1].na_ms);
	KT_ASSERT(a[2].na_size == 1472 && a[2].na_ms == 500, "send:1472:500");
	for (i = 0; i < nitems(bad); i++) {
		why = NULL;
		/* "recv:2;" is one action and a trailing separator: fine. */
		if (strcmp(bad[i], "recv:2;") == 0) {
			KT_ASSERT(nb_parse(bad[i], a, NB_MAXACTS, &why) == 1,
			    "trailing ';' refused");
			continue;
		}
		KT_ASSERT(nb_parse(bad[i], a, NB_MAXACTS, &why) < 0 &&
		    why != NULL, "\"%s\" accepted", bad[i]);
	}
}

KTEST(netbench_format)
{
	struct nb_round r;
	char line[200];

	/* 1000 datagrams of 1472 bytes in 0.5 s: 2000 pps, 23.552 Mbit/s. */
	memset(&r, 0, sizeof(r));
	r.nr_pkts = 1000;
	r.nr_size = 1472;
	r.nr_first = 10 * SBT_1S;
	r.nr_last = r.nr_first + SBT_1S / 2;
	r.nr_end = true;
	r.nr_sent = 1003;
	r.nr_reord = 2;
	nb_format_recv(line, sizeof(line), &r);
	KT_ASSERT(strcmp(line, "NETBENCH-RECV size=1472 pkts=1000 ms=500 "
	    "pps=2000 mbps=23.5 sent=1003 lost=3 reordered=2") == 0,
	    "got \"%s\"", line);
	nb_format_send(line, sizeof(line), 64, 30000, 3000000, 7);
	KT_ASSERT(strcmp(line, "NETBENCH-SEND size=64 pkts=30000 ms=3000 "
	    "pps=10000 mbps=5.1 errors=7") == 0, "got \"%s\"", line);
}

struct nbt_sink {
	struct mtx		lock;
	struct nb_sink_state	st;
};

static void
nbt_input(struct udp_sock *so __unused, struct mbuf *m,
    const struct udp_from *from __unused, void *arg)
{
	struct nbt_sink *s = arg;
	uint8_t hdr[NB_HDR];

	if (m->m_pkthdr.len >= NB_HDR) {
		m_copydata(m, 0, NB_HDR, hdr);
		mtx_lock(&s->lock);
		nb_sink_input(&s->st, hdr, (size_t)m->m_pkthdr.len,
		    sbinuptime());
		mtx_unlock(&s->lock);
	}
	m_freem(m);
}

static void
nbt_send(struct ifnet *ifp, uint8_t *d, size_t len, uint32_t kind, uint64_t v)
{
	uint8_t f[300];

	nb_msg_put(d, kind, v);
	nt_inject(ifp, f, nt_udp(f, NT_PEER, NT_OURS, 4000, NB_PORT, d, len,
	    false));
}

/*
 * Through the stack over ktap: a round of 100-byte datagrams with one out
 * of order, a foreign datagram, its end (twice: the second is ignored),
 * a late datagram of that round, then 200-byte ones with no end datagram
 * (ended by the next size), then 64-byte ones ended by idleness.
 */
KTEST(netbench_sink)
{
	static const uint64_t order[] = { 0, 1, 2, 3, 4, 6, 7, 5, 8, 9 };
	struct ifnet *ifp = nt_setup(0, 0);
	struct nbt_sink s;
	struct udp_sock *so;
	struct nb_round r[3];
	uint8_t d[200];
	size_t i;
	int n = 0, nfin;

	memset(&s, 0, sizeof(s));
	mtx_init(&s.lock, "nbt", NULL, MTX_DEF);
	KT_ASSERT(udp_sock_open(&so, NB_PORT, nbt_input, &s) == 0, "open");
	memset(d, 0, sizeof(d));
	for (i = 0; i < nitems(order); i++)
		nbt_send(ifp, d, 100, NB_KIND_DATA, order[i]);
	nb_msg_put(d, NB_KIND_DATA, 0);
	d[0] = 'x';	/* not ours: wrong magic */
	{
		uint8_t f[300];

		nt_inject(ifp, f, nt_udp(f, NT_PEER, NT_OURS, 4000, NB_PORT,
		    d, 100, false));
	}
	nbt_send(ifp, d, 100, NB_KIND_END, 12);
	nbt_send(ifp, d, 100, NB_KIND_END, 99);
	nbt_send(ifp, d, 100, NB_KIND_DATA, 9);		/* late */
	for (i = 0; i < 5; i++)
		nbt_send(ifp, d, 200, NB_KIND_DATA, i);
	for (i = 0; i < 3; i++)
		nbt_send(ifp, d, 64, NB_KIND_DATA, i);
	mtx_lock(&s.lock);
	nb_sink_idle(&s.st, sbinuptime(), SBT_1S);	/* not idle yet */
	nfin = s.st.ss_nfin;
	nb_sink_idle(&s.st, sbinuptime() + 2 * SBT_1S, SBT_1S);
	while (n < 3 && nb_sink_take(&s.st, &r[n]))
		n++;
	mtx_unlock(&s.lock);
	udp_sock_close(so);
	mtx_destroy(&s.lock);
	nt_teardown();
	KT_ASSERT(nfin == 2, "%d rounds finished before idleness, want 2",
	    nfin);
	KT_ASSERT(n == 3, "%d rounds, want 3", n);
	KT_ASSERT(r[0].nr_pkts == nitems(order) && r[0].nr_size == 100,
	    "round 1: %lu datagrams of %zu", (unsigned long)r[0].nr_pkts,
	    r[0].nr_size);
	KT_ASSERT(r[0].nr_reord == 1, "round 1: %lu reordered, want 1",
	    (unsigned long)r[0].nr_reord);
	KT_ASSERT(r[0].nr_end && r[0].nr_sent == 12, "round 1: end %d sent %lu",
	    r[0].nr_end, (unsigned long)r[0].nr_sent);
	KT_ASSERT(r[1].nr_pkts == 5 && r[1].nr_size == 200 && !r[1].nr_end,
	    "round 2: %lu of %zu, end %d", (unsigned long)r[1].nr_pkts,
	    r[1].nr_size, r[1].nr_end);
	KT_ASSERT(r[2].nr_pkts == 3 && r[2].nr_size == 64 && !r[2].nr_end,
	    "round 3: %lu of %zu", (unsigned long)r[2].nr_pkts, r[2].nr_size);
	KT_ASSERT(r[0].nr_last >= r[0].nr_first, "times");
}
