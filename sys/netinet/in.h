/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Internet (IPv4) addresses and protocol numbers (see inet(4)).
 * Addresses (in_addr_t) are kept in network byte order everywhere; ports
 * in the kernel UDP KPI are in host order.
 */
#ifndef _NETINET_IN_H_
#define _NETINET_IN_H_

#include <sys/endian.h>
#include <sys/types.h>

typedef uint32_t	in_addr_t;	/* network byte order */
typedef uint16_t	in_port_t;

struct in_addr {
	in_addr_t	s_addr;
};

#define IPPROTO_IP	0
#define IPPROTO_ICMP	1
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17

#define INADDR_ANY		((in_addr_t)0x00000000)
#define INADDR_BROADCAST	((in_addr_t)0xffffffff)
#define INADDR_LOOPBACK		0x7f000001	/* host order */

#define IN_MULTICAST(a)		(((uint32_t)(a) & 0xf0000000) == 0xe0000000)
#define IN_LOOPBACK(a)		(((uint32_t)(a) & 0xff000000) == 0x7f000000)
#define IN_ZERONET(a)		(((uint32_t)(a) & 0xff000000) == 0)
#define IN_EXPERIMENTAL(a)	(((uint32_t)(a) & 0xf0000000) == 0xf0000000)

#define INET_ADDRSTRLEN	16

/* Parses dotted-quad "a.b.c.d" (exactly four decimal parts, each <= 255,
 * no leading zeros beyond "0"); returns 1 and the address, or 0. */
int	inet_pton4(const char *s, in_addr_t *addr);
int	inet_pton4_n(const char *s, size_t len, in_addr_t *addr);
/* Formats into buf (INET_ADDRSTRLEN); returns buf. */
char	*inet_ntoa_r(in_addr_t addr, char *buf);

#endif /* !_NETINET_IN_H_ */
