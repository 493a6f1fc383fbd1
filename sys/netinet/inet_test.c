/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * In-kernel tests of the network stack over a ktap interface: the test
 * plays the host on the wire, building frames and checking the stack's
 * with code of its own (inet_test_util.c).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_ktap.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/if_ether.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/inet_test_util.h>
#include <netinet/ip_icmp.h>
#include <netinet/ip_var.h>
#include <netinet/udp.h>
#include <netinet/udp_kern.h>
#include <netinet/udp_var.h>

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void
udp_echo_cb(struct udp_sock *so, struct mbuf *m, const struct udp_from *from,
    void *arg)
{
	int *count = arg;

	(*count)++;
	(void)udp_sock_send(so, from->uf_src, from->uf_sport, m);
}

KTEST(net_arp_reply)
{
	struct ifnet *ifp = nt_setup(0, 0);
	uint8_t f[64], r[64], mac[6];
	struct mbuf *m;
	struct arpstat st;
	bool known;

	nt_inject(ifp, f, nt_arp(f, ARPOP_REQUEST, nt_peermac, NT_PEER, NULL,
	    NT_OURS, bcast));
	m = ktap_take(ifp, SBT_1S);
	KT_ASSERT(m != NULL, "no ARP reply");
	KT_ASSERT(nt_flat(m, r, sizeof(r)) == 42, "reply of %d bytes",
	    m->m_pkthdr.len);
	m_freem(m);
	KT_ASSERT(memcmp(r, nt_peermac, 6) == 0 && memcmp(r + 6, nt_ourmac, 6) ==
	    0 && nt_be16(r + 12) == ETHERTYPE_ARP, "Ethernet header wrong");
	KT_ASSERT(nt_be16(r + 20) == ARPOP_REPLY, "op %u", nt_be16(r + 20));
	KT_ASSERT(memcmp(r + 22, nt_ourmac, 6) == 0 && nt_be32(r + 28) ==
	    NT_OURS && memcmp(r + 32, nt_peermac, 6) == 0 &&
	    nt_be32(r + 38) == NT_PEER, "ARP addresses wrong");
	NET_LOCK();
	known = arp_lookup(ifp, htonl(NT_PEER), mac);
	NET_UNLOCK();
	KT_ASSERT(known && memcmp(mac, nt_peermac, 6) == 0,
	    "requester not cached");
	/* A request for another address: counted, not answered. */
	nt_inject(ifp, f, nt_arp(f, ARPOP_REQUEST, nt_peermac, NT_PEER, NULL,
	    NT_OURS + 5, bcast));
	KT_ASSERT(ktap_take(ifp, 0) == NULL, "answered for another address");
	NET_LOCK();
	arp_ifstat(ifp, &st);
	NET_UNLOCK();
	KT_ASSERT(st.notours == 1 && st.rxrequests == 1 && st.txreplies == 1,
	    "notours %lu requests %lu replies %lu", st.notours, st.rxrequests,
	    st.txreplies);
	nt_teardown();
}

KTEST(net_arp_gratuitous)
{
	struct ifnet *ifp = nt_setup(0, 0);
	uint8_t r[64];
	struct mbuf *m;

	if_link_state_change(ifp, LINK_STATE_DOWN);
	KT_ASSERT(ktap_take(ifp, 0) == NULL, "sent on link down");
	if_link_state_change(ifp, LINK_STATE_UP);
	m = ktap_take(ifp, SBT_1S);
	KT_ASSERT(m != NULL, "no gratuitous ARP on link up");
	nt_flat(m, r, sizeof(r));
	m_freem(m);
	KT_ASSERT(memcmp(r, bcast, 6) == 0 && nt_be16(r + 20) == ARPOP_REQUEST &&
	    nt_be32(r + 28) == NT_OURS && nt_be32(r + 38) == NT_OURS,
	    "not an announcement of 10.9.0.2");
	nt_teardown();
}

KTEST(net_arp_conflict)
{
	struct ifnet *ifp = nt_setup(0, 0);
	static const uint8_t thief[6] = { 0x02, 0x66, 0, 0, 0, 0x66 };
	uint8_t f[64], r[64];
	struct arpstat st;
	struct mbuf *m;
	int announced = 0;

	/* Five claims of our address in a row: one announcement. */
	for (int i = 0; i < 5; i++)
		nt_inject(ifp, f, nt_arp(f, ARPOP_REPLY, thief, NT_OURS, NULL,
		    NT_OURS, bcast));
	while ((m = ktap_take(ifp, 0)) != NULL) {
		nt_flat(m, r, sizeof(r));
		m_freem(m);
		if (nt_be16(r + 12) == ETHERTYPE_ARP &&
		    memcmp(r + 22, nt_ourmac, 6) == 0 &&
		    nt_be32(r + 28) == NT_OURS)
			announced++;
	}
	NET_LOCK();
	arp_ifstat(ifp, &st);
	NET_UNLOCK();
	nt_teardown();
	KT_ASSERT(st.conflicts == 5, "conflicts %lu", st.conflicts);
	KT_ASSERT(announced == 1, "%d announcements for 5 claims", announced);
}

