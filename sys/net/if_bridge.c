/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * bridge(4): learning and forwarding (see if_bridge.h).  The address table
 * is a hash of entries taken from a pool allocated at creation, so it can
 * never grow past its bound however many source addresses a port makes up.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/ethernet.h>
#include <net/if_bridge.h>

MALLOC_DEFINE(M_BRIDGE, "bridge", "L2 bridge");

#define BR_NHASH	64

struct bridge_rtnode {
	LIST_ENTRY(bridge_rtnode) rt_hash;	/* bucket, or free list */
	struct bridge_port	*rt_port;
	sbintime_t		rt_seen;
	uint8_t			rt_mac[ETHER_ADDR_LEN];
};

struct bridge_port {
	TAILQ_ENTRY(bridge_port) bp_link;
	struct bridge		*bp_br;
	struct ifnet		*bp_ifp;
	bridge_output_fn	*bp_out;
	int			bp_flags;
	struct bridge_port_stats bp_stats;
};

struct bridge {
	struct mtx		br_mtx;
	char			br_name[16];
	LIST_ENTRY(bridge)	br_link;
	TAILQ_HEAD(, bridge_port) br_ports;
	u_int			br_nports;
	u_int			br_maxaddr;
	u_int			br_naddrs;
	sbintime_t		br_ttl;
	LIST_HEAD(, bridge_rtnode) br_hash[BR_NHASH];
	LIST_HEAD(, bridge_rtnode) br_free;
	struct bridge_rtnode	*br_pool;
	struct bridge_stats	br_st;
};

static LIST_HEAD(, bridge) bridges = LIST_HEAD_INITIALIZER(bridges);
static struct mtx bridges_mtx;
static bool bridges_mtx_done;

static const char *const drop_names[BRIDGE_DROP_NREASONS] = {
	[BRIDGE_DROP_SHORT] = "short",
	[BRIDGE_DROP_BADSRC] = "badsrc",
	[BRIDGE_DROP_LOCAL] = "local",
	[BRIDGE_DROP_NOMEM] = "nomem",
	[BRIDGE_DROP_CSUM] = "csum",
	[BRIDGE_DROP_DOWN] = "down",
};

const char *
bridge_drop_name(enum bridge_drop d)
{
	return ((u_int)d < BRIDGE_DROP_NREASONS ? drop_names[d] : "?");
}

static void
bridges_lock(void)
{
	/* First use is at attach time in thread context, before any race. */
	if (!bridges_mtx_done) {
		mtx_init(&bridges_mtx, "bridges", NULL, MTX_DEF);
		bridges_mtx_done = true;
	}
	mtx_lock(&bridges_mtx);
}

static u_int
mac_hash(const uint8_t *mac)
{
	/* The low bytes vary most between stations (the OUI is shared). */
	return ((u_int)(mac[5] ^ (mac[4] << 1) ^ (mac[3] << 2)) % BR_NHASH);
}

struct bridge *
bridge_create(const char *name, u_int maxaddr, sbintime_t ttl)
{
	struct bridge *br;

	KASSERT(maxaddr > 0 && ttl > 0, ("bridge_create: maxaddr %u ttl %jd",
	    maxaddr, (intmax_t)ttl));
	br = malloc(sizeof(*br), M_BRIDGE, M_WAITOK | M_ZERO);
	br->br_pool = mallocarray(maxaddr, sizeof(*br->br_pool), M_BRIDGE,
	    M_WAITOK | M_ZERO);
	strlcpy(br->br_name, name, sizeof(br->br_name));
	mtx_init(&br->br_mtx, "bridge", NULL, MTX_DEF);
	TAILQ_INIT(&br->br_ports);
	br->br_maxaddr = maxaddr;
	br->br_ttl = ttl;
	for (u_int i = 0; i < BR_NHASH; i++)
		LIST_INIT(&br->br_hash[i]);
	LIST_INIT(&br->br_free);
	for (u_int i = 0; i < maxaddr; i++)
		LIST_INSERT_HEAD(&br->br_free, &br->br_pool[i], rt_hash);
	bridges_lock();
	LIST_INSERT_HEAD(&bridges, br, br_link);
	mtx_unlock(&bridges_mtx);
	return (br);
}

void
bridge_destroy(struct bridge *br)
{
	KASSERT(br->br_nports == 0, ("bridge_destroy: %u ports left",
	    br->br_nports));
	KASSERT(br->br_naddrs == 0, ("bridge_destroy: %u addresses left",
	    br->br_naddrs));
	bridges_lock();
	LIST_REMOVE(br, br_link);
	mtx_unlock(&bridges_mtx);
	mtx_destroy(&br->br_mtx);
	free(br->br_pool, M_BRIDGE);
	free(br, M_BRIDGE);
}

