/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * netback(4): serves a vif to another domain over netif (see
 * netback_var.h).  Attach makes the vif's ifnet, writes the features and
 * goes InitWait; when the frontend is Initialised or Connected it reads
 * what the frontend published (request-rx-copy and feature-rx-notify are
 * required, as Linux's netback requires them; feature-sg,
 * feature-no-csum-offload, multi-queue-num-queues; per queue tx-ring-ref,
 * rx-ring-ref and event-channel, or event-channel-tx and -rx), maps the
 * two rings of each queue into guest-physical holes, binds the event
 * channels (late EOI), joins the bridge and goes Connected.  Every value
 * read from the frontend is bounded before use; a frontend asking for
 * what we did not offer is refused and we close.
 *
 * Offered: feature-rx-copy, feature-sg, feature-split-event-channels,
 * multi-queue-max-queues (up to 4, at most the CPUs); not offered:
 * feature-gso-tcpv4/6 (a GSO packet is dropped), feature-ipv6-csum-offload
 * (the bridge fills IPv4 checksums only), feature-multicast-control.
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
#include <sys/time.h>

#include <machine/vmparam.h>

#include <x86/xen/xen_hooks.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_bridge.h>
#include <net/if_var.h>

#include <xen/gnttab.h>
#include <xen/xen_evtchn.h>
#include <xen/xenbus/xenbusb_back.h>
#include <xen/xenbus/xenbusvar.h>
#include <xen/xenstore.h>

#include <dev/xen/netback/netback_var.h>

MALLOC_DEFINE(M_NETBACK, "netback", "Xen network backend");

static bool netback_disabled;
TUNABLE_BOOL("netback.disable", &netback_disabled,
    "do not attach netback(4) to backend vif devices");
static int netback_max_queues = NETBACK_MAX_QUEUES;
TUNABLE_INT("netback.max_queues", &netback_max_queues,
    "queues offered (multi-queue-max-queues), 1 to 4; capped by the CPUs");

/* Ring areas (2 hole pages each), unmapped, for the next connection. */
static struct mtx netback_holes_mtx;
static vm_paddr_t netback_holes[NETBACK_MAX_QUEUES * 8];
static u_int netback_nholes;

/* The bridge and our stack's port on it. */
static struct mtx netback_br_mtx;
static struct bridge *netback_br;
static struct ifnet *netback_br_host;

static void
netback_sysinit(void *arg __unused)
{
	mtx_init(&netback_holes_mtx, "netback holes", NULL, MTX_SPIN);
	mtx_init(&netback_br_mtx, "netback bridge", NULL, MTX_DEF);
}
SYSINIT(netback, SI_SUB_DRIVERS, SI_ORDER_FIRST, netback_sysinit, NULL);

struct bridge *
netback_bridge(void)
{
	uint8_t mac[ETHER_ADDR_LEN] = { 0x02, 0x00, 0x5e, 0x00, 0, 0 };
	u_int self = 0;

	mtx_lock(&netback_br_mtx);
	if (netback_br == NULL) {
		/*
		 * Made with the first vif, not at boot: a domain that serves
		 * no vif keeps ip= for its own first interface.
		 */
		(void)xs_domid(&self);
		mac[4] = (uint8_t)(self >> 8);
		mac[5] = (uint8_t)self;
		netback_br = bridge_create("bridge0", BRIDGE_MAXADDR_DEFAULT,
		    BRIDGE_TTL_DEFAULT);
		netback_br_host = bridge_host_create(netback_br, "bridge", 0,
		    mac);
	}
	mtx_unlock(&netback_br_mtx);
	return (netback_br);
}

static vm_paddr_t
netback_hole_get(void)
{
	vm_paddr_t pa = PHYS_NONE;

	mtx_lock_spin(&netback_holes_mtx);
	if (netback_nholes > 0)
		pa = netback_holes[--netback_nholes];
	mtx_unlock_spin(&netback_holes_mtx);
	if (pa == PHYS_NONE)
		pa = xen_hole_alloc(2);
	return (pa);
}

