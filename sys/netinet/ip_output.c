/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * IPv4 output and fragmentation.  Every packet leaves with correct
 * checksums unless the interface took the job (if_hwassist with
 * IFCAP_TXCSUM enabled) for that very packet: a fragmented datagram always
 * gets its L4 checksum in software first, since no device sums across
 * fragments, and fragments get their header checksums in software.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_cksum.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

static uint16_t	ip_id_next;

/*
 * Every packet leaves with its Ethernet, IPv4 and first L4 bytes together
 * in its first mbuf: drivers for peers such as a paravirtual backend must
 * put all headers in the first slot.  IP_LINKHDR_ROOM is kept free in
 * front for the link header.
 */
#define IP_LINKHDR_ROOM	16
#define IP_L4HDR_COPY	64

/* A header mbuf holding hlen bytes of IP header (copied from iphdr, or
 * left for the caller if NULL) followed by the first bytes of m from off,
 * the rest of m (from off) chained after it; len bytes from off in all. */
static struct mbuf *
ip_hdr_mbuf(const void *iphdr, int hlen, struct mbuf *m, int off, int len,
    bool share)
{
	struct mbuf *h;
	int k = MIN(len, IP_L4HDR_COPY);

	CTASSERT(IP_LINKHDR_ROOM + 60 + IP_L4HDR_COPY <= MHLEN);
	h = m_gethdr(M_NOWAIT, MT_DATA);
	if (h == NULL)
		return (NULL);
	h->m_data = h->m_pktdat + IP_LINKHDR_ROOM;
	if (iphdr != NULL)
		memcpy(h->m_data, iphdr, (size_t)hlen);
	m_copydata(m, off, k, h->m_data + hlen);
	h->m_len = hlen + k;
	h->m_pkthdr.len = hlen + len;
	if (len > k) {
		h->m_next = share ? m_copym(m, off + k, len - k, M_NOWAIT) : NULL;
		if (h->m_next == NULL) {
			m_free(h);
			return (NULL);
		}
	}
	return (h);
}

/* Unlinks empty mbufs after the first (left by trimming a received chain
 * that is now sent back): a driver would spend an empty slot on each. */
static void
ip_drop_empty(struct mbuf *m)
{
	while (m->m_next != NULL) {
		if (m->m_next->m_len == 0)
			m->m_next = m_free(m->m_next);
		else
			m = m->m_next;
	}
}

void
ip_csum_fixup(struct ifnet *ifp, struct mbuf *m)
{
	struct ip *ip = mtod(m, struct ip *);
	uint32_t l4 = m->m_pkthdr.csum_flags & CSUM_DELAY_DATA;
	bool txcsum = (ifp->if_capenable & IFCAP_TXCSUM) != 0;
	int hlen = IP_HL(ip) << 2;

	if (l4 != 0 && !(txcsum && (ifp->if_hwassist & l4) == l4)) {
		in_delayed_cksum(m, hlen, (int)m->m_pkthdr.csum_data);
		m->m_pkthdr.csum_flags &= ~CSUM_DELAY_DATA;
	}
	if ((m->m_pkthdr.csum_flags & CSUM_IP) &&
	    !(txcsum && (ifp->if_hwassist & CSUM_IP))) {
		ip->ip_sum = 0;
		ip->ip_sum = in_cksum_buf(ip, (size_t)hlen);
		m->m_pkthdr.csum_flags &= ~CSUM_IP;
	}
}

struct mbuf *
ip_fragment(struct mbuf *m, u_int mtu, int *nfragp)
{
	struct ip *ip = mtod(m, struct ip *);
	struct mbuf *list = NULL, **tailp = &list, *f;
	int hlen = IP_HL(ip) << 2;
	int total = ntohs(ip->ip_len);
	int chunk = (int)((mtu - (u_int)hlen) & ~7U);
	int nfrag = 0;

	KASSERT(chunk >= 8, ("ip_fragment: MTU %u", mtu));
	for (int off = 0; off < total - hlen; off += chunk) {
		int len = MIN(chunk, total - hlen - off);
		struct ip *fip;

		f = ip_hdr_mbuf(ip, hlen, m, hlen + off, len, true);
		if (f == NULL)
			goto nomem;
		fip = mtod(f, struct ip *);
		fip->ip_len = htons((uint16_t)(hlen + len));
		fip->ip_off = htons((uint16_t)((ntohs(ip->ip_off) & IP_DF) |
		    (off >> 3) | (off + len < total - hlen ? IP_MF : 0)));
		fip->ip_sum = 0;
		fip->ip_sum = in_cksum_buf(fip, (size_t)hlen);
		*tailp = f;
		tailp = &f->m_nextpkt;
		nfrag++;
	}
	m_freem(m);
	*nfragp = nfrag;
	return (list);
nomem:
	while ((f = list) != NULL) {
		list = f->m_nextpkt;
		m_freem(f);
	}
	m_freem(m);
	return (NULL);
}

