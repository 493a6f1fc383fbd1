/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * bridge(4) with our stack's port, natively: the test plays a second port
 * (a ktap whose frames it puts into the bridge itself, as netback does
 * with a vif's), with frames built by inet_test_util (not by the stack).
 * ARP through the bridge both ways, and a UDP datagram whose sender left
 * its checksum blank reaching a socket of ours only because the bridge
 * filled it (the same datagram without the blank mark is refused).
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_bridge.h>
#include <net/if_ktap.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/inet_test_util.h>
#include <netinet/udp_kern.h>

#define BT_PORT		7301

static const uint8_t bt_hostmac[6] = { 0x02, 0x00, 0x5e, 0x77, 0x00, 0x02 };

struct bt_rx {
	struct mtx	lock;
	u_int		n;
	size_t		len;
	bool		ok;
};

static void
bt_input(struct udp_sock *so, struct mbuf *m, const struct udp_from *from,
    void *arg)
{
	struct bt_rx *r = arg;
	uint8_t c = 0;

	if (m->m_pkthdr.len > 0)
		m_copydata(m, 0, 1, &c);
	mtx_lock(&r->lock);
	r->n++;
	r->len = (size_t)m->m_pkthdr.len;
	r->ok = c == 'b';
	mtx_unlock(&r->lock);
	m_freem(m);
}

static void
bt_tap_out(struct ifnet *ifp, struct mbuf *m)
{
	(void)ifp->if_transmit(ifp, m);
}

static u_int
bt_count(struct bt_rx *r)
{
	u_int n;

	mtx_lock(&r->lock);
	n = r->n;
	mtx_unlock(&r->lock);
	return (n);
}

/* A frame into the bridge on port bp, as a driver would give it. */
static void
bt_in(struct bridge_port *bp, const uint8_t *f, size_t len, uint32_t csum)
{
	struct mbuf *m = m_getm((int)len, M_WAITOK, MT_DATA, M_PKTHDR);

	KASSERT(m != NULL, ("bt_in: no mbuf"));
	m->m_pkthdr.len = 0;
	m->m_len = 0;
	(void)m_append(m, (int)len, f);
	m->m_pkthdr.len = (int)len;
	m->m_pkthdr.csum_flags = csum;
	bridge_input(bp, m);
	netisr_drain();
}

KTEST(bridge_host_port)
{
	static uint8_t f[2048];
	struct in_ipspec is = { .is_addr = htonl(NT_OURS), .is_plen = 24 };
	struct bridge_stats st;
	struct bridge *br;
	struct bridge_port *bp;
	struct ifnet *host, *tap;
	struct udp_sock *so = NULL;
	struct bt_rx rx;
	struct mbuf *m;
	uint8_t data[100];
	size_t len;
	int error;

	memset(&rx, 0, sizeof(rx));
	mtx_init(&rx.lock, "bridge test", NULL, MTX_DEF);
	br = bridge_create("brkt", 16, 60 * SBT_1S);
	host = bridge_host_create(br, "brkt", 0, bt_hostmac);
	NET_LOCK();
	(void)in_ifaddr_set(host, &is);
	NET_UNLOCK();
	/* The peer's port: what the bridge sends it is queued for ktap_take. */
	tap = ktap_create(77, nt_peermac, 0, 0);
	bp = bridge_port_add(br, tap, bt_tap_out, 0);
	netisr_drain();
	ktap_purge(tap);

	/* ARP: who has our address, from the peer; the answer comes back. */
	len = nt_arp(f, 1, nt_peermac, NT_PEER, (const uint8_t[6]){ 0 }, NT_OURS,
	    etherbroadcastaddr);
	bt_in(bp, f, len, 0);
	m = nt_take_type(tap, ETHERTYPE_ARP, 2000);
	if (KT_CHECK(m != NULL, "no ARP reply through the bridge")) {
		len = nt_flat(m, f, sizeof(f));
		KT_CHECK(len >= 42 && nt_be16(f + 20) == 2 &&
		    memcmp(f + 22, bt_hostmac, 6) == 0 &&
		    memcmp(f, nt_peermac, 6) == 0, "ARP reply wrong: op %u",
		    len >= 22 ? nt_be16(f + 20) : 0);
		m_freem(m);
	}
	KT_CHECK(bridge_lookup(br, bt_hostmac) != NULL &&
	    bridge_lookup(br, nt_peermac) == bp, "addresses not learnt");

	/* UDP with a junk checksum: refused unless marked blank. */
	error = udp_sock_open(&so, BT_PORT, bt_input, &rx);
	if (!KT_CHECK(error == 0, "udp_sock_open: %d", error))
		goto out;
	memset(data, 'b', sizeof(data));
	len = nt_udp(f, NT_PEER, NT_OURS, 5000, BT_PORT, data, sizeof(data),
	    true);
	memcpy(f, bt_hostmac, ETHER_ADDR_LEN);	/* to the host port */
	bt_in(bp, f, len, 0);
	bt_in(bp, f, len, CSUM_UDP);
	/* The callback runs in the netisr thread: wait (bounded) for it. */
	for (int i = 0; i < 200 && bt_count(&rx) == 0; i++)
		tsleep(&rx, "brtest", 10 * SBT_1MS);
	netisr_drain();
	KT_CHECK(bt_count(&rx) == 1 && rx.ok && rx.len == sizeof(data),
	    "%u datagrams delivered (len %zu), want only the blank one",
	    bt_count(&rx), rx.len);
	bridge_stats(br, &st);
	KT_CHECK(st.csum_filled == 1, "bridge filled %ju checksums",
	    (uintmax_t)st.csum_filled);
	KT_NOTE_OK("ARP through the bridge both ways; blank UDP checksum "
	    "filled for the stack, a bad one refused");
out:
	if (so != NULL)
		udp_sock_close(so);
	bridge_port_remove(bp);
	ktap_destroy(tap);
	bridge_host_destroy(host);
	bridge_destroy(br);
	mtx_destroy(&rx.lock);
}
