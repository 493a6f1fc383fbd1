/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ICMP (RFC 792): the echo messages the stack answers and sends, and the
 * kernel ping KPI (thread context).
 */
#ifndef _NETINET_IP_ICMP_H_
#define _NETINET_IP_ICMP_H_

#include <sys/types.h>
#include <netinet/in.h>

struct icmp_echo {
	uint8_t		icmp_type;
	uint8_t		icmp_code;
	uint16_t	icmp_cksum;
	uint16_t	icmp_id;
	uint16_t	icmp_seq;
} __packed __aligned(2);

#define ICMP_ECHOREPLY		0
#define ICMP_UNREACH		3
#define ICMP_ECHO		8
#define ICMP_TIMXCEED		11
#define ICMP_MINLEN		8

struct ping_stats {
	int		ps_sent;
	int		ps_received;	/* replies matching id, seq and data */
	int		ps_bad;		/* replies with wrong data */
	sbintime_t	ps_rtt_min;
	sbintime_t	ps_rtt_max;
	sbintime_t	ps_rtt_sum;
};

/*
 * Sends count echo requests of datalen bytes (<= 65507 - 8 + 8; larger
 * ones are fragmented) to dst, one at a time, waiting up to timeout for each
 * reply (the first one may wait for ARP).  Thread context, may sleep.
 * Returns 0 if every request was answered, ETIMEDOUT if some were not,
 * EHOSTUNREACH if there is no route, or an errno.
 */
int	ping(in_addr_t dst, int count, int datalen, sbintime_t timeout,
	    struct ping_stats *ps);

#endif /* !_NETINET_IP_ICMP_H_ */
