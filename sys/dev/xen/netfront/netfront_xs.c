/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xn(4) xenstore side: the vif on xenbus, its ifnet, the backend's
 * features, the rings granted and published in one transaction, link up
 * when netback connects, and the way down (Closing, Closed) and back up.
 *
 * Linux 6.1's netback writes its features at probe, waits in InitWait,
 * and connects only once the frontend says Connected (it ignores
 * Initialised), so at the backend's InitWait everything is negotiated,
 * published, and our state goes straight to Connected.  The link comes up
 * when the backend reaches Connected (after its hotplug script ran).
 *
 * Locking: xn_otherend_changed runs in the xenstore watch thread with the
 * bus lock held, and takes sc_mtx; detach too.  The worker never holds
 * sc_mtx: it only switches the state (which takes the bus lock).
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/physmem.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/atomic.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_var.h>

#include <dev/xen/netfront/netfront_var.h>
#include <xen/xenbus/xenbusvar.h>
#include <xen/xenstore.h>

MALLOC_DEFINE(M_XN, "xn", "Xen PV network interfaces");

static struct xn_softc *xn_units[XN_MAX_UNITS];

/* Knobs, for the lab's fallback checks and for comparisons. */
static int xn_queues_max = XN_MAX_QUEUES;
TUNABLE_INT("xn.queues", &xn_queues_max,
    "most queues per interface (the backend's maximum and CPUs also cap it)");
static bool xn_no_split;
TUNABLE_BOOL("xn.nosplit", &xn_no_split,
    "one event channel per queue even if the backend offers split channels");
static bool xn_no_sg;
TUNABLE_BOOL("xn.nosg", &xn_no_sg, "no scatter-gather: one slot per frame");
static bool xn_no_txcsum;
TUNABLE_BOOL("xn.notxcsum", &xn_no_txcsum,
    "compute transmit checksums in software");
static bool xn_no_rxcsum;
TUNABLE_BOOL("xn.norxcsum", &xn_no_rxcsum,
    "ask netback for full checksums on receive (feature-no-csum-offload)");
static bool xn_disabled;
TUNABLE_BOOL("xn.disable", &xn_disabled,
    "do not attach xn(4) to the domain's vifs");

struct xn_softc *
xn_find(u_int unit)
{
	return (unit < XN_MAX_UNITS ? xn_units[unit] : NULL);
}

void
xn_fatal(struct xn_softc *sc)
{
	atomic_add_64(&sc->sc_proto_errors, 1);
	xenbus_closer_raise(&sc->sc_closer);
}

/* A node of the backend's directory as a number; absent is "no". */
static int
xn_be_uint(struct xn_softc *sc, const char *node, bool *present, uint64_t *v)
{
	int error = xs_read_uint(XST_NIL, sc->sc_otherend_path, node, v);

	*present = error == 0;
	if (error == ENOENT || error == EINVAL) {
		if (error == EINVAL)
			device_printf(sc->sc_dev, "ignoring %s/%s: not a "
			    "number\n", sc->sc_otherend_path, node);
		*v = 0;
		*present = false;
		return (0);
	}
	return (error);
}

static int
xn_read_backend(struct xn_softc *sc, struct nfneg_backend *be)
{
	static const char *const nodes[] = {
		"feature-rx-copy", "feature-sg", "feature-split-event-channels",
		"feature-ipv6-csum-offload", "multi-queue-max-queues", "mtu",
	};
	uint64_t v[nitems(nodes)];
	bool present[nitems(nodes)];
	int error;

	for (size_t i = 0; i < nitems(nodes); i++)
		if ((error = xn_be_uint(sc, nodes[i], &present[i], &v[i])) != 0)
			return (error);
	memset(be, 0, sizeof(*be));
	be->rx_copy = v[0] != 0;
	be->sg = v[1] != 0;
	be->split = v[2] != 0;
	be->ipv6_csum = v[3] != 0;
	be->has_max_queues = present[4];
	be->max_queues = v[4] > UINT32_MAX ? UINT32_MAX : (uint32_t)v[4];
	be->has_mtu = present[5];
	be->mtu = v[5] > UINT32_MAX ? UINT32_MAX : (uint32_t)v[5];
	return (0);
}

