/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * IPv4 internals: counters with drop reasons, header validation,
 * input/output, reassembly.
 */
#ifndef _NETINET_IP_VAR_H_
#define _NETINET_IP_VAR_H_

#include <sys/queue.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <netinet/ip.h>

struct ifnet;
struct mbuf;

/* Why ip_hdr_check() refused a header (0: it did not). */
enum ip_bad {
	IP_OK = 0,
	IP_BAD_SHORT,		/* fewer bytes than a header */
	IP_BAD_VERSION,		/* not 4 */
	IP_BAD_HLEN,		/* IHL < 5 or past the data */
	IP_BAD_LEN,		/* total length < IHL*4 or past the frame */
	IP_BAD_SUM,		/* header checksum wrong */
	IP_BAD_TTL,		/* TTL 0 */
	IP_BAD_ADDR,		/* source multicast/broadcast/loopback */
	IP_BAD_FRAG,		/* offset + length past 65535, or RF set */
	IP_BAD_COUNT
};

struct ipstat {
	u_long	ips_total;		/* received */
	u_long	ips_bad[IP_BAD_COUNT];	/* dropped by ip_hdr_check reason */
	u_long	ips_notforus;		/* not our address (we do not route) */
	u_long	ips_noproto;		/* unknown protocol */
	u_long	ips_delivered;		/* to ICMP/UDP */
	u_long	ips_fragments;		/* fragments received */
	u_long	ips_reassembled;	/* datagrams put back together */
	u_long	ips_localout;		/* sent */
	u_long	ips_fragmented;		/* sent in fragments */
	u_long	ips_ofragments;		/* fragments sent */
	u_long	ips_cantfrag;		/* DF set and too big */
	u_long	ips_noroute;		/* no interface for the destination */
	u_long	ips_odropped;		/* no memory, driver or ARP refused */
	u_long	ips_hwcsum_out;		/* left to the device */
};
extern struct ipstat	ipstat;
extern const char *const ip_bad_names[IP_BAD_COUNT];

/*
 * Validates an IPv4 header in the first len bytes of a packet (len: bytes
 * the frame holds after the link header).  hdr must hold at least
 * min(len, 60) contiguous bytes.  With sum_valid the device checked the
 * header checksum.  On IP_OK *hlenp and *iplenp are the header and total
 * lengths (the caller trims the frame to *iplenp).  Pure.
 */
enum ip_bad ip_hdr_check(const void *hdr, size_t len, bool sum_valid,
	    int *hlenp, int *iplenp);

/* Protocol input, with net_lock held: m starts at the IP header, the
 * header is contiguous and valid, m_pkthdr.len == ip_len. */
void	ip_input(struct mbuf *m);
void	icmp_input(struct mbuf *m, int hlen);
void	udp_input(struct mbuf *m, int hlen);

/*
 * Sends an L4 payload m (starting at the L4 header) to dst with protocol
 * proto, from src (INADDR_ANY: the outgoing interface's address).  Puts
 * the IP header on, completes a delayed L4 checksum (CSUM_UDP in
 * csum_flags) in software unless the interface offloads it and the packet
 * needs no fragmenting, fragments to the MTU.  m is consumed.  net_lock
 * held.  Returns 0, EHOSTUNREACH, EMSGSIZE or ENOBUFS.
 */
#define IP_OUT_DF	0x0001
int	ip_output(struct mbuf *m, in_addr_t src, in_addr_t dst, uint8_t proto,
	    int flags);
/* Completes in software the checksums m (IP header first) left to the
 * device that ifp no longer offers (a packet held for ARP while the driver
 * renegotiated its offloads).  net_lock held. */
void	ip_csum_fixup(struct ifnet *ifp, struct mbuf *m);
/* Splits a whole datagram m (IP header first, L4 checksum complete) into
 * fragments of at most mtu bytes, linked by m_nextpkt; m is consumed.
 * Returns the list, or NULL on no memory.  Pure on mbufs. */
struct mbuf *ip_fragment(struct mbuf *m, u_int mtu, int *nfragp);

/* Reassembly.  Limits are checked on every fragment. */
struct ipq;
struct ip_reass_limits {
	int		maxq;		/* datagrams in progress */
	int		maxfrags;	/* fragments of one datagram */
	size_t		maxmem;		/* mbuf memory held by all queues */
	sbintime_t	timeout;	/* for one datagram to complete */
};
struct ip_reass {
	TAILQ_HEAD(, ipq) ir_queues;
	int		ir_nq;
	size_t		ir_mem;		/* memory held now */
	struct ip_reass_limits ir_lim;
	/* Counters. */
	u_long		ir_done;	/* datagrams completed */
	u_long		ir_overlap;	/* datagrams dropped: overlap */
	u_long		ir_bad;		/* datagrams dropped: bad lengths */
	u_long		ir_toolong;	/* datagrams dropped: past 65535 bytes */
	u_long		ir_limit;	/* datagrams dropped: limits */
	u_long		ir_timeout;	/* datagrams dropped: time */
	u_long		ir_fragdrop;	/* fragments freed without delivery */
};
#define IP_REASS_MAXQ		16
#define IP_REASS_MAXFRAGS	64	/* 65535 / 1480 = 45 at MTU 1500 */
#define IP_REASS_MAXMEM		(1024 * 1024)
#define IP_REASS_TIMEOUT	(30 * SBT_1S)

void	ip_reass_init(struct ip_reass *, const struct ip_reass_limits *);
/* Takes a fragment (valid header, m_pkthdr.len == ip_len, contiguous
 * header); returns the whole datagram when it completes, else NULL.
 * m is consumed either way. */
struct mbuf *ip_reass(struct ip_reass *, struct mbuf *m, sbintime_t now);
/* Drops datagrams older than their timeout; returns how many. */
int	ip_reass_timeout(struct ip_reass *, sbintime_t now);
void	ip_reass_flush(struct ip_reass *);
extern struct ip_reass	ip_reass_state;

void	ip_init(void);
void	ip_slowtimo(sbintime_t now);

#endif /* !_NETINET_IP_VAR_H_ */
