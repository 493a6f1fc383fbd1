/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Filling blank checksums (sys/dev/xen/netfront/netfront_csum.c): frames
 * with a garbage or pseudo-header-only L4 field, whole and cut into
 * pieces at every offset, checked against a reference written here (byte
 * pairs of one linear copy, pseudo header assembled as bytes) and by the
 * receiver's rule that a correct TCP/UDP datagram sums to 0xffff.  A known
 * answer (the classic IPv4 header whose checksum is 0xb861) checks the
 * summing itself; malformed headers are refused, not written.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <dev/xen/netfront/netfront_csum.h>

#include "kunit.h"

/* Reference: RFC 1071 on a linear buffer, one byte pair at a time. */
static uint32_t
ref_add(const uint8_t *p, size_t len, uint32_t acc)
{
	for (size_t i = 0; i < len; i++)
		acc += (i % 2 == 0) ? (uint32_t)p[i] << 8 : p[i];
	return (acc);
}

static uint16_t
ref_fold(uint32_t acc)
{
	while (acc > 0xffff)
		acc = (acc >> 16) + (acc & 0xffff);
	return ((uint16_t)acc);
}

/* The L4 checksum a receiver verifies: sum over pseudo + L4 == 0xffff. */
static uint16_t
ref_verify(const uint8_t *f, size_t l3)
{
	uint8_t ph[12];
	size_t ihl = (size_t)(f[l3] & 0xf) * 4;
	size_t tot = (size_t)(f[l3 + 2] << 8 | f[l3 + 3]);
	size_t l4 = tot - ihl;

	memcpy(ph, f + l3 + 12, 8);
	ph[8] = 0;
	ph[9] = f[l3 + 9];
	ph[10] = (uint8_t)(l4 >> 8);
	ph[11] = (uint8_t)l4;
	return (ref_fold(ref_add(f + l3 + ihl, l4, ref_add(ph, 12, 0))));
}

static uint8_t frame[2048], copy[2048];

/* Ethernet + IPv4 (ihl words) + L4 of plen payload bytes. */
static size_t
build(uint8_t proto, u_int ihl, size_t plen, bool vlan)
{
	size_t l3 = vlan ? 18 : 14, l4hdr = proto == 6 ? 20 : 8;
	size_t tot = ihl * 4 + l4hdr + plen;
	uint8_t *ip = frame + l3, *l4 = ip + ihl * 4;

	memset(frame, 0, sizeof(frame));
	memcpy(frame, "\x00\x16\x3e\x00\x00\x01\x00\x16\x3e\x00\x00\x02", 12);
	if (vlan) {
		frame[12] = 0x81;
		frame[14] = 0x00;
		frame[15] = 0x05;
		frame[16] = 0x08;
	} else
		frame[12] = 0x08;
	ip[0] = (uint8_t)(0x40 | ihl);
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[6] = 0x40;		/* DF */
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, "\xc0\xa8\x7a\x01\xc0\xa8\x7a\x0b", 8);
	for (u_int i = 20; i < ihl * 4; i++)
		ip[i] = 1;	/* NOP options */
	l4[0] = 0x30;
	l4[1] = 0x39;
	l4[2] = 0x00;
	l4[3] = 0x07;
	if (proto == 17) {
		l4[4] = (uint8_t)((8 + plen) >> 8);
		l4[5] = (uint8_t)(8 + plen);
		l4[6] = 0xde;	/* garbage where the sum goes */
		l4[7] = 0xad;
	} else {
		l4[12] = 0x50;
		l4[16] = 0xbe;
		l4[17] = 0xef;
	}
	for (size_t i = 0; i < plen; i++)
		l4[l4hdr + i] = (uint8_t)(i * 7 + 3);
	return (l3 + tot);
}

