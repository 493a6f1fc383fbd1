/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xbd(4) xenstore side: the device on xenbus, the backend's features, the
 * rings granted and published in one transaction, the disk registered on
 * connect, and the way down (Closing, Closed) and back up.
 *
 * Linux's blkback writes its ring limits (max-ring-page-order,
 * multi-queue-max-queues) when it waits for us (InitWait) and the disk's
 * geometry and features only when it connects, so the rings are sized at
 * InitWait and everything else is negotiated again at Connected.
 *
 * Reconnect: when both ends are Closed while the toolstack still wants
 * the disk (the backend's "online" is 1; xl block-detach writes 0 with
 * Closing), the backend closed on its own, e.g. a reloaded xen-blkback
 * that refused our rings: we go Initialising, which Linux's blkback
 * answers with InitWait, and negotiate afresh.  Bounded by
 * XBD_RECONNECT_TRIES failures in a row.  A reload it survives (Linux
 * 6.1 re-attaches a rebound backend to the rings it finds) needs nothing
 * from us: the requests on the ring wait and complete.
 *
 * Locking: xbd_otherend_changed runs in the xenstore watch thread with
 * the bus lock held, and takes sc_mtx; detach too.  The worker never holds
 * sc_mtx: it only switches the state (which takes the bus lock).
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/bus.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/physmem.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <dev/xen/blkfront/blkfront_var.h>
#include <xen/xenbus/xenbusvar.h>
#include <xen/xenstore.h>

MALLOC_DEFINE(M_XBD, "xbd", "Xen PV disks");

#define XBD_MAX_UNITS		16

static struct xbd_softc *xbd_units[XBD_MAX_UNITS];

struct xbd_softc *
xbd_find(u_int unit)
{
	return (unit < XBD_MAX_UNITS ? xbd_units[unit] : NULL);
}

/* A node of the backend's directory; absent is 0. */
static int
xbd_be_uint(struct xbd_softc *sc, const char *node, uint64_t *v)
{
	int error = xs_read_uint(XST_NIL, sc->sc_otherend_path, node, v);

	if (error == ENOENT) {
		*v = 0;
		return (0);
	}
	if (error == EINVAL) {
		/* Not a number: as good as not offered. */
		device_printf(sc->sc_dev, "ignoring %s/%s: not a number\n",
		    sc->sc_otherend_path, node);
		*v = 0;
		return (0);
	}
	return (error);
}

static uint32_t
xbd_clamp32(uint64_t v)
{
	return (v > UINT32_MAX ? UINT32_MAX : (uint32_t)v);
}

int
xbd_read_backend(struct xbd_softc *sc, bool connect, struct blkneg_backend *be)
{
	static const struct {
		const char	*node;
		bool		at_connect;
	} nodes[] = {
		{ "max-ring-page-order", false },
		{ "multi-queue-max-queues", false },
		{ "feature-max-indirect-segments", true },
		{ "feature-flush-cache", true },
		{ "feature-barrier", true },
		{ "feature-discard", true },
		{ "discard-secure", true },
		{ "feature-persistent", true },
		{ "discard-granularity", true },
		{ "discard-alignment", true },
		{ "sectors", true },
		{ "sector-size", true },
		{ "physical-sector-size", true },
		{ "info", true },
	};
	uint64_t v[nitems(nodes)];
	int error;

	memset(be, 0, sizeof(*be));
	for (size_t i = 0; i < nitems(nodes); i++) {
		v[i] = 0;
		if (nodes[i].at_connect && !connect)
			continue;
		if ((error = xbd_be_uint(sc, nodes[i].node, &v[i])) != 0)
			return (error);
	}
	be->max_ring_page_order = xbd_clamp32(v[0]);
	be->max_queues = xbd_clamp32(v[1]);
	be->max_indirect_segs = xbd_clamp32(v[2]);
	be->flush = v[3] != 0;
	be->barrier = v[4] != 0;
	be->discard = v[5] != 0;
	be->discard_secure = v[6] != 0;
	be->persistent = v[7] != 0;
	be->discard_granularity = xbd_clamp32(v[8]);
	be->discard_alignment = xbd_clamp32(v[9]);
	be->sectors = v[10];
	be->sector_size = xbd_clamp32(v[11]);
	be->physical_sector_size = xbd_clamp32(v[12]);
	be->info = xbd_clamp32(v[13]);
	return (0);
}

