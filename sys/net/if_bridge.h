/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * bridge(4): an in-kernel L2 learning bridge.  Its ports are interfaces
 * (our own stack's, through bridge_host_create, and the vifs of
 * netback(4)).  A frame that comes in on a port teaches the bridge where
 * its source address lives; it goes out on the port its destination was
 * last seen on, or, for a broadcast, multicast or unknown destination, on
 * every port but the one it came from.  A frame is never sent back out of
 * the port it came in on.
 *
 * The address table is bounded (br_maxaddr entries, fixed at creation):
 * when it is full, expired entries are reclaimed and, if none is, the new
 * address is not learnt (its frames flood) and br_learn_full is counted.
 * An entry not refreshed for br_ttl expires; expiry is checked on lookup,
 * so a station that went away is never used after its ttl.
 *
 * Checksums: a frame whose L4 checksum its sender left blank carries
 * CSUM_TCP or CSUM_UDP in csum_flags (as the stack's own transmit does).
 * It leaves a port with the flag only if that port said it takes blank
 * checksums (BRIDGE_PORT_CSUM_BLANK); for any other port, our stack's
 * included, the bridge fills in the checksum first.
 *
 * Locking: one mutex per bridge (MTX_DEF) over the table, the ports and
 * the counters; it is held while a frame is handed to a port's output
 * function, so a port removed with bridge_port_remove is never called
 * again once that returns.  Output functions only queue (they must not
 * sleep, nor come back into the bridge).  bridge_input: thread context.
 */
#ifndef _NET_IF_BRIDGE_H_
#define _NET_IF_BRIDGE_H_

#include <sys/types.h>
#include <sys/time.h>
#include <net/ethernet.h>

struct bridge;
struct bridge_port;
struct ifnet;
struct mbuf;

/* Hands a frame out of a port (takes it). */
typedef void	bridge_output_fn(struct ifnet *, struct mbuf *);

#define BRIDGE_MAXADDR_DEFAULT	1024
#define BRIDGE_TTL_DEFAULT	(300 * SBT_1S)

/* bridge_port_add flags */
#define BRIDGE_PORT_CSUM_BLANK	0x0001	/* takes frames with blank checksums */

/* Why a frame was not forwarded (counters). */
enum bridge_drop {
	BRIDGE_DROP_SHORT = 0,	/* shorter than an Ethernet header */
	BRIDGE_DROP_BADSRC,	/* multicast or zero source address */
	BRIDGE_DROP_LOCAL,	/* destination is on the source port */
	BRIDGE_DROP_NOMEM,	/* no mbuf for a copy, or for the pull-up */
	BRIDGE_DROP_CSUM,	/* blank checksum that cannot be filled */
	BRIDGE_DROP_DOWN,	/* source port removed or bridge empty */
	BRIDGE_DROP_NREASONS
};

struct bridge_stats {
	uint64_t	input;		/* frames given to bridge_input */
	uint64_t	unicast;	/* sent to one known port */
	uint64_t	flooded;	/* sent to every other port */
	uint64_t	learnt;		/* new table entries */
	uint64_t	moved;		/* address seen on another port */
	uint64_t	expired;	/* entries reclaimed after their ttl */
	uint64_t	learn_full;	/* not learnt: table full */
	uint64_t	csum_filled;	/* blank checksums filled in */
	uint64_t	drops[BRIDGE_DROP_NREASONS];
};

struct bridge_port_stats {
	uint64_t	in_frames;
	uint64_t	out_frames;
	uint64_t	out_bytes;
};

/* maxaddr: table bound (> 0); ttl: entry lifetime (> 0). */
struct bridge	*bridge_create(const char *name, u_int maxaddr, sbintime_t ttl);
/* Every port must have been removed. */
void		bridge_destroy(struct bridge *);
struct bridge_port *bridge_port_add(struct bridge *, struct ifnet *,
		    bridge_output_fn *out, int flags);
/* Removes the port and every address learnt on it. */
void		bridge_port_remove(struct bridge_port *);
/* A frame arriving on a port (taken; m_pkthdr.len must be right). */
void		bridge_input(struct bridge_port *, struct mbuf *);
/* The port an address was last seen on (not expired), or NULL. */
struct bridge_port *bridge_lookup(struct bridge *, const uint8_t *mac);
struct ifnet	*bridge_port_ifp(const struct bridge_port *);
u_int		bridge_nports(struct bridge *);
/* Table entries in use (expired ones not yet reclaimed included). */
u_int		bridge_naddrs(struct bridge *);
void		bridge_stats(struct bridge *, struct bridge_stats *);
void		bridge_port_stats(struct bridge_port *,
		    struct bridge_port_stats *);
const char	*bridge_drop_name(enum bridge_drop);
/* The bridge named so, or NULL. */
struct bridge	*bridge_find(const char *name);

/*
 * Fills in the TCP or UDP checksum of the IPv4 frame in m (Ethernet header
 * first), computed from scratch whatever the field held, and clears
 * CSUM_TCP | CSUM_UDP.  0; EINVAL for a frame whose headers do not parse
 * (truncated, a fragment, lengths past the frame); ENOBUFS when m cannot
 * be made writable (then m is freed).
 */
int		bridge_csum_fill(struct mbuf **mp);

/*
 * Our stack's port: creates interface <name> (an Ethernet ifnet with the
 * given MAC, attached to the stack, so ip= may give it an address) as a
 * port of the bridge.  What the stack sends on it enters the bridge; what
 * the bridge sends to it goes up the stack.
 */
struct ifnet	*bridge_host_create(struct bridge *, const char *name, int unit,
		    const uint8_t mac[ETHER_ADDR_LEN]);
void		bridge_host_destroy(struct ifnet *);

#endif /* !_NET_IF_BRIDGE_H_ */