KUNIT_TEST(nfcsum_known_answer)
{
	static const uint8_t hdr[] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
	};
	struct nf_iov v = { (uint8_t *)(uintptr_t)hdr, sizeof(hdr) };
	struct nf_iov three[3] = {
		{ (uint8_t *)(uintptr_t)hdr, 3 },
		{ (uint8_t *)(uintptr_t)hdr + 3, 8 },
		{ (uint8_t *)(uintptr_t)hdr + 11, 9 },
	};

	uint16_t one = (uint16_t)~nf_csum_sum(&v, 1, 0, sizeof(hdr), 0);
	uint16_t pieces = (uint16_t)~nf_csum_sum(three, 3, 0, sizeof(hdr), 0);

	KU_ASSERT(one == 0xb861, "header checksum %#x", one);
	KU_ASSERT(pieces == 0xb861, "in odd pieces %#x", pieces);
}

static void
fill_and_check(uint8_t proto, u_int ihl, size_t plen, bool vlan)
{
	size_t len = build(proto, ihl, plen, vlan), l3 = vlan ? 18 : 14;
	size_t field = l3 + ihl * 4 + (proto == 6 ? 16 : 6);

	memcpy(copy, frame, len);
	/* Whole, then in two pieces cut at every offset. */
	for (size_t cut = 0; cut <= len; cut++) {
		struct nf_iov v[2] = { { frame, cut }, { frame + cut, len - cut } };

		memcpy(frame, copy, len);
		KU_ASSERT(nf_csum_fill(v, 2) == NF_CSUM_FILLED,
		    "proto %u plen %zu cut %zu: not filled", proto, plen, cut);
		KU_ASSERT(ref_verify(frame, l3) == 0xffff,
		    "proto %u plen %zu cut %zu: sum %#x", proto, plen, cut,
		    ref_verify(frame, l3));
		/* Only the field changed. */
		for (size_t i = 0; i < len; i++)
			if (i != field && i != field + 1)
				KU_ASSERT(frame[i] == copy[i],
				    "byte %zu changed (cut %zu)", i, cut);
		if (plen > 40 && cut != 0 && cut % 13 != 0)
			cut += 12;	/* keep the run short on big frames */
	}
}

KUNIT_TEST(nfcsum_udp_tcp_pieces)
{
	fill_and_check(17, 5, 0, false);
	fill_and_check(17, 5, 1, false);
	fill_and_check(17, 5, 33, false);
	fill_and_check(17, 7, 1472, false);
	fill_and_check(6, 5, 0, false);
	fill_and_check(6, 6, 101, true);
	fill_and_check(6, 5, 1460, false);
}

KUNIT_TEST(nfcsum_udp_zero_becomes_ffff)
{
	size_t len;
	struct nf_iov v;
	uint16_t s;

	/*
	 * Find a payload byte making the computed UDP sum 0: the field must
	 * then read 0xffff (0 would mean "no checksum").
	 */
	for (u_int b = 0; b < 65536; b++) {
		len = build(17, 5, 2, false);
		frame[14 + 20 + 8] = (uint8_t)(b >> 8);
		frame[14 + 20 + 9] = (uint8_t)b;
		frame[14 + 20 + 6] = frame[14 + 20 + 7] = 0;
		s = (uint16_t)~ref_verify(frame, 14);
		if (s != 0)
			continue;
		v.base = frame;
		v.len = len;
		KU_ASSERT(nf_csum_fill(&v, 1) == NF_CSUM_FILLED, "filled");
		KU_ASSERT(frame[40] == 0xff && frame[41] == 0xff,
		    "zero sum written as %02x%02x", frame[40], frame[41]);
		return;
	}
	KU_ASSERT(false, "no payload gives a zero sum");
}