static void
netback_hole_put(vm_paddr_t pa)
{
	mtx_lock_spin(&netback_holes_mtx);
	/* Beyond the list's room the area is lost, never reused mapped. */
	if (netback_nholes < nitems(netback_holes))
		netback_holes[netback_nholes++] = pa;
	mtx_unlock_spin(&netback_holes_mtx);
}

static u_int
netback_offer_queues(void)
{
	u_int n = (u_int)MAX(1, MIN(netback_max_queues, NETBACK_MAX_QUEUES));

	return (MIN(n, mp_ncpus));
}

/* Reads a frontend node as a number; ENOENT if absent. */
static int
netback_fe_uint(struct netback_softc *sc, const char *dir, const char *node,
    uint64_t *v)
{
	char path[XENBUS_PATH_MAX + 16];

	if (dir[0] == '\0')
		return (xs_read_uint(XST_NIL, sc->sc_fe, node, v));
	snprintf(path, sizeof(path), "%s/%s", sc->sc_fe, dir);
	return (xs_read_uint(XST_NIL, path, node, v));
}

/* A frontend flag: absent is def; anything but 0 or 1 is refused. */
static int
netback_fe_flag(struct netback_softc *sc, const char *node, bool def,
    bool *out)
{
	uint64_t v;
	int error = netback_fe_uint(sc, "", node, &v);

	if (error == ENOENT) {
		*out = def;
		return (0);
	}
	if (error != 0 || v > 1) {
		device_printf(sc->sc_dev, "frontend %s: %d (value %ju)\n", node,
		    error, error == 0 ? (uintmax_t)v : 0);
		return (error != 0 ? error : EINVAL);
	}
	*out = v != 0;
	return (0);
}

static void
netback_unmap_rings(struct netback_queue *q)
{
	struct gnttab_unmap_grant_ref uops[2];
	int error;

	if (q->nq_ring_pages == 0)
		return;
	memset(uops, 0, sizeof(uops));
	for (u_int i = 0; i < q->nq_ring_pages; i++) {
		uops[i].host_addr = q->nq_ring_pa + ptoa(i);
		uops[i].handle = q->nq_handles[i];
	}
	error = gnttab_unmap(uops, q->nq_ring_pages);
	netback_totals_add(&netback_totals.ring_maps,
	    -(int64_t)q->nq_ring_pages);
	q->nq_ring_pages = 0;
	if (error != 0)
		device_printf(q->nq_sc->sc_dev, "queue %u: ring unmap: %d\n",
		    q->nq_index, error);
	else
		netback_hole_put(q->nq_ring_pa);
	q->nq_ring_pa = PHYS_NONE;
}

/* Maps the tx and rx ring pages; both or neither. */
static int
netback_map_rings(struct netback_queue *q, grant_ref_t txref,
    grant_ref_t rxref)
{
	struct gnttab_map_grant_ref mops[2];
	int error;

	if ((q->nq_ring_pa = netback_hole_get()) == PHYS_NONE)
		return (ENOMEM);
	memset(mops, 0, sizeof(mops));
	for (u_int i = 0; i < 2; i++) {
		mops[i].host_addr = q->nq_ring_pa + ptoa(i);
		mops[i].flags = GNTMAP_host_map;
		mops[i].ref = i == 0 ? txref : rxref;
		mops[i].dom = q->nq_sc->sc_peer;
	}
	error = gnttab_map(mops, 2);
	if (mops[0].status == GNTST_okay) {
		q->nq_handles[0] = mops[0].handle;
		q->nq_ring_pages = 1;
		if (mops[1].status == GNTST_okay) {
			q->nq_handles[1] = mops[1].handle;
			q->nq_ring_pages = 2;
		}
	} else if (mops[1].status == GNTST_okay) {
		struct gnttab_unmap_grant_ref u = {
			.host_addr = mops[1].host_addr,
			.handle = mops[1].handle };

		(void)gnttab_unmap(&u, 1);
	}
	netback_totals_add(&netback_totals.ring_maps, q->nq_ring_pages);
	if (error != 0 || q->nq_ring_pages != 2) {
		netback_unmap_rings(q);
		return (error != 0 ? error : EIO);
	}
	nbtx_init(&q->nq_tx, (netif_tx_sring_t *)PHYS_TO_DMAP(q->nq_ring_pa));
	nbrx_init(&q->nq_rx, (netif_rx_sring_t *)PHYS_TO_DMAP(q->nq_ring_pa +
	    PAGE_SIZE));
	return (0);
}

