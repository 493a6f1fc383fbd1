/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ICMP input: echo requests to one of our addresses are answered with the
 * same data (fragmented if need be); echo replies go to the ping KPI;
 * everything else is counted and dropped.  Echo requests to a broadcast
 * address are ignored (no smurf amplifier).
 */
#include <sys/param.h>
#include <sys/mbuf.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_cksum.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/ip_var.h>
#include <netinet/udp_var.h>

struct icmpstat	icmpstat;
void		(*icmp_reply_hook)(struct mbuf *, int);

void
icmp_input(struct mbuf *m, int hlen)
{
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct icmp_echo *ic;
	struct ip *ip;
	in_addr_t src, dst;
	int icmplen;

	NET_LOCK_ASSERT();
	icmpstat.icps_total++;
	icmplen = m->m_pkthdr.len - hlen;
	if (icmplen < ICMP_MINLEN ||
	    (m = m_pullup(m, hlen + ICMP_MINLEN)) == NULL) {
		icmpstat.icps_tooshort++;
		if (m != NULL)
			m_freem(m);
		return;
	}
	if (in_cksum_mbuf(m, hlen, icmplen) != 0) {
		icmpstat.icps_badsum++;
		m_freem(m);
		return;
	}
	ip = mtod(m, struct ip *);
	ic = (struct icmp_echo *)(mtod(m, char *) + hlen);
	switch (ic->icmp_type) {
	case ICMP_ECHO:
		if ((m->m_flags & (M_BCAST | M_MCAST)) ||
		    in_broadcast(ifp, ip->ip_dst)) {
			icmpstat.icps_bcastecho++;
			m_freem(m);
			return;
		}
		break;
	case ICMP_ECHOREPLY:
		icmpstat.icps_reply++;
		if (icmp_reply_hook != NULL)
			icmp_reply_hook(m, hlen);
		m_freem(m);
		return;
	default:
		icmpstat.icps_other++;
		m_freem(m);
		return;
	}
	src = ip->ip_dst;
	dst = ip->ip_src;
	m_adj(m, hlen);
	if (!M_WRITABLE(m)) {
		struct mbuf *n = m_dup(m, M_NOWAIT);

		m_freem(m);
		if (n == NULL) {
			icmpstat.icps_oerrors++;
			return;
		}
		m = n;
	}
	m->m_pkthdr.csum_flags = 0;
	m->m_flags &= ~(M_BCAST | M_MCAST);
	ic = mtod(m, struct icmp_echo *);
	ic->icmp_type = ICMP_ECHOREPLY;
	ic->icmp_code = 0;
	ic->icmp_cksum = 0;
	ic->icmp_cksum = in_cksum_mbuf(m, 0, m->m_pkthdr.len);
	icmpstat.icps_echo++;
	if (ip_output(m, src, dst, IPPROTO_ICMP, 0) != 0)
		icmpstat.icps_oerrors++;
}
