/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xn(4) against Linux's netback (lab scenario domu-net: one vif on dom0's
 * bridge xenbr0, dom0 at ktest.xn_peer running udpecho's server, which
 * checks every datagram's pattern and, from a capture on the bridge, its
 * UDP checksum: the independent reference).  Without a vif (every other
 * scenario) the tests skip at once.  Detach and attach again are
 * domu-netops' (dom0 drives them, netlab_hold keeps the guest up).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/if.h>
#include <net/if_var.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/udp_kern.h>
#include <netinet/udp_var.h>

#include <dev/xen/netfront/netfront_var.h>

#include <xen/xen_ktest.h>
#include <xen/xenstore.h>

static char xnt_peer[32];
TUNABLE_STR("ktest.xn_peer", xnt_peer, sizeof(xnt_peer),
    "IPv4 address of dom0 on xn0's bridge (udpecho server on port 7777)");

#define XNT_ECHO_PORT	7777

/* xn0 once its link is up; NULL at once when we were given no vif. */
static struct xn_softc *
xnt_up(u_int unit)
{
	const char **ents;
	struct xn_softc *sc;
	u_int num;

	if (!xs_ready() ||
	    xs_directory(XST_NIL, "device", "vif", &num, &ents) != 0)
		return (NULL);
	free(ents, M_XENSTORE);
	if (num <= unit)
		return (NULL);
	for (u_int ms = 0; ms < 10000; ms += 20) {
		sc = xn_find(unit);
		if (sc != NULL && sc->sc_conn == XN_UP &&
		    sc->sc_ifp->if_link_state == LINK_STATE_UP)
			return (sc);
		(void)tsleep(&xnt_up, "xntup", 20 * SBT_1MS);
	}
	return (xn_find(unit));
}

static uint64_t
xnt_node(struct xn_softc *sc, const char *node)
{
	uint64_t v = ~0ull;

	(void)xs_read_uint(XST_NIL, xenbus_get_node(sc->sc_dev), node, &v);
	return (v);
}

static in_addr_t
xnt_peer_addr(void)
{
	in_addr_t a;

	if (xnt_peer[0] == '\0' || inet_pton4(xnt_peer, &a) != 1)
		return (INADDR_ANY);
	return (a);
}

static int xnt_queues;
TUNABLE_INT("ktest.xn_queues", &xnt_queues,
    "queues xn0 must have negotiated (dom0 set netback's max_queues)");

KTEST(xn_connected)
{
	struct xn_softc *sc;
	char node[48];

	KT_REQUIRE_XEN();
	if ((sc = xnt_up(0)) == NULL)
		KT_SKIP("no vif");
	KT_ASSERT(sc->sc_conn == XN_UP, "xn0 not up: conn %d link %d",
	    sc->sc_conn, sc->sc_ifp->if_link_state);
	KT_ASSERT(sc->sc_ifp->if_link_state == LINK_STATE_UP &&
	    (sc->sc_ifp->if_flags & IFF_RUNNING) != 0, "link %d flags %#x",
	    sc->sc_ifp->if_link_state, sc->sc_ifp->if_flags);
	/* What netback reads, as we wrote it. */
	KT_ASSERT(xnt_node(sc, "request-rx-copy") == 1 &&
	    xnt_node(sc, "feature-rx-notify") == 1, "rx-copy %ju rx-notify %ju",
	    (uintmax_t)xnt_node(sc, "request-rx-copy"),
	    (uintmax_t)xnt_node(sc, "feature-rx-notify"));
	if (sc->sc_nqueues > 1) {
		KT_ASSERT(xnt_node(sc, "multi-queue-num-queues") ==
		    sc->sc_nqueues, "num-queues node %ju for %u queues",
		    (uintmax_t)xnt_node(sc, "multi-queue-num-queues"),
		    sc->sc_nqueues);
		snprintf(node, sizeof(node), "queue-%u/tx-ring-ref",
		    sc->sc_nqueues - 1);
	} else
		strlcpy(node, "tx-ring-ref", sizeof(node));
	KT_ASSERT(xnt_node(sc, node) == sc->sc_queues[sc->sc_nqueues - 1].
	    xq_txs_ref, "%s", node);
	for (u_int i = 0; i < sc->sc_nqueues; i++) {
		struct xn_queue *q = &sc->sc_queues[i];
		u_int posted;

		mtx_lock_spin(&q->xq_rxmtx);
		posted = nfrx_posted(q->xq_rx);
		mtx_unlock_spin(&q->xq_rxmtx);
		KT_ASSERT(posted == NF_RX_RING_SIZE, "queue %u: %u rx buffers "
		    "posted", i, posted);
		KT_ASSERT((q->xq_rxevt != NULL) == sc->sc_neg.split,
		    "queue %u: split %d", i, sc->sc_neg.split);
	}
	KT_ASSERT(xnt_queues == 0 || sc->sc_nqueues == (u_int)xnt_queues,
	    "%u queues, dom0 allowed %d", sc->sc_nqueues, xnt_queues);
	KT_NOTE("queues=%u split=%d sg=%d mtu=%u backend-max-queues=%u",
	    sc->sc_nqueues, sc->sc_neg.split, sc->sc_neg.tx_sg,
	    sc->sc_neg.mtu, sc->sc_be.max_queues);
}