/* Persistent grants (blkfront_pgrant.c) offered to the backend. */
static bool xbd_persistent = true;
TUNABLE_BOOL("xbd.persistent", &xbd_persistent,
    "offer persistent grants (feature-persistent) to the backend");

static void
xbd_ours(struct blkneg_ours *o)
{
	o->ring_order = XBD_RING_ORDER;
	o->queues = MIN(mp_ncpus, XBD_MAX_QUEUES);
	o->indirect_segs = XBD_INDIRECT_SEGS;
	o->persistent = xbd_persistent;
}

struct xbd_nodes_tx {
	const char		*dir;
	bool			clean;		/* remove an earlier set first */
	const struct blkneg_node *nodes;
	u_int			count;
};

/*
 * Removes what an earlier connection may have left: blkback reads
 * ring-page-order before ring-ref, so a stale one would describe rings
 * we no longer have (a reconnect on fewer pages), and likewise queues.
 */
static int
xbd_rm_old_nodes(xs_tx_t tx, const char *dir)
{
	static const char *const fixed[] = { "ring-page-order",
	    "multi-queue-num-queues", "ring-ref", "event-channel" };
	const u_int nfixed = nitems(fixed);
	char name[32];
	int error;

	for (u_int i = 0; i < nfixed + BLKRING_MAX_PAGES + XBD_MAX_QUEUES; i++) {
		if (i < nfixed)
			strlcpy(name, fixed[i], sizeof(name));
		else if (i < nfixed + BLKRING_MAX_PAGES)
			snprintf(name, sizeof(name), "ring-ref%u", i - nfixed);
		else
			snprintf(name, sizeof(name), "queue-%u",
			    i - nfixed - BLKRING_MAX_PAGES);
		error = xs_rm(tx, dir, name);
		if (error != 0 && error != ENOENT)
			return (error);
	}
	return (0);
}

static int
xbd_write_nodes(xs_tx_t tx, void *arg)
{
	struct xbd_nodes_tx *w = arg;
	int error;

	if (w->clean && (error = xbd_rm_old_nodes(tx, w->dir)) != 0)
		return (error);
	for (u_int i = 0; i < w->count; i++)
		if ((error = xs_write(tx, w->dir, w->nodes[i].path,
		    w->nodes[i].value)) != 0)
			return (error);
	return (0);
}

/* Tears everything down: in-flight I/O finishes or fails, grants end. */
void
xbd_disconnect(struct xbd_softc *sc)
{
	mtx_assert(&sc->sc_mtx, MA_OWNED);
	if (sc->sc_conn == XBD_DOWN)
		return;
	/* Unfindable at once and no new bios; those in flight may complete. */
	if (sc->sc_disk_created)
		disk_gone(&sc->sc_disk);
	for (u_int i = 0; i < sc->sc_nqueues; i++) {
		struct xbd_queue *q = &sc->sc_queues[i];

		mtx_lock_spin(&q->xq_mtx);
		q->xq_running = false;
		mtx_unlock_spin(&q->xq_mtx);
	}
	for (u_int ms = 0; ms < XBD_DRAIN_MS; ms += 10) {
		u_int n = 0;

		for (u_int i = 0; i < sc->sc_nqueues; i++) {
			struct xbd_queue *q = &sc->sc_queues[i];

			if (q->xq_reqs == NULL)
				continue;
			mtx_lock_spin(&q->xq_mtx);
			n += blkring_inflight(q->xq_ring);
			mtx_unlock_spin(&q->xq_mtx);
		}
		if (n == 0)
			break;
		(void)tsleep(sc, "xbddrain", 10 * SBT_1MS);
	}
	for (u_int i = 0; i < sc->sc_nqueues; i++)
		xbd_queue_teardown(&sc->sc_queues[i]);
	if (sc->sc_disk_created) {
		/* Waits for the users still holding a reference. */
		disk_destroy(&sc->sc_disk);
		sc->sc_disk_created = false;
	}
	sc->sc_conn = XBD_DOWN;
}