static void
netback_disconnect(struct netback_softc *sc)
{
	mtx_assert(&sc->sc_mtx, MA_OWNED);
	if_link_state_change(sc->sc_ifp, LINK_STATE_DOWN);
	/*
	 * The threads first (they use the ports, the rings and the bridge
	 * port), then the bridge port (frames for a stopped queue are
	 * dropped), then the ports and the rings nobody reads any more.
	 */
	for (u_int i = 0; i < NETBACK_MAX_QUEUES; i++)
		netback_queue_stop(&sc->sc_queues[i]);
	if (sc->sc_port != NULL) {
		bridge_port_remove(sc->sc_port);
		sc->sc_port = NULL;
	}
	for (u_int i = 0; i < NETBACK_MAX_QUEUES; i++) {
		struct netback_queue *q = &sc->sc_queues[i];

		if (q->nq_evrx != NULL) {
			evtchn_unbind(&q->nq_evrx);
			netback_totals_add(&netback_totals.evtchns, -1);
		}
		if (q->nq_evtx != NULL) {
			evtchn_unbind(&q->nq_evtx);
			netback_totals_add(&netback_totals.evtchns, -1);
		}
		netback_unmap_rings(q);
	}
	if (sc->sc_connected)
		netback_totals_add(&netback_totals.connected, -1);
	sc->sc_connected = false;
}

static int
netback_bind(struct netback_softc *sc, struct netback_queue *q,
    uint64_t port, evtchn_handler_t *fn, evtchn_handle_t *hp)
{
	int error;

	if (port > UINT32_MAX)
		return (EINVAL);
	error = evtchn_bind_interdomain(sc->sc_peer, (evtchn_port_t)port, fn, q,
	    EVTCHN_BIND_LATE_EOI, hp);
	if (error != 0) {
		device_printf(sc->sc_dev, "queue %u: event channel %ju: %d\n",
		    q->nq_index, (uintmax_t)port, error);
		return (error);
	}
	netback_totals_add(&netback_totals.evtchns, 1);
	(void)evtchn_bind_cpu(*hp, q->nq_index % mp_ncpus);
	return (0);
}

/* One queue's rings and event channels, from dir ("" or "queue-N"). */
static int
netback_connect_queue(struct netback_softc *sc, struct netback_queue *q,
    const char *dir)
{
	uint64_t txref, rxref, ev = 0, evtx = 0, evrx = 0;
	int error;

	if ((error = netback_fe_uint(sc, dir, "tx-ring-ref", &txref)) != 0 ||
	    (error = netback_fe_uint(sc, dir, "rx-ring-ref", &rxref)) != 0 ||
	    txref > UINT32_MAX || rxref > UINT32_MAX) {
		device_printf(sc->sc_dev, "frontend %s ring refs: %d\n", dir,
		    error);
		return (error != 0 ? error : EINVAL);
	}
	error = netback_fe_uint(sc, dir, "event-channel-tx", &evtx);
	if (error == 0)
		error = netback_fe_uint(sc, dir, "event-channel-rx", &evrx);
	if (error == 0)
		sc->sc_split = true;
	else if (error == ENOENT) {
		sc->sc_split = false;
		error = netback_fe_uint(sc, dir, "event-channel", &ev);
	}
	if (error != 0) {
		device_printf(sc->sc_dev, "frontend %s event channels: %d\n",
		    dir, error);
		return (error);
	}
	if ((error = netback_map_rings(q, (grant_ref_t)txref,
	    (grant_ref_t)rxref)) != 0) {
		device_printf(sc->sc_dev, "queue %u: mapping rings: %d\n",
		    q->nq_index, error);
		return (error);
	}
	if (sc->sc_split)
		error = netback_bind(sc, q, evtx, netback_intr_tx, &q->nq_evtx);
	else
		error = netback_bind(sc, q, ev, netback_intr_tx, &q->nq_evtx);
	if (error == 0 && sc->sc_split)
		error = netback_bind(sc, q, evrx, netback_intr_rx, &q->nq_evrx);
	if (error != 0)
		return (error);
	return (netback_queue_start(q));
}

