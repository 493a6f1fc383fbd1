/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer target over the network stack's input path: Ethernet frames in,
 * the whole stack (Ethernet, ARP, IPv4 checks and reassembly, ICMP, UDP
 * with an echo endpoint), compiled unchanged against the kernel headers.
 * The input is a list of records: frames (some with their checksums made
 * right by the harness so the fuzzer gets past them, some claiming device
 * checksum validation), clock steps that run the slow timer, sends
 * through the UDP KPI, and transmit checksum offload turned on and off
 * (the harness then completes what was left to the device, as mbuf(9)
 * says a device must).  Checked after every record, by code apart from the
 * stack: each frame the stack sends is a sane chain, no longer than the
 * MTU, with correct IPv4 header, ICMP and UDP checksums (unless left to the
 * device, which this interface does not offer); the ARP cache and the
 * reassembly queues stay within their bounds.  After the input, the
 * queues are flushed and no mbuf may remain.  Invariants trap.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/physmem.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <netinet/if_ether.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/ip_var.h>
#include <netinet/udp.h>
#include <netinet/udp_kern.h>
#include <netinet/udp_var.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	fz_printf(const char *, ...);
void	fz_panic(const char *, va_list) __dead2;

#define CHECK(x) do {							\
	if (!(x))							\
		__builtin_trap();					\
} while (0)

/* Stand-ins for the kernel services the stack's files call. */
uintptr_t	hosted_dmap_base;
static sbintime_t fz_now;

/* KASSERT's panic: an assertion in the stack is a finding. */
void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fz_panic(fmt, ap);
}

int
fz_printf(const char *fmt, ...)
{
	(void)fmt;
	return (0);
}

void
mtx_init(struct mtx *m, const char *name, const char *type, int opts)
{
	memset(m, 0, sizeof(*m));
	m->mtx_name = name;
	m->mtx_flags = (u_int)opts;
}

void
mtx_lock(struct mtx *m)
{
	CHECK(m->mtx_lock == 0);	/* one thread: never contended */
	m->mtx_lock = 1;
}

void
mtx_unlock(struct mtx *m)
{
	CHECK(m->mtx_lock == 1);
	m->mtx_lock = 0;
}

void
mtx_lock_spin(struct mtx *m)
{
	mtx_lock(m);
}

void
mtx_unlock_spin(struct mtx *m)
{
	mtx_unlock(m);
}

void
_mtx_assert(const struct mtx *m, int what, const char *file, int line)
{
	(void)file;
	(void)line;
	CHECK(what == MA_OWNED ? m->mtx_lock == 1 : m->mtx_lock == 0);
}

int
msleep(const void *chan, struct mtx *mtx, const char *wmesg, sbintime_t timo)
{
	/* Nothing in the input path may wait. */
	__builtin_trap();
}

void
wakeup(const void *chan)
{
}

sbintime_t
sbinuptime(void)
{
	return (fz_now);
}

vm_paddr_t
phys_alloc_page(void)
{
	return (PHYS_NONE);
}

void
phys_free_page(vm_paddr_t pa)
{
	__builtin_trap();
}

void
netisr_drain(void)
{
}

/* if_input: only a driver calls it, and the harness injects directly. */
void
netisr_queue(struct ifnet *ifp, struct mbuf *m)
{
	__builtin_trap();
}

void
in_cmdline_ifattach(struct ifnet *ifp)
{
}

void
netisr_link_kick(void)
{
}

/* Reference checks of what the stack sends. */
static uint16_t
ref_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i < len; i++)
		sum += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ((uint16_t)~sum);
}

static uint16_t
be16(const uint8_t *p)
{
	return ((uint16_t)(p[0] << 8 | p[1]));
}

static uint8_t	txbuf[ETHER_MAX_LEN + 64];
static u_long	fz_sent;

static void
check_tx(const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + ETHER_HDR_LEN;
	size_t hlen, iplen;
	uint16_t off;

	CHECK(len >= ETHER_HDR_LEN && len <= ETHERMTU + ETHER_HDR_LEN);
	if (be16(f + 12) == ETHERTYPE_ARP) {
		CHECK(len == ETHER_HDR_LEN + 28);
		return;
	}
	CHECK(be16(f + 12) == ETHERTYPE_IP);
	CHECK(len >= ETHER_HDR_LEN + 20 && ip[0] == 0x45);
	hlen = 20;
	iplen = be16(ip + 2);
	CHECK(iplen == len - ETHER_HDR_LEN);
	CHECK(ref_sum(ip, hlen, 0) == 0);
	off = be16(ip + 6);
	if (off & 0x3fff)
		return;		/* a fragment: L4 checked by the peer */
	if (ip[9] == IPPROTO_ICMP)
		CHECK(ref_sum(ip + hlen, iplen - hlen, 0) == 0);
	if (ip[9] == IPPROTO_UDP) {
		const uint8_t *uh = ip + hlen;
		uint32_t ps = be16(ip + 12) + be16(ip + 14) + be16(ip + 16) +
		    be16(ip + 18) + IPPROTO_UDP + be16(uh + 4);

		CHECK(be16(uh + 4) == iplen - hlen);
		CHECK(be16(uh + 6) != 0 && ref_sum(uh, iplen - hlen, ps) == 0);
	}
}

