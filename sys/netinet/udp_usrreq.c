/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * UDP: input with checksum verification, output with the checksum left to
 * ip_output (software unless offloaded), and the in-kernel endpoint KPI
 * (udp_kern.h).  Datagrams for an endpoint wait on its bounded queue until
 * net_input_frame has dropped net_lock; then its callback runs
 * (udp_deliver_pending), so a callback may send without deadlocking.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_cksum.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/udp.h>
#include <netinet/udp_kern.h>
#include <netinet/udp_var.h>

MALLOC_DEFINE(M_UDPSOCK, "udpsock", "in-kernel UDP endpoints");

struct udpstat	udpstat;

struct udp_sock {
	LIST_ENTRY(udp_sock) us_link;
	TAILQ_ENTRY(udp_sock) us_pendlink;
	in_port_t	us_port;
	udp_input_t	*us_cb;
	void		*us_arg;
	struct mbuf	*us_q;		/* datagrams, by m_nextpkt */
	struct mbuf	**us_qtail;
	int		us_qlen;
	bool		us_pending;	/* on udp_pending */
	bool		us_closing;
	int		us_busy;	/* callbacks running */
};

static LIST_HEAD(, udp_sock) udp_socks = LIST_HEAD_INITIALIZER(udp_socks);
static TAILQ_HEAD(, udp_sock) udp_pending =
    TAILQ_HEAD_INITIALIZER(udp_pending);
static in_port_t	udp_ephemeral = 49152;

static struct udp_sock *
udp_lookup(in_port_t port)
{
	struct udp_sock *so;

	LIST_FOREACH(so, &udp_socks, us_link) {
		if (so->us_port == port)
			return (so);
	}
	return (NULL);
}

void
udp_input(struct mbuf *m, int hlen)
{
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct udp_sock *so;
	struct udphdr *uh;
	struct ip *ip;
	int len, ulen;

	NET_LOCK_ASSERT();
	udpstat.udps_ipackets++;
	len = m->m_pkthdr.len - hlen;
	if (len < (int)sizeof(*uh) ||
	    (m = m_pullup(m, hlen + (int)sizeof(*uh))) == NULL) {
		udpstat.udps_hdrops++;
		if (m != NULL)
			m_freem(m);
		return;
	}
	ip = mtod(m, struct ip *);
	uh = (struct udphdr *)(mtod(m, char *) + hlen);
	ulen = ntohs(uh->uh_ulen);
	if (ulen < (int)sizeof(*uh) || ulen > len) {
		udpstat.udps_hdrops++;
		m_freem(m);
		return;
	}
	if (ulen < len)
		m_adj(m, ulen - len);
	if (uh->uh_sum == 0)
		udpstat.udps_nosum++;
	else if ((ifp->if_capenable & IFCAP_RXCSUM) &&
	    (m->m_pkthdr.csum_flags & (CSUM_DATA_VALID | CSUM_PSEUDO_HDR)) ==
	    (CSUM_DATA_VALID | CSUM_PSEUDO_HDR) &&
	    m->m_pkthdr.csum_data == 0xffff)
		udpstat.udps_hwcsum_in++;
	else {
		uint32_t sum = in_pseudo(ip->ip_src, ip->ip_dst,
		    (uint32_t)IPPROTO_UDP << 16 | (uint32_t)ulen);

		sum += (uint16_t)~in_cksum_mbuf(m, hlen, ulen);
		sum = (sum & 0xffff) + (sum >> 16);
		if (sum != 0xffff) {
			udpstat.udps_badsum++;
			m_freem(m);
			return;
		}
	}
	so = udp_lookup(ntohs(uh->uh_dport));
	if (so == NULL || so->us_closing) {
		if ((m->m_flags & (M_BCAST | M_MCAST)) ||
		    in_broadcast(ifp, ip->ip_dst))
			udpstat.udps_bcast++;
		else
			udpstat.udps_noport++;
		m_freem(m);
		return;
	}
	if (so->us_qlen >= UDP_SOCK_BACKLOG) {
		udpstat.udps_fullsock++;
		m_freem(m);
		return;
	}
	m->m_nextpkt = NULL;
	*so->us_qtail = m;
	so->us_qtail = &m->m_nextpkt;
	so->us_qlen++;
	udpstat.udps_delivered++;
	if (!so->us_pending) {
		so->us_pending = true;
		TAILQ_INSERT_TAIL(&udp_pending, so, us_pendlink);
	}
}

void
udp_deliver_pending(void)
{
	struct udp_sock *so;
	struct mbuf *list, *m;

	/* Filled only by whoever ran the input just before: a peek without
	 * the lock spares most frames a second lock round. */
	if (__atomic_load_n(&udp_pending.tqh_first, __ATOMIC_RELAXED) == NULL)
		return;
	NET_LOCK();
	while ((so = TAILQ_FIRST(&udp_pending)) != NULL) {
		TAILQ_REMOVE(&udp_pending, so, us_pendlink);
		so->us_pending = false;
		list = so->us_q;
		so->us_q = NULL;
		so->us_qtail = &so->us_q;
		so->us_qlen = 0;
		so->us_busy++;
		NET_UNLOCK();
		while ((m = list) != NULL) {
			struct udp_from from;
			const struct ip *ip;
			const struct udphdr *uh;
			int hlen;

			list = m->m_nextpkt;
			m->m_nextpkt = NULL;
			/* The headers are still in front: pulled up on input. */
			ip = mtod(m, const struct ip *);
			hlen = IP_HL(ip) << 2;
			uh = (const struct udphdr *)(mtod(m, char *) + hlen);
			from.uf_src = ip->ip_src;
			from.uf_dst = ip->ip_dst;
			from.uf_sport = ntohs(uh->uh_sport);
			from.uf_ifp = m->m_pkthdr.rcvif;
			m_adj(m, hlen + (int)sizeof(*uh));
			m->m_pkthdr.csum_flags = 0;
			so->us_cb(so, m, &from, so->us_arg);
		}
		NET_LOCK();
		so->us_busy--;
		if (so->us_closing && so->us_busy == 0)
			wakeup(so);
	}
	NET_UNLOCK();
}