static int
count_arp_requests(struct ifnet *ifp, uint32_t tpa)
{
	uint8_t r[64];
	struct mbuf *m;
	int n = 0;

	while ((m = ktap_take(ifp, 0)) != NULL) {
		nt_flat(m, r, sizeof(r));
		m_freem(m);
		if (nt_be16(r + 12) == ETHERTYPE_ARP &&
		    nt_be16(r + 20) == ARPOP_REQUEST && nt_be32(r + 38) == tpa)
			n++;
	}
	return (n);
}

/* The slow timer, driven with made-up times: a resolved entry is
 * forgotten after arp_keep; an unresolved one is asked arp_maxtries times
 * a second apart, then dropped with what it held. */
KTEST(net_arp_expiry)
{
	struct ifnet *ifp = nt_setup(0, 0);
	struct udp_sock *so;
	struct arpstat st;
	sbintime_t base;
	int count = 0, asked;
	bool known;

	KT_CHECK(nt_prime_arp(ifp), "ARP priming");
	base = sbinuptime();
	NET_LOCK();
	arp_slowtimo(ifp, base + arp_keep - SBT_1S);
	known = arp_lookup(ifp, htonl(NT_PEER), NULL);
	NET_UNLOCK();
	KT_CHECK(known, "forgotten before arp_keep");
	NET_LOCK();
	arp_slowtimo(ifp, base + arp_keep + SBT_1S);
	known = arp_lookup(ifp, htonl(NT_PEER), NULL);
	arp_ifstat(ifp, &st);
	NET_UNLOCK();
	KT_CHECK(!known && st.expired == 1, "not expired (expired %lu)",
	    st.expired);

	KT_ASSERT(udp_sock_open(&so, 0, udp_echo_cb, &count) == 0, "open");
	base = sbinuptime();
	KT_CHECK(udp_sock_sendbuf(so, htonl(NT_OURS + 75), 9, "x", 1) == 0,
	    "send");
	asked = count_arp_requests(ifp, NT_OURS + 75);
	for (int i = 1; i < arp_maxtries; i++) {
		NET_LOCK();
		arp_slowtimo(ifp, base + i * (SBT_1S + SBT_1S / 10));
		NET_UNLOCK();
		asked += count_arp_requests(ifp, NT_OURS + 75);
	}
	KT_CHECK(asked == arp_maxtries, "%d requests, want %d", asked,
	    arp_maxtries);
	NET_LOCK();
	arp_slowtimo(ifp, base + arp_maxtries * (SBT_1S + SBT_1S / 10));
	arp_ifstat(ifp, &st);
	NET_UNLOCK();
	KT_CHECK(count_arp_requests(ifp, NT_OURS + 75) == 0,
	    "asked after giving up");
	KT_CHECK(st.timeouts == 1 && st.holddrops == 1,
	    "timeouts %lu holddrops %lu", st.timeouts, st.holddrops);
	udp_sock_close(so);
	nt_teardown();
	KT_NOTE_OK("expired after arp_keep; gave up after %d requests", asked);
}

/* A driver reports its link from its interrupt handler, spin lock held. */
KTEST(net_link_from_spin)
{
	struct ifnet *ifp = nt_setup(0, 0);
	static struct mtx spin;
	struct mbuf *m;

	if (spin.mtx_name == NULL)
		mtx_init(&spin, "net test spin", NULL, MTX_SPIN);
	mtx_lock_spin(&spin);
	if_link_state_change(ifp, LINK_STATE_DOWN);
	if_link_state_change(ifp, LINK_STATE_UP);
	mtx_unlock_spin(&spin);
	m = nt_take_type(ifp, ETHERTYPE_ARP, 1000);
	KT_CHECK(m != NULL, "no gratuitous ARP");
	m_freem(m);
	nt_teardown();
	KT_NOTE_OK("announced from the netisr thread");
}

KTEST(net_arp_bounded)
{
	struct ifnet *ifp = nt_setup(0, 0);
	uint8_t f[64], mac[6];
	struct arpstat st;
	int n;

	for (int i = 0; i < 200; i++) {
		memcpy(mac, nt_peermac, 6);
		mac[5] = (uint8_t)(i + 16);
		nt_inject(ifp, f, nt_arp(f, ARPOP_REQUEST, mac,
		    (NT_OURS & ~0xffU) + 10 + (uint32_t)i, NULL, NT_OURS, bcast));
	}
	NET_LOCK();
	n = arp_count(ifp);
	arp_ifstat(ifp, &st);
	NET_UNLOCK();
	ktap_purge(ifp);
	KT_ASSERT(n == arp_cachemax, "%d entries (bound %d)", n, arp_cachemax);
	KT_ASSERT(st.evicted == (u_long)(200 - arp_cachemax), "evicted %lu",
	    st.evicted);
	nt_teardown();
	KT_NOTE("200 requesters, %d cached", n);
}

