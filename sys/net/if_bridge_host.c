/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * bridge(4): our own stack's port.  An Ethernet interface whose transmit
 * enters the bridge and which the bridge feeds through if_input, so the
 * stack (ARP, IPv4, ip=) sees an ordinary interface on the bridged segment.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/systm.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_bridge.h>
#include <net/if_var.h>
#include <net/netisr.h>

/* The stack's only transmit path (ether_output_frame) holds net_lock. */
static int
bridge_host_transmit(struct ifnet *ifp, struct mbuf *m)
{
	struct bridge_port *bp = ifp->if_softc;

	NET_LOCK_ASSERT();
	if (bp == NULL) {
		if_inc_counter(ifp, IFCOUNTER_OERRORS, 1);
		m_freem(m);
		return (ENETDOWN);
	}
	if_inc_counter(ifp, IFCOUNTER_OPACKETS, 1);
	if_inc_counter(ifp, IFCOUNTER_OBYTES, m->m_pkthdr.len);
	bridge_input(bp, m);
	return (0);
}

static void
bridge_host_output(struct ifnet *ifp, struct mbuf *m)
{
	if_inc_counter(ifp, IFCOUNTER_IPACKETS, 1);
	if_inc_counter(ifp, IFCOUNTER_IBYTES, m->m_pkthdr.len);
	/* Until ether_ifattach has set if_input there is no stack to feed. */
	if (ifp->if_input == NULL) {
		m_freem(m);
		return;
	}
	m->m_pkthdr.rcvif = ifp;
	ifp->if_input(ifp, m);
}

struct ifnet *
bridge_host_create(struct bridge *br, const char *name, int unit,
    const uint8_t mac[ETHER_ADDR_LEN])
{
	struct ifnet *ifp;

	ifp = if_alloc(IFT_ETHER);
	if_initname(ifp, name, unit);
	ifp->if_transmit = bridge_host_transmit;
	/* The stack fills its own checksums: the bridge fills the rest. */
	ifp->if_capabilities = IFCAP_SG;
	ifp->if_capenable = IFCAP_SG;
	ifp->if_flags = IFF_UP;
	/* The port exists before the stack can transmit on the interface. */
	ifp->if_softc = bridge_port_add(br, ifp, bridge_host_output, 0);
	ether_ifattach(ifp, mac);
	if_link_state_change(ifp, LINK_STATE_UP);
	return (ifp);
}

void
bridge_host_destroy(struct ifnet *ifp)
{
	struct bridge_port *bp;

	/* A transmit under way holds net_lock: after this none can start. */
	NET_LOCK();
	bp = ifp->if_softc;
	ifp->if_softc = NULL;
	NET_UNLOCK();
	/* No if_input once the port is gone, then the stack lets go. */
	bridge_port_remove(bp);
	ether_ifdetach(ifp);
	if_free(ifp);
}