static void
xn_ours(struct nfneg_ours *o)
{
	o->queues = (u_int)MAX(1, MIN(MIN(xn_queues_max, XN_MAX_QUEUES),
	    (int)mp_ncpus));
	o->sg = !xn_no_sg;
	o->rx_csum = !xn_no_rxcsum;
	o->split = !xn_no_split;
}

struct xn_nodes_tx {
	const char		*dir;
	const struct nfneg_node	*nodes;
	u_int			count;
};

static int
xn_write_nodes(xs_tx_t tx, void *arg)
{
	struct xn_nodes_tx *w = arg;
	int error;

	for (u_int i = 0; i < w->count; i++)
		if ((error = xs_write(tx, w->dir, w->nodes[i].path,
		    w->nodes[i].value)) != 0)
			return (error);
	return (0);
}

static void
xn_link(struct xn_softc *sc, bool up)
{
	struct ifnet *ifp = sc->sc_ifp;

	if (up)
		ifp->if_flags |= IFF_UP | IFF_RUNNING;
	else
		ifp->if_flags &= ~IFF_RUNNING;
	if_link_state_change(ifp, up ? LINK_STATE_UP : LINK_STATE_DOWN);
}

/* Everything down: frames in flight dropped, grants ended, pages back. */
static void
xn_disconnect(struct xn_softc *sc)
{
	mtx_assert(&sc->sc_mtx, MA_OWNED);
	if (sc->sc_conn == XN_DOWN)
		return;
	if (sc->sc_conn == XN_UP)
		xn_link(sc, false);
	for (u_int i = 0; i < sc->sc_nqueues; i++)
		xn_queue_stop(&sc->sc_queues[i]);
	for (u_int i = 0; i < sc->sc_nqueues; i++)
		xn_queue_free(&sc->sc_queues[i]);
	sc->sc_conn = XN_DOWN;
}

/* Backend in InitWait: negotiate, rings and ports, our nodes, Connected. */
static int
xn_publish(struct xn_softc *sc)
{
	struct nfneg_ours ours;
	struct nfneg_queue qn[XN_MAX_QUEUES];
	struct nfneg_node *nodes;
	struct xn_nodes_tx w;
	struct nfneg n;
	u_int count;
	int error;

	mtx_assert(&sc->sc_mtx, MA_OWNED);
	xn_disconnect(sc);
	if ((error = xn_read_backend(sc, &sc->sc_be)) != 0)
		return (error);
	xn_ours(&ours);
	if ((error = nfneg_negotiate(&ours, &sc->sc_be, &n)) != 0) {
		device_printf(sc->sc_dev, "backend %s cannot copy to us "
		    "(no feature-rx-copy)\n", sc->sc_otherend_path);
		return (error);
	}
	KASSERT(n.queues >= 1 && n.queues <= XN_MAX_QUEUES,
	    ("xn: %u queues negotiated", n.queues));
	if (n.mtu_clamped)
		device_printf(sc->sc_dev, "backend mtu %u out of range: %u\n",
		    sc->sc_be.mtu, n.mtu);
	sc->sc_neg = n;
	sc->sc_nqueues = n.queues;
	for (u_int i = 0; i < n.queues; i++) {
		struct xn_queue *q = &sc->sc_queues[i];

		if ((error = xn_queue_alloc(q, &n)) != 0)
			goto fail;
		qn[i].tx_ref = q->xq_txs_ref;
		qn[i].rx_ref = q->xq_rxs_ref;
		qn[i].tx_port = evtchn_port(q->xq_txevt);
		qn[i].rx_port = n.split ? evtchn_port(q->xq_rxevt) : 0;
	}
	nodes = mallocarray(NFNEG_MAX_NODES, sizeof(*nodes), M_XN,
	    M_WAITOK | M_ZERO);
	error = nfneg_nodes(&n, qn, nodes, NFNEG_MAX_NODES, &count);
	if (error == 0) {
		w.dir = xenbus_get_node(sc->sc_dev);
		w.nodes = nodes;
		w.count = count;
		error = xs_transaction_run(xn_write_nodes, &w, 10);
	}
	free(nodes, M_XN);
	if (error != 0)
		goto fail;
	sc->sc_conn = XN_PUBLISHED;
	return (xenbus_set_state(sc->sc_dev, XenbusStateConnected));
fail:
	for (u_int i = 0; i < n.queues; i++)
		xn_queue_free(&sc->sc_queues[i]);
	sc->sc_nqueues = 0;
	return (error);
}

