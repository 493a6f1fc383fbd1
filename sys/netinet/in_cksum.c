/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The Internet checksum (RFC 1071).  Sums are taken over 16-bit words as
 * they lie in memory (little-endian loads); one's complement addition is
 * byte-order independent, so the result is stored back the same way.
 * An odd byte at the end of one mbuf pairs with the first of the next.
 */
#include <sys/param.h>
#include <sys/mbuf.h>
#include <sys/systm.h>

#include <netinet/in.h>
#include <netinet/in_cksum.h>

static uint32_t
fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ((uint32_t)sum);
}

/* Sum of len bytes; *odd says whether the stream so far had odd length,
 * in which case the first byte here is the high half of a word. */
static uint64_t
sum_bytes(uint64_t sum, const uint8_t *p, size_t len, bool *odd)
{
	if (len == 0)
		return (sum);
	if (*odd) {
		sum += (uint64_t)p[0] << 8;
		p++;
		len--;
		*odd = false;
	}
	/* The kernel builds with -fno-builtin: ask for the inline load. */
	while (len >= 32) {
		uint64_t w[4];

		__builtin_memcpy(w, p, sizeof(w));
		for (int i = 0; i < 4; i++)
			sum += (w[i] & 0xffffffff) + (w[i] >> 32);
		p += 32;
		len -= 32;
	}
	while (len >= 8) {
		uint64_t w;

		__builtin_memcpy(&w, p, sizeof(w));
		sum += (w & 0xffffffff) + (w >> 32);
		p += 8;
		len -= 8;
	}
	while (len >= 2) {
		sum += (uint64_t)(p[0] | (p[1] << 8));
		p += 2;
		len -= 2;
	}
	if (len == 1) {
		sum += p[0];
		*odd = true;
	}
	return (sum);
}

uint32_t
in_cksum_add(uint32_t sum, const void *buf, size_t len)
{
	bool odd = false;

	return (fold(sum_bytes(sum, buf, len, &odd)));
}

uint16_t
in_cksum_buf(const void *buf, size_t len)
{
	return ((uint16_t)~in_cksum_add(0, buf, len));
}

uint16_t
in_cksum_mbuf(const struct mbuf *m, int off, int len)
{
	uint64_t sum = 0;
	bool odd = false;

	while (m != NULL && off >= m->m_len) {
		off -= m->m_len;
		m = m->m_next;
	}
	for (; m != NULL && len > 0; m = m->m_next) {
		int n = MIN(m->m_len - off, len);

		sum = sum_bytes(sum, (const uint8_t *)m->m_data + off,
		    (size_t)n, &odd);
		len -= n;
		off = 0;
		/* Keep the 64-bit sum far from overflowing on long chains. */
		sum = fold(sum);
	}
	KASSERT(len == 0, ("in_cksum_mbuf: chain %d bytes short", len));
	return ((uint16_t)~fold(sum));
}

uint16_t
in_pseudo(in_addr_t src, in_addr_t dst, uint32_t proto_len)
{
	uint64_t sum = (uint64_t)(src & 0xffff) + (src >> 16) +
	    (dst & 0xffff) + (dst >> 16);

	/* proto_len is host-order protocol + length: add it byte-swapped. */
	sum += htons((uint16_t)(proto_len >> 16)) +
	    htons((uint16_t)(proto_len & 0xffff));
	return ((uint16_t)fold(sum));
}

void
in_delayed_cksum(struct mbuf *m, int off, int csum_off)
{
	int len = m->m_pkthdr.len - off;
	uint16_t sum;

	/* The field holds the pseudo-header sum, so summing over it adds it. */
	sum = in_cksum_mbuf(m, off, len);
	if (sum == 0)
		sum = 0xffff;	/* 0 means "no checksum" in UDP */
	m_copyback(m, off + csum_off, 2, &sum);
}