KUNIT_TEST(nfcsum_refuses_malformed)
{
	struct nf_iov v = { frame, 0 };
	size_t len;

	len = build(17, 5, 20, false);
	memcpy(copy, frame, len);
	/* Not IPv4, or not TCP/UDP: nothing to do, nothing written. */
	frame[12] = 0x86;
	frame[13] = 0xdd;
	v.len = len;
	KU_ASSERT(nf_csum_fill(&v, 1) == NF_CSUM_NOTL4, "IPv6 filled");
	memcpy(frame, copy, len);
	frame[14 + 9] = 1;	/* ICMP */
	KU_ASSERT(nf_csum_fill(&v, 1) == NF_CSUM_NOTL4, "ICMP filled");
	/* Malformed: each refused and the frame left alone. */
	for (u_int k = 0; k < 6; k++) {
		memcpy(frame, copy, len);
		v.len = len;
		switch (k) {
		case 0: frame[14] = 0x44; break;		/* ihl 4 */
		case 1: frame[14] = 0x55; break;		/* version 5 */
		case 2: frame[17] = (uint8_t)(len - 14 + 1); break; /* too long */
		case 3: frame[20] = 0x20; break;		/* MF */
		case 4: frame[21] = 0x01; break;		/* offset */
		case 5: v.len = 14 + 10; break;			/* cut header */
		}
		memcpy(copy + 1024, frame, len);
		KU_ASSERT(nf_csum_fill(&v, 1) == NF_CSUM_BAD, "case %u filled", k);
		KU_ASSERT(memcmp(frame, copy + 1024, len) == 0,
		    "case %u wrote the frame", k);
	}
	/* UDP header cut by the IP length. */
	memcpy(frame, copy, len);
	frame[16] = 0;
	frame[17] = 20 + 7;
	KU_ASSERT(nf_csum_fill(&v, 1) == NF_CSUM_BAD, "7-byte UDP filled");
	/* Too short for Ethernet: not ours to judge. */
	v.len = 10;
	KU_ASSERT(nf_csum_fill(&v, 1) == NF_CSUM_NOTL4, "runt");
}

KUNIT_TEST(nfcsum_pseudo_then_device_completes)
{
	/*
	 * What we send with NETTXF_csum_blank: the pseudo-header sum in the
	 * field.  The peer completes it by summing from the L4 header on,
	 * with no pseudo header; the result must verify.
	 */
	static const uint8_t protos[] = { 17, 6 };

	for (u_int k = 0; k < nitems(protos); k++) {
		size_t len = build(protos[k], 5, 333, false), l4 = 14 + 20;
		size_t field = l4 + (protos[k] == 6 ? 16 : 6);
		size_t l4len = len - l4;
		struct nf_iov v[2] = { { frame, 40 }, { frame + 40, len - 40 } };
		uint16_t c;

		KU_ASSERT(nf_csum_pseudo_fill(v, 2) == NF_CSUM_FILLED, "proto %u",
		    protos[k]);
		c = (uint16_t)~ref_fold(ref_add(frame + l4, l4len, 0));
		frame[field] = (uint8_t)(c >> 8);
		frame[field + 1] = (uint8_t)c;
		KU_ASSERT(ref_verify(frame, 14) == 0xffff,
		    "proto %u: completed sum %#x", protos[k], ref_verify(frame, 14));
	}
}

KUNIT_TEST(nfcsum_header_lengths)
{
	struct nf_iov v = { frame, 0 };
	size_t len;

	len = build(17, 5, 100, false);
	v.len = len;
	KU_ASSERT(nf_frame_hdrlen(&v, 1) == 14 + 20 + 8, "UDP %zu",
	    nf_frame_hdrlen(&v, 1));
	len = build(6, 7, 100, true);
	v.len = len;
	frame[18 + 28 + 12] = 0x80;	/* 32 bytes of TCP header */
	KU_ASSERT(nf_frame_hdrlen(&v, 1) == 18 + 28 + 32, "TCP+VLAN %zu",
	    nf_frame_hdrlen(&v, 1));
	len = build(17, 5, 100, false);
	frame[14 + 9] = 1;	/* ICMP */
	v.len = len;
	KU_ASSERT(nf_frame_hdrlen(&v, 1) == 34, "ICMP %zu",
	    nf_frame_hdrlen(&v, 1));
	frame[14 + 9] = 17;
	frame[14 + 7] = 10;	/* a later fragment: no UDP header in it */
	KU_ASSERT(nf_frame_hdrlen(&v, 1) == 34, "fragment %zu",
	    nf_frame_hdrlen(&v, 1));
	frame[12] = 0x08;
	frame[13] = 0x06;	/* ARP */
	KU_ASSERT(nf_frame_hdrlen(&v, 1) == 14, "ARP %zu",
	    nf_frame_hdrlen(&v, 1));
	v.len = 9;
	KU_ASSERT(nf_frame_hdrlen(&v, 1) == 9, "runt %zu", nf_frame_hdrlen(&v, 1));
}
