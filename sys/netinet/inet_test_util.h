/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Helpers of the network ktests: a ktap fixture and a frame builder and
 * parser written apart from the stack (byte by byte, big-endian sums), so
 * the tests check the stack against a second implementation.
 */
#ifndef _NETINET_INET_TEST_UTIL_H_
#define _NETINET_INET_TEST_UTIL_H_

#include <sys/types.h>

struct ifnet;
struct mbuf;

#define NT_OURS		0x0a090002	/* 10.9.0.2, host order */
#define NT_PEER		0x0a090001	/* 10.9.0.1 */
#define NT_FRAME_MAX	(14 + 65535)

extern const uint8_t	nt_ourmac[6];
extern const uint8_t	nt_peermac[6];

/* ktap with 10.9.0.2/24 gw 10.9.0.1; any earlier fixture is destroyed. */
struct ifnet	*nt_setup(int caps, uint32_t hwassist);
void		nt_teardown(void);

uint16_t	nt_cksum(const uint8_t *p, size_t len, uint32_t sum);
size_t		nt_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src,
		    uint16_t type);
/* IPv4 header at f (20 bytes) with a correct checksum. */
void		nt_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto,
		    uint16_t id, uint16_t off, size_t payload, uint8_t ttl);
/* Full frame: Ethernet + IPv4 + ICMP echo request with datalen bytes. */
size_t		nt_echo(uint8_t *f, uint16_t id, uint16_t seq, size_t datalen);
/* Full frame: Ethernet + IPv4 + UDP, correct checksum unless badsum. */
size_t		nt_udp(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport,
		    uint16_t dport, const uint8_t *data, size_t len, bool badsum);
size_t		nt_arp(uint8_t *f, uint16_t op, const uint8_t *sha,
		    uint32_t spa, const uint8_t *tha, uint32_t tpa,
		    const uint8_t *edst);
/* Checks the UDP checksum of an IPv4 datagram (header at ip). */
bool		nt_udp_sum_ok(const uint8_t *ip, size_t len);
/* Copies a frame out of a chain; returns its length. */
size_t		nt_flat(const struct mbuf *m, uint8_t *buf, size_t max);
/* Takes frames until one of the given Ethernet type; NULL on timeout. */
struct mbuf	*nt_take_type(struct ifnet *, uint16_t type, int ms);
uint16_t	nt_be16(const uint8_t *p);
uint32_t	nt_be32(const uint8_t *p);
void		nt_put16(uint8_t *p, uint16_t v);
void		nt_put32(uint8_t *p, uint32_t v);
/* Injects a frame and waits for the stack to finish with it. */
void		nt_inject(struct ifnet *, const uint8_t *f, size_t len);
/* Primes the ARP cache with the peer (request from it, reply taken). */
bool		nt_prime_arp(struct ifnet *);

#endif /* !_NETINET_INET_TEST_UTIL_H_ */
