/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ktap: an Ethernet interface for in-kernel tests.  What the stack sends
 * is either queued for the test to take (ktap_take) or handed to a peer
 * function the test supplies (which may answer through ktap_inject, as a
 * host on the wire would).  Frames the test injects go through if_input
 * like a driver's.  Never attached by itself.
 */
#ifndef _NET_IF_KTAP_H_
#define _NET_IF_KTAP_H_

#include <sys/types.h>
#include <sys/time.h>

struct ifnet;
struct mbuf;

typedef void ktap_peer_t(struct ifnet *, struct mbuf *, void *arg);

#define KTAP_QLEN	512

/* Creates ktap<unit> with a MAC, up with link up.  caps: IFCAP_* enabled;
 * hwassist: CSUM_* it claims to fill on transmit. */
struct ifnet	*ktap_create(int unit, const uint8_t mac[6], int caps,
		    uint32_t hwassist);
void		ktap_destroy(struct ifnet *);
/* Sets the peer (NULL: queue for ktap_take). Called in if_transmit. */
void		ktap_set_peer(struct ifnet *ifp, ktap_peer_t *peer, void *arg);
/* Injects a copy of a frame, split in mbufs of at most seg bytes (0: one
 * cluster chain), with csum_flags/csum_data set as a driver would. */
int		ktap_inject(struct ifnet *, const void *frame, size_t len,
		    int seg, uint32_t csum_flags, uint32_t csum_data);
/* Injects an mbuf packet (taken). */
void		ktap_inject_m(struct ifnet *, struct mbuf *);
/* Takes the oldest transmitted frame, waiting up to timeout; NULL if none. */
struct mbuf	*ktap_take(struct ifnet *, sbintime_t timeout);
/* Frees every queued frame; returns how many there were. */
int		ktap_purge(struct ifnet *);

#endif /* !_NET_IF_KTAP_H_ */
