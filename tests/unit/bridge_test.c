/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * bridge(4) hosted: learning, flooding, no frame back out of its own port,
 * expiry on a clock the test drives, the table bound, and blank checksums
 * filled for ports that cannot take them (checked against an RFC 1071 sum
 * written here, not the kernel's).  Ports are fake interfaces whose output
 * records what they were given.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/mbuf.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/ethernet.h>
#include <net/if_bridge.h>
#include <net/if_var.h>

#include "kunit.h"

#define NPORT	4
#define MAXQ	64

static sbintime_t	fake_now;

/* The bridge's clock. */
sbintime_t
sbinuptime(void)
{
	return (fake_now);
}

static struct ifnet	ifs[NPORT];
static struct mbuf	*got[NPORT][MAXQ];
static int		ngot[NPORT];

static int
port_index(const struct ifnet *ifp)
{
	int i = (int)(ifp - ifs);

	KU_ASSERT(i >= 0 && i < NPORT, "output on unknown ifnet");
	return (i);
}

static void
rec_output(struct ifnet *ifp, struct mbuf *m)
{
	int i = port_index(ifp);

	KU_ASSERT(ngot[i] < MAXQ, "port %d queue full", i);
	got[i][ngot[i]++] = m;
}

static void
setup(void)
{
	static bool done;

	if (!done) {
		kunit_ram(16 * 1024 * 1024, 16 * 1024 * 1024);
		kunit_sysinit(SI_SUB_KMEM);
		done = true;
	}
	fake_now = 100 * SBT_1S;
	memset(ngot, 0, sizeof(ngot));
}

static void
flush(void)
{
	for (int i = 0; i < NPORT; i++) {
		for (int j = 0; j < ngot[i]; j++)
			m_freem(got[i][j]);
		ngot[i] = 0;
	}
}

static void
mac(uint8_t *out, int host)
{
	static const uint8_t base[ETHER_ADDR_LEN] = { 0x00, 0x16, 0x3e, 0, 0,
	    0 };

	memcpy(out, base, ETHER_ADDR_LEN);
	out[4] = (uint8_t)(host >> 8);
	out[5] = (uint8_t)host;
}

/* A frame from host src to dst (dst < 0: broadcast), payload tag. */
static struct mbuf *
frame(int src, int dst, uint8_t tag)
{
	uint8_t buf[60];
	struct mbuf *m;

	memset(buf, tag, sizeof(buf));
	if (dst < 0)
		memset(buf, 0xff, ETHER_ADDR_LEN);
	else
		mac(buf, dst);
	mac(buf + ETHER_ADDR_LEN, src);
	buf[12] = 0x88;	/* a local experimental ethertype */
	buf[13] = 0xb5;
	m = m_gethdr(M_NOWAIT, MT_DATA);
	KU_ASSERT(m != NULL, "no mbuf");
	KU_ASSERT(m_append(m, sizeof(buf), buf), "append");
	m->m_pkthdr.len = sizeof(buf);
	return (m);
}

static uint8_t
tag_of(struct mbuf *m)
{
	uint8_t t;

	m_copydata(m, ETHER_HDR_LEN, 1, &t);
	return (t);
}

struct rig {
	struct bridge		*br;
	struct bridge_port	*bp[NPORT];
};

static void
rig_up(struct rig *r, u_int maxaddr, sbintime_t ttl, int nports,
    const int *flags)
{
	setup();
	r->br = bridge_create("brt", maxaddr, ttl);
	for (int i = 0; i < nports; i++)
		r->bp[i] = bridge_port_add(r->br, &ifs[i], rec_output,
		    flags != NULL ? flags[i] : 0);
	for (int i = nports; i < NPORT; i++)
		r->bp[i] = NULL;
}

static void
rig_down(struct rig *r)
{
	flush();
	for (int i = 0; i < NPORT; i++) {
		if (r->bp[i] != NULL)
			bridge_port_remove(r->bp[i]);
	}
	KU_ASSERT(bridge_naddrs(r->br) == 0, "%u addresses after removing "
	    "every port", bridge_naddrs(r->br));
	bridge_destroy(r->br);
	KU_ASSERT(mbstat.m_mbufs == 0 && mbstat.m_clusters == 0,
	    "%lu mbufs, %lu clusters leaked", mbstat.m_mbufs,
	    mbstat.m_clusters);
}

KUNIT_TEST(bridge_flood_then_learn)
{
	struct rig r;

	rig_up(&r, 16, 10 * SBT_1S, 3, NULL);
	/* Host 1 on port 0 broadcasts: ports 1 and 2 get it, 0 does not. */
	bridge_input(r.bp[0], frame(1, -1, 0xa1));
	KU_ASSERT(ngot[0] == 0 && ngot[1] == 1 && ngot[2] == 1,
	    "broadcast went to %d/%d/%d", ngot[0], ngot[1], ngot[2]);
	KU_ASSERT(tag_of(got[1][0]) == 0xa1 && tag_of(got[2][0]) == 0xa1,
	    "flooded copies differ from the frame");
	KU_ASSERT(got[1][0] != got[2][0], "one mbuf given to two ports");
	KU_ASSERT(bridge_lookup(r.br, (uint8_t[6]){ 0, 0x16, 0x3e, 0, 0, 1 }) ==
	    r.bp[0], "host 1 not learnt on port 0");
	flush();
	/* Host 2 (port 1) to host 1: unicast to port 0 only. */
	bridge_input(r.bp[1], frame(2, 1, 0xa2));
	KU_ASSERT(ngot[0] == 1 && ngot[1] == 0 && ngot[2] == 0,
	    "unicast went to %d/%d/%d", ngot[0], ngot[1], ngot[2]);
	KU_ASSERT(tag_of(got[0][0]) == 0xa2, "wrong frame on port 0");
	flush();
	/* Host 1 to unknown host 9: flooded, not back to port 0. */
	bridge_input(r.bp[0], frame(1, 9, 0xa3));
	KU_ASSERT(ngot[0] == 0 && ngot[1] == 1 && ngot[2] == 1,
	    "unknown unicast went to %d/%d/%d", ngot[0], ngot[1], ngot[2]);
	flush();
	/* Host 1 to host 2: port 1 only. */
	bridge_input(r.bp[0], frame(1, 2, 0xa4));
	KU_ASSERT(ngot[0] == 0 && ngot[1] == 1 && ngot[2] == 0,
	    "learnt unicast went to %d/%d/%d", ngot[0], ngot[1], ngot[2]);
	struct bridge_stats st;
	bridge_stats(r.br, &st);
	KU_ASSERT(st.learnt == 2 && st.flooded == 2 && st.unicast == 2,
	    "learnt %ju flooded %ju unicast %ju", (uintmax_t)st.learnt,
	    (uintmax_t)st.flooded, (uintmax_t)st.unicast);
	rig_down(&r);
}

KUNIT_TEST(bridge_no_loop_back)
{
	struct bridge_stats st;
	struct rig r;

	rig_up(&r, 16, 10 * SBT_1S, 3, NULL);
	bridge_input(r.bp[0], frame(1, -1, 1));
	bridge_input(r.bp[0], frame(3, -1, 1));
	flush();
	/* Both hosts sit on port 0: a frame between them goes nowhere. */
	bridge_input(r.bp[0], frame(1, 3, 2));
	KU_ASSERT(ngot[0] == 0 && ngot[1] == 0 && ngot[2] == 0,
	    "local frame went to %d/%d/%d", ngot[0], ngot[1], ngot[2]);
	bridge_stats(r.br, &st);
	KU_ASSERT(st.drops[BRIDGE_DROP_LOCAL] == 1, "local drops %ju",
	    (uintmax_t)st.drops[BRIDGE_DROP_LOCAL]);
	/* A frame to the sender itself is not reflected either. */
	bridge_input(r.bp[0], frame(1, 1, 3));
	KU_ASSERT(ngot[0] == 0, "frame reflected to its own port");
	/* Only port: a broadcast has nowhere to go. */
	bridge_port_remove(r.bp[1]);
	bridge_port_remove(r.bp[2]);
	r.bp[1] = r.bp[2] = NULL;
	bridge_input(r.bp[0], frame(1, -1, 4));
	KU_ASSERT(ngot[0] == 0, "broadcast back to the only port");
	rig_down(&r);
}

KUNIT_TEST(bridge_moved_and_removed)
{
	struct bridge_stats st;
	struct rig r;
	uint8_t a[6];

	rig_up(&r, 16, 10 * SBT_1S, 3, NULL);
	mac(a, 1);
	bridge_input(r.bp[0], frame(1, -1, 1));
	bridge_input(r.bp[1], frame(1, -1, 1));
	KU_ASSERT(bridge_lookup(r.br, a) == r.bp[1], "move not seen");
	bridge_stats(r.br, &st);
	KU_ASSERT(st.moved == 1 && bridge_naddrs(r.br) == 1, "moved %ju "
	    "naddrs %u", (uintmax_t)st.moved, bridge_naddrs(r.br));
	flush();
	/* Removing port 1 forgets host 1: frames to it flood again. */
	bridge_port_remove(r.bp[1]);
	r.bp[1] = NULL;
	KU_ASSERT(bridge_lookup(r.br, a) == NULL && bridge_naddrs(r.br) == 0,
	    "address outlived its port");
	bridge_input(r.bp[2], frame(5, 1, 2));
	KU_ASSERT(ngot[0] == 1 && ngot[1] == 0 && ngot[2] == 0,
	    "after removal went to %d/%d/%d", ngot[0], ngot[1], ngot[2]);
	rig_down(&r);
}

KUNIT_TEST(bridge_expiry)
{
	struct rig r;
	uint8_t a[6];

	rig_up(&r, 16, 10 * SBT_1S, 3, NULL);
	mac(a, 1);
	bridge_input(r.bp[0], frame(1, -1, 1));
	fake_now += 10 * SBT_1S - 1;
	KU_ASSERT(bridge_lookup(r.br, a) == r.bp[0], "expired before its ttl");
	flush();
	bridge_input(r.bp[1], frame(2, 1, 2));
	KU_ASSERT(ngot[0] == 1 && ngot[2] == 0, "not unicast before the ttl");
	flush();
	fake_now += 1;
	KU_ASSERT(bridge_lookup(r.br, a) == NULL, "alive after its ttl");
	bridge_input(r.bp[1], frame(2, 1, 3));
	KU_ASSERT(ngot[0] == 1 && ngot[2] == 1, "not flooded after the ttl: "
	    "%d/%d", ngot[0], ngot[2]);
	/* Traffic from a host refreshes it. */
	bridge_input(r.bp[0], frame(1, -1, 4));
	fake_now += 9 * SBT_1S;
	bridge_input(r.bp[0], frame(1, -1, 5));
	fake_now += 9 * SBT_1S;
	KU_ASSERT(bridge_lookup(r.br, a) == r.bp[0], "refresh ignored");
	rig_down(&r);
}

KUNIT_TEST(bridge_table_bound)
{
	struct bridge_stats st;
	struct rig r;
	uint8_t a[6];

	rig_up(&r, 4, 10 * SBT_1S, 2, NULL);
	/* A port making up 100 source addresses fills 4 entries, no more. */
	for (int h = 1; h <= 100; h++) {
		bridge_input(r.bp[0], frame(h, -1, 1));
		KU_ASSERT(bridge_naddrs(r.br) <= 4, "%u entries > 4",
		    bridge_naddrs(r.br));
		flush();
	}
	bridge_stats(r.br, &st);
	KU_ASSERT(bridge_naddrs(r.br) == 4 && st.learnt == 4 &&
	    st.learn_full == 96, "naddrs %u learnt %ju full %ju",
	    bridge_naddrs(r.br), (uintmax_t)st.learnt,
	    (uintmax_t)st.learn_full);
	/* The first four stay; an unlearnt one still floods. */
	mac(a, 2);
	KU_ASSERT(bridge_lookup(r.br, a) == r.bp[0], "early entry lost");
	mac(a, 50);
	KU_ASSERT(bridge_lookup(r.br, a) == NULL, "learnt past the bound");
	/* Once they expire, new hosts are learnt again. */
	fake_now += 10 * SBT_1S;
	bridge_input(r.bp[1], frame(200, -1, 1));
	mac(a, 200);
	KU_ASSERT(bridge_lookup(r.br, a) == r.bp[1], "not learnt after expiry");
	KU_ASSERT(bridge_naddrs(r.br) == 1, "%u entries after reclaim",
	    bridge_naddrs(r.br));
	rig_down(&r);
}

KUNIT_TEST(bridge_bad_frames)
{
	struct bridge_stats st;
	struct rig r;
	struct mbuf *m;

	rig_up(&r, 16, 10 * SBT_1S, 2, NULL);
	m = frame(1, -1, 1);
	m_adj(m, -(m->m_pkthdr.len - 13));
	bridge_input(r.bp[0], m);
	m = frame(1, -1, 1);
	m->m_data[6] |= 1;	/* multicast source */
	bridge_input(r.bp[0], m);
	m = frame(1, -1, 1);
	memset(m->m_data + 6, 0, 6);
	bridge_input(r.bp[0], m);
	bridge_stats(r.br, &st);
	KU_ASSERT(ngot[1] == 0, "bad frames forwarded: %d", ngot[1]);
	KU_ASSERT(st.drops[BRIDGE_DROP_SHORT] == 1 &&
	    st.drops[BRIDGE_DROP_BADSRC] == 2 && bridge_naddrs(r.br) == 0,
	    "short %ju badsrc %ju naddrs %u",
	    (uintmax_t)st.drops[BRIDGE_DROP_SHORT],
	    (uintmax_t)st.drops[BRIDGE_DROP_BADSRC], bridge_naddrs(r.br));
	rig_down(&r);
}

/* ---- checksums ---- */

/* Reference RFC 1071 sum over a flat buffer (not the kernel's). */
static uint16_t
ref_sum(const uint8_t *p, size_t len, uint32_t acc)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return ((uint16_t)acc);
}