/* Backend in InitWait: rings, ports, our nodes, then Initialised. */
static int
xbd_initialise(struct xbd_softc *sc)
{
	struct blkneg_ours ours;
	struct blkneg_backend be;
	struct blkneg n;
	grant_ref_t refs[XBD_MAX_QUEUES * BLKRING_MAX_PAGES];
	evtchn_port_t ports[XBD_MAX_QUEUES];
	struct blkneg_node *nodes;
	struct xbd_nodes_tx w;
	u_int count;
	int error;

	mtx_assert(&sc->sc_mtx, MA_OWNED);
	xbd_disconnect(sc);
	if ((error = xbd_read_backend(sc, false, &be)) != 0)
		return (error);
	/* Geometry comes at connect; a placeholder lets the ring math run. */
	be.sectors = 1;
	be.sector_size = 512;
	xbd_ours(&ours);
	if ((error = blkneg_negotiate(&ours, &be, &n)) != 0)
		return (error);
	KASSERT(n.queues >= 1 && n.queues <= XBD_MAX_QUEUES,
	    ("xbd: %u queues negotiated", n.queues));
	sc->sc_neg = n;
	sc->sc_nqueues = n.queues;
	for (u_int i = 0; i < n.queues; i++) {
		struct xbd_queue *q = &sc->sc_queues[i];

		q->xq_sc = sc;
		q->xq_index = i;
		if ((error = xbd_queue_alloc_ring(q, n.ring_order)) != 0)
			goto fail;
		for (u_int p = 0; p < n.ring_pages; p++)
			refs[i * n.ring_pages + p] = q->xq_ringmap->gm_segs[p].gs_ref;
		ports[i] = evtchn_port(q->xq_evtchn);
	}
	nodes = mallocarray(BLKNEG_MAX_NODES, sizeof(*nodes), M_XBD,
	    M_WAITOK | M_ZERO);
	error = blkneg_nodes(&n, refs, ports, nodes, BLKNEG_MAX_NODES, &count);
	if (error == 0) {
		w.dir = xenbus_get_node(sc->sc_dev);
		/* Only a device that published its rings before has any. */
		w.clean = sc->sc_published;
		w.nodes = nodes;
		w.count = count;
		error = xs_transaction_run(xbd_write_nodes, &w, 10);
	}
	free(nodes, M_XBD);
	if (error != 0)
		goto fail;
	sc->sc_published = true;
	sc->sc_conn = XBD_INITIALISED;
	return (xenbus_set_state(sc->sc_dev, XenbusStateInitialised));
fail:
	for (u_int i = 0; i < n.queues; i++)
		xbd_queue_teardown(&sc->sc_queues[i]);
	return (error);
}

