/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Frame headers for xn(4): filling in a checksum the sender left blank,
 * the pseudo-header sum a blank checksum we send must carry, and how many
 * bytes of headers must sit in a packet's first slot.
 *
 * Filling in a checksum the sender left blank.  A frame netback passes on
 * with NETRXF_csum_blank comes from another guest that relied on offload:
 * its TCP or UDP checksum field is not the checksum.  Forwarded or handed
 * to a stack that checks it, such a frame is wrong (the routing bug of
 * FreeBSD's netfront), so xn(4) computes the checksum in place before the
 * frame goes anywhere.  The field is recomputed from scratch (pseudo
 * header from the IP header, whatever the sender put in the field).
 *
 * The frame sits in pieces (the rx slots), each a byte range; headers may
 * straddle pieces.  Pure code: no mbufs, no locks.
 */
#ifndef _DEV_XEN_NETFRONT_NETFRONT_CSUM_H_
#define _DEV_XEN_NETFRONT_NETFRONT_CSUM_H_

#include <sys/types.h>

struct nf_iov {
	uint8_t		*base;
	size_t		len;
};

enum nf_csum_result {
	NF_CSUM_FILLED = 0,	/* TCP or UDP over IPv4: field written */
	NF_CSUM_NOTL4,		/* not IPv4 TCP/UDP: nothing to fill */
	NF_CSUM_BAD,		/* IPv4 header or lengths do not hold up */
};

/*
 * Parses Ethernet (with at most one 802.1Q tag) and IPv4 in the n pieces
 * and, for TCP or UDP in an unfragmented datagram, writes the correct
 * checksum into the L4 header.  NF_CSUM_BAD for a truncated or malformed
 * IPv4 header, a total length past the frame, a fragment, or an L4 header
 * that does not fit: the caller drops the frame.
 */
enum nf_csum_result nf_csum_fill(const struct nf_iov *iov, u_int n);

/*
 * For a frame we send with NETTXF_csum_blank: writes the folded
 * pseudo-header sum into the TCP or UDP checksum field, what netback's
 * peer completes without recomputing it.  Same parsing and results as
 * nf_csum_fill.
 */
enum nf_csum_result nf_csum_pseudo_fill(const struct nf_iov *iov, u_int n);

/*
 * Bytes of headers from the start of the frame: Ethernet (and a VLAN tag),
 * then IPv4 with its options, then the UDP header or the TCP header with
 * its options, as far as they parse; never more than the frame.
 */
size_t	nf_frame_hdrlen(const struct nf_iov *iov, u_int n);

/* RFC 1071 sum of the pieces' bytes from off for len (not complemented). */
uint16_t nf_csum_sum(const struct nf_iov *iov, u_int n, size_t off,
	    size_t len, uint32_t initial);

#endif /* !_DEV_XEN_NETFRONT_NETFRONT_CSUM_H_ */
