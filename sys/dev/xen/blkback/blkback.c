/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * blkback(4): exports a disk of ours to another domain over blkif (see
 * blkback_var.h).  Attach finds the backing store the toolstack's "params"
 * names (blkback_params_parse), writes the features and goes InitWait;
 * when the frontend is Initialised or Connected it reads the rings it
 * published (one, or multi-queue-num-queues under queue-N/; ring-ref, or
 * ring-page-order and ring-refN), maps them into guest-physical holes,
 * binds their event channels (late EOI), writes the disk's size and goes
 * Connected.  Every value read from the frontend is bounded before use;
 * a frontend asking for more than we offered is refused and we close.
 *
 * Hole space for rings is never handed back to the system (its allocator
 * only grows), so unmapped ring areas go on a free list here and are
 * reused by the next connection.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

#include <x86/xen/xen_hooks.h>

#include <xen/gnttab.h>
#include <xen/xen_evtchn.h>
#include <xen/xenbus/xenbusb_back.h>
#include <xen/xenbus/xenbusvar.h>
#include <xen/xenstore.h>
#include <xen/io/protocols.h>

#include <dev/md/md_var.h>
#include <dev/xen/blkback/blkback_var.h>

MALLOC_DEFINE(M_BLKBACK, "blkback", "Xen block backend");

static bool blkback_disabled;
TUNABLE_BOOL("blkback.disable", &blkback_disabled,
    "do not attach blkback(4) to backend vbd devices");
static int blkback_max_queues = BLKBACK_MAX_QUEUES;
TUNABLE_INT("blkback.max_queues", &blkback_max_queues,
    "queues offered (multi-queue-max-queues), 1 to 4; capped by the CPUs");
static int blkback_max_order = BLKBACK_MAX_ORDER;
TUNABLE_INT("blkback.max_ring_page_order", &blkback_max_order,
    "ring pages offered, as a power of 2 (max-ring-page-order), 0 to 4");
static int blkback_max_indirect = BLKBACK_MAX_INDIRECT;
TUNABLE_INT("blkback.max_indirect_segments", &blkback_max_indirect,
    "indirect segments offered (feature-max-indirect-segments), 0 or 11 to 256");

/* Ring areas of BLKBACK_MAX_RING_PAGES hole pages, unmapped, for reuse. */
static struct mtx blkback_holes_mtx;
static vm_paddr_t blkback_holes[BLKBACK_MAX_QUEUES * 16];
static u_int blkback_nholes;

static void
blkback_holes_init(void *arg __unused)
{
	mtx_init(&blkback_holes_mtx, "blkback holes", NULL, MTX_SPIN);
}
SYSINIT(blkback_holes, SI_SUB_DRIVERS, SI_ORDER_FIRST, blkback_holes_init, NULL);

static vm_paddr_t
blkback_hole_get(void)
{
	vm_paddr_t pa = PHYS_NONE;

	mtx_lock_spin(&blkback_holes_mtx);
	if (blkback_nholes > 0)
		pa = blkback_holes[--blkback_nholes];
	mtx_unlock_spin(&blkback_holes_mtx);
	if (pa == PHYS_NONE)
		pa = xen_hole_alloc(BLKBACK_MAX_RING_PAGES);
	return (pa);
}

static void
blkback_hole_put(vm_paddr_t pa)
{
	mtx_lock_spin(&blkback_holes_mtx);
	/* Beyond the list's room the area is lost, not reused while mapped. */
	if (blkback_nholes < nitems(blkback_holes))
		blkback_holes[blkback_nholes++] = pa;
	mtx_unlock_spin(&blkback_holes_mtx);
}

static u_int
blkback_offer_queues(void)
{
	u_int n = (u_int)MAX(1, MIN(blkback_max_queues, BLKBACK_MAX_QUEUES));

	return (MIN(n, mp_ncpus));
}

static u_int
blkback_offer_order(void)
{
	return ((u_int)MAX(0, MIN(blkback_max_order, BLKBACK_MAX_ORDER)));
}

static u_int
blkback_offer_indirect(void)
{
	if (blkback_max_indirect < BLKIF_MAX_SEGMENTS_PER_REQUEST)
		return (0);
	return ((u_int)MIN(blkback_max_indirect, BLKBACK_MAX_INDIRECT));
}

/* Reads a frontend node as a number; ENOENT if absent. */
static int
blkback_fe_uint(struct blkback_softc *sc, const char *dir, const char *node,
    uint64_t *v)
{
	char path[XENBUS_PATH_MAX + 16];

	if (dir[0] == '\0')
		return (xs_read_uint(XST_NIL, sc->sc_fe, node, v));
	snprintf(path, sizeof(path), "%s/%s", sc->sc_fe, dir);
	return (xs_read_uint(XST_NIL, path, node, v));
}