static int
netback_connect(struct netback_softc *sc)
{
	uint64_t nq = 1;
	bool rxcopy, notify, nocsum;
	int error;

	mtx_assert(&sc->sc_mtx, MA_OWNED);
	if (sc->sc_connected)
		return (0);
	if ((error = netback_fe_flag(sc, "request-rx-copy", false, &rxcopy)) != 0 ||
	    (error = netback_fe_flag(sc, "feature-rx-notify", false,
	    &notify)) != 0 ||
	    (error = netback_fe_flag(sc, "feature-sg", false, &sc->sc_sg)) != 0 ||
	    (error = netback_fe_flag(sc, "feature-no-csum-offload", false,
	    &nocsum)) != 0)
		return (error);
	if (!rxcopy || !notify) {
		/* We only copy, and we never poll the rx ring. */
		device_printf(sc->sc_dev, "frontend lacks %s\n", !rxcopy ?
		    "request-rx-copy" : "feature-rx-notify");
		return (EPROTONOSUPPORT);
	}
	sc->sc_csum_blank = !nocsum;
	error = netback_fe_uint(sc, "", "multi-queue-num-queues", &nq);
	if (error == ENOENT)
		nq = 1;
	else if (error != 0 || nq == 0 || nq > netback_offer_queues()) {
		device_printf(sc->sc_dev, "frontend asks for %ju queues (%u "
		    "offered)\n", (uintmax_t)nq, netback_offer_queues());
		return (EINVAL);
	}
	sc->sc_nqueues = (u_int)nq;
	sc->sc_fatal_why = NB_OK;
	/* The port first: a queue's thread hands the bridge what it takes. */
	sc->sc_port = bridge_port_add(netback_bridge(), sc->sc_ifp,
	    netback_bridge_output, sc->sc_csum_blank ? BRIDGE_PORT_CSUM_BLANK :
	    0);
	for (u_int i = 0; i < sc->sc_nqueues; i++) {
		char dir[16] = "";

		if (sc->sc_nqueues > 1)
			snprintf(dir, sizeof(dir), "queue-%u", i);
		error = netback_connect_queue(sc, &sc->sc_queues[i], dir);
		if (error != 0) {
			netback_disconnect(sc);
			return (error);
		}
	}
	sc->sc_connected = true;
	sc->sc_connects++;
	netback_totals_add(&netback_totals.connects, 1);
	netback_totals_add(&netback_totals.connected, 1);
	if_link_state_change(sc->sc_ifp, LINK_STATE_UP);
	device_printf(sc->sc_dev, "connected to domain %u: %u queue%s, %s "
	    "event channels, sg %s, blank checksums %s\n", sc->sc_peer,
	    sc->sc_nqueues, sc->sc_nqueues > 1 ? "s" : "", sc->sc_split ?
	    "split" : "shared", sc->sc_sg ? "on" : "off",
	    sc->sc_csum_blank ? "on" : "off");
	return (0);
}

/*
 * After a close the toolstack asked for (online = 0: xl network-detach),
 * our directory is removed: in a Linux driver domain xl devd does it, and
 * libxl in dom0 waits for it (10 s) before it removes the frontend's.
 * Not at once: libxl first reads our state as Closed, and a directory
 * already gone then fails the detach ("wanted state 6 but it was
 * removed").  A thread of its own waits a moment, then removes the
 * directory if it still says Closed and offline.
 */
#define NETBACK_RM_DELAY	(2 * SBT_1S)

static void
netback_rm_thread(void *arg)
{
	char *node = arg;
	char *v;
	bool rm = false;

	tsleep(node, "nbrm", NETBACK_RM_DELAY);
	if (xs_read(XST_NIL, node, "online", &v, NULL) == 0) {
		rm = strcmp(v, "0") == 0;
		free(v, M_XENSTORE);
	}
	if (rm && xs_read(XST_NIL, node, "state", &v, NULL) == 0) {
		rm = strcmp(v, "6") == 0;
		free(v, M_XENSTORE);
	}
	if (rm)
		(void)xs_rm(XST_NIL, node, "");
	free(node, M_NETBACK);
	kthread_exit();
}

