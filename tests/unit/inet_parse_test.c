/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The stack's packet parsing, hosted: the ip= option, dotted quads, IPv4
 * and ARP header validation, and the Internet checksum over mbuf chains.
 * Expected verdicts are written per case from the RFCs and ip(4), the
 * checksum is compared with a naive byte-at-a-time sum.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/mbuf.h>
#include <sys/systm.h>

#include <netinet/if_ether.h>
#include <netinet/in.h>
#include <netinet/in_cksum.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

#include "kunit.h"

static void
setup(void)
{
	kunit_ram(16 * 1024 * 1024, 8 * 1024 * 1024);
	kunit_sysinit(SI_SUB_KMEM);
}

KUNIT_TEST(ipspec_cases)
{
	static const struct {
		const char	*s;
		int		ok;
		uint32_t	addr, gw;
		int		plen;
	} cases[] = {
		{ "10.0.0.2/24,10.0.0.1", 1, 0x0a000002, 0x0a000001, 24 },
		{ "10.0.0.2/24", 1, 0x0a000002, 0, 24 },
		{ "172.16.5.4/12,172.16.0.1", 1, 0xac100504, 0xac100001, 12 },
		{ "192.168.1.10/32,192.168.7.1", 1, 0xc0a8010a, 0xc0a80701, 32 },
		{ "10.0.0.0/31", 1, 0x0a000000, 0, 31 },
		{ "10.0.0.2", 0, 0, 0, 0 },		/* no prefix */
		{ "10.0.0.2/", 0, 0, 0, 0 },
		{ "10.0.0.2/0", 0, 0, 0, 0 },
		{ "10.0.0.2/33", 0, 0, 0, 0 },
		{ "10.0.0.2/024", 0, 0, 0, 0 },	/* three digits */
		{ "10.0.0.2/2a", 0, 0, 0, 0 },
		{ "10.0.0.256/24", 0, 0, 0, 0 },
		{ "10.0.0/24", 0, 0, 0, 0 },
		{ "10.0.0.0.2/24", 0, 0, 0, 0 },
		{ "10.0.0.02/24", 0, 0, 0, 0 },	/* leading zero */
		{ " 10.0.0.2/24", 0, 0, 0, 0 },
		{ "10.0.0.0/24", 0, 0, 0, 0 },	/* network address */
		{ "10.0.0.255/24", 0, 0, 0, 0 },	/* broadcast */
		{ "0.0.0.0/8", 0, 0, 0, 0 },
		{ "127.0.0.1/8", 0, 0, 0, 0 },
		{ "224.0.0.5/24", 0, 0, 0, 0 },
		{ "240.0.0.5/24", 0, 0, 0, 0 },
		{ "10.0.0.2/24,", 0, 0, 0, 0 },
		{ "10.0.0.2/24,10.0.1.1", 0, 0, 0, 0 },	/* off-link */
		{ "10.0.0.2/24,10.0.0.2", 0, 0, 0, 0 },	/* itself */
		{ "10.0.0.2/24,10.0.0.255", 0, 0, 0, 0 },
		{ "10.0.0.2/24,255.255.255.255", 0, 0, 0, 0 },
		{ "10.0.0.2/24,10.0.0.1,", 0, 0, 0, 0 },
		{ "", 0, 0, 0, 0 },
		{ "10.0.0.2/24,10.0.0.1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		    0, 0, 0, 0 },
	};
	struct in_ipspec is;

	for (size_t i = 0; i < nitems(cases); i++) {
		const char *why = NULL;
		int error = in_ipspec_parse(cases[i].s, &is, &why);

		KU_ASSERT((error == 0) == (cases[i].ok != 0), "\"%s\": %s",
		    cases[i].s, error == 0 ? "accepted" : why);
		if (error != 0) {
			KU_ASSERT(error == EINVAL && why != NULL && why[0] != '\0',
			    "\"%s\": no reason given", cases[i].s);
			continue;
		}
		KU_ASSERT(is.is_addr == htonl(cases[i].addr) &&
		    is.is_gw == htonl(cases[i].gw) && is.is_plen == cases[i].plen,
		    "\"%s\": parsed wrong", cases[i].s);
	}
}

KUNIT_TEST(pton_ntoa)
{
	char buf[INET_ADDRSTRLEN];
	in_addr_t a;

	KU_ASSERT(inet_pton4("255.255.255.255", &a) == 1 && a == 0xffffffff,
	    "all ones");
	KU_ASSERT(inet_pton4("1.2.3.4", &a) == 1 && a == htonl(0x01020304),
	    "1.2.3.4");
	KU_ASSERT(strcmp(inet_ntoa_r(htonl(0xc0a80001), buf), "192.168.0.1") ==
	    0, "ntoa %s", buf);
	KU_ASSERT(inet_pton4("1.2.3.4.", &a) == 0, "trailing dot");
	KU_ASSERT(inet_pton4("1..3.4", &a) == 0, "empty part");
	KU_ASSERT(inet_pton4("1.2.3.-4", &a) == 0, "sign");
	KU_ASSERT(inet_pton4("999.2.3.4", &a) == 0, "999");
}

/* Recomputes the header checksum of the 20 bytes at h. */
static void
resum(uint8_t *h)
{
	uint32_t sum = 0;

	h[10] = h[11] = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	h[10] = (uint8_t)(sum >> 8);
	h[11] = (uint8_t)sum;
}

/* A valid 20-byte header: 10.0.0.1 -> 10.0.0.2, UDP, total tot. */
static void
mkhdr(uint8_t *h, uint16_t tot)
{
	memset(h, 0, 20);
	h[0] = 0x45;
	h[2] = (uint8_t)(tot >> 8);
	h[3] = (uint8_t)tot;
	h[8] = 64;
	h[9] = 17;
	h[12] = 10; h[15] = 1;
	h[16] = 10; h[19] = 2;
	resum(h);
}

KUNIT_TEST(ip_header_reasons)
{
	uint8_t h[64];
	int hl, il;

	mkhdr(h, 40);
	KU_ASSERT(ip_hdr_check(h, 40, false, &hl, &il) == IP_OK && hl == 20 &&
	    il == 40, "valid header refused");
	KU_ASSERT(ip_hdr_check(h, 60, false, &hl, &il) == IP_OK && il == 40,
	    "padding after the datagram is fine");
	KU_ASSERT(ip_hdr_check(h, 19, false, &hl, &il) == IP_BAD_SHORT, "19");
	KU_ASSERT(ip_hdr_check(h, 39, false, &hl, &il) == IP_BAD_LEN,
	    "total length past the frame");
	mkhdr(h, 40); h[0] = 0x46;
	KU_ASSERT(ip_hdr_check(h, 40, false, &hl, &il) == IP_BAD_SUM,
	    "IHL 6: the sum covers 24 bytes");
	mkhdr(h, 40); h[0] = 0x65;
	KU_ASSERT(ip_hdr_check(h, 40, false, &hl, &il) == IP_BAD_VERSION, "v6");
	mkhdr(h, 40); h[0] = 0x44;
	KU_ASSERT(ip_hdr_check(h, 40, false, &hl, &il) == IP_BAD_HLEN, "IHL 4");
	mkhdr(h, 40); h[0] = 0x4f;
	KU_ASSERT(ip_hdr_check(h, 40, false, &hl, &il) == IP_BAD_HLEN,
	    "IHL 15 in 40 bytes");
	mkhdr(h, 19);
	KU_ASSERT(ip_hdr_check(h, 40, false, &hl, &il) == IP_BAD_LEN,
	    "total below header");
	mkhdr(h, 40); h[11] ^= 1;
	KU_ASSERT(ip_hdr_check(h, 40, false, &hl, &il) == IP_BAD_SUM, "sum");
	KU_ASSERT(ip_hdr_check(h, 40, true, &hl, &il) == IP_OK,
	    "device-validated sum checked anyway");
	mkhdr(h, 40); h[8] = 0; resum(h);
	KU_ASSERT(ip_hdr_check(h, 40, false, &hl, &il) == IP_BAD_TTL, "ttl");
	mkhdr(h, 40); h[12] = 224; resum(h);
	KU_ASSERT(ip_hdr_check(h, 40, false, &hl, &il) == IP_BAD_ADDR, "mcast");
	mkhdr(h, 40); h[12] = 127; resum(h);
	KU_ASSERT(ip_hdr_check(h, 40, false, &hl, &il) == IP_BAD_ADDR, "lo");
	mkhdr(h, 40); h[12] = 0; h[15] = 0; resum(h);
	KU_ASSERT(ip_hdr_check(h, 40, false, &hl, &il) == IP_BAD_ADDR, "zero");
	mkhdr(h, 40); h[6] = 0x80; resum(h);
	KU_ASSERT(ip_hdr_check(h, 40, false, &hl, &il) == IP_BAD_FRAG, "RF");
	/* Offset 8189*8 + 40 > 65535. */
	mkhdr(h, 40); h[6] = 0x1f; h[7] = 0xfd; resum(h);
	KU_ASSERT(ip_hdr_check(h, 40, false, &hl, &il) == IP_BAD_FRAG,
	    "past 65535");
	/* MF with 20 payload bytes: not a multiple of 8. */
	mkhdr(h, 40); h[6] = 0x20; resum(h);
	KU_ASSERT(ip_hdr_check(h, 40, false, &hl, &il) == IP_BAD_FRAG,
	    "MF with odd length");
	mkhdr(h, 36); h[6] = 0x20; resum(h);
	KU_ASSERT(ip_hdr_check(h, 36, false, &hl, &il) == IP_OK, "MF 16 bytes");
}

static void
mkarp(uint8_t *a, uint16_t op, uint32_t spa)
{
	memset(a, 0, 28);
	a[1] = 1; a[2] = 0x08; a[4] = 6; a[5] = 4; a[7] = (uint8_t)op;
	a[8] = 0x02; a[13] = 0x09;
	a[14] = (uint8_t)(spa >> 24); a[15] = (uint8_t)(spa >> 16);
	a[16] = (uint8_t)(spa >> 8); a[17] = (uint8_t)spa;
}

KUNIT_TEST(arp_reasons)
{
	static const uint8_t ours[6] = { 0x02, 0, 0, 0, 0, 0x09 };
	uint8_t a[28];

	mkarp(a, 1, 0x0a000001);
	KU_ASSERT(arp_check(a, 28, NULL) == ARP_OK, "valid request");
	KU_ASSERT(arp_check(a, 27, NULL) == ARP_BAD_SHORT, "27 bytes");
	KU_ASSERT(arp_check(a, 28, ours) == ARP_BAD_SHA, "our own MAC");
	mkarp(a, 3, 0x0a000001);
	KU_ASSERT(arp_check(a, 28, NULL) == ARP_BAD_OP, "op 3");
	mkarp(a, 1, 0x0a000001); a[4] = 8;
	KU_ASSERT(arp_check(a, 28, NULL) == ARP_BAD_FORMAT, "hln 8");
	mkarp(a, 1, 0x0a000001); a[3] = 0xdd;
	KU_ASSERT(arp_check(a, 28, NULL) == ARP_BAD_FORMAT, "pro");
	mkarp(a, 1, 0x0a000001); a[8] = 0x01;
	KU_ASSERT(arp_check(a, 28, NULL) == ARP_BAD_SHA, "multicast sha");
	mkarp(a, 1, 0xffffffff);
	KU_ASSERT(arp_check(a, 28, NULL) == ARP_BAD_SPA, "broadcast spa");
	mkarp(a, 1, 0);
	KU_ASSERT(arp_check(a, 28, NULL) == ARP_OK, "probe (spa 0)");
	mkarp(a, 2, 0);
	KU_ASSERT(arp_check(a, 28, NULL) == ARP_BAD_SPA, "reply from 0");
}

static uint16_t
naive_sum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ((uint16_t)~sum);
}