/* What a device with checksum offload does (mbuf(9)'s contract). */
static void
offload(uint8_t *f, size_t len, uint32_t flags, uint32_t off)
{
	uint8_t *ip = f + ETHER_HDR_LEN;
	uint16_t s;

	CHECK(len >= ETHER_HDR_LEN + 20 + 8 && be16(f + 12) == ETHERTYPE_IP);
	if (flags & CSUM_IP) {
		ip[10] = ip[11] = 0;
		s = ref_sum(ip, 20, 0);
		ip[10] = (uint8_t)(s >> 8);
		ip[11] = (uint8_t)s;
	}
	if (flags & CSUM_UDP) {
		/* Never asked of a fragment: no device sums across them. */
		CHECK((be16(ip + 6) & 0x3fff) == 0 && off == 6);
		s = ref_sum(ip + 20, len - ETHER_HDR_LEN - 20, 0);
		if (s == 0)
			s = 0xffff;
		ip[20 + off] = (uint8_t)(s >> 8);
		ip[20 + off + 1] = (uint8_t)s;
	}
}

static int
fz_transmit(struct ifnet *ifp, struct mbuf *m)
{
	uint32_t flags = m->m_pkthdr.csum_flags;
	size_t len;

	CHECK(m_sanity(m, true) == 0);
	/* All headers in the first mbuf (a backend wants them in one slot). */
	CHECK(m->m_len >= MIN(m->m_pkthdr.len, ETHER_HDR_LEN + 20 + 8));
	/* No empty mbuf: a driver would spend an empty slot on it. */
	for (struct mbuf *t = m; t != NULL; t = t->m_next)
		CHECK(t->m_len > 0);
	/* Left to the device only what it offered and has enabled. */
	CHECK((flags & (CSUM_IP | CSUM_DELAY_DATA) & ~ifp->if_hwassist) == 0);
	CHECK((flags & (CSUM_IP | CSUM_DELAY_DATA)) == 0 ||
	    (ifp->if_capenable & IFCAP_TXCSUM));
	len = (size_t)m->m_pkthdr.len;
	CHECK(len <= sizeof(txbuf));
	m_copydata(m, 0, (int)len, txbuf);
	if (flags & (CSUM_IP | CSUM_DELAY_DATA))
		offload(txbuf, len, flags, m->m_pkthdr.csum_data);
	check_tx(txbuf, len);
	fz_sent++;
	m_freem(m);
	return (0);
}

static void
echo_cb(struct udp_sock *so, struct mbuf *m, const struct udp_from *from,
    void *arg)
{
	CHECK(m_sanity(m, true) == 0);
	(void)udp_sock_send(so, from->uf_src, from->uf_sport, m);
}

static struct ifnet	*fz_ifp;
static struct udp_sock	*fz_echo, *fz_src;
static const uint8_t	fz_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };

static void
fz_init(void)
{
	struct in_ipspec is = {
		.is_addr = htonl(0x0a000002),
		.is_plen = 24,
		.is_gw = htonl(0x0a000001),
	};

	fz_ifp = if_alloc(IFT_ETHER);
	if_initname(fz_ifp, "fz", 0);
	fz_ifp->if_transmit = fz_transmit;
	fz_ifp->if_flags = IFF_UP;
	ether_ifattach(fz_ifp, fz_mac);
	NET_LOCK();
	CHECK(in_ifaddr_set(fz_ifp, &is) == 0);
	NET_UNLOCK();
	CHECK(udp_sock_open(&fz_echo, 7, echo_cb, NULL) == 0);
	CHECK(udp_sock_open(&fz_src, 0, echo_cb, NULL) == 0);
}

/* Makes the IPv4, ICMP and UDP checksums of a frame right, if it is one. */
static void
fix_sums(uint8_t *f, size_t len)
{
	uint8_t *ip = f + ETHER_HDR_LEN;
	size_t hlen, iplen;
	uint16_t s;

	if (len < ETHER_HDR_LEN + 20 || be16(f + 12) != ETHERTYPE_IP)
		return;
	hlen = (size_t)(ip[0] & 0xf) * 4;
	if (hlen < 20 || ETHER_HDR_LEN + hlen > len)
		return;
	ip[10] = ip[11] = 0;
	s = ref_sum(ip, hlen, 0);
	ip[10] = (uint8_t)(s >> 8);
	ip[11] = (uint8_t)s;
	iplen = MIN((size_t)be16(ip + 2), len - ETHER_HDR_LEN);
	if (iplen < hlen + 8 || (be16(ip + 6) & 0x3fff) != 0)
		return;
	if (ip[9] == IPPROTO_ICMP) {
		ip[hlen + 2] = ip[hlen + 3] = 0;
		s = ref_sum(ip + hlen, iplen - hlen, 0);
		ip[hlen + 2] = (uint8_t)(s >> 8);
		ip[hlen + 3] = (uint8_t)s;
	} else if (ip[9] == IPPROTO_UDP) {
		uint8_t *uh = ip + hlen;
		size_t ulen = be16(uh + 4);
		uint32_t ps;

		if (ulen < 8 || ulen > iplen - hlen)
			return;
		ps = be16(ip + 12) + be16(ip + 14) + be16(ip + 16) +
		    be16(ip + 18) + IPPROTO_UDP + (uint32_t)ulen;
		uh[6] = uh[7] = 0;
		s = ref_sum(uh, ulen, ps);
		if (s == 0)
			s = 0xffff;
		uh[6] = (uint8_t)(s >> 8);
		uh[7] = (uint8_t)s;
	}
}