KTEST(xn_ping_peer)
{
	struct ping_stats ps;
	in_addr_t peer;
	int error;

	KT_REQUIRE_XEN();
	if (xnt_up(0) == NULL || (peer = xnt_peer_addr()) == INADDR_ANY)
		KT_SKIP("no vif or no ktest.xn_peer");
	error = ping(peer, 5, 56, 2 * SBT_1S, &ps);
	KT_ASSERT(error == 0 && ps.ps_received == 5 && ps.ps_bad == 0,
	    "ping %s: error %d, %d/%d replies, %d bad", xnt_peer, error,
	    ps.ps_received, ps.ps_sent, ps.ps_bad);
	/* A frame of 1472 + 8 bytes of ICMP: one full-MTU frame each way. */
	error = ping(peer, 2, 1472, 2 * SBT_1S, &ps);
	KT_ASSERT(error == 0 && ps.ps_received == 2, "1472-byte ping: %d/%d",
	    ps.ps_received, ps.ps_sent);
	KT_NOTE("rtt min %ju us", (uintmax_t)(ps.ps_rtt_min / SBT_1US));
}

/* netcheck's payload pattern (tests/lab/tools/netcheck.h). */
static uint8_t
xnt_pat(size_t i, size_t n)
{
	return ((uint8_t)((i * 131 + n * 17 + (i >> 8)) & 0xff));
}

struct xnt_echo {
	struct mtx	mtx;		/* spin */
	size_t		want;
	bool		got;
	bool		ok;
	size_t		len;
	size_t		bad_at;
};

static void
xnt_echo_in(struct udp_sock *so, struct mbuf *m, const struct udp_from *from,
    void *arg)
{
	struct xnt_echo *e = arg;
	size_t len = m_length(m, NULL), at = len;
	uint8_t chunk[256];

	for (size_t off = 0; off < len && at == len; off += sizeof(chunk)) {
		size_t n = MIN(sizeof(chunk), len - off);

		m_copydata(m, (int)off, (int)n, chunk);
		for (size_t i = 0; i < n; i++)
			if (chunk[i] != xnt_pat(off + i, len)) {
				at = off + i;
				break;
			}
	}
	m_freem(m);
	mtx_lock_spin(&e->mtx);
	if (len == e->want && !e->got) {
		e->got = true;
		e->len = len;
		e->ok = at == len;
		e->bad_at = at;
		wakeup(e);
	}
	mtx_unlock_spin(&e->mtx);
}

/* One datagram of n bytes to the peer's echo server and back. */
static int
xnt_echo_one(struct udp_sock *so, struct xnt_echo *e, in_addr_t peer,
    uint8_t *buf, size_t n)
{
	int error = ETIMEDOUT;

	for (size_t i = 0; i < n; i++)
		buf[i] = xnt_pat(i, n);
	for (int tries = 0; tries < 3 && error != 0; tries++) {
		mtx_lock_spin(&e->mtx);
		e->want = n;
		e->got = false;
		mtx_unlock_spin(&e->mtx);
		if ((error = udp_sock_sendbuf(so, peer, XNT_ECHO_PORT, buf,
		    n)) != 0)
			continue;
		mtx_lock_spin(&e->mtx);
		if (!e->got)
			(void)msleep(e, &e->mtx, "xntecho", 2 * SBT_1S);
		error = !e->got ? ETIMEDOUT : e->ok ? 0 : EBADMSG;
		mtx_unlock_spin(&e->mtx);
	}
	return (error);
}

static const size_t xnt_sizes[] = {
	1, 2, 17, 100, 1000, 1471, 1472, 1473, 2000, 2952, 4096, 8193,
	16384, 32768, 50001, 65507,
};

/*
 * Round trips of 1 to 65507 bytes (fragments past 1472), with the stack
 * trusting our offload verdicts, then again with receive checksum offload
 * off so the stack checks every checksum itself, the ones we filled in
 * included.
 */
