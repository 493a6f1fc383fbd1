/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * IPv4 addresses of interfaces and the (one-level) routing decision.
 * One address per interface, with a prefix; one default gateway per
 * interface; the route to a destination is the interface whose prefix
 * holds it (longest prefix first), else the first interface with a
 * gateway.  Protected by net_lock.
 */
#ifndef _NETINET_IN_VAR_H_
#define _NETINET_IN_VAR_H_

#include <sys/types.h>
#include <netinet/in.h>

struct ifnet;

struct in_ifaddr {
	struct ifnet	*ia_ifp;
	in_addr_t	ia_addr;
	in_addr_t	ia_mask;
	in_addr_t	ia_net;		/* ia_addr & ia_mask */
	in_addr_t	ia_broadcast;	/* directed broadcast */
	in_addr_t	ia_gw;		/* default gateway, or INADDR_ANY */
	int		ia_plen;
};

/* A parsed "addr/prefix[,gw]" (the ip= boot option). */
struct in_ipspec {
	in_addr_t	is_addr;
	int		is_plen;
	in_addr_t	is_gw;		/* INADDR_ANY if none */
};

#define IN_IPSPEC_MAX	48
/*
 * Parses "a.b.c.d/N" or "a.b.c.d/N,g.h.i.j" (N in 1..32; prefix 32 takes
 * no gateway off-link check).  The address must be a unicast host address
 * of its prefix (not the network or broadcast address unless /31 or /32,
 * not 0.0.0.0, loopback, multicast or class E); the gateway must be unicast,
 * inside the prefix and not the address itself.  Returns 0, or EINVAL with
 * a short reason in why (which may be NULL).
 */
int	in_ipspec_parse(const char *s, struct in_ipspec *is, const char **why);
in_addr_t in_plen2mask(int plen);

/* Sets (or with is == NULL, removes) the interface's address; sends a
 * gratuitous ARP if the link is up.  net_lock held. */
int	in_ifaddr_set(struct ifnet *, const struct in_ipspec *is);
/* Where a packet to dst goes: the interface and the next hop.  Returns
 * 0 or EHOSTUNREACH.  net_lock held. */
int	in_route(in_addr_t dst, struct ifnet **ifpp, in_addr_t *nexthop);
/* True if addr is one of ours (unicast) on ifp (or any if ifp NULL). */
bool	in_localaddr(const struct ifnet *, in_addr_t addr);
/* True if addr is a broadcast address for ifp. */
bool	in_broadcast(const struct ifnet *, in_addr_t addr);

/* The boot options ip= and ip.<ifname>=, applied when an interface with
 * that name attaches (ip= to the first Ethernet interface that is not a
 * test interface). */
void	in_cmdline_ifattach(struct ifnet *);

#endif /* !_NETINET_IN_VAR_H_ */
