/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The IPv4 header (RFC 791).  Multi-byte fields are in network order.
 */
#ifndef _NETINET_IP_H_
#define _NETINET_IP_H_

#include <sys/types.h>
#include <netinet/in.h>

#define IPVERSION	4

struct ip {
	uint8_t		ip_vhl;		/* version << 4 | header length / 4 */
	uint8_t		ip_tos;
	uint16_t	ip_len;		/* total length */
	uint16_t	ip_id;
	uint16_t	ip_off;		/* flags and fragment offset / 8 */
	uint8_t		ip_ttl;
	uint8_t		ip_p;		/* protocol */
	uint16_t	ip_sum;
	in_addr_t	ip_src;
	in_addr_t	ip_dst;
} __packed __aligned(2);

#define IP_V(ip)	((ip)->ip_vhl >> 4)
#define IP_HL(ip)	((ip)->ip_vhl & 0x0f)	/* in 32-bit words */
#define IP_VHL(v, hl)	((uint8_t)(((v) << 4) | (hl)))

#define IP_RF		0x8000		/* reserved */
#define IP_DF		0x4000		/* don't fragment */
#define IP_MF		0x2000		/* more fragments */
#define IP_OFFMASK	0x1fff		/* offset in 8-byte units */

#define IP_MAXPACKET	65535
#define IP_DEFTTL	64
#define IP_MINHLEN	20

#endif /* !_NETINET_IP_H_ */
