/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ARP for IPv4 over Ethernet (RFC 826): the packet and the per-interface
 * cache.  The cache is bounded (arp_cachemax per interface, least
 * recently used evicted), entries expire (arp_keep), an unresolved entry
 * holds at most arp_maxhold packets and is given up after arp_maxtries
 * requests one second apart.  net_lock covers all of it.
 */
#ifndef _NETINET_IF_ETHER_H_
#define _NETINET_IF_ETHER_H_

#include <sys/queue.h>
#include <sys/types.h>
#include <net/ethernet.h>
#include <netinet/in.h>

struct ifnet;
struct mbuf;

#define ARPHRD_ETHER	1
#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2

struct ether_arp {
	uint16_t	ar_hrd;
	uint16_t	ar_pro;
	uint8_t		ar_hln;
	uint8_t		ar_pln;
	uint16_t	ar_op;
	uint8_t		arp_sha[ETHER_ADDR_LEN];
	uint8_t		arp_spa[4];
	uint8_t		arp_tha[ETHER_ADDR_LEN];
	uint8_t		arp_tpa[4];
} __packed;

enum arp_bad {
	ARP_OK = 0,
	ARP_BAD_SHORT,		/* shorter than struct ether_arp */
	ARP_BAD_FORMAT,		/* hrd/pro/hln/pln not Ethernet/IPv4 */
	ARP_BAD_OP,		/* neither request nor reply */
	ARP_BAD_SHA,		/* sender MAC multicast, broadcast or ours */
	ARP_BAD_SPA,		/* sender IP 0 (not a probe), bcast, mcast */
	ARP_BAD_COUNT
};

/* Validates an ARP packet (len bytes at p), pure.  A probe (sender IP 0,
 * RFC 5227) is valid. */
enum arp_bad arp_check(const void *p, size_t len, const uint8_t *ourmac);

struct arpstat {
	u_long	rxtotal;
	u_long	bad[ARP_BAD_COUNT];
	u_long	rxrequests;	/* requests for our address */
	u_long	rxreplies;
	u_long	txrequests;
	u_long	txreplies;
	u_long	txgratuitous;
	u_long	conflicts;	/* someone else claims our address */
	u_long	notours;	/* requests for another address */
	u_long	entries;	/* in all caches now */
	u_long	evicted;	/* entries evicted to make room */
	u_long	expired;
	u_long	timeouts;	/* unresolved after arp_maxtries */
	u_long	holddrops;	/* packets dropped waiting for resolution */
};
extern struct arpstat	arpstat;
extern int	arp_cachemax;
extern int	arp_maxhold;
extern int	arp_maxtries;
extern sbintime_t arp_keep;

void	arp_ifattach(struct ifnet *);
void	arp_ifdetach(struct ifnet *);
void	arp_input(struct ifnet *, struct mbuf *);
/* Finds the MAC for nexthop: 0 and mac filled, or EWOULDBLOCK and m held
 * (queued until the reply; it now belongs to the cache), or an errno and m
 * freed.  net_lock held. */
int	arpresolve(struct ifnet *, in_addr_t nexthop, struct mbuf *m,
	    uint8_t mac[ETHER_ADDR_LEN]);
void	arp_announce(struct ifnet *);	/* gratuitous ARP */
void	arp_slowtimo(struct ifnet *, sbintime_t now);
/* Looks up a resolved entry (tests, reports); true if found. */
bool	arp_lookup(struct ifnet *, in_addr_t, uint8_t mac[ETHER_ADDR_LEN]);
int	arp_count(struct ifnet *);
/* This interface's counters (entries: not kept per interface). */
void	arp_ifstat(struct ifnet *, struct arpstat *);
void	arp_flush(struct ifnet *);

#endif /* !_NETINET_IF_ETHER_H_ */
