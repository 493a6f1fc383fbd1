/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The stack's entry points that need no thread: its lock, the input of one
 * frame, the slow timer.  netisr.c runs them from its thread; the fuzz
 * target and hosted tests call them directly.
 */
#include <sys/param.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/if_ether.h>
#include <netinet/ip_var.h>
#include <netinet/udp_var.h>

struct mtx	net_lock;
static bool	net_inited;

/* First called from a SYSINIT (one thread), so no race on net_inited. */
void
net_init(void)
{
	if (net_inited)
		return;
	net_inited = true;
	mtx_init(&net_lock, "net", NULL, MTX_DEF);
	ip_init();
}

void
net_input_frame(struct ifnet *ifp, struct mbuf *m)
{
	NET_UNLOCK_ASSERT();
	NET_LOCK();
	if (ifp->if_type == IFT_ETHER && ifp->if_attached)
		ether_input_locked(ifp, m);
	else {
		if_inc_counter(ifp, IFCOUNTER_NOPROTO, 1);
		m_freem(m);
	}
	NET_UNLOCK();
	udp_deliver_pending();
}

void
net_slowtimo(sbintime_t now)
{
	struct ifnet *ifp;

	NET_LOCK();
	for (ifp = if_first_locked(); ifp != NULL; ifp = if_next_locked(ifp))
		arp_slowtimo(ifp, now);
	ip_slowtimo(now);
	NET_UNLOCK();
}
