/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * bridge(4): filling in a TCP or UDP checksum a sender left blank before
 * the frame reaches a port that would take the field at its word (our
 * stack checks it; a guest that did not ask for blank checksums would).
 * The frame came from an untrusted port, so every header field used is
 * bounded by the frame, and the field is recomputed from scratch.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/systm.h>

#include <net/ethernet.h>
#include <net/if_bridge.h>
#include <netinet/in.h>
#include <netinet/in_cksum.h>
#include <netinet/ip.h>

/* Offsets of the checksum field inside the TCP and UDP headers. */
#define TCP_SUM_OFF	16
#define TCP_MINHLEN	20
#define UDP_SUM_OFF	6
#define UDP_HLEN	8

static bool
chain_writable(const struct mbuf *m)
{
	for (; m != NULL; m = m->m_next) {
		if (!M_WRITABLE(m))
			return (false);
	}
	return (true);
}

int
bridge_csum_fill(struct mbuf **mp)
{
	struct mbuf *m = *mp;
	struct ip ip;
	uint16_t type, sum, zero = 0;
	uint32_t s;
	int plen = m->m_pkthdr.len, l3, hlen, l4len, sumoff, l4min;

	if (plen < ETHER_HDR_LEN)
		return (EINVAL);
	m_copydata(m, ETHER_ADDR_LEN * 2, 2, &type);
	l3 = ETHER_HDR_LEN;
	if (ntohs(type) == ETHERTYPE_VLAN) {
		if (plen < ETHER_HDR_LEN + ETHER_VLAN_ENCAP_LEN)
			return (EINVAL);
		m_copydata(m, ETHER_HDR_LEN + 2, 2, &type);
		l3 += ETHER_VLAN_ENCAP_LEN;
	}
	if (ntohs(type) != ETHERTYPE_IP || plen - l3 < IP_MINHLEN)
		return (EINVAL);
	m_copydata(m, l3, sizeof(ip), &ip);
	hlen = IP_HL(&ip) * 4;
	if (IP_V(&ip) != 4 || hlen < IP_MINHLEN ||
	    ntohs(ip.ip_len) < hlen || ntohs(ip.ip_len) > plen - l3 ||
	    (ntohs(ip.ip_off) & (IP_MF | IP_OFFMASK)) != 0)
		return (EINVAL);
	l4len = ntohs(ip.ip_len) - hlen;
	switch (ip.ip_p) {
	case IPPROTO_TCP:
		sumoff = TCP_SUM_OFF;
		l4min = TCP_MINHLEN;
		break;
	case IPPROTO_UDP:
		sumoff = UDP_SUM_OFF;
		l4min = UDP_HLEN;
		break;
	default:
		return (EINVAL);
	}
	if (l4len < l4min)
		return (EINVAL);
	if (!chain_writable(m)) {
		struct mbuf *n = m_dup(m, M_NOWAIT);

		m_freem(m);
		*mp = n;
		if (n == NULL)
			return (ENOBUFS);
		m = n;
	}
	/* The sum over a zeroed field plus the pseudo header, complemented. */
	if (m_copyback(m, l3 + hlen + sumoff, 2, &zero) != 0)
		return (EINVAL);
	s = in_pseudo(ip.ip_src, ip.ip_dst,
	    (uint32_t)ip.ip_p << 16 | (uint32_t)l4len);
	s += (uint16_t)~in_cksum_mbuf(m, l3 + hlen, l4len);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	sum = (uint16_t)~s;
	if (sum == 0 && ip.ip_p == IPPROTO_UDP)
		sum = 0xffff;	/* 0 would say "no checksum" */
	m_copyback(m, l3 + hlen + sumoff, 2, &sum);
	m->m_pkthdr.csum_flags &= ~CSUM_DELAY_DATA;
	return (0);
}