KTEST(net_arp_hold)
{
	struct ifnet *ifp = nt_setup(0, 0);
	struct udp_sock *so;
	uint8_t f[64], r[128];
	struct mbuf *m;
	int count = 0, n = 0;

	KT_ASSERT(udp_sock_open(&so, 0, udp_echo_cb, &count) == 0, "open");
	for (int i = 0; i < 4; i++)
		KT_CHECK(udp_sock_sendbuf(so, htonl(NT_PEER), 9, "held", 4) ==
		    0, "send %d", i);
	m = ktap_take(ifp, SBT_1S);
	KT_CHECK(m != NULL, "no ARP request");
	if (m != NULL) {
		nt_flat(m, r, sizeof(r));
		m_freem(m);
		KT_CHECK(nt_be16(r + 12) == ETHERTYPE_ARP &&
		    nt_be16(r + 20) == ARPOP_REQUEST &&
		    nt_be32(r + 38) == NT_PEER, "not a request for the peer");
	}
	KT_CHECK(ktap_take(ifp, 0) == NULL, "more than one ARP request");
	nt_inject(ifp, f, nt_arp(f, ARPOP_REPLY, nt_peermac, NT_PEER,
	    nt_ourmac, NT_OURS, nt_ourmac));
	while ((m = ktap_take(ifp, SBT_1S / 10)) != NULL) {
		size_t len = nt_flat(m, r, sizeof(r));

		m_freem(m);
		KT_CHECK(len == 46 && memcmp(r, nt_peermac, 6) == 0 &&
		    nt_udp_sum_ok(r + 14, len - 14) &&
		    memcmp(r + 42, "held", 4) == 0, "held datagram %d wrong", n);
		n++;
	}
	KT_CHECK(n == 4, "%d of 4 held datagrams sent", n);
	udp_sock_close(so);
	nt_teardown();
	KT_NOTE_OK("4 datagrams held, sent on the reply");
}

/* A datagram held for ARP while the driver dropped its offload (as after
 * a reconnect) leaves with its checksum done in software. */
KTEST(net_arp_hold_offload_change)
{
	struct ifnet *ifp = nt_setup(IFCAP_TXCSUM, CSUM_IP | CSUM_UDP);
	struct udp_sock *so;
	uint8_t f[64], r[128];
	struct mbuf *m;
	int count = 0;

	KT_ASSERT(udp_sock_open(&so, 0, udp_echo_cb, &count) == 0, "open");
	KT_CHECK(udp_sock_sendbuf(so, htonl(NT_PEER), 9, "late", 4) == 0,
	    "send");
	m_freem(nt_take_type(ifp, ETHERTYPE_ARP, 1000));
	ifp->if_capenable = 0;
	ifp->if_hwassist = 0;
	nt_inject(ifp, f, nt_arp(f, ARPOP_REPLY, nt_peermac, NT_PEER,
	    nt_ourmac, NT_OURS, nt_ourmac));
	m = nt_take_type(ifp, ETHERTYPE_IP, 1000);
	KT_CHECK(m != NULL, "held datagram not sent");
	if (m != NULL) {
		size_t len = nt_flat(m, r, sizeof(r));

		KT_CHECK((m->m_pkthdr.csum_flags & (CSUM_IP | CSUM_UDP)) == 0,
		    "still left to the device: %#x", m->m_pkthdr.csum_flags);
		m_freem(m);
		KT_CHECK(nt_cksum(r + 14, 20, 0) == 0, "IP header checksum");
		KT_CHECK(nt_udp_sum_ok(r + 14, len - 14), "UDP checksum");
	}
	udp_sock_close(so);
	nt_teardown();
	KT_NOTE_OK("summed in software when sent");
}

KTEST(net_icmp_echo)
{
	struct ifnet *ifp = nt_setup(0, 0);
	uint8_t *f, *r;
	struct mbuf *m;
	size_t len, rlen;

	f = malloc(2048, M_TEMP, M_WAITOK);
	r = malloc(2048, M_TEMP, M_WAITOK);
	KT_CHECK(nt_prime_arp(ifp), "ARP priming");
	len = nt_echo(f, 0x77, 3, 1000);
	nt_inject(ifp, f, len);
	m = ktap_take(ifp, SBT_1S);
	KT_CHECK(m != NULL, "no echo reply");
	if (m != NULL) {
		rlen = nt_flat(m, r, 2048);
		m_freem(m);
		KT_CHECK(rlen == len, "reply %zu bytes, request %zu", rlen, len);
		KT_CHECK(nt_cksum(r + 14, 20, 0) == 0, "IP header checksum");
		KT_CHECK(nt_be32(r + 26) == NT_OURS && nt_be32(r + 30) == NT_PEER,
		    "addresses not swapped");
		KT_CHECK(r[34] == ICMP_ECHOREPLY && nt_be16(r + 38) == 0x77 &&
		    nt_be16(r + 40) == 3, "not the reply to ours");
		KT_CHECK(nt_cksum(r + 34, rlen - 34, 0) == 0, "ICMP checksum");
		KT_CHECK(memcmp(r + 42, f + 42, len - 42) == 0, "data differs");
	}
	free(f, M_TEMP);
	free(r, M_TEMP);
	nt_teardown();
	KT_NOTE_OK("1000-byte echo answered");
}

