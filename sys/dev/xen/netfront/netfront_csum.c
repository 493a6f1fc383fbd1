/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Checksums for frames in pieces (see netfront_csum.h).
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <dev/xen/netfront/netfront_csum.h>

#define ETH_HDR		14
#define ETH_VLAN	4
#define ETYPE_IPV4	0x0800
#define ETYPE_VLAN	0x8100
#define IPPROTO_TCP_	6
#define IPPROTO_UDP_	17
#define IP_MF		0x2000
#define IP_OFFMASK	0x1fff

/* The piece holding byte off, and off within it; NULL past the end. */
static uint8_t *
iov_at(const struct nf_iov *iov, u_int n, size_t off)
{
	for (u_int i = 0; i < n; i++) {
		if (off < iov[i].len)
			return (iov[i].base + off);
		off -= iov[i].len;
	}
	return (NULL);
}

/* Copies len bytes from off into dst; false if the frame is shorter. */
static bool
iov_read(const struct nf_iov *iov, u_int n, size_t off, void *dst, size_t len)
{
	uint8_t *d = dst;

	for (size_t i = 0; i < len; i++) {
		uint8_t *p = iov_at(iov, n, off + i);

		if (p == NULL)
			return (false);
		d[i] = *p;
	}
	return (true);
}

static void
iov_write16(const struct nf_iov *iov, u_int n, size_t off, uint16_t v)
{
	uint8_t *hi = iov_at(iov, n, off), *lo = iov_at(iov, n, off + 1);

	KASSERT(hi != NULL && lo != NULL, ("nf_csum: field at %zu past frame",
	    off));
	*hi = (uint8_t)(v >> 8);
	*lo = (uint8_t)v;
}

static size_t
iov_total(const struct nf_iov *iov, u_int n)
{
	size_t t = 0;

	for (u_int i = 0; i < n; i++)
		t += iov[i].len;
	return (t);
}

static uint16_t
fold(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return ((uint16_t)acc);
}

uint16_t
nf_csum_sum(const struct nf_iov *iov, u_int n, size_t off, size_t len,
    uint32_t initial)
{
	uint64_t acc = initial;
	bool odd = false;

	for (u_int i = 0; i < n && len > 0; i++) {
		const uint8_t *p;
		size_t l;

		if (off >= iov[i].len) {
			off -= iov[i].len;
			continue;
		}
		p = iov[i].base + off;
		l = MIN(iov[i].len - off, len);
		off = 0;
		len -= l;
		/* Bytes count as high or low halves by their place in the run. */
		if (l > 0 && odd) {
			acc += *p++;
			l--;
			odd = false;
		}
		while (l >= 2) {
			acc += ((uint32_t)p[0] << 8) | p[1];
			p += 2;
			l -= 2;
		}
		if (l == 1) {
			acc += (uint32_t)p[0] << 8;
			odd = true;
		}
	}
	return (fold(acc));
}

/* What the L4 checksum of a frame needs, from its headers. */
struct nf_l4 {
	size_t		l3;		/* IPv4 header offset */
	size_t		ihl;
	size_t		l4len;
	size_t		field;		/* checksum field offset */
	uint8_t		proto;
	uint32_t	pseudo;		/* pseudo-header sum, unfolded */
};

