/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ktap: the in-kernel tests' Ethernet interface (see if_ktap.h).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_ktap.h>
#include <net/if_var.h>
#include <net/netisr.h>

MALLOC_DEFINE(M_KTAP, "ktap", "test network interfaces");

struct ktap_softc {
	struct ifnet	*kt_ifp;
	struct mtx	kt_mtx;		/* spin: the queue */
	struct mbuf	*kt_q;
	struct mbuf	**kt_qtail;
	int		kt_qlen;
	ktap_peer_t	*kt_peer;
	void		*kt_peer_arg;
};

static int
ktap_transmit(struct ifnet *ifp, struct mbuf *m)
{
	struct ktap_softc *sc = ifp->if_softc;
	ktap_peer_t *peer;

	KASSERT(m_sanity(m, true) == 0, ("ktap: bad chain from the stack"));
	/* Ethernet, IPv4 and UDP/ICMP headers together in the first mbuf. */
	KASSERT(m->m_len >= MIN(m->m_pkthdr.len, 14 + 20 + 8),
	    ("ktap: headers split: %d of %d bytes in the first mbuf",
	    m->m_len, m->m_pkthdr.len));
	for (struct mbuf *t = m; t != NULL; t = t->m_next)
		KASSERT(t->m_len > 0, ("ktap: an empty mbuf in a sent chain"));
	if_inc_counter(ifp, IFCOUNTER_OPACKETS, 1);
	if_inc_counter(ifp, IFCOUNTER_OBYTES, m->m_pkthdr.len);
	mtx_lock_spin(&sc->kt_mtx);
	peer = sc->kt_peer;
	if (peer == NULL) {
		if (sc->kt_qlen >= KTAP_QLEN) {
			mtx_unlock_spin(&sc->kt_mtx);
			if_inc_counter(ifp, IFCOUNTER_OQDROPS, 1);
			m_freem(m);
			return (ENOBUFS);
		}
		m->m_nextpkt = NULL;
		*sc->kt_qtail = m;
		sc->kt_qtail = &m->m_nextpkt;
		sc->kt_qlen++;
		mtx_unlock_spin(&sc->kt_mtx);
		wakeup(sc);
		return (0);
	}
	mtx_unlock_spin(&sc->kt_mtx);
	peer(ifp, m, sc->kt_peer_arg);
	return (0);
}

struct ifnet *
ktap_create(int unit, const uint8_t mac[6], int caps, uint32_t hwassist)
{
	struct ktap_softc *sc;
	struct ifnet *ifp;

	sc = malloc(sizeof(*sc), M_KTAP, M_WAITOK | M_ZERO);
	mtx_init(&sc->kt_mtx, "ktap", NULL, MTX_SPIN);
	sc->kt_qtail = &sc->kt_q;
	ifp = if_alloc(IFT_ETHER);
	if_initname(ifp, "ktap", unit);
	ifp->if_softc = sc;
	ifp->if_transmit = ktap_transmit;
	ifp->if_capabilities = IFCAP_RXCSUM | IFCAP_TXCSUM | IFCAP_SG;
	ifp->if_capenable = caps;
	ifp->if_hwassist = hwassist;
	ifp->if_flags = IFF_UP;
	sc->kt_ifp = ifp;
	ether_ifattach(ifp, mac);
	if_link_state_change(ifp, LINK_STATE_UP);
	return (ifp);
}

void
ktap_destroy(struct ifnet *ifp)
{
	struct ktap_softc *sc = ifp->if_softc;

	ether_ifdetach(ifp);
	ktap_purge(ifp);
	if_free(ifp);
	free(sc, M_KTAP);
}

void
ktap_set_peer(struct ifnet *ifp, ktap_peer_t *peer, void *arg)
{
	struct ktap_softc *sc = ifp->if_softc;

	mtx_lock_spin(&sc->kt_mtx);
	sc->kt_peer = peer;
	sc->kt_peer_arg = arg;
	mtx_unlock_spin(&sc->kt_mtx);
}

int
ktap_inject(struct ifnet *ifp, const void *frame, size_t len, int seg,
    uint32_t csum_flags, uint32_t csum_data)
{
	struct mbuf *m, *last, *n;
	const char *p = frame;
	size_t done = 0;

	m = m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
	if (m == NULL)
		return (ENOBUFS);
	last = m;
	while (done < len) {
		int room = seg > 0 ? seg : MCLBYTES;
		size_t k;

		if (last->m_len >= room || M_TRAILINGSPACE(last) == 0) {
			n = m_getcl(M_NOWAIT, MT_DATA, 0);
			if (n == NULL) {
				m_freem(m);
				return (ENOBUFS);
			}
			last->m_next = n;
			last = n;
		}
		k = MIN(len - done, (size_t)MIN(room - last->m_len,
		    M_TRAILINGSPACE(last)));
		memcpy(last->m_data + last->m_len, p + done, k);
		last->m_len += (int)k;
		done += k;
	}
	m->m_pkthdr.len = (int)len;
	m->m_pkthdr.csum_flags = csum_flags;
	m->m_pkthdr.csum_data = csum_data;
	if_inc_counter(ifp, IFCOUNTER_IPACKETS, 1);
	if_inc_counter(ifp, IFCOUNTER_IBYTES, (int64_t)len);
	ifp->if_input(ifp, m);
	return (0);
}

void
ktap_inject_m(struct ifnet *ifp, struct mbuf *m)
{
	if_inc_counter(ifp, IFCOUNTER_IPACKETS, 1);
	ifp->if_input(ifp, m);
}

struct mbuf *
ktap_take(struct ifnet *ifp, sbintime_t timeout)
{
	struct ktap_softc *sc = ifp->if_softc;
	sbintime_t deadline = sbinuptime() + timeout;
	struct mbuf *m;

	mtx_lock_spin(&sc->kt_mtx);
	while (sc->kt_q == NULL) {
		sbintime_t now = sbinuptime();

		if (now >= deadline)
			break;
		msleep(sc, &sc->kt_mtx, "ktaptake", deadline - now);
	}
	m = sc->kt_q;
	if (m != NULL) {
		sc->kt_q = m->m_nextpkt;
		if (sc->kt_q == NULL)
			sc->kt_qtail = &sc->kt_q;
		sc->kt_qlen--;
		m->m_nextpkt = NULL;
	}
	mtx_unlock_spin(&sc->kt_mtx);
	return (m);
}

int
ktap_purge(struct ifnet *ifp)
{
	struct mbuf *m;
	int n = 0;

	while ((m = ktap_take(ifp, 0)) != NULL) {
		m_freem(m);
		n++;
	}
	return (n);
}