/* The backend is Connected: buffers posted, link up. */
static void
xn_up(struct xn_softc *sc)
{
	struct ifnet *ifp = sc->sc_ifp;
	const struct nfneg *n = &sc->sc_neg;

	mtx_assert(&sc->sc_mtx, MA_OWNED);
	if (sc->sc_conn != XN_PUBLISHED)
		return;
	ifp->if_mtu = n->mtu;
	ifp->if_capabilities = IFCAP_RXCSUM | IFCAP_TXCSUM | IFCAP_LINKSTATE |
	    (n->tx_sg ? IFCAP_SG | IFCAP_JUMBO_MTU : 0);
	ifp->if_capenable = ifp->if_capabilities;
	if (xn_no_txcsum)
		ifp->if_capenable &= ~IFCAP_TXCSUM;
	if (!n->rx_csum)
		ifp->if_capenable &= ~IFCAP_RXCSUM;
	/* Netback completes TCP/UDP sums; the IPv4 header is ours. */
	ifp->if_hwassist = (ifp->if_capenable & IFCAP_TXCSUM) != 0 ?
	    CSUM_TCP | CSUM_UDP : 0;
	for (u_int i = 0; i < sc->sc_nqueues; i++)
		xn_queue_start(&sc->sc_queues[i]);
	sc->sc_conn = XN_UP;
	sc->sc_connects++;
	device_printf(sc->sc_dev, "XN-FEATURES mac %02x:%02x:%02x:%02x:%02x:%02x "
	    "mtu=%u queues=%u split=%d sg=%d tx-slots=%u rx-csum-offload=%d "
	    "tx-csum-offload=%d backend-max-queues=%u connects=%ju\n",
	    sc->sc_mac[0], sc->sc_mac[1], sc->sc_mac[2], sc->sc_mac[3],
	    sc->sc_mac[4], sc->sc_mac[5], n->mtu, n->queues, n->split,
	    n->tx_sg, n->tx_max_slots, n->rx_csum,
	    (ifp->if_capenable & IFCAP_TXCSUM) != 0, sc->sc_be.max_queues,
	    (uintmax_t)sc->sc_connects);
	xn_link(sc, true);
}

static void
xn_close(struct xn_softc *sc, bool closing)
{
	mtx_assert(&sc->sc_mtx, MA_OWNED);
	if (closing)
		(void)xenbus_set_state(sc->sc_dev, XenbusStateClosing);
	xn_disconnect(sc);
	(void)xenbus_set_state(sc->sc_dev, XenbusStateClosed);
}

static void
xn_otherend_changed(device_t dev, XenbusState other)
{
	struct xn_softc *sc = device_get_softc(dev);
	enum xenbus_action act = XENBUS_ACT_NONE;
	int error = 0;

	mtx_lock(&sc->sc_mtx);
	/* Closed -> Initialising -> publish: at most three steps in a row. */
	for (int pass = 0; pass < 3; pass++) {
		act = xenbus_state_action(XENBUS_FRONTEND,
		    xenbus_get_state(dev), other);
		switch (act) {
		case XENBUS_ACT_INIT:
		case XENBUS_ACT_CONNECT:
			error = xn_publish(sc);
			if (error == 0 && other == XenbusStateConnected)
				xn_up(sc);
			break;
		case XENBUS_ACT_CLOSE:
			xn_close(sc, true);
			break;
		case XENBUS_ACT_CLOSED:
			xn_close(sc, false);
			break;
		case XENBUS_ACT_RECONNECT:
			xn_disconnect(sc);
			error = xenbus_set_state(dev, XenbusStateInitialising);
			if (error == 0)
				continue;
			break;
		default:
			/* We are Connected: the backend's Connected is news. */
			if (other == XenbusStateConnected)
				xn_up(sc);
			break;
		}
		break;
	}
	if (error != 0) {
		device_printf(dev, "%s with the backend %s failed: %d\n",
		    xenbus_action_name(act), xenbus_state_name(other), error);
		xn_close(sc, true);
	}
	mtx_unlock(&sc->sc_mtx);
}

static int
xn_probe(device_t dev)
{
	if (xn_disabled || !xenbus_is_own_device(dev, "vif"))
		return (ENXIO);
	device_set_desc(dev, "Xen PV network interface");
	return (BUS_PROBE_DEFAULT);
}