struct bad_case {
	const char	*name;
	int		what;
	enum ip_bad	why;
};

KTEST(net_ip_bad_headers)
{
	static const struct bad_case cases[] = {
		{ "version 6", 0, IP_BAD_VERSION },
		{ "IHL 4", 1, IP_BAD_HLEN },
		{ "total length past the frame", 2, IP_BAD_LEN },
		{ "total length below the header", 3, IP_BAD_LEN },
		{ "bad header checksum", 4, IP_BAD_SUM },
		{ "TTL 0", 5, IP_BAD_TTL },
		{ "multicast source", 6, IP_BAD_ADDR },
		{ "reserved fragment bit", 7, IP_BAD_FRAG },
		{ "IHL 15 past a short packet", 8, IP_BAD_HLEN },
	};
	struct ifnet *ifp = nt_setup(0, 0);
	uint8_t f[128];
	u_long before, es;
	struct mbuf *m;
	size_t len;

	KT_CHECK(nt_prime_arp(ifp), "ARP priming");
	for (size_t i = 0; i < nitems(cases); i++) {
		uint8_t *ip = f + 14;

		len = nt_echo(f, 1, (uint16_t)i, 16);
		switch (cases[i].what) {
		case 0: ip[0] = 0x65; break;
		case 1: ip[0] = 0x44; break;
		case 2: nt_put16(ip + 2, 200); break;
		case 3: nt_put16(ip + 2, 12); break;
		case 4: ip[10] ^= 0x40; break;
		case 5: ip[8] = 0; break;
		case 6: nt_put32(ip + 12, 0xe0000001); break;
		case 7: nt_put16(ip + 6, 0x8000); break;
		case 8: ip[0] = 0x4f; len = 14 + 40; nt_put16(ip + 2, 40); break;
		}
		if (cases[i].what != 4 && cases[i].what != 0 &&
		    cases[i].what != 1 && cases[i].what != 8) {
			nt_put16(ip + 10, 0);
			nt_put16(ip + 10, nt_cksum(ip, 20, 0));
		}
		before = ipstat.ips_bad[cases[i].why];
		nt_inject(ifp, f, len);
		KT_CHECK(ipstat.ips_bad[cases[i].why] >= before + 1,
		    "%s: not counted as %s", cases[i].name,
		    ip_bad_names[cases[i].why]);
		m = ktap_take(ifp, 0);
		KT_CHECK(m == NULL, "%s: answered", cases[i].name);
		m_freem(m);
	}
	/* Link-level: runt and oversized frames. */
	es = etherstat.es_short;
	nt_inject(ifp, f, 10);
	KT_CHECK(etherstat.es_short >= es + 1, "runt not counted");
	{
		uint8_t *big = malloc(2000, M_TEMP, M_WAITOK | M_ZERO);

		es = etherstat.es_oversize;
		nt_echo(big, 1, 1, 1400);
		nt_inject(ifp, big, 1600);
		KT_CHECK(etherstat.es_oversize >= es + 1,
		    "oversized frame not counted");
		free(big, M_TEMP);
	}
	/* And the stack still answers. */
	nt_inject(ifp, f, nt_echo(f, 9, 9, 16));
	m = ktap_take(ifp, SBT_1S);
	KT_CHECK(m != NULL, "no echo reply after the bad frames");
	m_freem(m);
	nt_teardown();
	KT_NOTE_OK("%zu malformations counted by reason", nitems(cases));
}

/* Frames of one datagram cut in fragments of fraglen payload bytes. */
static size_t
frag_frame(uint8_t *out, const uint8_t *l4, size_t l4len, size_t off,
    size_t len, uint8_t proto, uint16_t id)
{
	bool mf = off + len < l4len;

	nt_eth(out, nt_ourmac, nt_peermac, 0x0800);
	nt_ip(out + 14, NT_PEER, NT_OURS, proto, id,
	    (uint16_t)((off / 8) | (mf ? 0x2000 : 0)), len, 64);
	memcpy(out + 34, l4 + off, len);
	return (34 + len);
}

/* Collects the fragments the stack sends into one datagram (the test's own
 * reassembly); returns its L4 length or 0. */
