/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * IPv4 addresses of interfaces and the routing decision (see in_var.h).
 * net_lock covers them.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/if_ether.h>
#include <netinet/in.h>
#include <netinet/in_var.h>

MALLOC_DEFINE(M_IFADDR, "ifaddr", "interface addresses");

int
in_ifaddr_set(struct ifnet *ifp, const struct in_ipspec *is)
{
	struct in_ifaddr *ia;

	NET_LOCK_ASSERT();
	if (is == NULL) {
		free(ifp->if_inaddr, M_IFADDR);
		ifp->if_inaddr = NULL;
		if (ifp->if_arp != NULL)
			arp_flush(ifp);
		return (0);
	}
	if (is->is_plen < 1 || is->is_plen > 32)
		return (EINVAL);
	ia = ifp->if_inaddr;
	if (ia == NULL) {
		ia = malloc(sizeof(*ia), M_IFADDR, M_NOWAIT | M_ZERO);
		if (ia == NULL)
			return (ENOMEM);
		ifp->if_inaddr = ia;
	}
	ia->ia_ifp = ifp;
	ia->ia_addr = is->is_addr;
	ia->ia_plen = is->is_plen;
	ia->ia_mask = in_plen2mask(is->is_plen);
	ia->ia_net = ia->ia_addr & ia->ia_mask;
	ia->ia_broadcast = ia->ia_net | ~ia->ia_mask;
	ia->ia_gw = is->is_gw;
	if (ifp->if_arp != NULL) {
		/* Entries learnt under the old address may be stale. */
		arp_flush(ifp);
		if (ifp->if_link_state == LINK_STATE_UP &&
		    (ifp->if_flags & IFF_UP))
			arp_announce(ifp);
	}
	return (0);
}

int
in_route(in_addr_t dst, struct ifnet **ifpp, in_addr_t *nexthop)
{
	struct ifnet *ifp, *best = NULL, *gwif = NULL;
	int bestlen = -1;

	NET_LOCK_ASSERT();
	for (ifp = if_first_locked(); ifp != NULL; ifp = if_next_locked(ifp)) {
		struct in_ifaddr *ia = ifp->if_inaddr;

		if (ia == NULL || !(ifp->if_flags & IFF_UP))
			continue;
		if ((dst & ia->ia_mask) == ia->ia_net &&
		    ia->ia_plen > bestlen) {
			best = ifp;
			bestlen = ia->ia_plen;
		}
		if (gwif == NULL && ia->ia_gw != INADDR_ANY)
			gwif = ifp;
	}
	if (best != NULL) {
		*ifpp = best;
		*nexthop = dst;
		return (0);
	}
	if (dst == INADDR_BROADCAST) {
		/* Limited broadcast: out of the first addressed interface. */
		for (ifp = if_first_locked(); ifp != NULL;
		    ifp = if_next_locked(ifp)) {
			if (ifp->if_inaddr != NULL && (ifp->if_flags & IFF_UP)) {
				*ifpp = ifp;
				*nexthop = dst;
				return (0);
			}
		}
	}
	if (gwif != NULL) {
		*ifpp = gwif;
		*nexthop = gwif->if_inaddr->ia_gw;
		return (0);
	}
	return (EHOSTUNREACH);
}

bool
in_localaddr(const struct ifnet *ifp, in_addr_t addr)
{
	struct ifnet *i;

	NET_LOCK_ASSERT();
	if (ifp != NULL)
		return (ifp->if_inaddr != NULL &&
		    ifp->if_inaddr->ia_addr == addr);
	for (i = if_first_locked(); i != NULL; i = if_next_locked(i)) {
		if (i->if_inaddr != NULL && i->if_inaddr->ia_addr == addr)
			return (true);
	}
	return (false);
}

bool
in_broadcast(const struct ifnet *ifp, in_addr_t addr)
{
	const struct in_ifaddr *ia = ifp->if_inaddr;

	if (addr == INADDR_BROADCAST || addr == INADDR_ANY)
		return (true);
	return (ia != NULL && ia->ia_plen <= 30 &&
	    (addr == ia->ia_broadcast || addr == ia->ia_net));
}
