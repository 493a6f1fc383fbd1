/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * netback(4) in the lab's driver-domain scenario (tests/lab/scenarios/
 * drv-net): our kernel serves the vifs of Linux guests.  They run only
 * with netback.lab=<seconds> on the command line (they skip otherwise,
 * natively too); each step prints a NETBACK-DRV-... line dom0's script
 * waits for:
 *
 *	netback_drv_cycle	a vif connects and carries traffic both ways
 *				("NETBACK-DRV-TRAFFIC"), dom0 detaches it: every
 *				ring map, event channel, thread, queued byte and
 *				M_NETBACK allocation is given back and the bridge
 *				forgets the port ("NETBACK-DRV-DETACHED"); dom0
 *				attaches it again: it connects and our ping of
 *				netback.lab_peer is answered through it
 *	netback_drv_pair	a second guest's vif connects ("NETBACK-DRV-
 *				PAIR-WAITING" first): frames go from one vif to
 *				the other through the bridge, both ways
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/if_bridge.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>

#include <xen/gnttab.h>
#include <xen/xen_ktest.h>

#include <dev/xen/netback/netback_var.h>

MALLOC_DECLARE(M_NETBACK);
MALLOC_DECLARE(M_BRIDGE);

static int	nb_lab_s;
TUNABLE_INT("netback.lab", &nb_lab_s,
    "seconds each netback_drv_* ktest waits for a lab step (0: skip)");
static char	nb_peer_s[INET_ADDRSTRLEN];
TUNABLE_STR("netback.lab_peer", nb_peer_s, sizeof(nb_peer_s),
    "the served guest netback_drv_cycle pings after the re-attach");

#define NB_LAB_SETUP() do {						\
	KT_REQUIRE_XEN();						\
	if (nb_lab_s <= 0)						\
		KT_SKIP("no netback.lab= (driver-domain lab only)");	\
} while (0)

/* Polls until cond holds or the lab's wait is over; true if it held. */
#define NB_WAIT(cond) ({						\
	sbintime_t nb_dl_ = sbinuptime() + (sbintime_t)nb_lab_s * SBT_1S; \
	bool nb_ok_;							\
	while (!(nb_ok_ = (cond)) && sbinuptime() < nb_dl_)		\
		tsleep(&nb_lab_s, "nblab", 50 * SBT_1MS);		\
	nb_ok_;								\
})

static struct netback_totals
totals(void)
{
	struct netback_totals t;

	netback_get_totals(&t);
	return (t);
}

/*
 * The linker set holds a file's tests in reverse order of definition:
 * netback_drv_pair is defined first so that it runs after the cycle.
 */
KTEST(netback_drv_pair)
{
	struct bridge_stats b0, b1;
	struct netback_totals t0;
	struct bridge *br;
	bool ok;

	NB_LAB_SETUP();
	t0 = totals();
	/* Nothing to pair with: the first guest never connected. */
	if (t0.connects == 0)
		KT_SKIP("no vif connected before (see netback_drv_cycle)");
	br = bridge_find("bridge0");
	KT_ASSERT(br != NULL, "no bridge0");
	bridge_stats(br, &b0);
	printf("NETBACK-DRV-PAIR-WAITING connected=%ju\n",
	    (uintmax_t)t0.connected);
	KT_ASSERT(NB_WAIT(totals().connected > t0.connected),
	    "no second vif connected in %d s", nb_lab_s);
	/* The second guest pings the first: unicast between two vifs. */
	ok = NB_WAIT((bridge_stats(br, &b1), b1.unicast >= b0.unicast + 6));
	KT_ASSERT(ok, "%ju unicast frames forwarded", (uintmax_t)(b1.unicast -
	    b0.unicast));
	printf("NETBACK-DRV-PAIR unicast=%ju flooded=%ju addrs=%u\n",
	    (uintmax_t)(b1.unicast - b0.unicast),
	    (uintmax_t)(b1.flooded - b0.flooded), bridge_naddrs(br));
	KT_NOTE("%ju frames forwarded between the vifs, %ju flooded",
	    (uintmax_t)(b1.unicast - b0.unicast),
	    (uintmax_t)(b1.flooded - b0.flooded));
}

