/*
 * netcheck: payload pattern, Internet checksum and a small IPv4
 * reassembler for the lab's network tools (see netcheck.h).
 */
#include <string.h>

#include "netcheck.h"

void
nc_fill(uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 131 + len * 17 + (i >> 8));
}

size_t
nc_verify(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != (uint8_t)(i * 131 + len * 17 + (i >> 8)))
			return (i);
	return (len);
}

/* Big-endian 16-bit words; an odd last byte is the high half of a word. */
uint32_t
nc_sum(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	uint64_t s = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return ((uint32_t)s);
}

uint16_t
nc_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ((uint16_t)sum);
}

static uint16_t
rd16(const uint8_t *p)
{
	return ((uint16_t)(p[0] << 8 | p[1]));
}

static uint32_t
rd32n(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return (v);
}

const char *
nc_csum_name(enum nc_csum c)
{
	switch (c) {
	case NC_CSUM_OK:
		return ("ok");
	case NC_CSUM_OFFLOAD_OK:
		return ("offload-ok");
	case NC_CSUM_BAD:
		return ("bad");
	case NC_CSUM_ZERO:
		return ("zero");
	}
	return ("?");
}

void
nc_init(struct nc_reasm *r)
{
	memset(r, 0, sizeof(*r));
}

/*
 * The UDP datagram udp[0 .. avail) between src and dst (network order, as
 * in the IP header).  Returns false when its length field is impossible.
 */
static bool
nc_udp(const uint8_t *udp, size_t avail, uint32_t src, uint32_t dst,
    bool partial, struct nc_dgram *out)
{
	uint8_t ph[12];
	uint32_t sum;
	uint16_t ulen, field, want, got;

	if (avail < 8)
		return (false);
	ulen = rd16(udp + 4);
	if (ulen < 8 || ulen > avail)
		return (false);
	memcpy(ph, &src, 4);
	memcpy(ph + 4, &dst, 4);
	ph[8] = 0;
	ph[9] = 17;
	ph[10] = (uint8_t)(ulen >> 8);
	ph[11] = (uint8_t)ulen;
	field = rd16(udp + 6);
	/* The right value: over everything but the field itself. */
	sum = nc_sum(ph, sizeof(ph), 0);
	sum = nc_sum(udp, 6, sum);
	sum = nc_sum(udp + 8, ulen - 8u, sum);
	want = (uint16_t)~nc_fold(sum);
	if (want == 0)
		want = 0xffff;	/* 0 means "no checksum" on the wire */
	if (partial) {
		/* What the device does: sum from the UDP header on, field
		 * as the stack left it (the pseudo-header sum), complement. */
		got = (uint16_t)~nc_fold(nc_sum(udp, ulen, 0));
		if (got == 0)
			got = 0xffff;
		out->d_csum = got == want ? NC_CSUM_OFFLOAD_OK : NC_CSUM_BAD;
	} else if (field == 0) {
		out->d_csum = NC_CSUM_ZERO;
	} else {
		out->d_csum = field == want ? NC_CSUM_OK : NC_CSUM_BAD;
	}
	out->d_src = src;
	out->d_dst = dst;
	out->d_sport = rd16(udp);
	out->d_dport = rd16(udp + 2);
	out->d_payload = udp + 8;
	out->d_len = ulen - 8u;
	return (true);
}

static struct nc_slot *
nc_slot_for(struct nc_reasm *r, uint32_t src, uint32_t dst, uint16_t id)
{
	struct nc_slot *s, *victim = NULL;
	int i;

	for (i = 0; i < NC_SLOTS; i++) {
		s = &r->r_slot[i];
		if (s->s_used && s->s_src == src && s->s_dst == dst &&
		    s->s_id == id)
			return (s);
	}
	for (i = 0; i < NC_SLOTS; i++) {
		s = &r->r_slot[i];
		if (!s->s_used) {
			victim = s;
			break;
		}
		if (victim == NULL || s->s_stamp < victim->s_stamp)
			victim = s;
	}
	if (victim->s_used)
		r->r_evicted++;
	victim->s_used = true;
	victim->s_src = src;
	victim->s_dst = dst;
	victim->s_id = id;
	victim->s_frags = 0;
	victim->s_total = 0;
	victim->s_hdr[0] = 0;
	memset(victim->s_map, 0, sizeof(victim->s_map));
	return (victim);
}

static bool
nc_slot_complete(const struct nc_slot *s)
{
	uint32_t b, nb;

	if (s->s_total == 0 || s->s_hdr[0] == 0)
		return (false);
	nb = (s->s_total + 7) / 8;
	for (b = 0; b < nb; b++)
		if (!(s->s_map[b / 8] & (1u << (b % 8))))
			return (false);
	return (true);
}

enum nc_result
nc_input(struct nc_reasm *r, const uint8_t *pkt, size_t len, bool partial,
    struct nc_dgram *out)
{
	struct nc_slot *s;
	uint32_t src, dst, off, flen, b;
	uint16_t tot, fo, id;
	size_t hl;
	bool mf;

	if (len < 20 || (pkt[0] >> 4) != 4) {
		r->r_ip_bad++;
		return (NC_NONE);
	}
	hl = (size_t)(pkt[0] & 0xf) * 4;
	tot = rd16(pkt + 2);
	if (hl < 20 || hl > len || tot < hl || tot > len ||
	    nc_fold(nc_sum(pkt, hl, 0)) != 0xffff) {
		r->r_ip_bad++;
		return (NC_NONE);
	}
	if (pkt[9] != 17)
		return (NC_NONE);
	src = rd32n(pkt + 12);
	dst = rd32n(pkt + 16);
	id = rd16(pkt + 4);
	fo = rd16(pkt + 6);
	mf = (fo & 0x2000) != 0;
	off = (uint32_t)(fo & 0x1fff) * 8;
	flen = tot - (uint32_t)hl;
	if (off == 0 && !mf) {
		if (!nc_udp(pkt + hl, flen, src, dst, partial, out)) {
			r->r_ip_bad++;
			return (NC_NONE);
		}
		out->d_id = id;
		out->d_frags = 1;
		return (NC_DGRAM);
	}
	/* A fragment: bounded, 8-byte multiples except the last. */
	if (off + flen + hl > NC_IP_MAX || (mf && (flen % 8) != 0) ||
	    flen == 0) {
		r->r_ip_bad++;
		return (NC_NONE);
	}
	s = nc_slot_for(r, src, dst, id);
	s->s_stamp = ++r->r_clock;
	s->s_frags++;
	memcpy(s->s_buf + off, pkt + hl, flen);
	for (b = off / 8; b < (off + flen + 7) / 8; b++)
		s->s_map[b / 8] |= (uint8_t)(1u << (b % 8));
	if (off == 0)
		memcpy(s->s_hdr, pkt, hl < sizeof(s->s_hdr) ? hl : sizeof(s->s_hdr));
	if (!mf)
		s->s_total = off + flen;
	if (!nc_slot_complete(s))
		return (NC_NONE);
	s->s_used = false;
	/* Fragments are never left to a device to checksum. */
	if (!nc_udp(s->s_buf, s->s_total, src, dst, false, out)) {
		r->r_ip_bad++;
		return (NC_NONE);
	}
	out->d_id = id;
	out->d_frags = s->s_frags;
	return (NC_DGRAM);
}