KUNIT_TEST(cksum_chains)
{
	static uint8_t buf[9000];
	uint32_t seed = 12345;

	setup();
	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245 + 12345;
		buf[i] = (uint8_t)(seed >> 16);
	}
	for (int round = 0; round < 200; round++) {
		struct mbuf *m = m_gethdr(M_NOWAIT, MT_DATA), *t = m;
		size_t len = (size_t)(round * 37 + 1) % sizeof(buf), done = 0;
		int off = round % 7;
		uint16_t want, got, be;

		KU_ASSERT(m != NULL, "no mbuf");
		/* Pieces of odd sizes, so words straddle mbufs. */
		while (done < len) {
			size_t n = MIN(len - done, (size_t)(round % 13 * 11 + 1));

			if (t != m || t->m_len + (int)n > MHLEN) {
				struct mbuf *x = m_get(M_NOWAIT, MT_DATA);

				KU_ASSERT(x != NULL, "no mbuf");
				n = MIN(n, (size_t)MLEN);
				t->m_next = x;
				t = x;
			}
			memcpy(t->m_data + t->m_len, buf + done, n);
			t->m_len += (int)n;
			done += n;
		}
		m->m_pkthdr.len = (int)len;
		if ((size_t)off > len)
			off = 0;
		want = naive_sum(buf + off, len - (size_t)off);
		got = in_cksum_mbuf(m, off, (int)(len - (size_t)off));
		/* The stack's sum is in memory order: compare big-endian. */
		be = ntohs(got);
		KU_ASSERT(be == want, "round %d len %zu off %d: %#x want %#x",
		    round, len, off, be, want);
		KU_ASSERT(ntohs(in_cksum_buf(buf + off, len - (size_t)off)) ==
			    want, "flat sum round %d", round);
		m_freem(m);
	}
	KU_ASSERT(mbstat.m_mbufs == 0, "%lu mbufs leaked", mbstat.m_mbufs);
}