/* Backend Connected: the final values, the requests, the disk. */
static int
xbd_connect(struct xbd_softc *sc)
{
	struct blkneg_ours ours;
	struct blkneg n;
	int error;

	mtx_assert(&sc->sc_mtx, MA_OWNED);
	if (sc->sc_conn != XBD_INITIALISED)
		return (EINVAL);
	if ((error = xbd_read_backend(sc, true, &sc->sc_be)) != 0)
		return (error);
	xbd_ours(&ours);
	/* The rings are already granted: keep their size and number. */
	ours.ring_order = sc->sc_neg.ring_order;
	ours.queues = sc->sc_neg.queues;
	if ((error = blkneg_negotiate(&ours, &sc->sc_be, &n)) != 0) {
		device_printf(sc->sc_dev, "backend geometry refused: "
		    "sectors %ju sector-size %u\n", (uintmax_t)sc->sc_be.sectors,
		    sc->sc_be.sector_size);
		return (error);
	}
	if (n.ring_order != sc->sc_neg.ring_order ||
	    n.queues != sc->sc_neg.queues)
		return (EPROTO);
	sc->sc_neg = n;
	for (u_int i = 0; i < sc->sc_nqueues; i++)
		if ((error = xbd_queue_connect(&sc->sc_queues[i], &n)) != 0)
			return (error);
	xbd_disk_init(sc);
	/* disk(9) refuses discards off the backend's granules. */
	if ((n.features & BLKRING_F_DISCARD) != 0) {
		sc->sc_disk.d_discard_gran = n.discard_granularity;
		sc->sc_disk.d_discard_align = n.discard_alignment;
	}
	if ((error = disk_create(&sc->sc_disk)) != 0)
		return (error);
	sc->sc_disk_created = true;
	sc->sc_conn = XBD_CONNECTED;
	sc->sc_connects++;
	sc->sc_reconnect_tries = 0;
	device_printf(sc->sc_dev, "XBD-FEATURES %s sectors=%ju sector-size=%u "
	    "physical-sector-size=%u ring-order=%u ring-entries=%u queues=%u "
	    "indirect-segs=%u max-segs=%u flush=%d barrier=%d discard=%d "
	    "persistent=%d readonly=%d qdepth=%u maxio=%zu "
	    "discard-granularity=%u discard-alignment=%u\n",
	    sc->sc_disk.d_ident, (uintmax_t)n.sectors, n.sector_size,
	    n.physical_sector_size, n.ring_order, n.ring_entries, n.queues,
	    n.indirect_segs, n.max_segs, (n.features & BLKRING_F_FLUSH) != 0,
	    (n.features & BLKRING_F_BARRIER) != 0,
	    (n.features & BLKRING_F_DISCARD) != 0, n.persistent, n.readonly,
	    sc->sc_disk.d_qdepth, sc->sc_disk.d_maxsize,
	    sc->sc_disk.d_discard_gran, sc->sc_disk.d_discard_align);
	return (xenbus_set_state(sc->sc_dev, XenbusStateConnected));
}

static void
xbd_close(struct xbd_softc *sc, bool closing)
{
	mtx_assert(&sc->sc_mtx, MA_OWNED);
	if (closing && xenbus_set_state(sc->sc_dev, XenbusStateClosing) != 0)
		closing = false;
	xbd_disconnect(sc);
	(void)xenbus_set_state(sc->sc_dev, XenbusStateClosed);
}

/* Both ends Closed and the toolstack still wants the disk. */
static bool
xbd_want_reconnect(struct xbd_softc *sc, XenbusState other)
{
	uint64_t online;

	mtx_assert(&sc->sc_mtx, MA_OWNED);
	if (other != XenbusStateClosed ||
	    xenbus_get_state(sc->sc_dev) != XenbusStateClosed ||
	    xs_read_uint(XST_NIL, sc->sc_otherend_path, "online", &online) != 0 ||
	    online != 1)
		return (false);
	if (sc->sc_reconnect_tries >= XBD_RECONNECT_TRIES) {
		if (sc->sc_reconnect_tries++ == XBD_RECONNECT_TRIES)
			device_printf(sc->sc_dev, "%u reconnects failed: staying "
			    "closed\n", XBD_RECONNECT_TRIES);
		return (false);
	}
	return (true);
}

void
xbd_otherend_changed(device_t dev, XenbusState other)
{
	struct xbd_softc *sc = device_get_softc(dev);
	enum xenbus_action act;
	int error = 0;

	mtx_lock(&sc->sc_mtx);
	/*
	 * Each step may make another one due with the same backend state
	 * (Closed -> Initialising -> init -> connect): at most three.
	 */
	for (int pass = 0; pass < 3; pass++) {
		act = xenbus_state_action(XENBUS_FRONTEND,
		    xenbus_get_state(dev), other);
		switch (act) {
		case XENBUS_ACT_INIT:
			error = xbd_initialise(sc);
			if (error == 0)
				continue;
			break;
		case XENBUS_ACT_CONNECT:
			if (sc->sc_conn == XBD_DOWN)
				error = xbd_initialise(sc);
			if (error == 0)
				error = xbd_connect(sc);
			break;
		case XENBUS_ACT_CLOSE:
			xbd_close(sc, true);
			break;
		case XENBUS_ACT_CLOSED:
			xbd_close(sc, false);
			break;
		case XENBUS_ACT_RECONNECT:
			xbd_disconnect(sc);
			error = xenbus_set_state(dev, XenbusStateInitialising);
			if (error == 0)
				continue;
			break;
		default:
			break;
		}
		break;
	}
	if (error != 0) {
		device_printf(dev, "%s with the backend %s failed: %d\n",
		    xenbus_action_name(act), xenbus_state_name(other), error);
		xbd_close(sc, true);
	}
	if (xbd_want_reconnect(sc, other)) {
		KASSERT(sc->sc_conn == XBD_DOWN,
		    ("xbd: reconnecting with the rings up"));
		sc->sc_reconnect_tries++;
		sc->sc_reconnects++;
		device_printf(dev, "backend closed, still online: reconnecting "
		    "(try %u)\n", sc->sc_reconnect_tries);
		/* The backend's InitWait brings us to xbd_initialise(). */
		if (xenbus_set_state(dev, XenbusStateInitialising) != 0)
			device_printf(dev, "cannot go Initialising\n");
	}
	mtx_unlock(&sc->sc_mtx);
}