static size_t
collect(struct ifnet *ifp, uint8_t *dgram, size_t max, int *nfrag,
    bool *sums_ok)
{
	uint8_t *r = malloc(2048, M_TEMP, M_WAITOK);
	size_t total = 0, got = 0;
	struct mbuf *m;

	*nfrag = 0;
	*sums_ok = true;
	while ((m = nt_take_type(ifp, 0x0800, 1000)) != NULL) {
		size_t len = nt_flat(m, r, 2048), off, plen;
		uint16_t fo;

		m_freem(m);
		if (len < 34)
			break;
		if (nt_cksum(r + 14, 20, 0) != 0)
			*sums_ok = false;
		fo = nt_be16(r + 20);
		off = (size_t)(fo & 0x1fff) * 8;
		plen = nt_be16(r + 16) - 20;
		if (off + plen > max)
			break;
		memcpy(dgram + 20 + off, r + 34, plen);
		if (*nfrag == 0)
			memcpy(dgram, r + 14, 20);
		got += plen;
		(*nfrag)++;
		if (!(fo & 0x2000))
			total = off + plen;
		if (total != 0 && got == total)
			break;
	}
	free(r, M_TEMP);
	if (total == 0 || got != total)
		return (0);
	nt_put16(dgram + 2, (uint16_t)(20 + total));
	return (total);
}

KTEST(net_ip_frag_in)
{
	struct ifnet *ifp = nt_setup(0, 0);
	uint8_t *whole = malloc(4096, M_TEMP, M_WAITOK);
	uint8_t *f = malloc(2048, M_TEMP, M_WAITOK);
	uint8_t *d = malloc(8192, M_TEMP, M_WAITOK);
	size_t l4len, got;
	int nfrag;
	bool sums;
	u_long done = ip_reass_state.ir_done;

	KT_CHECK(nt_prime_arp(ifp), "ARP priming");
	l4len = nt_echo(whole, 0x99, 5, 3000) - 34;
	/* Last first, then the middle, then the first. */
	nt_inject(ifp, f, frag_frame(f, whole + 34, l4len, 2960, l4len - 2960,
	    1, 0x555));
	nt_inject(ifp, f, frag_frame(f, whole + 34, l4len, 1480, 1480, 1,
	    0x555));
	KT_CHECK(ktap_take(ifp, 0) == NULL, "answered before complete");
	nt_inject(ifp, f, frag_frame(f, whole + 34, l4len, 0, 1480, 1, 0x555));
	KT_CHECK(ip_reass_state.ir_done >= done + 1, "not reassembled");
	got = collect(ifp, d, 8192, &nfrag, &sums);
	KT_CHECK(got == l4len, "reply of %zu bytes, want %zu", got, l4len);
	KT_CHECK(nfrag == 3, "reply in %d fragments", nfrag);
	KT_CHECK(sums, "a fragment's header checksum is wrong");
	if (got == l4len) {
		KT_CHECK(d[20] == ICMP_ECHOREPLY, "not a reply");
		KT_CHECK(nt_cksum(d + 20, got, 0) == 0, "ICMP checksum");
		KT_CHECK(memcmp(d + 28, whole + 42, l4len - 8) == 0,
		    "data differs");
	}
	free(whole, M_TEMP);
	free(f, M_TEMP);
	free(d, M_TEMP);
	nt_teardown();
	KT_NOTE_OK("3000-byte echo in 3 fragments, answered in %d", nfrag);
}

KTEST(net_ip_frag_overlap)
{
	struct ifnet *ifp = nt_setup(0, 0);
	uint8_t *whole = malloc(4096, M_TEMP, M_WAITOK);
	uint8_t *f = malloc(2048, M_TEMP, M_WAITOK);
	u_long ov = ip_reass_state.ir_overlap;
	size_t l4len;
	struct mbuf *m;

	KT_CHECK(nt_prime_arp(ifp), "ARP priming");
	l4len = nt_echo(whole, 0x98, 6, 2000) - 34;
	/* 0..1479, then 1400..end: overlaps by 80 bytes. */
	nt_inject(ifp, f, frag_frame(f, whole + 34, l4len, 0, 1480, 1, 0x556));
	nt_inject(ifp, f, frag_frame(f, whole + 34, l4len, 1400, l4len - 1400,
	    1, 0x556));
	KT_CHECK(ip_reass_state.ir_overlap >= ov + 1, "overlap not counted");
	/* The rest alone no longer completes anything. */
	nt_inject(ifp, f, frag_frame(f, whole + 34, l4len, 1480, l4len - 1480,
	    1, 0x556));
	m = ktap_take(ifp, 0);
	KT_CHECK(m == NULL, "answered an overlapped datagram");
	m_freem(m);
	/* An exact duplicate is an overlap too. */
	nt_inject(ifp, f, frag_frame(f, whole + 34, l4len, 0, 1480, 1, 0x557));
	nt_inject(ifp, f, frag_frame(f, whole + 34, l4len, 0, 1480, 1, 0x557));
	KT_CHECK(ip_reass_state.ir_overlap >= ov + 2, "duplicate not counted");
	/* ... and dropped its datagram: the rest completes nothing. */
	nt_inject(ifp, f, frag_frame(f, whole + 34, l4len, 1480, l4len - 1480,
	    1, 0x557));
	m = ktap_take(ifp, 0);
	KT_CHECK(m == NULL, "answered a datagram with a duplicate fragment");
	m_freem(m);
	NET_LOCK();
	ip_reass_flush(&ip_reass_state);
	NET_UNLOCK();
	free(whole, M_TEMP);
	free(f, M_TEMP);
	nt_teardown();
	KT_NOTE_OK("overlap and duplicate dropped their datagrams");
}