int
ip_output(struct mbuf *m, in_addr_t src, in_addr_t dst, uint8_t proto,
    int flags)
{
	struct ifnet *ifp;
	struct ip *ip;
	in_addr_t nexthop;
	struct mbuf *list;
	int error, len, nfrag;
	bool txcsum;

	NET_LOCK_ASSERT();
	error = in_route(dst, &ifp, &nexthop);
	if (error != 0) {
		ipstat.ips_noroute++;
		m_freem(m);
		return (error);
	}
	if (src == INADDR_ANY)
		src = ifp->if_inaddr->ia_addr;
	if (m->m_pkthdr.len + (int)sizeof(struct ip) > IP_MAXPACKET) {
		m_freem(m);
		return (EMSGSIZE);
	}
	if (M_LEADINGSPACE(m) >= (int)sizeof(struct ip) + IP_LINKHDR_ROOM &&
	    m->m_len >= MIN(m->m_pkthdr.len, IP_L4HDR_COPY))
		M_PREPEND(m, sizeof(struct ip), M_NOWAIT);
	else {
		/* Headers into a new first mbuf; the rest follows as it is. */
		struct mbuf *h;
		int k = MIN(m->m_pkthdr.len, IP_L4HDR_COPY);

		h = ip_hdr_mbuf(NULL, sizeof(struct ip), m, 0, k, false);
		if (h == NULL) {
			m_freem(m);
			ipstat.ips_odropped++;
			return (ENOBUFS);
		}
		h->m_pkthdr.csum_flags = m->m_pkthdr.csum_flags;
		h->m_pkthdr.csum_data = m->m_pkthdr.csum_data;
		h->m_pkthdr.len = (int)sizeof(struct ip) + m->m_pkthdr.len;
		m_adj(m, k);
		m->m_flags &= ~M_PKTHDR;
		while (m != NULL && m->m_len == 0)
			m = m_free(m);
		h->m_next = m;
		m = h;
	}
	len = m->m_pkthdr.len;
	ip = mtod(m, struct ip *);
	ip->ip_vhl = IP_VHL(IPVERSION, sizeof(struct ip) >> 2);
	ip->ip_tos = 0;
	ip->ip_len = htons((uint16_t)len);
	ip->ip_id = htons(ip_id_next++);
	ip->ip_off = htons((flags & IP_OUT_DF) ? IP_DF : 0);
	ip->ip_ttl = IP_DEFTTL;
	ip->ip_p = proto;
	ip->ip_sum = 0;
	ip->ip_src = src;
	ip->ip_dst = dst;
	ipstat.ips_localout++;
	txcsum = (ifp->if_capenable & IFCAP_TXCSUM) != 0;

	if ((u_int)len <= ifp->if_mtu) {
		uint32_t l4 = m->m_pkthdr.csum_flags & CSUM_DELAY_DATA;

		if (l4 != 0 && !(txcsum && (ifp->if_hwassist & l4) == l4)) {
			in_delayed_cksum(m, sizeof(struct ip),
			    (int)m->m_pkthdr.csum_data);
			m->m_pkthdr.csum_flags &= ~CSUM_DELAY_DATA;
		} else if (l4 != 0)
			ipstat.ips_hwcsum_out++;
		if (txcsum && (ifp->if_hwassist & CSUM_IP))
			m->m_pkthdr.csum_flags |= CSUM_IP;
		else
			ip->ip_sum = in_cksum_buf(ip, sizeof(struct ip));
		ip_drop_empty(m);
		return (ifp->if_output(ifp, m, nexthop));
	}
	if (flags & IP_OUT_DF) {
		ipstat.ips_cantfrag++;
		m_freem(m);
		return (EMSGSIZE);
	}
	if (m->m_pkthdr.csum_flags & CSUM_DELAY_DATA)
		in_delayed_cksum(m, sizeof(struct ip),
		    (int)m->m_pkthdr.csum_data);
	m->m_pkthdr.csum_flags = 0;
	list = ip_fragment(m, ifp->if_mtu, &nfrag);
	if (list == NULL) {
		ipstat.ips_odropped++;
		return (ENOBUFS);
	}
	ipstat.ips_fragmented++;
	ipstat.ips_ofragments += (u_long)nfrag;
	error = 0;
	while ((m = list) != NULL) {
		int e;

		list = m->m_nextpkt;
		m->m_nextpkt = NULL;
		e = ifp->if_output(ifp, m, nexthop);
		if (e != 0 && error == 0)
			error = e;
	}
	if (error != 0)
		ipstat.ips_odropped++;
	return (error);
}
