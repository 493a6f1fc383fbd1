/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Our kernel's half of the network lab scenarios (tests/lab/scenarios/
 * domu-net*): in-kernel tests that talk to dom0 over the guest's real
 * interface.  They run only with netlab.peer=<dom0's address> on the
 * command line (they skip otherwise, natively too), each waits for a route
 * to the peer first, and each prints a NETLAB-... line dom0's script reacts
 * to, so that their order does not matter:
 *
 *	netlab_ping		pings the peer (ARP first)
 *	netlab_echo_server	UDP echo on port 7777 ("NETLAB-ECHO-SERVER-READY"),
 *				every datagram's payload checked, until 4 s
 *				without one after the first
 *	netlab_echo_client	UDP echo client to the peer's port 7777 over
 *				udpecho's default sizes (1 .. 65507 bytes)
 *	netlab_hold		with netlab.hold=S: serves UDP echo on 7777 as
 *				netlab_echo_server does, says
 *				"NETLAB-HOLD-READY", then waits up to S s for
 *				dom0's "done" datagram on port 7779 (dom0
 *				injects frames, detaches and attaches the vif
 *				meanwhile), then pings the peer again and
 *				prints the stack's counters
 *
 * The payload pattern is netcheck's (tests/lab/tools/netcheck.h): byte i of
 * an N-byte payload is (i * 131 + N * 17 + (i >> 8)) & 0xff.
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

#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/ip_icmp.h>
#include <netinet/udp_kern.h>

#define NL_ECHO_PORT	7777
#define NL_CTL_PORT	7779
#define NL_MAXPAYLOAD	65507

static char	nl_peer_s[INET_ADDRSTRLEN];
TUNABLE_STR("netlab.peer", nl_peer_s, sizeof(nl_peer_s),
    "dom0's address for the network lab ktests (netlab_*); unset: skip");
static int	nl_wait_s = 30;
TUNABLE_INT("netlab.wait", &nl_wait_s,
    "seconds a netlab ktest waits for a route to netlab.peer");
static int	nl_hold_s;
TUNABLE_INT("netlab.hold", &nl_hold_s,
    "seconds netlab_hold waits for dom0's done datagram (0: skip)");

MALLOC_DEFINE(M_NETLAB, "netlab", "network lab ktests");

static uint8_t
nl_byte(size_t i, size_t len)
{
	return ((uint8_t)(i * 131 + len * 17 + (i >> 8)));
}

/* Offset of the first byte of m's payload off the pattern, or len. */
static size_t
nl_verify_m(const struct mbuf *m, size_t len)
{
	size_t off = 0;

	for (; m != NULL; m = m->m_next) {
		const uint8_t *p = mtod(m, const uint8_t *);

		for (int i = 0; i < m->m_len; i++, off++)
			if (p[i] != nl_byte(off, len))
				return (off);
	}
	return (len);
}

/* udpecho's default sizes: "1-32,33-1472/97,1471-1474,1480-1481,
 * 2944-2953/9,4096,8192,8193,16384,32768-65507/4093,65500-65507". */
static const struct {
	uint32_t	a, b, step;
} nl_sizes[] = {
	{ 1, 32, 1 }, { 33, 1472, 97 }, { 1471, 1474, 1 }, { 1480, 1481, 1 },
	{ 2944, 2953, 9 }, { 4096, 4096, 1 }, { 8192, 8193, 1 },
	{ 16384, 16384, 1 }, { 32768, 65507, 4093 }, { 65500, 65507, 1 },
};

