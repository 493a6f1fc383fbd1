/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The UDP header (RFC 768).  Fields in network order.
 */
#ifndef _NETINET_UDP_H_
#define _NETINET_UDP_H_

#include <sys/types.h>

struct udphdr {
	uint16_t	uh_sport;
	uint16_t	uh_dport;
	uint16_t	uh_ulen;	/* header and data */
	uint16_t	uh_sum;		/* 0: none (IPv4 only) */
} __packed __aligned(2);

#define UDP_MAXPAYLOAD	(65535 - 20 - 8)	/* 65507 */

#endif /* !_NETINET_UDP_H_ */