static void
inject(const uint8_t *p, size_t len, int seg, uint32_t csum_flags)
{
	struct mbuf *m, *last;
	size_t done = 0;

	m = m_gethdr(M_NOWAIT, MT_DATA);
	CHECK(m != NULL);
	last = m;
	/* In pieces of seg bytes (1..64, or clusters), as a SG driver would. */
	while (done < len) {
		size_t room = (size_t)M_TRAILINGSPACE(last), k;

		if (room == 0 || (seg > 0 && last->m_len >= seg)) {
			struct mbuf *n = len - done > MLEN ?
			    m_getcl(M_NOWAIT, MT_DATA, 0) : m_get(M_NOWAIT, MT_DATA);

			CHECK(n != NULL);
			last->m_next = n;
			last = n;
			room = (size_t)M_TRAILINGSPACE(last);
		}
		k = MIN(room, len - done);
		if (seg > 0)
			k = MIN(k, (size_t)(seg - last->m_len));
		memcpy(last->m_data + last->m_len, p + done, k);
		last->m_len += (int)k;
		done += k;
	}
	m->m_pkthdr.len = (int)len;
	m->m_pkthdr.rcvif = fz_ifp;
	m->m_pkthdr.csum_flags = csum_flags;
	m->m_pkthdr.csum_data = 0xffff;
	net_input_frame(fz_ifp, m);
}

static void
check_bounds(void)
{
	NET_LOCK();
	CHECK(arp_count(fz_ifp) <= arp_cachemax);
	NET_UNLOCK();
	CHECK(ip_reass_state.ir_nq <= ip_reass_state.ir_lim.maxq);
	CHECK(ip_reass_state.ir_mem <= ip_reass_state.ir_lim.maxmem);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool inited;
	static uint8_t frame[ETHER_MAX_LEN + 8];
	static uint8_t bigbuf[UDP_MAXPAYLOAD];

	if (!inited) {
		net_init();
		fz_init();
		inited = true;
	}
	while (size >= 3) {
		uint8_t op = data[0];
		size_t len = MIN((size_t)(data[1] << 8 | data[2]), size - 3);
		const uint8_t *p = data + 3;

		data += 3 + len;
		size -= 3 + len;
		switch (op & 7) {
		case 0:		/* a frame as it is */
		case 1:		/* checksums made right */
		case 2:		/* ... and claimed validated by the device */
			len = MIN(len, sizeof(frame));
			memcpy(frame, p, len);
			if ((op & 7) != 0)
				fix_sums(frame, len);
			if ((op & 7) == 2)
				fz_ifp->if_capenable |= IFCAP_RXCSUM;
			inject(frame, len, (op >> 3) & 0x3f,
			    (op & 7) == 2 ? CSUM_L3_CALC | CSUM_L3_VALID |
			    CSUM_DATA_VALID | CSUM_PSEUDO_HDR : 0);
			fz_ifp->if_capenable &= ~IFCAP_RXCSUM;
			break;
		case 3:		/* time passes */
			fz_now += (sbintime_t)(op >> 3) * SBT_1S / 2;
			net_slowtimo(fz_now);
			break;
		case 6:		/* transmit checksum offload on or off */
			fz_ifp->if_capenable ^= IFCAP_TXCSUM;
			fz_ifp->if_hwassist = (op & 8) ? CSUM_IP | CSUM_UDP :
			    CSUM_UDP;
			break;
		case 4:		/* a send through the KPI, to 10.0.0.x */
			if (len >= 1)
				(void)udp_sock_sendbuf(fz_src,
				    htonl(0x0a000000 | p[0]), 9, p + 1, len - 1);
			break;
		default:	/* a big send (fragments) of len * 64 bytes */
			if (len >= 1)
				(void)udp_sock_sendbuf(fz_src,
				    htonl(0x0a000000 | p[0]), 9, bigbuf,
				    MIN(len * 64, sizeof(bigbuf)));
			break;
		}
		check_bounds();
	}
	/* Nothing outlives the input but the endpoints. */
	NET_LOCK();
	ip_reass_flush(&ip_reass_state);
	arp_flush(fz_ifp);
	NET_UNLOCK();
	udp_deliver_pending();
	CHECK(mbstat.m_mbufs == 0 && mbstat.m_clusters == 0);
	fz_ifp->if_capenable &= ~IFCAP_TXCSUM;
	return (0);
}