static int
nl_setup(struct ktest_ctx *ktest_ctx, in_addr_t *peer)
{
	struct ifnet *ifp;
	in_addr_t nh;
	sbintime_t dl;
	int error;

	if (nl_peer_s[0] == '\0')
		return (ENOENT);
	if (inet_pton4(nl_peer_s, peer) != 1) {
		KT_CHECK(false, "netlab.peer=\"%s\" is not an address",
		    nl_peer_s);
		return (EINVAL);
	}
	dl = sbinuptime() + (sbintime_t)nl_wait_s * SBT_1S;
	for (;;) {
		NET_LOCK();
		error = in_route(*peer, &ifp, &nh);
		NET_UNLOCK();
		if (error == 0 || sbinuptime() > dl)
			break;
		tsleep(peer, "nlwait", 50 * SBT_1MS);
	}
	KT_CHECK(error == 0, "no route to %s after %d s", nl_peer_s,
	    nl_wait_s);
	return (error);
}

#define NL_SETUP(peer) do {						\
	int nl_e = nl_setup(ktest_ctx, &(peer));			\
	if (nl_e == ENOENT)						\
		KT_SKIP("no netlab.peer= (network lab only)");		\
	if (nl_e != 0)							\
		return;							\
} while (0)

KTEST(netlab_ping)
{
	struct ping_stats ps;
	in_addr_t peer;
	int error;

	NL_SETUP(peer);
	memset(&ps, 0, sizeof(ps));
	error = ping(peer, 3, 56, 2 * SBT_1S, &ps);
	KT_ASSERT(error == 0 && ps.ps_received == 3 && ps.ps_bad == 0,
	    "ping %s: error %d, %d of %d answered, %d bad", nl_peer_s, error,
	    ps.ps_received, ps.ps_sent, ps.ps_bad);
	/* A fragmented one too (3000 bytes of data: three fragments). */
	memset(&ps, 0, sizeof(ps));
	error = ping(peer, 1, 3000, 2 * SBT_1S, &ps);
	KT_ASSERT(error == 0 && ps.ps_received == 1 && ps.ps_bad == 0,
	    "3000-byte ping %s: error %d, %d bad", nl_peer_s, error,
	    ps.ps_bad);
	KT_NOTE("%s answered 3 pings and a fragmented one", nl_peer_s);
}

struct nl_srv {
	struct mtx	lock;
	u_long		rx, bad, txerr;
	uint64_t	bytes;
	sbintime_t	last;
};

static void
nl_srv_input(struct udp_sock *so, struct mbuf *m, const struct udp_from *from,
    void *arg)
{
	struct nl_srv *s = arg;
	size_t len = (size_t)m->m_pkthdr.len, at;
	int error;

	at = nl_verify_m(m, len);
	if (at != len)
		printf("NETLAB-ECHO-BAD len=%zu first_bad=%zu\n", len, at);
	/* Back to the sender; the chain is consumed either way. */
	error = udp_sock_send(so, from->uf_src, from->uf_sport, m);
	mtx_lock(&s->lock);
	s->rx++;
	s->bytes += len;
	if (at != len)
		s->bad++;
	if (error != 0)
		s->txerr++;
	s->last = sbinuptime();
	mtx_unlock(&s->lock);
}

KTEST(netlab_echo_server)
{
	struct nl_srv s;
	struct udp_sock *so;
	in_addr_t peer;
	sbintime_t dl;
	int error;

	NL_SETUP(peer);
	memset(&s, 0, sizeof(s));
	mtx_init(&s.lock, "nlsrv", NULL, MTX_DEF);
	error = udp_sock_open(&so, NL_ECHO_PORT, nl_srv_input, &s);
	KT_ASSERT(error == 0, "port %d: error %d", NL_ECHO_PORT, error);
	printf("NETLAB-ECHO-SERVER-READY port=%d\n", NL_ECHO_PORT);
	dl = sbinuptime() + 120 * SBT_1S;
	for (;;) {
		bool idle;

		tsleep(&s, "nlsrv", 100 * SBT_1MS);
		mtx_lock(&s.lock);
		idle = s.rx > 0 && sbinuptime() - s.last > 4 * SBT_1S;
		mtx_unlock(&s.lock);
		if (idle || sbinuptime() > dl)
			break;
	}
	udp_sock_close(so);
	mtx_destroy(&s.lock);
	printf("NETLAB-ECHO-SERVER rx=%lu bytes=%lu bad=%lu tx_err=%lu\n",
	    s.rx, (u_long)s.bytes, s.bad, s.txerr);
	KT_CHECK(s.rx > 0, "no datagram in 120 s");
	KT_CHECK(s.bad == 0, "%lu of %lu datagrams off the pattern", s.bad,
	    s.rx);
	KT_CHECK(s.txerr == 0, "%lu echoes not sent", s.txerr);
	KT_NOTE_OK("echoed %lu datagrams (%lu bytes), payloads intact", s.rx,
	    (u_long)s.bytes);
}