KTEST(xn_udp_echo)
{
	struct xn_softc *sc;
	struct udp_sock *so = NULL;
	struct xnt_echo e;
	uint8_t *buf;
	in_addr_t peer;
	uint64_t filled0, offl0, bad0;
	int error = 0, caps;

	KT_REQUIRE_XEN();
	if ((sc = xnt_up(0)) == NULL || (peer = xnt_peer_addr()) == INADDR_ANY)
		KT_SKIP("no vif or no ktest.xn_peer");
	memset(&e, 0, sizeof(e));
	mtx_init(&e.mtx, "xntecho", NULL, MTX_SPIN);
	buf = malloc(65536, M_TEMP, M_WAITOK);
	error = udp_sock_open(&so, 0, xnt_echo_in, &e);
	KT_CHECK(error == 0, "udp_sock_open: %d", error);
	filled0 = sc->sc_rx_csum_filled;
	offl0 = sc->sc_tx_csum_offloaded;
	bad0 = udpstat.udps_badsum;
	caps = sc->sc_ifp->if_capenable;
	for (int pass = 0; pass < 2 && error == 0; pass++) {
		if (pass == 1)
			sc->sc_ifp->if_capenable &= ~IFCAP_RXCSUM;
		for (size_t i = 0; i < nitems(xnt_sizes) && error == 0; i++) {
			error = xnt_echo_one(so, &e, peer, buf, xnt_sizes[i]);
			KT_CHECK(error == 0, "pass %d: %zu bytes: %d (bad at %zu)",
			    pass, xnt_sizes[i], error, e.bad_at);
		}
	}
	sc->sc_ifp->if_capenable = caps;
	if (so != NULL)
		udp_sock_close(so);
	free(buf, M_TEMP);
	mtx_destroy(&e.mtx);
	KT_CHECK(udpstat.udps_badsum == bad0, "%ju bad UDP checksums",
	    (uintmax_t)(udpstat.udps_badsum - bad0));
	/* dom0's replies leave it with blank checksums: we filled them. */
	KT_CHECK(sc->sc_rx_csum_filled > filled0,
	    "no blank checksum filled on receive");
	KT_CHECK(sc->sc_tx_csum_offloaded > offl0,
	    "no transmit checksum offloaded");
	KT_NOTE_OK("%zu sizes x2, %ju checksums filled, %ju offloaded",
	    nitems(xnt_sizes), (uintmax_t)(sc->sc_rx_csum_filled - filled0),
	    (uintmax_t)(sc->sc_tx_csum_offloaded - offl0));
}

/*
 * A datagram in 40 mbufs of 25 bytes: more pieces than xn sends as they
 * are, so it goes out as a page-aligned copy, which must still carry the
 * checksum the stack left to the device (dom0 drops it otherwise).
 */
static uint64_t
xnt_bounced(struct xn_softc *sc)
{
	uint64_t n = 0;

	for (u_int i = 0; i < XN_MAX_QUEUES; i++)
		n += sc->sc_queues[i].xq_bounced;
	return (n);
}

KTEST(xn_udp_chain)
{
	struct xn_softc *sc;
	struct udp_sock *so = NULL;
	struct xnt_echo e;
	struct mbuf *m = NULL, *n, **tail = &m;
	uint64_t bounced0;
	in_addr_t peer;
	const size_t len = 1000, piece = 25;
	int error;

	KT_REQUIRE_XEN();
	if ((sc = xnt_up(0)) == NULL || (peer = xnt_peer_addr()) == INADDR_ANY)
		KT_SKIP("no vif or no ktest.xn_peer");
	memset(&e, 0, sizeof(e));
	mtx_init(&e.mtx, "xntchain", NULL, MTX_SPIN);
	error = udp_sock_open(&so, 0, xnt_echo_in, &e);
	KT_CHECK(error == 0, "udp_sock_open: %d", error);
	bounced0 = xnt_bounced(sc);
	for (int tries = 0; tries < 3 && error == 0; tries++) {
		m = NULL;
		tail = &m;
		for (size_t off = 0; off < len; off += piece) {
			n = off == 0 ? m_gethdr(M_WAITOK, MT_DATA) :
			    m_get(M_WAITOK, MT_DATA);
			/* Room in front for the headers the stack prepends. */
			if (off == 0)
				n->m_data += 64;
			for (size_t i = 0; i < piece; i++)
				n->m_data[i] = (char)xnt_pat(off + i, len);
			n->m_len = (int)piece;
			*tail = n;
			tail = &n->m_next;
		}
		m->m_pkthdr.len = (int)len;
		mtx_lock_spin(&e.mtx);
		e.want = len;
		e.got = false;
		mtx_unlock_spin(&e.mtx);
		error = udp_sock_send(so, peer, XNT_ECHO_PORT, m);
		KT_CHECK(error == 0, "udp_sock_send: %d", error);
		mtx_lock_spin(&e.mtx);
		if (!e.got)
			(void)msleep(&e, &e.mtx, "xntchain", 2 * SBT_1S);
		error = !e.got ? ETIMEDOUT : e.ok ? 0 : EBADMSG;
		mtx_unlock_spin(&e.mtx);
		if (error == ETIMEDOUT && tries < 2)
			error = 0;
		else
			break;
	}
	if (so != NULL)
		udp_sock_close(so);
	mtx_destroy(&e.mtx);
	KT_CHECK(error == 0 && e.got, "40-mbuf datagram: %d (echo %s)", error,
	    e.got ? "came back" : "never came back");
	KT_CHECK(xnt_bounced(sc) > bounced0, "not sent as a copy");
	KT_NOTE_OK("echoed, %ju copies", (uintmax_t)(xnt_bounced(sc) -
	    bounced0));
}