int
udp_sock_open(struct udp_sock **sop, in_port_t port, udp_input_t *cb,
    void *arg)
{
	struct udp_sock *so;

	KASSERT(cb != NULL, ("udp_sock_open: no callback"));
	so = malloc(sizeof(*so), M_UDPSOCK, M_WAITOK | M_ZERO);
	so->us_cb = cb;
	so->us_arg = arg;
	so->us_qtail = &so->us_q;
	NET_LOCK();
	if (port == 0) {
		for (int tries = 0; tries < 16384; tries++) {
			in_port_t p = udp_ephemeral++;

			if (udp_ephemeral == 0)
				udp_ephemeral = 49152;
			if (udp_lookup(p) == NULL) {
				port = p;
				break;
			}
		}
	}
	if (port == 0 || udp_lookup(port) != NULL) {
		NET_UNLOCK();
		free(so, M_UDPSOCK);
		return (EADDRINUSE);
	}
	so->us_port = port;
	LIST_INSERT_HEAD(&udp_socks, so, us_link);
	NET_UNLOCK();
	*sop = so;
	return (0);
}

in_port_t
udp_sock_port(const struct udp_sock *so)
{
	return (so->us_port);
}

void
udp_sock_close(struct udp_sock *so)
{
	struct mbuf *m, *n;

	NET_LOCK();
	so->us_closing = true;
	LIST_REMOVE(so, us_link);
	if (so->us_pending) {
		TAILQ_REMOVE(&udp_pending, so, us_pendlink);
		so->us_pending = false;
	}
	while (so->us_busy > 0)
		msleep(so, &net_lock, "udpclose", 0);
	m = so->us_q;
	so->us_q = NULL;
	NET_UNLOCK();
	for (; m != NULL; m = n) {
		n = m->m_nextpkt;
		m_freem(m);
	}
	free(so, M_UDPSOCK);
}

int
udp_sock_send(struct udp_sock *so, in_addr_t dst, in_port_t dport,
    struct mbuf *m)
{
	struct ifnet *ifp;
	struct udphdr *uh;
	in_addr_t nexthop, src;
	int error, ulen;

	KASSERT(m->m_flags & M_PKTHDR, ("udp_sock_send: no packet header"));
	if (m->m_pkthdr.len > UDP_MAXPAYLOAD) {
		m_freem(m);
		udpstat.udps_oerrors++;
		return (EMSGSIZE);
	}
	M_PREPEND(m, sizeof(*uh), M_NOWAIT);
	if (m == NULL || (m->m_len < (int)sizeof(*uh) &&
	    (m = m_pullup(m, sizeof(*uh))) == NULL)) {
		udpstat.udps_oerrors++;
		return (ENOBUFS);
	}
	ulen = m->m_pkthdr.len;
	NET_LOCK();
	/* The source address (for the pseudo-header) is the route's. */
	error = in_route(dst, &ifp, &nexthop);
	if (error != 0) {
		NET_UNLOCK();
		m_freem(m);
		udpstat.udps_oerrors++;
		ipstat.ips_noroute++;
		return (error);
	}
	src = ifp->if_inaddr->ia_addr;
	uh = mtod(m, struct udphdr *);
	uh->uh_sport = htons(so->us_port);
	uh->uh_dport = htons(dport);
	uh->uh_ulen = htons((uint16_t)ulen);
	uh->uh_sum = in_pseudo(src, dst,
	    (uint32_t)IPPROTO_UDP << 16 | (uint32_t)ulen);
	m->m_pkthdr.csum_flags = CSUM_UDP;
	m->m_pkthdr.csum_data = __builtin_offsetof(struct udphdr, uh_sum);
	m->m_pkthdr.rcvif = NULL;
	error = ip_output(m, src, dst, IPPROTO_UDP, 0);
	if (error == 0)
		udpstat.udps_opackets++;
	else
		udpstat.udps_oerrors++;
	NET_UNLOCK();
	return (error);
}

int
udp_sock_sendbuf(struct udp_sock *so, in_addr_t dst, in_port_t dport,
    const void *buf, size_t len)
{
	struct mbuf *m;

	if (len > UDP_MAXPAYLOAD)
		return (EMSGSIZE);
	m = m_getm((int)len + 64, M_NOWAIT, MT_DATA, M_PKTHDR);
	if (m == NULL)
		return (ENOBUFS);
	/* Room in front for the UDP, IP and Ethernet headers, so they end
	 * up together in the first mbuf. */
	m->m_data += 64;
	for (struct mbuf *t = m->m_next; t != NULL; t = t->m_next)
		t->m_len = 0;
	if (!m_append(m, (int)len, buf)) {
		m_freem(m);
		return (ENOBUFS);
	}
	return (udp_sock_send(so, dst, dport, m));
}