struct bridge *
bridge_find(const char *name)
{
	struct bridge *br;

	bridges_lock();
	LIST_FOREACH(br, &bridges, br_link) {
		if (strcmp(br->br_name, name) == 0)
			break;
	}
	mtx_unlock(&bridges_mtx);
	return (br);
}

struct bridge_port *
bridge_port_add(struct bridge *br, struct ifnet *ifp, bridge_output_fn *out,
    int flags)
{
	struct bridge_port *bp;

	KASSERT(out != NULL, ("bridge_port_add: no output function"));
	bp = malloc(sizeof(*bp), M_BRIDGE, M_WAITOK | M_ZERO);
	bp->bp_br = br;
	bp->bp_ifp = ifp;
	bp->bp_out = out;
	bp->bp_flags = flags;
	mtx_lock(&br->br_mtx);
	TAILQ_INSERT_TAIL(&br->br_ports, bp, bp_link);
	br->br_nports++;
	mtx_unlock(&br->br_mtx);
	return (bp);
}

static void
rt_free(struct bridge *br, struct bridge_rtnode *rt)
{
	mtx_assert(&br->br_mtx, MA_OWNED);
	KASSERT(br->br_naddrs > 0, ("bridge: address count underflow"));
	LIST_REMOVE(rt, rt_hash);
	rt->rt_port = NULL;
	LIST_INSERT_HEAD(&br->br_free, rt, rt_hash);
	br->br_naddrs--;
}

void
bridge_port_remove(struct bridge_port *bp)
{
	struct bridge *br = bp->bp_br;
	struct bridge_rtnode *rt, *next;

	mtx_lock(&br->br_mtx);
	for (u_int i = 0; i < BR_NHASH; i++) {
		LIST_FOREACH_SAFE(rt, &br->br_hash[i], rt_hash, next) {
			if (rt->rt_port == bp)
				rt_free(br, rt);
		}
	}
	TAILQ_REMOVE(&br->br_ports, bp, bp_link);
	KASSERT(br->br_nports > 0, ("bridge: port count underflow"));
	br->br_nports--;
	mtx_unlock(&br->br_mtx);
	free(bp, M_BRIDGE);
}

struct ifnet *
bridge_port_ifp(const struct bridge_port *bp)
{
	return (bp->bp_ifp);
}

static bool
rt_expired(const struct bridge *br, const struct bridge_rtnode *rt,
    sbintime_t now)
{
	return (now - rt->rt_seen >= br->br_ttl);
}

/* The live entry for mac; an expired one met on the way is reclaimed. */
static struct bridge_rtnode *
rt_lookup(struct bridge *br, const uint8_t *mac, sbintime_t now)
{
	struct bridge_rtnode *rt;

	mtx_assert(&br->br_mtx, MA_OWNED);
	LIST_FOREACH(rt, &br->br_hash[mac_hash(mac)], rt_hash) {
		if (memcmp(rt->rt_mac, mac, ETHER_ADDR_LEN) != 0)
			continue;
		if (rt_expired(br, rt, now)) {
			rt_free(br, rt);
			br->br_st.expired++;
			return (NULL);
		}
		return (rt);
	}
	return (NULL);
}

/* Returns the number of entries reclaimed. */
static u_int
rt_reclaim(struct bridge *br, sbintime_t now)
{
	struct bridge_rtnode *rt, *next;
	u_int n = 0;

	mtx_assert(&br->br_mtx, MA_OWNED);
	for (u_int i = 0; i < BR_NHASH; i++) {
		LIST_FOREACH_SAFE(rt, &br->br_hash[i], rt_hash, next) {
			if (rt_expired(br, rt, now)) {
				rt_free(br, rt);
				n++;
			}
		}
	}
	br->br_st.expired += n;
	return (n);
}

static void
rt_learn(struct bridge *br, struct bridge_port *bp, const uint8_t *mac,
    sbintime_t now)
{
	struct bridge_rtnode *rt;

	mtx_assert(&br->br_mtx, MA_OWNED);
	rt = rt_lookup(br, mac, now);
	if (rt != NULL) {
		if (rt->rt_port != bp) {
			rt->rt_port = bp;
			br->br_st.moved++;
		}
		rt->rt_seen = now;
		return;
	}
	if (LIST_EMPTY(&br->br_free) && rt_reclaim(br, now) == 0) {
		br->br_st.learn_full++;
		return;
	}
	rt = LIST_FIRST(&br->br_free);
	LIST_REMOVE(rt, rt_hash);
	memcpy(rt->rt_mac, mac, ETHER_ADDR_LEN);
	rt->rt_port = bp;
	rt->rt_seen = now;
	LIST_INSERT_HEAD(&br->br_hash[mac_hash(mac)], rt, rt_hash);
	br->br_naddrs++;
	KASSERT(br->br_naddrs <= br->br_maxaddr, ("bridge: %u addresses > %u",
	    br->br_naddrs, br->br_maxaddr));
	br->br_st.learnt++;
}

