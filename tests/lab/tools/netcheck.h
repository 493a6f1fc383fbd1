/*
 * netcheck: what the lab's network tools check in every datagram they see.
 *
 * The payload pattern: byte i of an N-byte payload is
 * (i * 131 + N * 17 + (i >> 8)) & 0xff.  It depends on the length only, so
 * a receiver checks a datagram without knowing who sent it; the in-kernel
 * side of the scenarios uses the same rule (see tests/lab/tools/README).
 *
 * The checksum check works on IPv4 packets captured by AF_PACKET: fragments
 * are reassembled, then the UDP checksum is computed over the whole
 * datagram, independently of any kernel's own verdict.  A packet the
 * capturing kernel still holds with its checksum to be completed by a
 * device (CHECKSUM_PARTIAL, TP_STATUS_CSUMNOTREADY) is completed the way
 * the device would and the result checked: what would go on the wire.
 */
#ifndef NETCHECK_H
#define NETCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest IPv4 datagram, and the largest UDP payload it carries. */
#define NC_IP_MAX	65535
#define NC_UDP_MAX	65507
#define NC_SLOTS	8	/* datagrams in reassembly at once */

void	nc_fill(uint8_t *buf, size_t len);
/* Index of the first byte that breaks the pattern, or len. */
size_t	nc_verify(const uint8_t *buf, size_t len);

/* One's complement sum of len bytes added to sum (not folded). */
uint32_t nc_sum(const void *buf, size_t len, uint32_t sum);
uint16_t nc_fold(uint32_t sum);

enum nc_csum {
	NC_CSUM_OK,		/* complete and correct */
	NC_CSUM_OFFLOAD_OK,	/* partial; completing it gives the right one */
	NC_CSUM_BAD,
	NC_CSUM_ZERO,		/* sender sent none (0): counted, not accepted */
};

struct nc_dgram {
	uint32_t	d_src;	/* network order */
	uint32_t	d_dst;
	uint16_t	d_sport; /* host order */
	uint16_t	d_dport;
	uint16_t	d_id;
	uint16_t	d_frags;
	enum nc_csum	d_csum;
	const uint8_t	*d_payload; /* valid until the next nc_input */
	size_t		d_len;
};

struct nc_slot {
	bool		s_used;
	uint32_t	s_src, s_dst;
	uint16_t	s_id;
	uint16_t	s_frags;
	uint32_t	s_total;	/* payload bytes, 0 until the last fragment */
	uint64_t	s_stamp;
	uint8_t		s_hdr[60];	/* first fragment's IP header */
	uint8_t		s_map[NC_IP_MAX / 64 + 1]; /* 8-byte blocks present */
	uint8_t		s_buf[NC_IP_MAX + 8];
};

struct nc_reasm {
	struct nc_slot	r_slot[NC_SLOTS];
	uint64_t	r_clock;
	uint64_t	r_ip_bad;	/* bad header, checksum or length */
	uint64_t	r_evicted;	/* incomplete datagrams given up */
};

enum nc_result {
	NC_NONE,	/* not UDP over IPv4, or not complete yet */
	NC_DGRAM,	/* *out holds a complete datagram */
};

void		nc_init(struct nc_reasm *r);
/*
 * One captured IPv4 packet (no link header).  partial: the capture said
 * the checksum is still to be completed by a device.
 */
enum nc_result	nc_input(struct nc_reasm *r, const uint8_t *pkt, size_t len,
		    bool partial, struct nc_dgram *out);
const char	*nc_csum_name(enum nc_csum c);

#endif
