/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ARP (RFC 826) with a bounded cache per interface (see if_ether.h).
 * Entries are created by our own lookups and by requests for our address
 * (a flood of requests for other addresses or of unsolicited replies
 * cannot fill the cache); replies and requests from a host we already
 * know refresh its entry.
 * Entries are looked up linearly: the cache is small by construction.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/queue.h>
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

MALLOC_DEFINE(M_ARP, "arp", "ARP cache");

struct arpstat	arpstat;
int		arp_cachemax = 64;
int		arp_maxhold = 64;	/* a 64 KiB datagram is 45 fragments */
int		arp_maxtries = 5;
sbintime_t	arp_keep = 300 * SBT_1S;

enum lle_state { LLE_INCOMPLETE, LLE_REACHABLE };

struct llentry {
	TAILQ_ENTRY(llentry) le_link;	/* most recently used first */
	in_addr_t	le_addr;
	uint8_t		le_mac[ETHER_ADDR_LEN];
	enum lle_state	le_state;
	sbintime_t	le_expire;	/* reachable: forget; incomplete: ask */
	int		le_asked;	/* requests sent while incomplete */
	struct mbuf	*le_hold;	/* packets waiting, by m_nextpkt */
	struct mbuf	**le_holdtail;
	int		le_nhold;
};

struct arpcom {
	TAILQ_HEAD(llentry_head, llentry) ac_entries;
	int		ac_n;
	sbintime_t	ac_defended;	/* last answer to an address conflict */
	struct arpstat	ac_stat;	/* this interface's share of arpstat */
};

/* Counted globally and per interface (tests and reports of one link). */
#define AC_INC(ac, f) do {						\
	arpstat.f++;							\
	(ac)->ac_stat.f++;						\
} while (0)

static sbintime_t
arp_now(void)
{
	return (sbinuptime());
}

void
arp_ifattach(struct ifnet *ifp)
{
	struct arpcom *ac;

	ac = malloc(sizeof(*ac), M_ARP, M_WAITOK | M_ZERO);
	TAILQ_INIT(&ac->ac_entries);
	ifp->if_arp = ac;
}

static void
lle_free(struct arpcom *ac, struct llentry *le)
{
	struct mbuf *m, *n;

	TAILQ_REMOVE(&ac->ac_entries, le, le_link);
	ac->ac_n--;
	arpstat.entries--;
	for (m = le->le_hold; m != NULL; m = n) {
		n = m->m_nextpkt;
		m->m_nextpkt = NULL;
		AC_INC(ac, holddrops);
		m_freem(m);
	}
	free(le, M_ARP);
}

void
arp_flush(struct ifnet *ifp)
{
	struct arpcom *ac = ifp->if_arp;
	struct llentry *le;

	while ((le = TAILQ_FIRST(&ac->ac_entries)) != NULL)
		lle_free(ac, le);
}

void
arp_ifdetach(struct ifnet *ifp)
{
	struct arpcom *ac = ifp->if_arp;

	if (ac == NULL)
		return;
	NET_LOCK();
	arp_flush(ifp);
	ifp->if_arp = NULL;
	NET_UNLOCK();
	free(ac, M_ARP);
}

static struct llentry *
lle_find(struct arpcom *ac, in_addr_t addr)
{
	struct llentry *le;

	TAILQ_FOREACH(le, &ac->ac_entries, le_link) {
		if (le->le_addr == addr)
			return (le);
	}
	return (NULL);
}

/* A new entry, evicting the least recently used one if the cache is full. */
static struct llentry *
lle_create(struct arpcom *ac, in_addr_t addr)
{
	struct llentry *le, *last = NULL;

	if (ac->ac_n >= arp_cachemax) {
		TAILQ_FOREACH(le, &ac->ac_entries, le_link)
			last = le;
		if (last == NULL)
			return (NULL);
		lle_free(ac, last);
		AC_INC(ac, evicted);
	}
	le = malloc(sizeof(*le), M_ARP, M_NOWAIT | M_ZERO);
	if (le == NULL)
		return (NULL);
	le->le_addr = addr;
	le->le_state = LLE_INCOMPLETE;
	le->le_holdtail = &le->le_hold;
	TAILQ_INSERT_HEAD(&ac->ac_entries, le, le_link);
	ac->ac_n++;
	arpstat.entries++;
	return (le);
}

static void
lle_touch(struct arpcom *ac, struct llentry *le)
{
	if (TAILQ_FIRST(&ac->ac_entries) != le) {
		TAILQ_REMOVE(&ac->ac_entries, le, le_link);
		TAILQ_INSERT_HEAD(&ac->ac_entries, le, le_link);
	}
}