static void
udp_ifp_cb(struct udp_sock *so, struct mbuf *m, const struct udp_from *from,
    void *arg)
{
	struct ifnet **ifpp = arg;

	*ifpp = from->uf_ifp;
	m_freem(m);
}

/*
 * A datagram whose fragments came in on two interfaces is delivered as
 * from the one that brought the last fragment: the first one's may be
 * gone by then (detached and freed while its fragment waited).
 */
KTEST(net_ip_frag_two_ifs)
{
	static const uint8_t mac2[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x22 };
	struct in_ipspec is = { htonl(NT_OURS), 24, INADDR_ANY };
	struct ifnet *a = nt_setup(0, 0), *b, *got = NULL;
	uint8_t *whole = malloc(4096, M_TEMP, M_WAITOK);
	uint8_t *f = malloc(2048, M_TEMP, M_WAITOK);
	struct udp_sock *so;
	size_t l4len;

	b = ktap_create(90, mac2, 0, 0);
	NET_LOCK();
	(void)in_ifaddr_set(b, &is);
	NET_UNLOCK();
	KT_CHECK(udp_sock_open(&so, 4242, udp_ifp_cb, &got) == 0, "open");
	memset(f, 0x5a, 2048);
	l4len = nt_udp(whole, NT_PEER, NT_OURS, 1000, 4242, f, 2000, false) -
	    34;
	nt_inject(a, f, frag_frame(f, whole + 34, l4len, 0, 1480, 17, 0x777));
	memcpy(f, mac2, 6);
	frag_frame(f, whole + 34, l4len, 1480, l4len - 1480, 17, 0x777);
	memcpy(f, mac2, 6);
	nt_inject(b, f, 34 + l4len - 1480);
	KT_CHECK(got == b, "delivered as from %s, want %s",
	    got != NULL ? got->if_xname : "nowhere", b->if_xname);
	udp_sock_close(so);
	ktap_destroy(b);
	free(whole, M_TEMP);
	free(f, M_TEMP);
	nt_teardown();
	KT_NOTE_OK("delivered as from the last fragment's interface");
}

KTEST(net_udp_echo)
{
	struct ifnet *ifp = nt_setup(0, 0);
	static const uint8_t data[] = "the quick brown fox";
	struct udp_sock *so;
	uint8_t f[128], r[128];
	struct mbuf *m;
	int count = 0;
	u_long bad = udpstat.udps_badsum, nosum = udpstat.udps_nosum;
	size_t len;

	KT_ASSERT(udp_sock_open(&so, 7, udp_echo_cb, &count) == 0, "open");
	KT_CHECK(nt_prime_arp(ifp), "ARP priming");
	len = nt_udp(f, NT_PEER, NT_OURS, 3333, 7, data, sizeof(data), false);
	nt_inject(ifp, f, len);
	m = ktap_take(ifp, SBT_1S);
	KT_CHECK(count == 1 && m != NULL, "no echo (callbacks %d)", count);
	if (m != NULL) {
		size_t rlen = nt_flat(m, r, sizeof(r));

		m_freem(m);
		KT_CHECK(rlen == len && nt_be16(r + 34) == 7 &&
		    nt_be16(r + 36) == 3333, "reply ports/length wrong");
		KT_CHECK(nt_cksum(r + 14, 20, 0) == 0, "IP checksum");
		KT_CHECK(nt_udp_sum_ok(r + 14, rlen - 14), "UDP checksum");
		KT_CHECK(memcmp(r + 42, data, sizeof(data)) == 0, "payload");
	}
	nt_inject(ifp, f, nt_udp(f, NT_PEER, NT_OURS, 3333, 7, data,
	    sizeof(data), true));
	KT_CHECK(udpstat.udps_badsum >= bad + 1 && count == 1,
	    "bad checksum delivered or not counted");
	m = ktap_take(ifp, 0);
	KT_CHECK(m == NULL, "bad datagram echoed");
	m_freem(m);
	len = nt_udp(f, NT_PEER, NT_OURS, 3333, 7, data, sizeof(data), false);
	nt_put16(f + 40, 0);	/* no checksum: allowed in IPv4 */
	nt_inject(ifp, f, len);
	KT_CHECK(udpstat.udps_nosum >= nosum + 1 && count == 2,
	    "checksum-less datagram not delivered");
	m_freem(ktap_take(ifp, SBT_1S));
	udp_sock_close(so);
	nt_teardown();
	KT_NOTE_OK("echoed; bad checksum dropped");
}

