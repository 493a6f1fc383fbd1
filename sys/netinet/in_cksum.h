/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The Internet checksum (RFC 1071) over buffers and mbuf chains.
 */
#ifndef _NETINET_IN_CKSUM_H_
#define _NETINET_IN_CKSUM_H_

#include <sys/types.h>
#include <netinet/in.h>

struct mbuf;

/* One's complement sum of len bytes, folded to 16 bits (not inverted),
 * starting from sum.  Byte order: as the bytes lie in memory. */
uint32_t in_cksum_add(uint32_t sum, const void *buf, size_t len);
/* ~sum of a buffer: 0 when a buffer with its checksum field is valid. */
uint16_t in_cksum_buf(const void *buf, size_t len);
/* ~sum of len bytes of a chain from off. */
uint16_t in_cksum_mbuf(const struct mbuf *, int off, int len);
/* Folded (not inverted) pseudo-header sum for an L4 segment;
 * proto_len = protocol << 16 | L4 length (host order). */
uint16_t in_pseudo(in_addr_t src, in_addr_t dst, uint32_t proto_len);
/* Completes a delayed L4 checksum of the packet in m: the field at
 * off + csum_off holds the pseudo-header sum on entry. */
void	in_delayed_cksum(struct mbuf *m, int off, int csum_off);

#endif /* !_NETINET_IN_CKSUM_H_ */