KTEST(netback_drv_cycle)
{
	struct netback_totals t0, t1, t2;
	struct ping_stats ps;
	struct gnttab_stats g0, g2;
	u_long nb0, br1, br2;
	in_addr_t peer = 0;
	bool ok;

	NB_LAB_SETUP();
	KT_ASSERT(nb_peer_s[0] == '\0' || inet_pton4(nb_peer_s, &peer) == 1,
	    "netback.lab_peer=\"%s\" is not an address", nb_peer_s);
	t0 = totals();
	gnttab_get_stats(&g0);
	nb0 = M_NETBACK->ks_memuse;
	printf("NETBACK-DRV-WAITING devices=%ju\n", (uintmax_t)t0.devices);
	KT_ASSERT(NB_WAIT(totals().connected > t0.connected),
	    "no vif connected in %d s", nb_lab_s);
	/* Linux's first pings: at least 3 each way, plus ARP. */
	ok = NB_WAIT(totals().tx_packets >= t0.tx_packets + 3 &&
	    totals().rx_packets >= t0.rx_packets + 3);
	t1 = totals();
	br1 = M_BRIDGE->ks_inuse;
	KT_ASSERT(ok, "traffic: %ju frames from the frontend, %ju to it",
	    (uintmax_t)(t1.tx_packets - t0.tx_packets),
	    (uintmax_t)(t1.rx_packets - t0.rx_packets));
	printf("NETBACK-DRV-TRAFFIC tx=%ju rx=%ju ring_maps=%ju evtchns=%ju "
	    "threads=%ju\n", (uintmax_t)(t1.tx_packets - t0.tx_packets),
	    (uintmax_t)(t1.rx_packets - t0.rx_packets),
	    (uintmax_t)t1.ring_maps, (uintmax_t)t1.evtchns,
	    (uintmax_t)t1.threads);
	KT_ASSERT(t1.ring_maps >= 2 && t1.evtchns >= 1 && t1.threads >= 1,
	    "connected without rings (%ju), events (%ju) or threads (%ju)",
	    (uintmax_t)t1.ring_maps, (uintmax_t)t1.evtchns,
	    (uintmax_t)t1.threads);

	/* dom0: xl network-detach. */
	KT_ASSERT(NB_WAIT(totals().devices == t0.devices),
	    "the vif was not detached in %d s", nb_lab_s);
	t2 = totals();
	gnttab_get_stats(&g2);
	br2 = M_BRIDGE->ks_inuse;
	printf("NETBACK-DRV-DETACHED ring_maps=%ju evtchns=%ju threads=%ju "
	    "rxq_bytes=%ju netback_mem=%lu/%lu bridge_allocs=%lu/%lu "
	    "grants_in_use=%u/%u mbufs=%lu\n", (uintmax_t)t2.ring_maps,
	    (uintmax_t)t2.evtchns, (uintmax_t)t2.threads,
	    (uintmax_t)t2.rxq_bytes, M_NETBACK->ks_memuse, nb0, br2, br1,
	    g2.in_use, g0.in_use, mbstat.m_mbufs);
	KT_ASSERT(t2.ring_maps == t0.ring_maps && t2.evtchns == t0.evtchns &&
	    t2.threads == t0.threads && t2.rxq_bytes == t0.rxq_bytes &&
	    t2.connected == t0.connected, "left after the detach: ring maps "
	    "%ju, event channels %ju, threads %ju, queued bytes %ju",
	    (uintmax_t)t2.ring_maps, (uintmax_t)t2.evtchns,
	    (uintmax_t)t2.threads, (uintmax_t)t2.rxq_bytes);
	KT_ASSERT(M_NETBACK->ks_memuse == nb0, "M_NETBACK %lu bytes, %lu "
	    "before", M_NETBACK->ks_memuse, nb0);
	/* The bridge keeps itself and our stack's port; the vif's went. */
	KT_ASSERT(br2 == br1 - 1, "bridge allocations %lu, %lu connected",
	    br2, br1);
	KT_ASSERT(g2.in_use == g0.in_use, "grant refs in use %u, %u before",
	    g2.in_use, g0.in_use);

	/* dom0: xl network-attach; then the guest answers through it. */
	KT_ASSERT(NB_WAIT(totals().connected > t0.connected),
	    "the re-attached vif did not connect in %d s", nb_lab_s);
	if (peer == 0) {
		KT_NOTE("detached clean; re-attached (no netback.lab_peer)");
		return;
	}
	memset(&ps, 0, sizeof(ps));
	ok = NB_WAIT(ping(peer, 1, 56, SBT_1S, &ps) == 0 && ps.ps_received == 1);
	KT_ASSERT(ok, "no answer from %s through the re-attached vif",
	    nb_peer_s);
	printf("NETBACK-DRV-REATTACHED\n");
	KT_NOTE("%ju/%ju frames each way, detach gave back %ju ring maps, "
	    "%ju event channels, %ju threads; %s answers after re-attach",
	    (uintmax_t)(t1.tx_packets - t0.tx_packets),
	    (uintmax_t)(t1.rx_packets - t0.rx_packets),
	    (uintmax_t)(t1.ring_maps - t0.ring_maps),
	    (uintmax_t)(t1.evtchns - t0.evtchns),
	    (uintmax_t)(t1.threads - t0.threads), nb_peer_s);
}