static void
blkback_unmap_ring(struct blkback_queue *q)
{
	struct gnttab_unmap_grant_ref uops[BLKBACK_MAX_RING_PAGES];
	int error;

	if (q->bq_ring_pages == 0)
		return;
	memset(uops, 0, sizeof(uops));
	for (u_int i = 0; i < q->bq_ring_pages; i++) {
		uops[i].host_addr = q->bq_ring_pa + ptoa(i);
		uops[i].handle = q->bq_handles[i];
	}
	error = gnttab_unmap(uops, q->bq_ring_pages);
	blkback_totals_add(&blkback_totals.ring_maps, -(int64_t)q->bq_ring_pages);
	q->bq_ring_pages = 0;
	if (error != 0) {
		/* Still mapped (or worse): never hand this area out again. */
		device_printf(q->bq_sc->sc_dev, "queue %u: ring unmap: %d\n",
		    q->bq_index, error);
	} else
		blkback_hole_put(q->bq_ring_pa);
	q->bq_ring_pa = PHYS_NONE;
}

/* Maps the ring pages the frontend granted; EINVAL/ENOENT/... on failure. */
static int
blkback_map_ring(struct blkback_queue *q, const grant_ref_t *refs, u_int npages)
{
	struct gnttab_map_grant_ref mops[BLKBACK_MAX_RING_PAGES];
	u_int ok = 0;
	int error;

	if ((q->bq_ring_pa = blkback_hole_get()) == PHYS_NONE)
		return (ENOMEM);
	memset(mops, 0, sizeof(mops));
	for (u_int i = 0; i < npages; i++) {
		mops[i].host_addr = q->bq_ring_pa + ptoa(i);
		mops[i].flags = GNTMAP_host_map;
		mops[i].ref = refs[i];
		mops[i].dom = q->bq_sc->sc_peer;
	}
	error = gnttab_map(mops, npages);
	/* Keep what did map, so that it is unmapped. */
	for (u_int i = 0; i < npages; i++) {
		if (mops[i].status != GNTST_okay)
			continue;
		q->bq_handles[ok] = mops[i].handle;
		if (ok != i) {
			/* Only a prefix can be kept at the right address. */
			error = EIO;
			break;
		}
		ok++;
	}
	q->bq_ring_pages = ok;
	blkback_totals_add(&blkback_totals.ring_maps, ok);
	if (error != 0 || ok != npages) {
		/* Unmap the ones that made it (and one past a gap). */
		for (u_int i = ok; i < npages; i++) {
			if (mops[i].status == GNTST_okay) {
				struct gnttab_unmap_grant_ref u = {
					.host_addr = mops[i].host_addr,
					.handle = mops[i].handle };

				(void)gnttab_unmap(&u, 1);
			}
		}
		blkback_unmap_ring(q);
		return (error != 0 ? error : EIO);
	}
	BACK_RING_INIT(&q->bq_ring,
	    (blkif_sring_t *)PHYS_TO_DMAP(q->bq_ring_pa),
	    (size_t)BLKBACK_PAGE_SIZE * npages);
	return (0);
}

static void
blkback_disconnect(struct blkback_softc *sc)
{
	mtx_assert(&sc->sc_mtx, MA_OWNED);
	for (u_int i = 0; i < BLKBACK_MAX_QUEUES; i++) {
		struct blkback_queue *q = &sc->sc_queues[i];

		/*
		 * The thread first (it answers what the disk still holds and
		 * uses the port), then the port (its handler only wakes a
		 * thread that is gone), then the ring nobody reads any more.
		 */
		blkback_queue_stop(q);
		if (q->bq_evtchn != NULL) {
			evtchn_unbind(&q->bq_evtchn);
			blkback_totals_add(&blkback_totals.evtchns, -1);
		}
		blkback_unmap_ring(q);
	}
	sc->sc_connected = false;
}