static void
big_send(struct ktest_ctx *ktest_ctx, int caps, uint32_t hwassist,
    size_t size, int wantfrags)
{
	struct ifnet *ifp = nt_setup(caps, hwassist);
	uint8_t *buf = malloc(size, M_TEMP, M_WAITOK);
	uint8_t *d = malloc(65536 + 64, M_TEMP, M_WAITOK);
	struct udp_sock *so;
	int count = 0, nfrag;
	bool sums;
	size_t got;

	for (size_t i = 0; i < size; i++)
		buf[i] = (uint8_t)(i * 31 + 7);
	KT_CHECK(udp_sock_open(&so, 0, udp_echo_cb, &count) == 0, "open");
	KT_CHECK(nt_prime_arp(ifp), "ARP priming");
	KT_CHECK(udp_sock_sendbuf(so, htonl(NT_PEER), 9, buf, size) == 0,
	    "send");
	got = collect(ifp, d, 65536 + 64, &nfrag, &sums);
	KT_CHECK(got == size + 8, "%zu bytes arrived of %zu", got, size + 8);
	KT_CHECK(nfrag == wantfrags, "%d fragments, want %d", nfrag, wantfrags);
	KT_CHECK(sums, "fragment header checksum wrong");
	if (got == size + 8) {
		KT_CHECK(nt_udp_sum_ok(d, got + 20), "UDP checksum wrong");
		KT_CHECK(memcmp(d + 28, buf, size) == 0, "payload differs");
	}
	udp_sock_close(so);
	free(buf, M_TEMP);
	free(d, M_TEMP);
	nt_teardown();
}

KTEST(net_udp_frag_out)
{
	big_send(ktest_ctx, 0, 0, UDP_MAXPAYLOAD, 45);
	KT_NOTE_OK("65507 bytes in 45 fragments, checksum right");
}

KTEST(net_udp_frag_out_offload)
{
	/* Offload offered, but fragments need the checksum in software. */
	big_send(ktest_ctx, IFCAP_TXCSUM, CSUM_IP | CSUM_UDP, 3000, 3);
	KT_NOTE_OK("fragmented datagram summed in software despite offload");
}

KTEST(net_udp_txcsum_offload)
{
	struct ifnet *ifp = nt_setup(IFCAP_TXCSUM, CSUM_IP | CSUM_UDP);
	static const uint8_t data[] = "checksum left to the device";
	struct udp_sock *so;
	uint8_t r[128];
	struct mbuf *m;
	int count = 0;

	KT_ASSERT(udp_sock_open(&so, 0, udp_echo_cb, &count) == 0, "open");
	KT_CHECK(nt_prime_arp(ifp), "ARP priming");
	KT_CHECK(udp_sock_sendbuf(so, htonl(NT_PEER), 9, data, sizeof(data)) ==
	    0, "send");
	m = nt_take_type(ifp, 0x0800, 1000);
	KT_CHECK(m != NULL, "nothing sent");
	if (m != NULL) {
		size_t len = nt_flat(m, r, sizeof(r));
		uint32_t fl = m->m_pkthdr.csum_flags;
		uint32_t off = m->m_pkthdr.csum_data;

		m_freem(m);
		KT_CHECK((fl & (CSUM_UDP | CSUM_IP)) == (CSUM_UDP | CSUM_IP),
		    "csum_flags %#x", fl);
		KT_CHECK(off == 6, "csum_data %u", off);
		/* Do what the device would: sum from the L4 header on. */
		if (len > 42) {
			uint16_t s = nt_cksum(r + 34, len - 34, 0);

			nt_put16(r + 34 + off, s == 0 ? 0xffff : s);
			KT_CHECK(nt_udp_sum_ok(r + 14, len - 14),
			    "field did not hold the pseudo-header sum");
		}
	}
	udp_sock_close(so);
	nt_teardown();
	KT_NOTE_OK("left to the device with the pseudo-header sum in place");
}

KTEST(net_udp_rxcsum_offload)
{
	static const uint8_t data[] = "vouched for";
	struct ifnet *ifp;
	struct udp_sock *so;
	uint8_t f[128];
	size_t len;
	int count = 0;
	u_long hw = udpstat.udps_hwcsum_in;

	for (int pass = 0; pass < 2; pass++) {
		ifp = nt_setup(pass == 0 ? IFCAP_RXCSUM : 0, 0);
		KT_ASSERT(udp_sock_open(&so, 7, udp_echo_cb, &count) == 0,
		    "open");
		KT_CHECK(nt_prime_arp(ifp), "ARP priming");
		len = nt_udp(f, NT_PEER, NT_OURS, 3333, 7, data, sizeof(data),
		    true);
		(void)ktap_inject(ifp, f, len, 0,
		    CSUM_DATA_VALID | CSUM_PSEUDO_HDR, 0xffff);
		netisr_drain();
		ktap_purge(ifp);
		udp_sock_close(so);
		nt_teardown();
	}
	/* Trusted with RXCSUM on, checked (and refused) with it off. */
	KT_ASSERT(count == 1, "%d deliveries, want 1", count);
	KT_ASSERT(udpstat.udps_hwcsum_in >= hw + 1, "hwcsum_in not counted");
}