/* Ethernet + IPv4 + UDP frame with n payload bytes, checksum field junk. */
static size_t
udp_frame(uint8_t *f, int src, int dst, size_t n)
{
	size_t iplen = 20 + 8 + n;

	memset(f, 0, 14 + iplen);
	mac(f, dst);
	mac(f + 6, src);
	f[12] = 0x08;
	f[14] = 0x45;
	f[16] = (uint8_t)(iplen >> 8);
	f[17] = (uint8_t)iplen;
	f[22] = 64;
	f[23] = 17;
	memcpy(f + 26, (uint8_t[]){ 10, 0, 0, 1, 10, 0, 0, 2 }, 8);
	f[34] = 0x12;
	f[35] = 0x34;
	f[36] = 0x00;
	f[37] = 0x07;
	f[38] = (uint8_t)((8 + n) >> 8);
	f[39] = (uint8_t)(8 + n);
	f[40] = 0xde;	/* junk: the sender left it blank */
	f[41] = 0xad;
	for (size_t i = 0; i < n; i++)
		f[42 + i] = (uint8_t)(i * 13 + 5);
	return (14 + iplen);
}

/* True if the UDP checksum of the IPv4 frame verifies. */
static bool
udp_ok(const uint8_t *f)
{
	size_t ulen = (size_t)f[38] << 8 | f[39];
	uint32_t ph = ref_sum(f + 26, 8, 0) + 17 + (uint32_t)ulen;

	return (ref_sum(f + 34, ulen, ph) == 0xffff);
}