struct nl_cli {
	struct mtx	lock;
	uint8_t		*buf;	/* the last reply */
	size_t		len;
	bool		got;
	bool		fits;
};

static void
nl_cli_input(struct udp_sock *so __unused, struct mbuf *m,
    const struct udp_from *from __unused, void *arg)
{
	struct nl_cli *c = arg;
	size_t len = (size_t)m->m_pkthdr.len;

	mtx_lock(&c->lock);
	c->fits = len <= NL_MAXPAYLOAD;
	if (c->fits)
		m_copydata(m, 0, (int)len, c->buf);
	c->len = len;
	c->got = true;
	wakeup(c);
	mtx_unlock(&c->lock);
	m_freem(m);
}

KTEST(netlab_echo_client)
{
	struct nl_cli c;
	struct udp_sock *so;
	in_addr_t peer;
	uint8_t *tx;
	u_long sent = 0, ok = 0, lost = 0, bad = 0, resent = 0, stale = 0;
	int error;

	NL_SETUP(peer);
	memset(&c, 0, sizeof(c));
	mtx_init(&c.lock, "nlcli", NULL, MTX_DEF);
	c.buf = malloc(NL_MAXPAYLOAD, M_NETLAB, M_WAITOK);
	tx = malloc(NL_MAXPAYLOAD, M_NETLAB, M_WAITOK);
	error = udp_sock_open(&so, 0, nl_cli_input, &c);
	KT_ASSERT(error == 0, "open: error %d", error);
	for (size_t k = 0; k < nitems(nl_sizes); k++) {
		for (uint32_t len = nl_sizes[k].a; len <= nl_sizes[k].b;
		    len += nl_sizes[k].step) {
			bool got = false;

			for (size_t i = 0; i < len; i++)
				tx[i] = nl_byte(i, len);
			sent++;
			for (int r = 0; r < 4 && !got; r++) {
				sbintime_t dl = sbinuptime() + SBT_1S / 2;

				if (r > 0)
					resent++;
				mtx_lock(&c.lock);
				c.got = false;
				mtx_unlock(&c.lock);
				error = udp_sock_sendbuf(so, peer, NL_ECHO_PORT,
				    tx, len);
				if (error != 0)
					continue;
				mtx_lock(&c.lock);
				while (!got && sbinuptime() < dl) {
					if (!c.got) {
						msleep(&c, &c.lock, "nlcli",
						    20 * SBT_1MS);
						continue;
					}
					c.got = false;
					/* A late echo of an earlier size. */
					if (c.len != len && c.fits) {
						stale++;
						continue;
					}
					got = true;
					if (c.len == len &&
					    memcmp(c.buf, tx, len) == 0) {
						ok++;
					} else {
						bad++;
						printf("NETLAB-ECHO-BAD len=%u "
						    "got_len=%zu\n", len, c.len);
					}
				}
				mtx_unlock(&c.lock);
			}
			if (!got) {
				lost++;
				printf("NETLAB-ECHO-LOST len=%u\n", len);
			}
		}
	}
	udp_sock_close(so);
	mtx_destroy(&c.lock);
	free(tx, M_NETLAB);
	free(c.buf, M_NETLAB);
	printf("NETLAB-ECHO-CLIENT sizes=%lu ok=%lu lost=%lu bad=%lu resent=%lu "
	    "stale=%lu\n", sent, ok, lost, bad, resent, stale);
	KT_CHECK(ok == sent, "%lu of %lu sizes came back intact (%lu lost, "
	    "%lu bad)", ok, sent, lost, bad);
	KT_NOTE_OK("%lu sizes from 1 to %d bytes echoed intact (%lu resent)",
	    sent, NL_MAXPAYLOAD, resent);
}

