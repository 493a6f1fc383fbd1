/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ifnet(9): the list of interfaces, their counters and link state.
 * The list changes only in thread context under net_lock; lookups take it.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/if_ether.h>

MALLOC_DEFINE(M_IFNET, "ifnet", "network interfaces");

static TAILQ_HEAD(, ifnet) ifnet_list = TAILQ_HEAD_INITIALIZER(ifnet_list);

static const char *const if_counter_names[IFCOUNTERS] = {
	[IFCOUNTER_IPACKETS] = "ipackets",
	[IFCOUNTER_IERRORS] = "ierrors",
	[IFCOUNTER_OPACKETS] = "opackets",
	[IFCOUNTER_OERRORS] = "oerrors",
	[IFCOUNTER_COLLISIONS] = "collisions",
	[IFCOUNTER_IBYTES] = "ibytes",
	[IFCOUNTER_OBYTES] = "obytes",
	[IFCOUNTER_IMCASTS] = "imcasts",
	[IFCOUNTER_OMCASTS] = "omcasts",
	[IFCOUNTER_IQDROPS] = "iqdrops",
	[IFCOUNTER_OQDROPS] = "oqdrops",
	[IFCOUNTER_NOPROTO] = "noproto",
};

const char *
if_counter_name(ift_counter c)
{
	return ((u_int)c < IFCOUNTERS ? if_counter_names[c] : "?");
}

struct ifnet *
if_alloc(u_char type)
{
	struct ifnet *ifp;

	net_init();
	ifp = malloc(sizeof(*ifp), M_IFNET, M_WAITOK | M_ZERO);
	ifp->if_type = type;
	ifp->if_link_state = LINK_STATE_UNKNOWN;
	return (ifp);
}

void
if_initname(struct ifnet *ifp, const char *name, int unit)
{
	ifp->if_dname = name;
	ifp->if_dunit = unit;
	snprintf(ifp->if_xname, sizeof(ifp->if_xname), "%s%d", name, unit);
}

void
if_attach(struct ifnet *ifp)
{
	NET_LOCK();
	KASSERT(!ifp->if_attached, ("if_attach: %s twice", ifp->if_xname));
	TAILQ_INSERT_TAIL(&ifnet_list, ifp, if_link);
	ifp->if_attached = true;
	NET_UNLOCK();
}

void
if_detach(struct ifnet *ifp)
{
	NET_LOCK();
	if (ifp->if_attached) {
		TAILQ_REMOVE(&ifnet_list, ifp, if_link);
		ifp->if_attached = false;
	}
	NET_UNLOCK();
	/* Packets already queued for it must not reach it any more. */
	netisr_drain();
}

void
if_free(struct ifnet *ifp)
{
	KASSERT(!ifp->if_attached, ("if_free: %s attached", ifp->if_xname));
	free(ifp, M_IFNET);
}

void
if_inc_counter(struct ifnet *ifp, ift_counter c, int64_t n)
{
	KASSERT((u_int)c < IFCOUNTERS, ("if_inc_counter: %d", c));
	__atomic_fetch_add(&ifp->if_counters[c], (uint64_t)n, __ATOMIC_RELAXED);
}

uint64_t
if_get_counter(const struct ifnet *ifp, ift_counter c)
{
	KASSERT((u_int)c < IFCOUNTERS, ("if_get_counter: %d", c));
	return (__atomic_load_n(&ifp->if_counters[c], __ATOMIC_RELAXED));
}

/* Any context: the announcement waits for the netisr thread. */
void
if_link_state_change(struct ifnet *ifp, int state)
{
	int old = __atomic_exchange_n(&ifp->if_link_state, state,
	    __ATOMIC_SEQ_CST);

	/* Peers may have cached another MAC for our address meanwhile. */
	if (state == LINK_STATE_UP && old != LINK_STATE_UP) {
		__atomic_store_n(&ifp->if_announce, 1, __ATOMIC_RELEASE);
		netisr_link_kick();
	}
}

void
if_link_work(void)
{
	struct ifnet *ifp;

	NET_LOCK();
	TAILQ_FOREACH(ifp, &ifnet_list, if_link) {
		if (__atomic_exchange_n(&ifp->if_announce, 0,
		    __ATOMIC_ACQ_REL) != 0 && ifp->if_arp != NULL &&
		    ifp->if_link_state == LINK_STATE_UP)
			arp_announce(ifp);
	}
	NET_UNLOCK();
}

struct ifnet *
ifunit(const char *name)
{
	struct ifnet *ifp;

	NET_LOCK();
	TAILQ_FOREACH(ifp, &ifnet_list, if_link) {
		if (strcmp(ifp->if_xname, name) == 0)
			break;
	}
	NET_UNLOCK();
	return (ifp);
}

struct ifnet *
if_first_locked(void)
{
	NET_LOCK_ASSERT();
	return (TAILQ_FIRST(&ifnet_list));
}

struct ifnet *
if_next_locked(struct ifnet *ifp)
{
	NET_LOCK_ASSERT();
	return (TAILQ_NEXT(ifp, if_link));
}

void
if_foreach(void (*fn)(struct ifnet *, void *), void *arg)
{
	struct ifnet *ifp;

	NET_LOCK();
	TAILQ_FOREACH(ifp, &ifnet_list, if_link)
		fn(ifp, arg);
	NET_UNLOCK();
}