/* A host on the wire: answers ARP requests and echo requests. */
static void
peer_host(struct ifnet *ifp, struct mbuf *m, void *arg __unused)
{
	uint8_t f[1600];
	size_t len = nt_flat(m, f, sizeof(f));

	m_freem(m);
	if (len >= 42 && nt_be16(f + 12) == 0x0806 && nt_be16(f + 20) == 1 &&
	    nt_be32(f + 38) == NT_PEER) {
		uint8_t r[64];

		(void)ktap_inject(ifp, r, nt_arp(r, 2, nt_peermac, NT_PEER,
		    f + 22, nt_be32(f + 28), f + 22), 0, 0, 0);
		return;
	}
	if (len >= 42 && nt_be16(f + 12) == 0x0800 && f[23] == 1 &&
	    f[34] == 8 && nt_cksum(f + 34, len - 34, 0) == 0) {
		uint8_t *ip = f + 14;
		uint32_t asked = nt_be32(ip + 16);

		/* The gateway too answers for hosts behind it. */
		memcpy(f, f + 6, 6);
		memcpy(f + 6, nt_peermac, 6);
		nt_ip(ip, asked, nt_be32(ip + 12), 1, 0x2222, 0, len - 34, 64);
		f[34] = 0;
		nt_put16(f + 36, 0);
		nt_put16(f + 36, nt_cksum(f + 34, len - 34, 0));
		(void)ktap_inject(ifp, f, len, 0, 0, 0);
	}
}

KTEST(net_ping)
{
	struct ifnet *ifp = nt_setup(0, 0);
	struct ping_stats ps, first;
	struct ifnet *rifp;
	in_addr_t nh;
	bool viagw = false;
	int error;

	ktap_set_peer(ifp, peer_host, NULL);
	error = ping(htonl(NT_PEER), 3, 56, SBT_1S, &first);
	KT_CHECK(error == 0 && first.ps_received == 3, "ping: error %d, %d/%d",
	    error, first.ps_received, first.ps_sent);
	error = ping(htonl(NT_PEER), 1, 1472, SBT_1S, &ps);
	KT_CHECK(error == 0 && ps.ps_received == 1, "1472-byte ping: error %d",
	    error);
	/* Off the prefix: through the gateway (ARP for it, not for them),
	 * if ours is the default route (a real interface's may be first). */
	NET_LOCK();
	error = in_route(htonl(0x0ac80001), &rifp, &nh);
	NET_UNLOCK();
	if (error == 0 && rifp == ifp) {
		error = ping(htonl(0x0ac80001), 1, 8, SBT_1S, &ps);
		KT_CHECK(error == 0 && ps.ps_received == 1,
		    "via the gateway: error %d", error);
		viagw = true;
	}
	/* Nobody answers for another host: a timeout, not a hang. */
	error = ping(htonl(NT_PEER + 7), 1, 8, SBT_1S / 5, &ps);
	KT_CHECK(error == ETIMEDOUT, "silent host: error %d", error);
	ktap_set_peer(ifp, NULL, NULL);
	nt_teardown();
	KT_NOTE_OK("3/3 answered, rtt max %ld us%s",
	    (long)(first.ps_rtt_max / SBT_1US),
	    viagw ? ", and through the gateway" : "");
}

KTEST(net_ipspec)
{
	static const struct {
		const char	*s;
		bool		ok;
	} cases[] = {
		{ "10.0.0.2/24,10.0.0.1", true },
		{ "10.0.0.2/24", true },
		{ "192.168.1.10/32,192.168.1.1", true },
		{ "10.0.0.2/31", true },
		{ "10.0.0.2", false },
		{ "10.0.0.256/24", false },
		{ "10.0.0.2/33", false },
		{ "10.0.0.2/0", false },
		{ "10.0.0.0/24", false },
		{ "10.0.0.255/24", false },
		{ "10.0.0.2/24,10.0.1.1", false },
		{ "10.0.0.2/24,10.0.0.2", false },
		{ "224.0.0.1/24", false },
		{ "10.0.0.02/24", false },
		{ "10.0.0.2/24,", false },
		{ "10.0.0.2/x", false },
		{ "", false },
	};
	struct in_ipspec is;
	const char *why;

	for (size_t i = 0; i < nitems(cases); i++) {
		why = NULL;
		KT_ASSERT((in_ipspec_parse(cases[i].s, &is, &why) == 0) ==
		    cases[i].ok, "\"%s\": %s", cases[i].s,
		    cases[i].ok ? why : "accepted");
		KT_ASSERT(cases[i].ok || why != NULL, "\"%s\": no reason",
		    cases[i].s);
	}
	KT_ASSERT(in_ipspec_parse("10.1.2.3/16,10.1.0.1", &is, NULL) == 0 &&
	    is.is_addr == htonl(0x0a010203) && is.is_plen == 16 &&
	    is.is_gw == htonl(0x0a010001), "values parsed wrong");
}

KTEST(net_report)
{
	net_report();
	KT_NOTE("mbufs %lu clusters %lu in use", mbstat.m_mbufs,
	    mbstat.m_clusters);
}