/* One queue's ring refs and event channel, from dir ("" or "queue-N"). */
static int
blkback_connect_queue(struct blkback_softc *sc, struct blkback_queue *q,
    const char *dir, u_int order)
{
	grant_ref_t refs[BLKBACK_MAX_RING_PAGES];
	u_int npages = 1u << order;
	uint64_t v;
	int error;

	for (u_int i = 0; i < npages; i++) {
		char name[16];

		if (order == 0)
			strlcpy(name, "ring-ref", sizeof(name));
		else
			snprintf(name, sizeof(name), "ring-ref%u", i);
		if ((error = blkback_fe_uint(sc, dir, name, &v)) != 0 ||
		    v > UINT32_MAX) {
			device_printf(sc->sc_dev, "frontend %s/%s: %d\n", dir,
			    name, error);
			return (error != 0 ? error : EINVAL);
		}
		refs[i] = (grant_ref_t)v;
	}
	if ((error = blkback_fe_uint(sc, dir, "event-channel", &v)) != 0 ||
	    v > UINT32_MAX) {
		device_printf(sc->sc_dev, "frontend %s/event-channel: %d\n", dir,
		    error);
		return (error != 0 ? error : EINVAL);
	}
	if ((error = blkback_map_ring(q, refs, npages)) != 0) {
		device_printf(sc->sc_dev, "queue %u: mapping %u ring pages: %d\n",
		    q->bq_index, npages, error);
		return (error);
	}
	error = evtchn_bind_interdomain(sc->sc_peer, (evtchn_port_t)v,
	    blkback_intr, q, EVTCHN_BIND_LATE_EOI, &q->bq_evtchn);
	if (error != 0) {
		device_printf(sc->sc_dev, "queue %u: event channel %ju: %d\n",
		    q->bq_index, (uintmax_t)v, error);
		return (error);
	}
	blkback_totals_add(&blkback_totals.evtchns, 1);
	(void)evtchn_bind_cpu(q->bq_evtchn, q->bq_index % mp_ncpus);
	return (blkback_queue_start(q));
}

static int
blkback_connect(struct blkback_softc *sc)
{
	char *proto;
	uint64_t nq = 1, order = 0;
	int error;

	mtx_assert(&sc->sc_mtx, MA_OWNED);
	if (sc->sc_connected)
		return (0);
	/* We are 64-bit x86: only the native layout (Linux writes it). */
	error = xs_read(XST_NIL, sc->sc_fe, "protocol", &proto, NULL);
	if (error == 0) {
		bool native = strcmp(proto, XEN_IO_PROTO_ABI_X86_64) == 0;

		if (!native)
			device_printf(sc->sc_dev, "protocol %.32s refused\n",
			    proto);
		free(proto, M_XENSTORE);
		if (!native)
			return (EPROTONOSUPPORT);
	} else if (error != ENOENT)
		return (error);
	error = blkback_fe_uint(sc, "", "multi-queue-num-queues", &nq);
	if (error == ENOENT)
		nq = 1;
	else if (error != 0 || nq == 0 || nq > blkback_offer_queues()) {
		device_printf(sc->sc_dev, "frontend asks for %ju queues (%u "
		    "offered)\n", (uintmax_t)nq, blkback_offer_queues());
		return (EINVAL);
	}
	error = blkback_fe_uint(sc, "", "ring-page-order", &order);
	if (error == ENOENT)
		order = 0;
	else if (error != 0 || order > blkback_offer_order()) {
		device_printf(sc->sc_dev, "frontend asks for ring order %ju (%u "
		    "offered)\n", (uintmax_t)order, blkback_offer_order());
		return (EINVAL);
	}
	sc->sc_nqueues = (u_int)nq;
	sc->sc_ring_order = (u_int)order;
	for (u_int i = 0; i < sc->sc_nqueues; i++) {
		char dir[16] = "";

		if (sc->sc_nqueues > 1)
			snprintf(dir, sizeof(dir), "queue-%u", i);
		error = blkback_connect_queue(sc, &sc->sc_queues[i], dir,
		    sc->sc_ring_order);
		if (error != 0) {
			blkback_disconnect(sc);
			return (error);
		}
	}
	/* What the frontend reads once it sees us Connected. */
	error = xs_printf(XST_NIL, sc->sc_node, "sectors", "%ju",
	    (uintmax_t)sc->sc_lim.sectors);
	if (error == 0)
		error = xs_printf(XST_NIL, sc->sc_node, "info", "%u",
		    sc->sc_lim.readonly ? VDISK_READONLY : 0);
	if (error == 0)
		error = xs_printf(XST_NIL, sc->sc_node, "sector-size", "%u",
		    sc->sc_disk->d_sectorsize);
	if (error == 0)
		error = xs_printf(XST_NIL, sc->sc_node, "physical-sector-size",
		    "%u", sc->sc_disk->d_sectorsize);
	if (error != 0) {
		blkback_disconnect(sc);
		return (error);
	}
	sc->sc_connected = true;
	sc->sc_connects++;
	blkback_totals_add(&blkback_totals.connects, 1);
	return (0);
}

