/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The stack's lock and its input thread.
 *
 * One sleep mutex, net_lock, covers every protocol's state (ARP caches,
 * addresses, reassembly queues, UDP endpoints, protocol counters).  Frames
 * handed to if_input() wait in one bounded queue (a spin lock, so drivers
 * may queue from interrupt handlers) until the netisr thread takes them and
 * runs net_input_frame() on each.  The same thread runs the slow timer
 * (ARP expiry and retries, reassembly timeouts) every NET_SLOWTIMO.
 */
#ifndef _NET_NETISR_H_
#define _NET_NETISR_H_

#include <sys/mutex.h>
#include <sys/time.h>
#include <sys/types.h>

struct ifnet;
struct mbuf;

extern struct mtx	net_lock;

#define NET_LOCK()		mtx_lock(&net_lock)
#define NET_UNLOCK()		mtx_unlock(&net_lock)
#define NET_LOCK_ASSERT()	mtx_assert(&net_lock, MA_OWNED)
#define NET_UNLOCK_ASSERT()	mtx_assert(&net_lock, MA_NOTOWNED)

#define NET_SLOWTIMO		(SBT_1S / 4)
#define NETISR_QLEN_DEFAULT	1024

/* Initialises net_lock and the protocols (idempotent). */
void	net_init(void);
/* if_input of Ethernet interfaces: queues the frame for the netisr thread
 * (any context). */
void	netisr_queue(struct ifnet *, struct mbuf *);
/* Runs the whole stack over one received frame, then the UDP callbacks it
 * made due (thread context, net_lock not held). */
void	net_input_frame(struct ifnet *, struct mbuf *);
/* Timer work of every protocol at uptime now (net_lock not held). */
void	net_slowtimo(sbintime_t now);
/* Prints interfaces and every protocol's counters (boot report). */
void	net_report(void);
/* Waits until the netisr queue is empty and its thread idle (tests). */
void	netisr_drain(void);

/* A link came up: wakes the netisr thread to run if_link_work (any
 * context). */
void	netisr_link_kick(void);
/* Sends the gratuitous ARPs of links that came up (thread context). */
void	if_link_work(void);

/* Walks of the interface list inside the stack (net_lock held). */
struct ifnet	*if_first_locked(void);
struct ifnet	*if_next_locked(struct ifnet *);

/* Ethernet input with net_lock held (net_input_frame's core). */
void	ether_input_locked(struct ifnet *, struct mbuf *);
/* Sends an IPv4 packet m (IP header first) to nexthop on ifp: ARP, then
 * the Ethernet header, then if_transmit.  net_lock held; m consumed. */
int	ether_output(struct ifnet *, struct mbuf *, uint32_t nexthop);
/* Prepends an Ethernet header and hands the frame to the driver. */
int	ether_output_frame(struct ifnet *, struct mbuf *,
	    const uint8_t *dst, uint16_t type);

struct etherstat {
	u_long	es_input;
	u_long	es_short;	/* shorter than a header */
	u_long	es_oversize;	/* longer than MTU + header */
	u_long	es_badchain;	/* m_pkthdr.len disagrees with the chain */
	u_long	es_notours;	/* unicast to another MAC */
	u_long	es_badsrc;	/* multicast source MAC */
	u_long	es_noproto;	/* neither IPv4 nor ARP */
	u_long	es_down;	/* interface not up */
	u_long	es_output;
	u_long	es_oerrors;	/* driver refused */
};
extern struct etherstat	etherstat;

struct netisr_stats {
	u_long	queued;
	u_long	dropped;	/* queue full */
	u_long	handled;
	u_int	qlen_max;	/* longest the queue was */
};
extern struct netisr_stats	netisr_stats;
extern u_int			netisr_maxqlen;

#endif /* !_NET_NETISR_H_ */