static void
arp_send(struct ifnet *ifp, uint16_t op, in_addr_t spa, in_addr_t tpa,
    const uint8_t *tha, const uint8_t *edst)
{
	struct ether_arp *ea;
	struct mbuf *m;

	m = m_gethdr(M_NOWAIT, MT_DATA);
	if (m == NULL)
		return;
	M_ALIGN_END(m, (int)sizeof(*ea));
	m->m_len = m->m_pkthdr.len = sizeof(*ea);
	ea = mtod(m, struct ether_arp *);
	ea->ar_hrd = htons(ARPHRD_ETHER);
	ea->ar_pro = htons(ETHERTYPE_IP);
	ea->ar_hln = ETHER_ADDR_LEN;
	ea->ar_pln = 4;
	ea->ar_op = htons(op);
	memcpy(ea->arp_sha, ifp->if_addr, ETHER_ADDR_LEN);
	memcpy(ea->arp_spa, &spa, 4);
	if (tha != NULL)
		memcpy(ea->arp_tha, tha, ETHER_ADDR_LEN);
	else
		memset(ea->arp_tha, 0, ETHER_ADDR_LEN);
	memcpy(ea->arp_tpa, &tpa, 4);
	(void)ether_output_frame(ifp, m, edst, ETHERTYPE_ARP);
}

static void
arp_request(struct ifnet *ifp, in_addr_t tpa)
{
	arp_send(ifp, ARPOP_REQUEST, ifp->if_inaddr->ia_addr, tpa, NULL,
	    etherbroadcastaddr);
	AC_INC(ifp->if_arp, txrequests);
}

void
arp_announce(struct ifnet *ifp)
{
	NET_LOCK_ASSERT();
	if (ifp->if_inaddr == NULL || !(ifp->if_flags & IFF_UP))
		return;
	/* A request for our own address (RFC 5227 announcement). */
	arp_send(ifp, ARPOP_REQUEST, ifp->if_inaddr->ia_addr,
	    ifp->if_inaddr->ia_addr, NULL, etherbroadcastaddr);
	AC_INC(ifp->if_arp, txgratuitous);
}

/* The entry is now resolved: send what waited for it. */
static void
lle_resolved(struct ifnet *ifp, struct llentry *le, const uint8_t *mac)
{
	struct mbuf *m, *n;

	memcpy(le->le_mac, mac, ETHER_ADDR_LEN);
	le->le_state = LLE_REACHABLE;
	le->le_expire = arp_now() + arp_keep;
	le->le_asked = 0;
	m = le->le_hold;
	le->le_hold = NULL;
	le->le_holdtail = &le->le_hold;
	le->le_nhold = 0;
	for (; m != NULL; m = n) {
		n = m->m_nextpkt;
		m->m_nextpkt = NULL;
		/* Offloads may have changed while it waited. */
		ip_csum_fixup(ifp, m);
		(void)ether_output_frame(ifp, m, le->le_mac, ETHERTYPE_IP);
	}
}

void
arp_input(struct ifnet *ifp, struct mbuf *m)
{
	struct ether_arp ea;
	struct in_ifaddr *ia = ifp->if_inaddr;
	struct llentry *le;
	enum arp_bad why;
	in_addr_t spa, tpa;
	uint16_t op;

	NET_LOCK_ASSERT();
	AC_INC(ifp->if_arp, rxtotal);
	/* One copy, then only the copy is looked at. */
	if (m->m_pkthdr.len < (int)sizeof(ea)) {
		AC_INC(ifp->if_arp, bad[ARP_BAD_SHORT]);
		m_freem(m);
		return;
	}
	m_copydata(m, 0, sizeof(ea), &ea);
	m_freem(m);
	why = arp_check(&ea, sizeof(ea), ifp->if_addr);
	if (why != ARP_OK) {
		AC_INC(ifp->if_arp, bad[why]);
		return;
	}
	if (ia == NULL)
		return;
	op = ntohs(ea.ar_op);
	memcpy(&spa, ea.arp_spa, 4);
	memcpy(&tpa, ea.arp_tpa, 4);
	if (spa == ia->ia_addr) {
		struct arpcom *ac = ifp->if_arp;
		sbintime_t now = arp_now();

		/* Someone else uses our address: say it is ours, at most once
		 * a second, so a flood of claims is not echoed back. */
		AC_INC(ac, conflicts);
		if (ac->ac_defended == 0 || now - ac->ac_defended >= SBT_1S) {
			ac->ac_defended = now;
			printf("%s: WARNING: %02x:%02x:%02x:%02x:%02x:%02x claims "
			    "our address\n", ifp->if_xname, ea.arp_sha[0],
			    ea.arp_sha[1], ea.arp_sha[2], ea.arp_sha[3],
			    ea.arp_sha[4], ea.arp_sha[5]);
			arp_announce(ifp);
		}
		return;
	}
	le = spa != 0 ? lle_find(ifp->if_arp, spa) : NULL;
	if (le == NULL && tpa == ia->ia_addr && spa != 0 &&
	    (spa & ia->ia_mask) == ia->ia_net)
		le = lle_create(ifp->if_arp, spa);
	if (le != NULL) {
		lle_touch(ifp->if_arp, le);
		lle_resolved(ifp, le, ea.arp_sha);
	}
	if (op == ARPOP_REPLY) {
		AC_INC(ifp->if_arp, rxreplies);
		return;
	}
	if (tpa != ia->ia_addr) {
		AC_INC(ifp->if_arp, notours);
		return;
	}
	AC_INC(ifp->if_arp, rxrequests);
	arp_send(ifp, ARPOP_REPLY, ia->ia_addr, spa, ea.arp_sha, ea.arp_sha);
	AC_INC(ifp->if_arp, txreplies);
}