/* Closes our end: Closing, then Closed (a failed connect closes too). */
static void
blkback_close(struct blkback_softc *sc, device_t dev)
{
	mtx_lock(&sc->sc_mtx);
	blkback_disconnect(sc);
	mtx_unlock(&sc->sc_mtx);
	if (xenbus_get_state(dev) != XenbusStateClosed &&
	    xenbus_get_state(dev) != XenbusStateClosing)
		(void)xenbus_set_state(dev, XenbusStateClosing);
	(void)xenbus_set_state(dev, XenbusStateClosed);
}

static void
blkback_otherend_changed(device_t dev, XenbusState st)
{
	struct blkback_softc *sc = device_get_softc(dev);
	int error;

	switch (xenbus_state_action(XENBUS_BACKEND, xenbus_get_state(dev), st)) {
	case XENBUS_ACT_CONNECT:
		mtx_lock(&sc->sc_mtx);
		error = blkback_connect(sc);
		mtx_unlock(&sc->sc_mtx);
		if (error == 0)
			error = xenbus_set_state(dev, XenbusStateConnected);
		if (error != 0) {
			device_printf(dev, "connect failed: %d\n", error);
			blkback_close(sc, dev);
		}
		break;
	case XENBUS_ACT_CLOSE:
	case XENBUS_ACT_CLOSED:
		blkback_close(sc, dev);
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
blkback_publish(struct blkback_softc *sc)
{
	const struct disk *dp = sc->sc_disk;
	struct {
		const char	*name;
		u_int		val;
	} f[] = {
		{ "feature-flush-cache", sc->sc_lim.flush },
		{ "feature-barrier", 0 },
		{ "feature-discard", sc->sc_lim.discard },
		{ "discard-granularity", dp->d_discard_gran != 0 ?
		    dp->d_discard_gran : dp->d_sectorsize },
		{ "discard-alignment", dp->d_discard_align },
		{ "discard-secure", 0 },
		{ "feature-persistent", 1 },
		{ "feature-max-indirect-segments", sc->sc_lim.max_indirect },
		{ "max-ring-page-order", blkback_offer_order() },
		{ "multi-queue-max-queues", blkback_offer_queues() },
	};
	int error;

	for (u_int i = 0; i < nitems(f); i++) {
		/* No indirect segments: say nothing rather than 0. */
		if (f[i].val == 0 &&
		    strcmp(f[i].name, "feature-max-indirect-segments") == 0)
			continue;
		error = xs_printf(XST_NIL, sc->sc_node, f[i].name, "%u", f[i].val);
		if (error != 0)
			return (error);
	}
	return (0);
}

/* Finds (or makes) the backing store "params" names. */
static int
blkback_open_store(struct blkback_softc *sc)
{
	char *params, *mode, name[DISK_NAMELEN];
	uint64_t ram;
	size_t len;
	int error;

	if ((error = xs_read(XST_NIL, sc->sc_node, "params", &params, &len)) != 0) {
		device_printf(sc->sc_dev, "no params: %d\n", error);
		return (error);
	}
	if (len >= sizeof(sc->sc_params) || strlen(params) != len)
		error = EINVAL;
	else {
		strlcpy(sc->sc_params, params, sizeof(sc->sc_params));
		error = blkback_params_parse(sc->sc_params, name, sizeof(name),
		    &ram);
	}
	free(params, M_XENSTORE);
	if (error != 0) {
		device_printf(sc->sc_dev, "params \"%s\" not understood\n",
		    sc->sc_params);
		return (error);
	}
	if (ram != 0) {
		struct md_args ma = { .ma_size = (off_t)ram };

		if ((error = md_create(&ma, &sc->sc_md)) != 0)
			return (error);
		sc->sc_disk = md_disk(sc->sc_md);
		disk_ref(sc->sc_disk);
	} else if ((sc->sc_disk = disk_find(name)) == NULL) {
		device_printf(sc->sc_dev, "no disk %s\n", name);
		return (ENXIO);
	}
	/* "r" makes a read-only export of any disk. */
	sc->sc_lim.readonly = (sc->sc_disk->d_flags & DISKFLAG_RDONLY) != 0;
	if (xs_read(XST_NIL, sc->sc_node, "mode", &mode, NULL) == 0) {
		if (mode[0] != 'w')
			sc->sc_lim.readonly = true;
		free(mode, M_XENSTORE);
	}
	sc->sc_lim.sectors = (uint64_t)sc->sc_disk->d_mediasize / 512;
	sc->sc_lim.flush = (sc->sc_disk->d_flags & DISKFLAG_CANFLUSH) != 0;
	sc->sc_lim.discard = (sc->sc_disk->d_flags & DISKFLAG_CANDISCARD) != 0 &&
	    !sc->sc_lim.readonly;
	sc->sc_lim.max_indirect = blkback_offer_indirect();
	return (0);
}

static void
blkback_close_store(struct blkback_softc *sc)
{
	if (sc->sc_disk != NULL)
		disk_rele(sc->sc_disk);
	sc->sc_disk = NULL;
	if (sc->sc_md != NULL)
		md_destroy(sc->sc_md);
	sc->sc_md = NULL;
}

static int
blkback_probe(device_t dev)
{
	const char *type = xenbus_get_type(dev);

	if (blkback_disabled || xenbus_get_role(dev) != XENBUS_BACKEND ||
	    type == NULL || strcmp(type, "vbd") != 0)
		return (ENXIO);
	device_set_desc(dev, "Xen block backend");
	return (BUS_PROBE_DEFAULT);
}

static int
blkback_attach(device_t dev)
{
	struct blkback_softc *sc = device_get_softc(dev);
	int error;

	sc->sc_dev = dev;
	sc->sc_peer = (domid_t)xenbus_get_otherend_id(dev);
	if (strlcpy(sc->sc_node, xenbus_get_node(dev), sizeof(sc->sc_node)) >=
	    sizeof(sc->sc_node) || strlcpy(sc->sc_fe,
	    xenbus_get_otherend_path(dev), sizeof(sc->sc_fe)) >= sizeof(sc->sc_fe))
		return (ENAMETOOLONG);
	mtx_init(&sc->sc_mtx, "blkback", NULL, MTX_DEF);
	for (u_int i = 0; i < BLKBACK_MAX_QUEUES; i++) {
		struct blkback_queue *q = &sc->sc_queues[i];

		q->bq_sc = sc;
		q->bq_index = i;
		q->bq_ring_pa = PHYS_NONE;
		mtx_init(&q->bq_mtx, "blkback queue", NULL, MTX_SPIN);
	}
	xenbus_closer_init(&sc->sc_closer, dev);
	if ((error = blkback_open_store(sc)) != 0 ||
	    (error = blkback_publish(sc)) != 0 ||
	    (error = xenbus_closer_start(&sc->sc_closer)) != 0) {
		blkback_close_store(sc);
		goto fail;
	}
	if ((error = xenbus_set_state(dev, XenbusStateInitWait)) != 0) {
		(void)xenbus_closer_stop(&sc->sc_closer);
		blkback_close_store(sc);
		goto fail;
	}
	blkback_totals_add(&blkback_totals.devices, 1);
	device_printf(dev, "%s (%ju sectors%s) for domain %u\n", sc->sc_params,
	    (uintmax_t)sc->sc_lim.sectors, sc->sc_lim.readonly ? ", read-only" :
	    "", sc->sc_peer);
	return (0);
fail:
	xenbus_closer_fini(&sc->sc_closer);
	for (u_int i = 0; i < BLKBACK_MAX_QUEUES; i++)
		mtx_destroy(&sc->sc_queues[i].bq_mtx);
	mtx_destroy(&sc->sc_mtx);
	return (error);
}

static int
blkback_detach(device_t dev)
{
	struct blkback_softc *sc = device_get_softc(dev);

	/* Its thread waits for the bus lock our caller holds: not now. */
	if (xenbus_closer_stop(&sc->sc_closer) != 0)
		return (EBUSY);
	mtx_lock(&sc->sc_mtx);
	blkback_disconnect(sc);
	mtx_unlock(&sc->sc_mtx);
	blkback_close_store(sc);
	xenbus_closer_fini(&sc->sc_closer);
	for (u_int i = 0; i < BLKBACK_MAX_QUEUES; i++)
		mtx_destroy(&sc->sc_queues[i].bq_mtx);
	mtx_destroy(&sc->sc_mtx);
	blkback_totals_add(&blkback_totals.devices, -1);
	return (0);
}

static const struct device_method blkback_methods[] = {
	DEVMETHOD(device_probe, blkback_probe),
	DEVMETHOD(device_attach, blkback_attach),
	DEVMETHOD(device_detach, blkback_detach),
	DEVMETHOD(xenbus_otherend_changed, blkback_otherend_changed),
	DEVMETHOD_END
};

static driver_t blkback_driver = {
	"blkback", blkback_methods, sizeof(struct blkback_softc)
};
DRIVER_MODULE(blkback, xenbusb_back, blkback_driver, NULL, NULL);