/* Leaves the disks to no driver (the xenbus lab checks need that). */
static bool xbd_disabled;
TUNABLE_BOOL("xbd.disable", &xbd_disabled,
    "do not attach xbd(4) to the domain's disks");

static int
xbd_probe(device_t dev)
{
	if (xbd_disabled || !xenbus_is_own_device(dev, "vbd"))
		return (ENXIO);
	device_set_desc(dev, "Xen PV disk");
	return (BUS_PROBE_DEFAULT);
}

static int
xbd_attach(device_t dev)
{
	struct xbd_softc *sc = device_get_softc(dev);
	const char *be = xenbus_get_otherend_path(dev);
	int unit = device_get_unit(dev);
	int error;

	if (unit < 0 || unit >= XBD_MAX_UNITS || be == NULL ||
	    strlcpy(sc->sc_otherend_path, be, sizeof(sc->sc_otherend_path)) >=
	    sizeof(sc->sc_otherend_path))
		return (ENXIO);
	sc->sc_dev = dev;
	sc->sc_otherend = (domid_t)xenbus_get_otherend_id(dev);
	mtx_init(&sc->sc_mtx, "xbd", NULL, MTX_DEF);
	xenbus_closer_init(&sc->sc_closer, dev);
	for (u_int i = 0; i < XBD_MAX_QUEUES; i++) {
		sc->sc_queues[i].xq_sc = sc;
		sc->sc_queues[i].xq_index = i;
		sc->sc_queues[i].xq_sring_pa = PHYS_NONE;
	}
	error = xenbus_closer_start(&sc->sc_closer);
	if (error != 0) {
		xenbus_closer_fini(&sc->sc_closer);
		mtx_destroy(&sc->sc_mtx);
		return (error);
	}
	xbd_units[unit] = sc;
	/* The bus hands us the backend's state right after attach. */
	return (0);
}

static int
xbd_detach(device_t dev)
{
	struct xbd_softc *sc = device_get_softc(dev);

	/* Its thread waits for the bus lock our caller holds: not now. */
	if (xenbus_closer_stop(&sc->sc_closer) != 0)
		return (EBUSY);
	mtx_lock(&sc->sc_mtx);
	xbd_disconnect(sc);
	mtx_unlock(&sc->sc_mtx);
	for (u_int i = 0; i < XBD_MAX_QUEUES; i++) {
		struct xbd_queue *q = &sc->sc_queues[i];

		if (q->xq_ring != NULL)
			free(q->xq_ring, M_XBD);
		if (q->xq_sb != NULL)
			free(q->xq_sb, M_XBD);
		if (q->xq_mtx.mtx_name != NULL)
			mtx_destroy(&q->xq_mtx);
	}
	xbd_units[device_get_unit(dev)] = NULL;
	xenbus_closer_fini(&sc->sc_closer);
	mtx_destroy(&sc->sc_mtx);
	return (0);
}

static const struct device_method xbd_methods[] = {
	DEVMETHOD(device_probe, xbd_probe),
	DEVMETHOD(device_attach, xbd_attach),
	DEVMETHOD(device_detach, xbd_detach),
	DEVMETHOD(xenbus_otherend_changed, xbd_otherend_changed),
	DEVMETHOD_END
};

static driver_t xbd_driver = {
	"xbd", xbd_methods, sizeof(struct xbd_softc)
};
DRIVER_MODULE(xbd, xenbusb_front, xbd_driver, NULL, NULL);
