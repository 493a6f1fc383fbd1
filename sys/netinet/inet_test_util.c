/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The network ktests' fixture and reference frame code (see
 * inet_test_util.h).  Deliberately naive: byte at a time, big-endian.
 */
#include <sys/param.h>
#include <sys/mbuf.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/if.h>
#include <net/if_ktap.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/inet_test_util.h>

const uint8_t	nt_ourmac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02 };
const uint8_t	nt_peermac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };

static struct ifnet	*nt_ifp;
static int		nt_unit;

struct ifnet *
nt_setup(int caps, uint32_t hwassist)
{
	struct in_ipspec is = {
		.is_addr = htonl(NT_OURS),
		.is_plen = 24,
		.is_gw = htonl(NT_PEER),
	};

	nt_teardown();
	nt_ifp = ktap_create(nt_unit++, nt_ourmac, caps, hwassist);
	NET_LOCK();
	(void)in_ifaddr_set(nt_ifp, &is);
	NET_UNLOCK();
	netisr_drain();
	ktap_purge(nt_ifp);	/* the gratuitous ARPs */
	return (nt_ifp);
}

void
nt_teardown(void)
{
	if (nt_ifp != NULL) {
		ktap_destroy(nt_ifp);
		nt_ifp = NULL;
	}
}

uint16_t
nt_be16(const uint8_t *p)
{
	return ((uint16_t)(p[0] << 8 | p[1]));
}

uint32_t
nt_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

void
nt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void
nt_put32(uint8_t *p, uint32_t v)
{
	nt_put16(p, (uint16_t)(v >> 16));
	nt_put16(p + 2, (uint16_t)v);
}

uint16_t
nt_cksum(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i < len; i++)
		sum += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ((uint16_t)~sum);
}

size_t
nt_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	nt_put16(f + 12, type);
	return (14);
}

void
nt_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto, uint16_t id,
    uint16_t off, size_t payload, uint8_t ttl)
{
	memset(f, 0, 20);
	f[0] = 0x45;
	nt_put16(f + 2, (uint16_t)(20 + payload));
	nt_put16(f + 4, id);
	nt_put16(f + 6, off);
	f[8] = ttl;
	f[9] = proto;
	nt_put32(f + 12, src);
	nt_put32(f + 16, dst);
	nt_put16(f + 10, nt_cksum(f, 20, 0));
}

size_t
nt_echo(uint8_t *f, uint16_t id, uint16_t seq, size_t datalen)
{
	uint8_t *ic = f + 34;

	nt_eth(f, nt_ourmac, nt_peermac, 0x0800);
	nt_ip(f + 14, NT_PEER, NT_OURS, 1, 0x1234, 0, 8 + datalen, 64);
	ic[0] = 8;
	ic[1] = 0;
	nt_put16(ic + 2, 0);
	nt_put16(ic + 4, id);
	nt_put16(ic + 6, seq);
	for (size_t i = 0; i < datalen; i++)
		ic[8 + i] = (uint8_t)(i * 13 + seq);
	nt_put16(ic + 2, nt_cksum(ic, 8 + datalen, 0));
	return (34 + 8 + datalen);
}

static uint32_t
nt_pseudo(uint32_t src, uint32_t dst, uint8_t proto, size_t len)
{
	return ((src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
	    proto + (uint32_t)len);
}

size_t
nt_udp(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
    const uint8_t *data, size_t len, bool badsum)
{
	uint8_t *uh = f + 34;
	uint16_t sum;

	nt_eth(f, nt_ourmac, nt_peermac, 0x0800);
	nt_ip(f + 14, src, dst, 17, 0x4321, 0, 8 + len, 64);
	nt_put16(uh, sport);
	nt_put16(uh + 2, dport);
	nt_put16(uh + 4, (uint16_t)(8 + len));
	nt_put16(uh + 6, 0);
	memcpy(uh + 8, data, len);
	sum = nt_cksum(uh, 8 + len, nt_pseudo(src, dst, 17, 8 + len));
	if (sum == 0)
		sum = 0xffff;
	nt_put16(uh + 6, badsum ? (uint16_t)(sum ^ 0x0101) : sum);
	return (34 + 8 + len);
}

bool
nt_udp_sum_ok(const uint8_t *ip, size_t len)
{
	size_t hlen = (size_t)(ip[0] & 0xf) * 4;
	const uint8_t *uh = ip + hlen;
	size_t ulen = nt_be16(uh + 4);

	if (hlen + ulen > len || nt_be16(uh + 6) == 0)
		return (false);
	return (nt_cksum(uh, ulen, nt_pseudo(nt_be32(ip + 12),
	    nt_be32(ip + 16), 17, ulen)) == 0);
}

size_t
nt_arp(uint8_t *f, uint16_t op, const uint8_t *sha, uint32_t spa,
    const uint8_t *tha, uint32_t tpa, const uint8_t *edst)
{
	uint8_t *a = f + 14;
	static const uint8_t zero[6];

	nt_eth(f, edst, sha, 0x0806);
	nt_put16(a, 1);
	nt_put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	nt_put16(a + 6, op);
	memcpy(a + 8, sha, 6);
	nt_put32(a + 14, spa);
	memcpy(a + 18, tha != NULL ? tha : zero, 6);
	nt_put32(a + 24, tpa);
	return (42);
}

size_t
nt_flat(const struct mbuf *m, uint8_t *buf, size_t max)
{
	size_t len = m_length(m, NULL);

	if (len > max)
		len = max;
	m_copydata(m, 0, (int)len, buf);
	return (len);
}

struct mbuf *
nt_take_type(struct ifnet *ifp, uint16_t type, int ms)
{
	struct mbuf *m;
	uint8_t eh[14];

	while ((m = ktap_take(ifp, ms * SBT_1MS)) != NULL) {
		m_copydata(m, 0, 14, eh);
		if (nt_be16(eh + 12) == type)
			return (m);
		m_freem(m);
	}
	return (NULL);
}

void
nt_inject(struct ifnet *ifp, const uint8_t *f, size_t len)
{
	(void)ktap_inject(ifp, f, len, 0, 0, 0);
	netisr_drain();
}

bool
nt_prime_arp(struct ifnet *ifp)
{
	uint8_t f[64];
	size_t len;
	struct mbuf *m;

	len = nt_arp(f, 1, nt_peermac, NT_PEER, NULL, NT_OURS,
	    (const uint8_t[6]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff });
	nt_inject(ifp, f, len);
	m = nt_take_type(ifp, 0x0806, 1000);
	if (m == NULL)
		return (false);
	m_freem(m);
	return (true);
}