struct bridge_port *
bridge_lookup(struct bridge *br, const uint8_t *mac)
{
	struct bridge_rtnode *rt;
	struct bridge_port *bp;

	mtx_lock(&br->br_mtx);
	rt = rt_lookup(br, mac, sbinuptime());
	bp = rt != NULL ? rt->rt_port : NULL;
	mtx_unlock(&br->br_mtx);
	return (bp);
}

/* Hands m to bp, filling a blank checksum the port cannot take. */
static void
port_output(struct bridge *br, struct bridge_port *bp, struct mbuf *m)
{
	int len;

	mtx_assert(&br->br_mtx, MA_OWNED);
	if ((m->m_pkthdr.csum_flags & CSUM_DELAY_DATA) != 0 &&
	    !(bp->bp_flags & BRIDGE_PORT_CSUM_BLANK)) {
		int error = bridge_csum_fill(&m);

		if (error != 0) {
			m_freem(m);
			br->br_st.drops[error == ENOBUFS ? BRIDGE_DROP_NOMEM :
			    BRIDGE_DROP_CSUM]++;
			return;
		}
		br->br_st.csum_filled++;
	}
	len = m->m_pkthdr.len;
	bp->bp_stats.out_frames++;
	bp->bp_stats.out_bytes += (uint64_t)len;
	bp->bp_out(bp->bp_ifp, m);
}

void
bridge_input(struct bridge_port *src, struct mbuf *m)
{
	struct bridge *br = src->bp_br;
	struct bridge_port *bp, *last;
	struct bridge_rtnode *rt;
	struct ether_header eh;
	sbintime_t now;

	KASSERT(m->m_flags & M_PKTHDR, ("bridge_input: no packet header"));
	now = sbinuptime();
	mtx_lock(&br->br_mtx);
	br->br_st.input++;
	src->bp_stats.in_frames++;
	if (m->m_pkthdr.len < ETHER_HDR_LEN) {
		br->br_st.drops[BRIDGE_DROP_SHORT]++;
		goto drop;
	}
	m_copydata(m, 0, ETHER_HDR_LEN, &eh);
	if (ETHER_IS_MULTICAST(eh.ether_shost) ||
	    memcmp(eh.ether_shost, "\0\0\0\0\0\0", ETHER_ADDR_LEN) == 0) {
		br->br_st.drops[BRIDGE_DROP_BADSRC]++;
		goto drop;
	}
	rt_learn(br, src, eh.ether_shost, now);
	/* Frames go to other ports unchanged except for their checksum. */
	m->m_pkthdr.rcvif = NULL;
	if (!ETHER_IS_MULTICAST(eh.ether_dhost) &&
	    (rt = rt_lookup(br, eh.ether_dhost, now)) != NULL) {
		if (rt->rt_port == src) {
			br->br_st.drops[BRIDGE_DROP_LOCAL]++;
			goto drop;
		}
		br->br_st.unicast++;
		port_output(br, rt->rt_port, m);
		mtx_unlock(&br->br_mtx);
		return;
	}
	/* Flood: a private copy to all other ports, the original to the last. */
	last = NULL;
	TAILQ_FOREACH(bp, &br->br_ports, bp_link) {
		struct mbuf *c;

		if (bp == src)
			continue;
		if (last != NULL) {
			/* Deep copies: a port may fill a checksum in place. */
			c = m_dup(m, M_NOWAIT);
			if (c == NULL)
				br->br_st.drops[BRIDGE_DROP_NOMEM]++;
			else
				port_output(br, last, c);
		}
		last = bp;
	}
	if (last == NULL) {
		br->br_st.drops[BRIDGE_DROP_DOWN]++;
		goto drop;
	}
	br->br_st.flooded++;
	port_output(br, last, m);
	mtx_unlock(&br->br_mtx);
	return;
drop:
	mtx_unlock(&br->br_mtx);
	m_freem(m);
}

u_int
bridge_nports(struct bridge *br)
{
	u_int n;

	mtx_lock(&br->br_mtx);
	n = br->br_nports;
	mtx_unlock(&br->br_mtx);
	return (n);
}

u_int
bridge_naddrs(struct bridge *br)
{
	u_int n;

	mtx_lock(&br->br_mtx);
	n = br->br_naddrs;
	mtx_unlock(&br->br_mtx);
	return (n);
}

void
bridge_stats(struct bridge *br, struct bridge_stats *st)
{
	mtx_lock(&br->br_mtx);
	*st = br->br_st;
	mtx_unlock(&br->br_mtx);
}

void
bridge_port_stats(struct bridge_port *bp, struct bridge_port_stats *st)
{
	mtx_lock(&bp->bp_br->br_mtx);
	*st = bp->bp_stats;
	mtx_unlock(&bp->bp_br->br_mtx);
}
