/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * struct ifnet: a network interface as drivers and the stack see it
 * (ifnet(9)).
 *
 * Contexts:
 * - if_transmit(ifp, m) is the driver's: called from thread context (the
 *   stack's netisr thread or a thread using the UDP or ping KPI), possibly
 *   with the stack's lock held.  It owns m from then on (frees it on error)
 *   and must not call back into the stack synchronously except through
 *   if_input, nor sleep for room.  It returns 0 or an errno (ENOBUFS:
 *   queue full, counted).
 * - if_input(ifp, m) is the stack's (set by ether_ifattach): a driver may
 *   call it from thread or interrupt-handler context, with its own locks
 *   held; it only queues the packet (bounded queue, drops counted as
 *   IQDROPS) and wakes the netisr thread, which does the protocol work.
 *   Packets may be chains (scatter-gather); m_pkthdr.len must be right.
 * - Counters may be bumped from any context (atomic).
 * - if_link_state_change() may be called from any context: the gratuitous
 *   ARP it causes is sent later by the netisr thread.
 * - if_alloc, ether_ifattach, ether_ifdetach, if_free: thread context.
 *   A driver stops calling if_input before ether_ifdetach.
 */
#ifndef _NET_IF_VAR_H_
#define _NET_IF_VAR_H_

#include <sys/queue.h>
#include <sys/types.h>
#include <net/if.h>

struct mbuf;
struct ifnet;
struct in_ifaddr;
struct arpcom;

typedef enum {
	IFCOUNTER_IPACKETS = 0,
	IFCOUNTER_IERRORS,
	IFCOUNTER_OPACKETS,
	IFCOUNTER_OERRORS,
	IFCOUNTER_COLLISIONS,
	IFCOUNTER_IBYTES,
	IFCOUNTER_OBYTES,
	IFCOUNTER_IMCASTS,
	IFCOUNTER_OMCASTS,
	IFCOUNTER_IQDROPS,
	IFCOUNTER_OQDROPS,
	IFCOUNTER_NOPROTO,
	IFCOUNTERS
} ift_counter;

typedef int	if_transmit_fn_t(struct ifnet *, struct mbuf *);
typedef void	if_input_fn_t(struct ifnet *, struct mbuf *);
typedef void	if_qflush_fn_t(struct ifnet *);
typedef int	if_output_fn_t(struct ifnet *, struct mbuf *, uint32_t nexthop);

struct ifnet {
	TAILQ_ENTRY(ifnet) if_link;	/* all interfaces (ifnet list) */
	char		if_xname[IFNAMSIZ];	/* "xn0" */
	const char	*if_dname;	/* driver name "xn" */
	int		if_dunit;	/* unit number */
	void		*if_softc;	/* driver's */
	u_char		if_type;	/* IFT_* */
	u_char		if_addrlen;	/* link address length */
	u_char		if_hdrlen;	/* link header length */
	int		if_flags;	/* IFF_* */
	int		if_drv_flags;	/* driver's own flags */
	u_int		if_mtu;		/* IP MTU (1500 for Ethernet) */
	int		if_capabilities;	/* IFCAP_* the device can do */
	int		if_capenable;	/* IFCAP_* in use */
	uint32_t	if_hwassist;	/* CSUM_* the device fills on tx */
	int		if_link_state;	/* LINK_STATE_* */
	uint8_t		if_addr[8];	/* link address (MAC) */
	volatile uint64_t if_counters[IFCOUNTERS];

	if_transmit_fn_t *if_transmit;	/* driver: send a frame */
	if_input_fn_t	*if_input;	/* stack: a received frame */
	if_qflush_fn_t	*if_qflush;	/* driver: drop queued frames */
	if_output_fn_t	*if_output;	/* stack: send an IP packet */

	/* Stack's state (do not touch from drivers). */
	struct in_ifaddr *if_inaddr;	/* IPv4 address, or NULL */
	struct arpcom	*if_arp;	/* ARP cache */
	bool		if_attached;
	volatile int	if_announce;	/* link came up: gratuitous ARP due */
};

struct ifnet	*if_alloc(u_char type);
void		if_initname(struct ifnet *, const char *name, int unit);
/* Puts the interface on the list (ether_ifattach does it for Ethernet). */
void		if_attach(struct ifnet *);
void		if_detach(struct ifnet *);
void		if_free(struct ifnet *);
void		if_inc_counter(struct ifnet *, ift_counter, int64_t);
uint64_t	if_get_counter(const struct ifnet *, ift_counter);
/* The driver reports the link (gratuitous ARP on going up). */
void		if_link_state_change(struct ifnet *, int link_state);
/* Looks an attached interface up by name; NULL if none. */
struct ifnet	*ifunit(const char *name);
/* Calls fn for every attached interface (thread context). */
void		if_foreach(void (*fn)(struct ifnet *, void *), void *arg);
const char	*if_counter_name(ift_counter);

#endif /* !_NET_IF_VAR_H_ */