static struct mbuf *
frame_in_pieces(const uint8_t *f, size_t len, size_t piece)
{
	struct mbuf *m = m_gethdr(M_NOWAIT, MT_DATA), *t = m;

	KU_ASSERT(m != NULL, "no mbuf");
	for (size_t off = 0; off < len; off += piece) {
		size_t k = MIN(piece, len - off);

		if (off > 0) {
			t->m_next = m_get(M_NOWAIT, MT_DATA);
			t = t->m_next;
			KU_ASSERT(t != NULL, "no mbuf");
		}
		memcpy(t->m_data, f + off, k);
		t->m_len = (int)k;
	}
	m->m_pkthdr.len = (int)len;
	return (m);
}

KUNIT_TEST(bridge_csum_blank)
{
	static const int flags[NPORT] = { 0, BRIDGE_PORT_CSUM_BLANK, 0, 0 };
	static uint8_t f[2000], out[2000];
	struct bridge_stats st;
	struct rig r;
	size_t len;

	rig_up(&r, 16, 10 * SBT_1S, 3, flags);
	len = udp_frame(f, 1, 2, 1001);
	KU_ASSERT(!udp_ok(f), "test frame's checksum already right");
	/* Broadcast-like flood (host 2 unknown) of a blank-checksum frame. */
	struct mbuf *m = frame_in_pieces(f, len, 37);
	m->m_pkthdr.csum_flags = CSUM_UDP;
	bridge_input(r.bp[0], m);
	KU_ASSERT(ngot[1] == 1 && ngot[2] == 1, "not flooded");
	/* Port 1 takes blank checksums: untouched, flag kept. */
	m_copydata(got[1][0], 0, (int)len, out);
	KU_ASSERT(memcmp(out, f, len) == 0, "frame changed for a blank port");
	KU_ASSERT(got[1][0]->m_pkthdr.csum_flags & CSUM_UDP, "flag dropped");
	/* Port 2 does not: the checksum is filled and verifies. */
	KU_ASSERT(got[2][0]->m_pkthdr.len == (int)len, "length changed");
	m_copydata(got[2][0], 0, (int)len, out);
	KU_ASSERT(udp_ok(out), "filled checksum %02x%02x does not verify",
	    out[40], out[41]);
	KU_ASSERT(memcmp(out, f, 40) == 0 && memcmp(out + 42, f + 42,
	    len - 42) == 0, "bytes other than the checksum changed");
	KU_ASSERT(!(got[2][0]->m_pkthdr.csum_flags & CSUM_UDP),
	    "flag kept after filling");
	bridge_stats(r.br, &st);
	KU_ASSERT(st.csum_filled == 1, "filled %ju", (uintmax_t)st.csum_filled);
	flush();
	/* A truncated IP length (past the frame) is dropped, not filled. */
	f[16] = 0x7f;
	m = frame_in_pieces(f, len, 200);
	m->m_pkthdr.csum_flags = CSUM_UDP;
	bridge_input(r.bp[0], m);
	bridge_stats(r.br, &st);
	KU_ASSERT(ngot[2] == 0 && st.drops[BRIDGE_DROP_CSUM] == 1,
	    "bad frame: %d delivered, %ju csum drops", ngot[2],
	    (uintmax_t)st.drops[BRIDGE_DROP_CSUM]);
	rig_down(&r);
}

KUNIT_TEST(bridge_csum_sizes)
{
	static uint8_t f[2000], out[2000];
	struct mbuf *m;
	size_t len;

	setup();
	/* Odd and even lengths, pieces splitting the field. */
	for (size_t n = 0; n < 300; n += 7) {
		len = udp_frame(f, 1, 2, n);
		m = frame_in_pieces(f, len, 41);
		m->m_pkthdr.csum_flags = CSUM_UDP;
		KU_ASSERT(bridge_csum_fill(&m) == 0, "fill failed for %zu", n);
		m_copydata(m, 0, (int)len, out);
		KU_ASSERT(udp_ok(out), "payload %zu: does not verify", n);
		m_freem(m);
	}
	KU_ASSERT(mbstat.m_mbufs == 0, "%lu mbufs leaked", mbstat.m_mbufs);
}