static void
netback_remove_if_offline(struct netback_softc *sc)
{
	char *v, *node;
	bool offline;
	size_t len;

	if (xs_read(XST_NIL, sc->sc_node, "online", &v, NULL) != 0)
		return;
	offline = strcmp(v, "0") == 0;
	free(v, M_XENSTORE);
	if (!offline)
		return;
	/* The thread outlives the device (its removal detaches us). */
	len = strlen(sc->sc_node) + 1;
	node = malloc(len, M_NETBACK, M_WAITOK);
	memcpy(node, sc->sc_node, len);
	if (kthread_add(netback_rm_thread, node, NULL, -1, "netback rm") != 0) {
		device_printf(sc->sc_dev, "cannot remove %s\n", sc->sc_node);
		free(node, M_NETBACK);
	}
}

/* Closes our end: Closing, then Closed (a failed connect closes too). */
static void
netback_close(struct netback_softc *sc, device_t dev)
{
	mtx_lock(&sc->sc_mtx);
	netback_disconnect(sc);
	mtx_unlock(&sc->sc_mtx);
	if (xenbus_get_state(dev) != XenbusStateClosed &&
	    xenbus_get_state(dev) != XenbusStateClosing)
		(void)xenbus_set_state(dev, XenbusStateClosing);
	(void)xenbus_set_state(dev, XenbusStateClosed);
	netback_remove_if_offline(sc);
}

static void
netback_otherend_changed(device_t dev, XenbusState st)
{
	struct netback_softc *sc = device_get_softc(dev);
	int error;

	switch (xenbus_state_action(XENBUS_BACKEND, xenbus_get_state(dev), st)) {
	case XENBUS_ACT_CONNECT:
		mtx_lock(&sc->sc_mtx);
		error = netback_connect(sc);
		mtx_unlock(&sc->sc_mtx);
		if (error == 0)
			error = xenbus_set_state(dev, XenbusStateConnected);
		if (error != 0) {
			device_printf(dev, "connect failed: %d\n", error);
			netback_close(sc, dev);
		}
		break;
	case XENBUS_ACT_CLOSE:
	case XENBUS_ACT_CLOSED:
		netback_close(sc, dev);
		break;
	case XENBUS_ACT_RECONNECT:
		(void)xenbus_set_state(dev, XenbusStateInitWait);
		break;
	default:
		break;
	}
}

/* The features a frontend reads while we wait for it (InitWait). */
static int
netback_publish(struct netback_softc *sc)
{
	const struct {
		const char	*name;
		u_int		val;
	} f[] = {
		{ "feature-rx-copy", 1 },
		{ "feature-rx-flip", 0 },
		{ "feature-sg", 1 },
		{ "feature-gso-tcpv4", 0 },
		{ "feature-gso-tcpv6", 0 },
		{ "feature-ipv6-csum-offload", 0 },
		{ "feature-split-event-channels", 1 },
		{ "feature-multicast-control", 0 },
		{ "multi-queue-max-queues", netback_offer_queues() },
	};
	int error;

	for (u_int i = 0; i < nitems(f); i++) {
		error = xs_printf(XST_NIL, sc->sc_node, f[i].name, "%u", f[i].val);
		if (error != 0)
			return (error);
	}
	return (0);
}

static int
netback_probe(device_t dev)
{
	const char *type = xenbus_get_type(dev);

	if (netback_disabled || xenbus_get_role(dev) != XENBUS_BACKEND ||
	    type == NULL || strcmp(type, "vif") != 0)
		return (ENXIO);
	device_set_desc(dev, "Xen network backend");
	return (BUS_PROBE_DEFAULT);
}

