/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Ethernet input and output.  Input checks the frame's length against the
 * MTU, its addresses, and hands IPv4 and ARP on; everything else is
 * counted and dropped.  Runs with net_lock held.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/systm.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/if_ether.h>
#include <netinet/in_var.h>
#include <netinet/ip_var.h>

const uint8_t	etherbroadcastaddr[ETHER_ADDR_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};
struct etherstat	etherstat;

char *
ether_sprintf_r(const uint8_t mac[ETHER_ADDR_LEN], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	    mac[2], mac[3], mac[4], mac[5]);
	return (buf);
}

void
ether_ifattach(struct ifnet *ifp, const uint8_t mac[ETHER_ADDR_LEN])
{
	ifp->if_addrlen = ETHER_ADDR_LEN;
	ifp->if_hdrlen = ETHER_HDR_LEN;
	memcpy(ifp->if_addr, mac, ETHER_ADDR_LEN);
	if (ifp->if_mtu == 0)
		ifp->if_mtu = ETHERMTU;
	ifp->if_flags |= IFF_BROADCAST;
	ifp->if_input = netisr_queue;
	ifp->if_output = ether_output;
	arp_ifattach(ifp);
	if_attach(ifp);
	in_cmdline_ifattach(ifp);
}

void
ether_ifdetach(struct ifnet *ifp)
{
	if_detach(ifp);
	NET_LOCK();
	in_ifaddr_set(ifp, NULL);
	NET_UNLOCK();
	arp_ifdetach(ifp);
}

void
ether_input_locked(struct ifnet *ifp, struct mbuf *m)
{
	struct ether_header *eh;
	uint16_t type;
	u_int len;

	NET_LOCK_ASSERT();
	etherstat.es_input++;
	len = m_length(m, NULL);
	if (!(m->m_flags & M_PKTHDR) || m->m_pkthdr.len != (int)len) {
		etherstat.es_badchain++;
		goto drop;
	}
	if (!(ifp->if_flags & IFF_UP)) {
		etherstat.es_down++;
		goto drop;
	}
	if (len < ETHER_HDR_LEN) {
		etherstat.es_short++;
		goto drop;
	}
	if (len > ifp->if_mtu + ETHER_HDR_LEN + ETHER_VLAN_ENCAP_LEN) {
		etherstat.es_oversize++;
		goto drop;
	}
	if ((m = m_pullup(m, ETHER_HDR_LEN)) == NULL) {
		etherstat.es_short++;
		if_inc_counter(ifp, IFCOUNTER_IERRORS, 1);
		return;
	}
	eh = mtod(m, struct ether_header *);
	if (ETHER_IS_MULTICAST(eh->ether_shost)) {
		etherstat.es_badsrc++;
		goto drop;
	}
	if (ETHER_IS_BROADCAST(eh->ether_dhost))
		m->m_flags |= M_BCAST;
	else if (ETHER_IS_MULTICAST(eh->ether_dhost))
		m->m_flags |= M_MCAST;
	else if (memcmp(eh->ether_dhost, ifp->if_addr, ETHER_ADDR_LEN) != 0 &&
	    !(ifp->if_flags & IFF_PROMISC)) {
		etherstat.es_notours++;
		goto drop;
	}
	type = ntohs(eh->ether_type);
	m->m_pkthdr.rcvif = ifp;
	m_adj(m, ETHER_HDR_LEN);
	switch (type) {
	case ETHERTYPE_IP:
		ip_input(m);
		return;
	case ETHERTYPE_ARP:
		arp_input(ifp, m);
		return;
	default:
		etherstat.es_noproto++;
		if_inc_counter(ifp, IFCOUNTER_NOPROTO, 1);
		m_freem(m);
		return;
	}
drop:
	if_inc_counter(ifp, IFCOUNTER_IERRORS, 1);
	m_freem(m);
}

int
ether_output_frame(struct ifnet *ifp, struct mbuf *m, const uint8_t *dst,
    uint16_t type)
{
	struct ether_header *eh;
	int error;

	NET_LOCK_ASSERT();
	M_PREPEND(m, ETHER_HDR_LEN, M_NOWAIT);
	if (m == NULL) {
		etherstat.es_oerrors++;
		return (ENOBUFS);
	}
	/* M_PREPEND may have put the header in an mbuf of its own. */
	if (m->m_len < ETHER_HDR_LEN && (m = m_pullup(m, ETHER_HDR_LEN)) ==
	    NULL) {
		etherstat.es_oerrors++;
		return (ENOBUFS);
	}
	eh = mtod(m, struct ether_header *);
	memcpy(eh->ether_dhost, dst, ETHER_ADDR_LEN);
	memcpy(eh->ether_shost, ifp->if_addr, ETHER_ADDR_LEN);
	eh->ether_type = htons(type);
	etherstat.es_output++;
	error = ifp->if_transmit(ifp, m);
	if (error != 0)
		etherstat.es_oerrors++;
	return (error);
}

int
ether_output(struct ifnet *ifp, struct mbuf *m, uint32_t nexthop)
{
	uint8_t mac[ETHER_ADDR_LEN];
	int error;

	NET_LOCK_ASSERT();
	if (!(ifp->if_flags & IFF_UP)) {
		m_freem(m);
		return (ENETDOWN);
	}
	if (nexthop == INADDR_BROADCAST || in_broadcast(ifp, nexthop))
		memcpy(mac, etherbroadcastaddr, ETHER_ADDR_LEN);
	else {
		error = arpresolve(ifp, nexthop, m, mac);
		if (error == EWOULDBLOCK)
			return (0);	/* held until the reply */
		if (error != 0)
			return (error);
	}
	return (ether_output_frame(ifp, m, mac, ETHERTYPE_IP));
}
