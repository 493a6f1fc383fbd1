/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Ethernet framing (see ifnet(9)).
 */
#ifndef _NET_ETHERNET_H_
#define _NET_ETHERNET_H_

#include <sys/types.h>

#define ETHER_ADDR_LEN		6
#define ETHER_TYPE_LEN		2
#define ETHER_CRC_LEN		4
#define ETHER_HDR_LEN		(ETHER_ADDR_LEN * 2 + ETHER_TYPE_LEN)
#define ETHER_MIN_LEN		64	/* with the CRC */
#define ETHER_MAX_LEN		1518	/* with the CRC */
#define ETHERMTU		(ETHER_MAX_LEN - ETHER_HDR_LEN - ETHER_CRC_LEN)
#define ETHER_VLAN_ENCAP_LEN	4

#define ETHERTYPE_IP		0x0800
#define ETHERTYPE_ARP		0x0806
#define ETHERTYPE_VLAN		0x8100
#define ETHERTYPE_IPV6		0x86dd

struct ether_header {
	uint8_t		ether_dhost[ETHER_ADDR_LEN];
	uint8_t		ether_shost[ETHER_ADDR_LEN];
	uint16_t	ether_type;	/* network byte order */
} __packed;

struct ether_addr {
	uint8_t		octet[ETHER_ADDR_LEN];
} __packed;

#define ETHER_IS_MULTICAST(a)	((a)[0] & 0x01)
#define ETHER_IS_BROADCAST(a)						\
	(((a)[0] & (a)[1] & (a)[2] & (a)[3] & (a)[4] & (a)[5]) == 0xff)

struct ifnet;
struct mbuf;

extern const uint8_t	etherbroadcastaddr[ETHER_ADDR_LEN];

/* Sets if_input/if_output, the link address, MTU default, ARP state, and
 * attaches the interface. */
void	ether_ifattach(struct ifnet *, const uint8_t mac[ETHER_ADDR_LEN]);
void	ether_ifdetach(struct ifnet *);
/* Formats a MAC as "xx:xx:xx:xx:xx:xx" into buf (18 bytes). */
char	*ether_sprintf_r(const uint8_t mac[ETHER_ADDR_LEN], char buf[18]);

#endif /* !_NET_ETHERNET_H_ */