int
arpresolve(struct ifnet *ifp, in_addr_t nexthop, struct mbuf *m,
    uint8_t mac[ETHER_ADDR_LEN])
{
	struct arpcom *ac = ifp->if_arp;
	struct llentry *le;
	sbintime_t now = arp_now();

	NET_LOCK_ASSERT();
	if (ifp->if_inaddr == NULL) {
		m_freem(m);
		return (EHOSTUNREACH);
	}
	le = lle_find(ac, nexthop);
	if (le != NULL && le->le_state == LLE_REACHABLE &&
	    le->le_expire > now) {
		lle_touch(ac, le);
		memcpy(mac, le->le_mac, ETHER_ADDR_LEN);
		return (0);
	}
	if (le == NULL) {
		le = lle_create(ac, nexthop);
		if (le == NULL) {
			m_freem(m);
			return (ENOBUFS);
		}
	} else if (le->le_state == LLE_REACHABLE) {
		/* Expired: ask again, holding packets meanwhile. */
		le->le_state = LLE_INCOMPLETE;
		le->le_asked = 0;
	}
	if (le->le_nhold >= arp_maxhold) {
		/* Oldest first out: the newest packet is the likelier wanted. */
		struct mbuf *old = le->le_hold;

		le->le_hold = old->m_nextpkt;
		if (le->le_hold == NULL)
			le->le_holdtail = &le->le_hold;
		old->m_nextpkt = NULL;
		m_freem(old);
		le->le_nhold--;
		AC_INC(ac, holddrops);
	}
	m->m_nextpkt = NULL;
	*le->le_holdtail = m;
	le->le_holdtail = &m->m_nextpkt;
	le->le_nhold++;
	if (le->le_asked == 0) {
		arp_request(ifp, nexthop);
		le->le_asked = 1;
		le->le_expire = now + SBT_1S;
	}
	return (EWOULDBLOCK);
}

void
arp_slowtimo(struct ifnet *ifp, sbintime_t now)
{
	struct arpcom *ac = ifp->if_arp;
	struct llentry *le, *next;

	NET_LOCK_ASSERT();
	if (ac == NULL)
		return;
	for (le = TAILQ_FIRST(&ac->ac_entries); le != NULL; le = next) {
		next = TAILQ_NEXT(le, le_link);
		if (le->le_expire > now)
			continue;
		if (le->le_state == LLE_REACHABLE) {
			AC_INC(ac, expired);
			lle_free(ac, le);
		} else if (le->le_asked >= arp_maxtries ||
		    ifp->if_inaddr == NULL) {
			AC_INC(ac, timeouts);
			lle_free(ac, le);
		} else {
			arp_request(ifp, le->le_addr);
			le->le_asked++;
			le->le_expire = now + SBT_1S;
		}
	}
}

bool
arp_lookup(struct ifnet *ifp, in_addr_t addr, uint8_t mac[ETHER_ADDR_LEN])
{
	struct llentry *le;

	NET_LOCK_ASSERT();
	le = lle_find(ifp->if_arp, addr);
	if (le == NULL || le->le_state != LLE_REACHABLE)
		return (false);
	if (mac != NULL)
		memcpy(mac, le->le_mac, ETHER_ADDR_LEN);
	return (true);
}

int
arp_count(struct ifnet *ifp)
{
	NET_LOCK_ASSERT();
	return (ifp->if_arp->ac_n);
}

void
arp_ifstat(struct ifnet *ifp, struct arpstat *st)
{
	NET_LOCK_ASSERT();
	*st = ifp->if_arp->ac_stat;
}
