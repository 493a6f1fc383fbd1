/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * UDP and ICMP internals: counters with drop reasons.
 */
#ifndef _NETINET_UDP_VAR_H_
#define _NETINET_UDP_VAR_H_

#include <sys/types.h>

struct udpstat {
	u_long	udps_ipackets;
	u_long	udps_hdrops;		/* shorter than a header, bad length */
	u_long	udps_badsum;
	u_long	udps_nosum;		/* received without a checksum */
	u_long	udps_noport;		/* nobody bound */
	u_long	udps_bcast;		/* broadcast, nobody bound */
	u_long	udps_delivered;
	u_long	udps_fullsock;		/* endpoint's backlog full */
	u_long	udps_opackets;
	u_long	udps_oerrors;
	u_long	udps_hwcsum_in;		/* checksum vouched for by the device */
};
extern struct udpstat	udpstat;

struct icmpstat {
	u_long	icps_total;
	u_long	icps_tooshort;
	u_long	icps_badsum;
	u_long	icps_echo;		/* requests answered */
	u_long	icps_bcastecho;		/* to broadcast: ignored */
	u_long	icps_reply;		/* replies received */
	u_long	icps_other;		/* other types, ignored */
	u_long	icps_oerrors;
};
extern struct icmpstat	icmpstat;

/* Runs the callbacks of datagrams delivered while net_lock was held
 * (called by net_input_frame with it released). */
void	udp_deliver_pending(void);
/* Set by the ping KPI: called with each echo reply (net_lock held). */
struct mbuf;
extern void (*icmp_reply_hook)(struct mbuf *m, int hlen);

#define UDP_SOCK_BACKLOG	256	/* datagrams waiting for a callback */

#endif /* !_NETINET_UDP_VAR_H_ */
