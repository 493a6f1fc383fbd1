/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * IPv4 input: header validation (a pure function, ip_hdr_check), local
 * delivery, reassembly.  The stack is a host, not a router: packets for
 * other addresses are counted and dropped.
 */
#include <sys/param.h>
#include <sys/mbuf.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_cksum.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

struct ipstat	ipstat;
struct ip_reass	ip_reass_state;

void
ip_init(void)
{
	static const struct ip_reass_limits lim = {
		.maxq = IP_REASS_MAXQ,
		.maxfrags = IP_REASS_MAXFRAGS,
		.maxmem = IP_REASS_MAXMEM,
		.timeout = IP_REASS_TIMEOUT,
	};

	ip_reass_init(&ip_reass_state, &lim);
}

void
ip_slowtimo(sbintime_t now)
{
	NET_LOCK_ASSERT();
	ip_reass_timeout(&ip_reass_state, now);
}

void
ip_input(struct mbuf *m)
{
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct ip *ip;
	enum ip_bad why;
	int len, hlen, iplen;
	bool sum_valid;

	NET_LOCK_ASSERT();
	ipstat.ips_total++;
	len = m->m_pkthdr.len;
	if (len < IP_MINHLEN) {
		why = IP_BAD_SHORT;
		goto bad;
	}
	/* Header and options contiguous; longer headers are refused below. */
	if ((m = m_pullup(m, MIN(len, 60))) == NULL) {
		ipstat.ips_bad[IP_BAD_SHORT]++;
		if_inc_counter(ifp, IFCOUNTER_IERRORS, 1);
		return;
	}
	sum_valid = (ifp->if_capenable & IFCAP_RXCSUM) &&
	    (m->m_pkthdr.csum_flags & (CSUM_L3_CALC | CSUM_L3_VALID)) ==
	    (CSUM_L3_CALC | CSUM_L3_VALID);
	why = ip_hdr_check(mtod(m, void *), (size_t)len, sum_valid, &hlen,
	    &iplen);
	if (why != IP_OK)
		goto bad;
	if (len > iplen)
		m_adj(m, iplen - len);	/* link-level padding */
	ip = mtod(m, struct ip *);
	if (!in_localaddr(ifp, ip->ip_dst) && !in_broadcast(ifp, ip->ip_dst)) {
		ipstat.ips_notforus++;
		m_freem(m);
		return;
	}
	if (ntohs(ip->ip_off) & (IP_MF | IP_OFFMASK)) {
		ipstat.ips_fragments++;
		m = ip_reass(&ip_reass_state, m, sbinuptime());
		if (m == NULL)
			return;
		/* The first fragment's interface may have gone meanwhile;
		 * this one is attached. */
		m->m_pkthdr.rcvif = ifp;
		ipstat.ips_reassembled++;
		ip = mtod(m, struct ip *);
		hlen = IP_HL(ip) << 2;
	}
	ipstat.ips_delivered++;
	switch (ip->ip_p) {
	case IPPROTO_ICMP:
		icmp_input(m, hlen);
		break;
	case IPPROTO_UDP:
		udp_input(m, hlen);
		break;
	default:
		ipstat.ips_delivered--;
		ipstat.ips_noproto++;
		m_freem(m);
		break;
	}
	return;
bad:
	ipstat.ips_bad[why]++;
	if_inc_counter(ifp, IFCOUNTER_IERRORS, 1);
	m_freem(m);
}