static int
netback_attach(device_t dev)
{
	static const uint8_t vifmac[ETHER_ADDR_LEN] = { 0xfe, 0xff, 0xff, 0xff,
	    0xff, 0xff };
	struct netback_softc *sc = device_get_softc(dev);
	struct ifnet *ifp;
	int error;

	sc->sc_dev = dev;
	sc->sc_peer = (domid_t)xenbus_get_otherend_id(dev);
	if (strlcpy(sc->sc_node, xenbus_get_node(dev), sizeof(sc->sc_node)) >=
	    sizeof(sc->sc_node) || strlcpy(sc->sc_fe,
	    xenbus_get_otherend_path(dev), sizeof(sc->sc_fe)) >= sizeof(sc->sc_fe))
		return (ENAMETOOLONG);
	mtx_init(&sc->sc_mtx, "netback", NULL, MTX_DEF);
	for (u_int i = 0; i < NETBACK_MAX_QUEUES; i++) {
		struct netback_queue *q = &sc->sc_queues[i];

		q->nq_sc = sc;
		q->nq_index = i;
		q->nq_ring_pa = PHYS_NONE;
		q->nq_rxq_tail = &q->nq_rxq_head;
		/* Not started: frames for it are dropped, not queued. */
		q->nq_stop = true;
		mtx_init(&q->nq_mtx, "netback queue", NULL, MTX_SPIN);
	}
	/* A bridge port, not an interface of our stack (no address, ARP). */
	ifp = if_alloc(IFT_ETHER);
	if_initname(ifp, "vif", device_get_unit(dev));
	ifp->if_softc = sc;
	ifp->if_transmit = netback_transmit;
	ifp->if_flags = IFF_UP | IFF_BROADCAST;
	ifp->if_mtu = ETHERMTU;
	ifp->if_addrlen = ETHER_ADDR_LEN;
	ifp->if_hdrlen = ETHER_HDR_LEN;
	memcpy(ifp->if_addr, vifmac, ETHER_ADDR_LEN);
	sc->sc_ifp = ifp;
	(void)netback_bridge();
	if_attach(ifp);
	xenbus_closer_init(&sc->sc_closer, dev);
	if ((error = netback_publish(sc)) != 0 ||
	    (error = xenbus_closer_start(&sc->sc_closer)) != 0)
		goto fail;
	if ((error = xenbus_set_state(dev, XenbusStateInitWait)) != 0) {
		(void)xenbus_closer_stop(&sc->sc_closer);
		goto fail;
	}
	netback_totals_add(&netback_totals.devices, 1);
	device_printf(dev, "%s for domain %u\n", ifp->if_xname, sc->sc_peer);
	return (0);
fail:
	xenbus_closer_fini(&sc->sc_closer);
	if_detach(ifp);
	if_free(ifp);
	for (u_int i = 0; i < NETBACK_MAX_QUEUES; i++)
		mtx_destroy(&sc->sc_queues[i].nq_mtx);
	mtx_destroy(&sc->sc_mtx);
	return (error);
}

static int
netback_detach(device_t dev)
{
	struct netback_softc *sc = device_get_softc(dev);

	/* Its thread waits for the bus lock our caller holds: not now. */
	if (xenbus_closer_stop(&sc->sc_closer) != 0)
		return (EBUSY);
	mtx_lock(&sc->sc_mtx);
	netback_disconnect(sc);
	mtx_unlock(&sc->sc_mtx);
	xenbus_closer_fini(&sc->sc_closer);
	if_detach(sc->sc_ifp);
	if_free(sc->sc_ifp);
	for (u_int i = 0; i < NETBACK_MAX_QUEUES; i++)
		mtx_destroy(&sc->sc_queues[i].nq_mtx);
	mtx_destroy(&sc->sc_mtx);
	netback_totals_add(&netback_totals.devices, -1);
	return (0);
}

static const struct device_method netback_methods[] = {
	DEVMETHOD(device_probe, netback_probe),
	DEVMETHOD(device_attach, netback_attach),
	DEVMETHOD(device_detach, netback_detach),
	DEVMETHOD(xenbus_otherend_changed, netback_otherend_changed),
	DEVMETHOD_END
};

static driver_t netback_driver = {
	"netback", netback_methods, sizeof(struct netback_softc)
};
DRIVER_MODULE(netback, xenbusb_back, netback_driver, NULL, NULL);