struct nl_hold {
	struct mtx	lock;
	bool		done;
};

static void
nl_hold_input(struct udp_sock *so __unused, struct mbuf *m,
    const struct udp_from *from __unused, void *arg)
{
	struct nl_hold *h = arg;
	char b[4];

	if (m->m_pkthdr.len == 4) {
		m_copydata(m, 0, 4, b);
		if (memcmp(b, "done", 4) == 0) {
			mtx_lock(&h->lock);
			h->done = true;
			wakeup(h);
			mtx_unlock(&h->lock);
		}
	}
	m_freem(m);
}

KTEST(netlab_hold)
{
	struct nl_hold h;
	struct nl_srv srv;
	struct ping_stats ps;
	struct udp_sock *so, *eso;
	in_addr_t peer;
	sbintime_t dl;
	int error;

	if (nl_hold_s <= 0)
		KT_SKIP("no netlab.hold=");
	NL_SETUP(peer);
	memset(&h, 0, sizeof(h));
	mtx_init(&h.lock, "nlhold", NULL, MTX_DEF);
	memset(&srv, 0, sizeof(srv));
	mtx_init(&srv.lock, "nlsrv", NULL, MTX_DEF);
	error = udp_sock_open(&so, NL_CTL_PORT, nl_hold_input, &h);
	KT_ASSERT(error == 0, "port %d: error %d", NL_CTL_PORT, error);
	error = udp_sock_open(&eso, NL_ECHO_PORT, nl_srv_input, &srv);
	if (!KT_CHECK(error == 0, "port %d: error %d", NL_ECHO_PORT, error))
		eso = NULL;
	printf("NETLAB-HOLD-READY port=%d\n", NL_CTL_PORT);
	dl = sbinuptime() + (sbintime_t)nl_hold_s * SBT_1S;
	mtx_lock(&h.lock);
	while (!h.done && sbinuptime() < dl)
		msleep(&h, &h.lock, "nlhold", 100 * SBT_1MS);
	mtx_unlock(&h.lock);
	udp_sock_close(so);
	if (eso != NULL)
		udp_sock_close(eso);
	mtx_destroy(&h.lock);
	mtx_destroy(&srv.lock);
	printf("NETLAB-ECHO-SERVER rx=%lu bytes=%lu bad=%lu tx_err=%lu\n",
	    srv.rx, (u_long)srv.bytes, srv.bad, srv.txerr);
	KT_CHECK(h.done, "no done datagram from dom0 in %d s", nl_hold_s);
	/* dom0's malformed datagrams go to the echo port: none may get
	 * here, nor may any echo be sent wrong. */
	KT_CHECK(srv.bad == 0 && srv.txerr == 0,
	    "%lu datagrams off the pattern reached the echo port, %lu echoes "
	    "not sent", srv.bad, srv.txerr);
	/* Whatever dom0 did meanwhile, the peer is still reachable. */
	memset(&ps, 0, sizeof(ps));
	error = ping(peer, 3, 56, 2 * SBT_1S, &ps);
	KT_CHECK(error == 0 && ps.ps_received == 3,
	    "ping %s afterwards: error %d, %d of %d answered", nl_peer_s,
	    error, ps.ps_received, ps.ps_sent);
	printf("NETLAB-COUNTERS\n");
	net_report();
	printf("NETLAB-COUNTERS-END\n");
	KT_NOTE_OK("dom0 said done; %s still answers", nl_peer_s);
}