static int
xn_read_mac(struct xn_softc *sc)
{
	char *v;
	size_t len;
	int error;

	error = xs_read(XST_NIL, xenbus_get_node(sc->sc_dev), "mac", &v, &len);
	if (error != 0) {
		device_printf(sc->sc_dev, "no mac node: %d\n", error);
		return (error);
	}
	/* The reply is NUL-terminated; its length is bounded by xenstore. */
	error = nfneg_parse_mac(v, sc->sc_mac);
	if (error != 0)
		device_printf(sc->sc_dev, "bad mac (%zu bytes)\n", len);
	free(v, M_XENSTORE);
	return (error);
}

static int
xn_attach(device_t dev)
{
	struct xn_softc *sc = device_get_softc(dev);
	const char *be = xenbus_get_otherend_path(dev);
	int unit = device_get_unit(dev);
	struct ifnet *ifp;
	int error;

	if (unit < 0 || unit >= XN_MAX_UNITS || be == NULL ||
	    strlcpy(sc->sc_otherend_path, be, sizeof(sc->sc_otherend_path)) >=
	    sizeof(sc->sc_otherend_path))
		return (ENXIO);
	sc->sc_dev = dev;
	sc->sc_otherend = (domid_t)xenbus_get_otherend_id(dev);
	if ((error = xn_read_mac(sc)) != 0)
		return (error);
	mtx_init(&sc->sc_mtx, "xn", NULL, MTX_DEF);
	xenbus_closer_init(&sc->sc_closer, dev);
	for (u_int i = 0; i < XN_MAX_QUEUES; i++) {
		sc->sc_queues[i].xq_sc = sc;
		sc->sc_queues[i].xq_index = i;
	}
	ifp = if_alloc(IFT_ETHER);
	if (ifp == NULL)
		return (ENOMEM);
	if_initname(ifp, "xn", unit);
	ifp->if_softc = sc;
	ifp->if_mtu = NFNEG_DEFAULT_MTU;
	ifp->if_flags = IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST;
	ifp->if_transmit = xn_transmit;
	ifp->if_qflush = xn_qflush;
	ifp->if_link_state = LINK_STATE_DOWN;
	sc->sc_ifp = ifp;
	error = xenbus_closer_start(&sc->sc_closer);
	if (error != 0) {
		if_free(ifp);
		sc->sc_ifp = NULL;
		xenbus_closer_fini(&sc->sc_closer);
		mtx_destroy(&sc->sc_mtx);
		return (error);
	}
	ether_ifattach(ifp, sc->sc_mac);
	xn_units[unit] = sc;
	/* The bus hands us the backend's state right after attach. */
	return (0);
}

static int
xn_detach(device_t dev)
{
	struct xn_softc *sc = device_get_softc(dev);

	/* Its thread waits for the bus lock our caller holds: not now. */
	if (xenbus_closer_stop(&sc->sc_closer) != 0)
		return (EBUSY);
	mtx_lock(&sc->sc_mtx);
	xn_disconnect(sc);
	mtx_unlock(&sc->sc_mtx);
	xn_units[device_get_unit(dev)] = NULL;
	ether_ifdetach(sc->sc_ifp);
	if_free(sc->sc_ifp);
	sc->sc_ifp = NULL;
	for (u_int i = 0; i < XN_MAX_QUEUES; i++) {
		struct xn_queue *q = &sc->sc_queues[i];

		if (q->xq_txmtx.mtx_name != NULL) {
			mtx_destroy(&q->xq_txmtx);
			mtx_destroy(&q->xq_rxmtx);
		}
	}
	xenbus_closer_fini(&sc->sc_closer);
	mtx_destroy(&sc->sc_mtx);
	return (0);
}

static const struct device_method xn_methods[] = {
	DEVMETHOD(device_probe, xn_probe),
	DEVMETHOD(device_attach, xn_attach),
	DEVMETHOD(device_detach, xn_detach),
	DEVMETHOD(xenbus_otherend_changed, xn_otherend_changed),
	DEVMETHOD_END
};

static driver_t xn_driver = {
	"xn", xn_methods, sizeof(struct xn_softc)
};
DRIVER_MODULE(xn, xenbusb_front, xn_driver, NULL, NULL);
