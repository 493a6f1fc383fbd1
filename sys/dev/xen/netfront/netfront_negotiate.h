/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xn(4)'s negotiation with netback as arithmetic: from our wishes and the
 * backend's nodes (read by the caller; an absent node is 0 or false, as
 * Linux 6.1's netback reads ours), what the connection uses and the nodes
 * we write.  Netback refuses a frontend without request-rx-copy=1, and a
 * multi-queue-num-queues above its multi-queue-max-queues; it reads the
 * rings flat in our directory for one queue, under queue-N/ for more, and
 * event-channel-tx/-rx in place of event-channel when they are there.
 */
#ifndef _DEV_XEN_NETFRONT_NETFRONT_NEGOTIATE_H_
#define _DEV_XEN_NETFRONT_NETFRONT_NEGOTIATE_H_

#include <sys/types.h>

#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/event_channel.h>

#define NFNEG_MAX_QUEUES	8
/* MTU bounds: IPv4's minimum; one slot without SG, a netif packet with. */
#define NFNEG_MIN_MTU		68
#define NFNEG_DEFAULT_MTU	1500
#define NFNEG_MAX_MTU_SG	(0xffff - 14)

struct nfneg_ours {
	u_int		queues;		/* 0 counts as 1, capped */
	bool		sg;		/* we send and take multi-slot packets */
	bool		rx_csum;	/* we take csum_blank frames (IPv4) */
	bool		split;		/* split event channels if offered */
};

/* The backend's nodes, as read. */
struct nfneg_backend {
	bool		rx_copy;		/* feature-rx-copy */
	bool		sg;			/* feature-sg */
	bool		split;			/* feature-split-event-channels */
	bool		ipv6_csum;		/* feature-ipv6-csum-offload */
	bool		has_max_queues;		/* multi-queue-max-queues exists */
	uint32_t	max_queues;
	bool		has_mtu;		/* mtu exists */
	uint32_t	mtu;
};

struct nfneg {
	u_int		queues;
	bool		write_num_queues;	/* multi-queue-num-queues */
	bool		split;
	bool		tx_sg;			/* multi-slot tx packets */
	u_int		tx_max_slots;		/* 1, or NF_TX_MAX_SLOTS */
	bool		rx_sg;			/* feature-sg written */
	bool		rx_csum;		/* feature-no-csum-offload=0 */
	u_int		mtu;
	bool		mtu_clamped;		/* the backend's was out of range */
};

/* 0, or EOPNOTSUPP when the backend cannot copy to us (no feature-rx-copy). */
int	nfneg_negotiate(const struct nfneg_ours *, const struct nfneg_backend *,
	    struct nfneg *);

#define NFNEG_PATH_MAX		40
#define NFNEG_VALUE_MAX		24
struct nfneg_node {
	char	path[NFNEG_PATH_MAX];
	char	value[NFNEG_VALUE_MAX];
};
/* Top-level nodes plus four per queue. */
#define NFNEG_MAX_NODES		(8 + 4 * NFNEG_MAX_QUEUES)

/* What one queue publishes. */
struct nfneg_queue {
	grant_ref_t	tx_ref, rx_ref;
	evtchn_port_t	tx_port;	/* the only port when not split */
	evtchn_port_t	rx_port;
};

/*
 * Our nodes for n, in the order to write them in one transaction.  Fills
 * out[0..*countp-1]; 0, or ENOSPC if max is too small.
 */
int	nfneg_nodes(const struct nfneg *n, const struct nfneg_queue *q,
	    struct nfneg_node *out, u_int max, u_int *countp);

/*
 * The toolstack's mac node: six hex pairs separated by ':'.  EINVAL for
 * anything else, a multicast address or all zeros.
 */
int	nfneg_parse_mac(const char *s, uint8_t mac[6]);

#endif /* !_DEV_XEN_NETFRONT_NETFRONT_NEGOTIATE_H_ */