static enum nf_csum_result
parse(const struct nf_iov *iov, u_int n, struct nf_l4 *h)
{
	uint8_t eth[ETH_HDR + ETH_VLAN], ip[20];
	size_t frame = iov_total(iov, n), totlen;
	uint16_t etype, frag;

	h->l3 = ETH_HDR;
	if (!iov_read(iov, n, 0, eth, ETH_HDR))
		return (NF_CSUM_NOTL4);
	etype = (uint16_t)(eth[12] << 8 | eth[13]);
	if (etype == ETYPE_VLAN) {
		if (!iov_read(iov, n, 0, eth, ETH_HDR + ETH_VLAN))
			return (NF_CSUM_NOTL4);
		etype = (uint16_t)(eth[16] << 8 | eth[17]);
		h->l3 += ETH_VLAN;
	}
	if (etype != ETYPE_IPV4)
		return (NF_CSUM_NOTL4);
	if (!iov_read(iov, n, h->l3, ip, sizeof(ip)) || (ip[0] >> 4) != 4)
		return (NF_CSUM_BAD);
	h->ihl = (size_t)(ip[0] & 0xf) * 4;
	totlen = (size_t)(ip[2] << 8 | ip[3]);
	frag = (uint16_t)(ip[6] << 8 | ip[7]);
	h->proto = ip[9];
	if (h->ihl < 20 || totlen < h->ihl || h->l3 + totlen > frame)
		return (NF_CSUM_BAD);
	if (h->proto != IPPROTO_TCP_ && h->proto != IPPROTO_UDP_)
		return (NF_CSUM_NOTL4);
	/* Only a whole datagram's checksum can be computed here. */
	if ((frag & (IP_MF | IP_OFFMASK)) != 0)
		return (NF_CSUM_BAD);
	h->l4len = totlen - h->ihl;
	if (h->proto == IPPROTO_TCP_) {
		if (h->l4len < 20)
			return (NF_CSUM_BAD);
		h->field = h->l3 + h->ihl + 16;
	} else {
		if (h->l4len < 8)
			return (NF_CSUM_BAD);
		h->field = h->l3 + h->ihl + 6;
	}
	/* Pseudo header: addresses, protocol, L4 length. */
	h->pseudo = (uint32_t)(ip[12] << 8 | ip[13]) +
	    (uint32_t)(ip[14] << 8 | ip[15]) + (uint32_t)(ip[16] << 8 |
	    ip[17]) + (uint32_t)(ip[18] << 8 | ip[19]) + h->proto +
	    (uint32_t)h->l4len;
	return (NF_CSUM_FILLED);
}

enum nf_csum_result
nf_csum_fill(const struct nf_iov *iov, u_int n)
{
	enum nf_csum_result r;
	struct nf_l4 h;
	uint16_t sum;

	if ((r = parse(iov, n, &h)) != NF_CSUM_FILLED)
		return (r);
	iov_write16(iov, n, h.field, 0);
	sum = (uint16_t)~nf_csum_sum(iov, n, h.l3 + h.ihl, h.l4len, h.pseudo);
	/* UDP sends a computed zero as all ones (zero means none). */
	if (h.proto == IPPROTO_UDP_ && sum == 0)
		sum = 0xffff;
	iov_write16(iov, n, h.field, sum);
	return (NF_CSUM_FILLED);
}

enum nf_csum_result
nf_csum_pseudo_fill(const struct nf_iov *iov, u_int n)
{
	enum nf_csum_result r;
	struct nf_l4 h;
	uint64_t acc;

	if ((r = parse(iov, n, &h)) != NF_CSUM_FILLED)
		return (r);
	acc = h.pseudo;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	iov_write16(iov, n, h.field, (uint16_t)acc);
	return (NF_CSUM_FILLED);
}

size_t
nf_frame_hdrlen(const struct nf_iov *iov, u_int n)
{
	size_t frame = iov_total(iov, n), len = ETH_HDR;
	struct nf_l4 h;
	uint8_t th[13];

	memset(&h, 0, sizeof(h));
	switch (parse(iov, n, &h)) {
	case NF_CSUM_FILLED:
		if (h.proto == IPPROTO_UDP_)
			len = h.l3 + h.ihl + 8;
		else if (iov_read(iov, n, h.l3 + h.ihl, th, sizeof(th)))
			len = h.l3 + h.ihl + MAX((size_t)(th[12] >> 4) * 4, 20);
		else
			len = h.l3 + h.ihl + 20;
		break;
	default:
		/* An IPv4 header we cannot follow further: keep it whole. */
		if (h.ihl >= 20)
			len = h.l3 + h.ihl;
		else
			len = h.l3;
		break;
	}
	return (MIN(len, frame));
}
