/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The frontend xenbus (see xenbusvar.h).  One child per device/<type>/<id>:
 * the toolstack writes each device's directory (backend, backend-id, state)
 * in one transaction, so a directory without a usable backend is skipped
 * until a later change completes it.  Everything read is bounded and
 * checked: names, paths, domain ids, states.
 *
 * Locking: the bus lock (sleep, recursive so a driver called with it held
 * may switch its state) serialises enumeration, state changes and the
 * delivery of other-end changes; the device tree itself has no lock, so
 * this is also what keeps two changes of our subtree apart.  A watch is
 * never unregistered with the bus lock held: its callback may be waiting
 * for the lock, and unregistering waits for a running callback.  Removed
 * children therefore go on a list that is reaped once the lock is dropped;
 * their callbacks see "gone" and return.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/systm.h>

#include <xen/xen.h>
#include <xen/xenbus/xenbus_path.h>
#include <xen/xenbus/xenbus_subr.h>
#include <xen/xenbus/xenbusvar.h>
#include <xen/xenstore.h>

MALLOC_DEFINE(M_XENBUS, "xenbus", "xenbus devices");

struct xenbusb_softc;

struct xenbus_child {
	TAILQ_ENTRY(xenbus_child) link;
	struct xenbusb_softc	*sc;
	device_t		dev;
	char			type[XENBUS_NAME_MAX];
	char			id[XENBUS_NAME_MAX];
	char			node[XENBUS_PATH_MAX];
	char			otherend_path[XENBUS_PATH_MAX];
	char			otherend_state_node[XENBUS_PATH_MAX + 8];
	u_int			otherend_id;
	XenbusState		state;
	XenbusState		otherend_state;
	bool			seen;		/* in the current scan */
	bool			gone;		/* removed: callbacks return */
	bool			watching;
	struct xs_watch		otherend_watch;
};
TAILQ_HEAD(xenbus_children, xenbus_child);

struct xenbusb_softc {
	device_t		dev;
	struct mtx		lock;
	char			root[XENBUS_PATH_MAX];	/* <home>/device */
	struct xs_watch		root_watch;
	bool			watching;
	bool			detaching;
	u_int			nchildren;
	struct xenbus_children	children;
	struct xenbus_stats	stats;
};

static device_t	xenbus_front_dev;	/* the domain's own bus (unit 0) */

/* Hands the other end's new state to the driver, or follows the protocol. */
static void
xenbusb_deliver(struct xenbus_child *c, XenbusState st)
{
	mtx_assert(&c->sc->lock, MA_OWNED);
	c->sc->stats.otherend_events++;
	if (device_is_attached(c->dev))
		XENBUS_OTHEREND_CHANGED(c->dev, st);
	else
		xenbus_generic_otherend_changed(c->dev, st);
}

static void
xenbusb_otherend_cb(struct xs_watch *w, const char *path __unused)
{
	struct xenbus_child *c = w->arg;
	struct xenbusb_softc *sc = c->sc;
	XenbusState st;
	int error;

	mtx_lock(&sc->lock);
	if (c->gone) {
		mtx_unlock(&sc->lock);
		return;
	}
	error = xenbus_read_state(c->otherend_path, &st);
	if (error == EINVAL) {
		sc->stats.bad_states++;
		device_printf(c->dev, "ignoring bad state at %s\n",
		    c->otherend_state_node);
	} else if (error != 0) {
		device_printf(c->dev, "cannot read %s: %d\n",
		    c->otherend_state_node, error);
	} else if (st != c->otherend_state) {
		c->otherend_state = st;
		xenbusb_deliver(c, st);
	}
	mtx_unlock(&sc->lock);
}

static struct xenbus_child *
xenbusb_find(struct xenbusb_softc *sc, const char *type, const char *id)
{
	struct xenbus_child *c;

	TAILQ_FOREACH(c, &sc->children, link)
		if (strcmp(c->type, type) == 0 && strcmp(c->id, id) == 0)
			return (c);
	return (NULL);
}

/* Creates the child for root/type/id; false if it is not usable (yet). */
static bool
xenbusb_add(struct xenbusb_softc *sc, const char *type, const char *id)
{
	struct xenbus_child *c;
	uint64_t beid;
	int error;

	mtx_assert(&sc->lock, MA_OWNED);
	if (sc->nchildren >= XENBUS_MAX_CHILDREN)
		return (false);
	c = malloc(sizeof(*c), M_XENBUS, M_WAITOK | M_ZERO);
	c->sc = sc;
	strlcpy(c->type, type, sizeof(c->type));
	strlcpy(c->id, id, sizeof(c->id));
	if ((size_t)snprintf(c->node, sizeof(c->node), "%s/%s/%s", sc->root, type,
	    id) >= sizeof(c->node))
		goto refuse;
	if (xenbus_read_str(c->node, "backend", c->otherend_path,
	    sizeof(c->otherend_path)) != 0 || !xenbus_path_ok(c->otherend_path))
		goto refuse;
	if ((error = xs_read_uint(XST_NIL, c->node, "backend-id", &beid)) != 0 ||
	    beid >= DOMID_FIRST_RESERVED)
		goto refuse;
	c->otherend_id = (u_int)beid;
	if (xenbus_read_state(c->node, &c->state) != 0 ||
	    xenbus_read_state(c->otherend_path, &c->otherend_state) != 0)
		goto refuse;
	snprintf(c->otherend_state_node, sizeof(c->otherend_state_node),
	    "%s/state", c->otherend_path);

	c->dev = device_add_child(sc->dev, NULL, -1);
	device_set_ivars(c->dev, c);
	c->seen = true;
	TAILQ_INSERT_TAIL(&sc->children, c, link);
	sc->nchildren++;
	sc->stats.added++;
	c->otherend_watch.node = c->otherend_state_node;
	c->otherend_watch.callback = xenbusb_otherend_cb;
	c->otherend_watch.arg = c;
	c->otherend_watch.max_pending = 8;
	if ((error = xs_register_watch(&c->otherend_watch)) != 0)
		device_printf(sc->dev, "%s/%s: cannot watch %s: %d\n", type, id,
		    c->otherend_state_node, error);
	else
		c->watching = true;
	(void)device_probe_and_attach(c->dev);
	/* The driver (or the protocol) sees the state the other end is in. */
	xenbusb_deliver(c, c->otherend_state);
	return (true);
refuse:
	free(c, M_XENBUS);
	return (false);
}

/* Detaches and deletes a child; its memory waits on 'reap'. */
static void
xenbusb_remove(struct xenbusb_softc *sc, struct xenbus_child *c,
    struct xenbus_children *reap)
{
	int error;

	mtx_assert(&sc->lock, MA_OWNED);
	if ((error = device_delete_child(sc->dev, c->dev)) != 0) {
		/* A driver refusing to go keeps its device (and ivars). */
		device_printf(c->dev, "detach refused: %d\n", error);
		return;
	}
	c->gone = true;
	c->dev = NULL;
	TAILQ_REMOVE(&sc->children, c, link);
	sc->nchildren--;
	sc->stats.removed++;
	TAILQ_INSERT_TAIL(reap, c, link);
}

static void
xenbusb_reap(struct xenbus_children *reap)
{
	struct xenbus_child *c;

	while ((c = TAILQ_FIRST(reap)) != NULL) {
		TAILQ_REMOVE(reap, c, link);
		if (c->watching)
			xs_unregister_watch(&c->otherend_watch);
		free(c, M_XENBUS);
	}
}

/* Marks the children of one type as seen (its directory could not be read). */
static void
xenbusb_keep_type(struct xenbusb_softc *sc, const char *type)
{
	struct xenbus_child *c;

	TAILQ_FOREACH(c, &sc->children, link)
		if (strcmp(c->type, type) == 0)
			c->seen = true;
}

static void
xenbusb_scan(struct xenbusb_softc *sc, struct xenbus_children *reap)
{
	struct xenbus_child *c, *next;
	const char **types, **ids;
	u_int ntypes, nids;
	bool listed;
	int error;

	mtx_assert(&sc->lock, MA_OWNED);
	if (sc->detaching)
		return;
	sc->stats.scans++;
	error = xs_directory(XST_NIL, sc->root, "", &ntypes, &types);
	if (error != 0 && error != ENOENT) {
		/* A failed read is not an unplug: keep what we have. */
		device_printf(sc->dev, "cannot list %s: %d\n", sc->root, error);
		return;
	}
	listed = error == 0;
	TAILQ_FOREACH(c, &sc->children, link)
		c->seen = false;
	for (u_int t = 0; error == 0 && t < ntypes; t++) {
		if (!xenbus_name_ok(types[t])) {
			sc->stats.refused++;
			continue;
		}
		error = xs_directory(XST_NIL, sc->root, types[t], &nids, &ids);
		if (error != 0) {
			if (error != ENOENT)
				xenbusb_keep_type(sc, types[t]);
			error = 0;
			continue;
		}
		for (u_int i = 0; i < nids; i++) {
			if (!xenbus_name_ok(ids[i])) {
				sc->stats.refused++;
				continue;
			}
			if ((c = xenbusb_find(sc, types[t], ids[i])) != NULL)
				c->seen = true;
			else if (!xenbusb_add(sc, types[t], ids[i]))
				sc->stats.refused++;
		}
		free(ids, M_XENSTORE);
	}
	if (listed)
		free(types, M_XENSTORE);
	TAILQ_FOREACH_SAFE(c, &sc->children, link, next)
		if (!c->seen)
			xenbusb_remove(sc, c, reap);
}

void
xenbus_rescan(device_t bus)
{
	struct xenbusb_softc *sc = device_get_softc(bus);
	struct xenbus_children reap = TAILQ_HEAD_INITIALIZER(reap);

	mtx_lock(&sc->lock);
	xenbusb_scan(sc, &reap);
	mtx_unlock(&sc->lock);
	xenbusb_reap(&reap);
}

static void
xenbusb_root_cb(struct xs_watch *w, const char *path __unused)
{
	xenbus_rescan(((struct xenbusb_softc *)w->arg)->dev);
}

static int
xenbusb_set_state(device_t bus __unused, device_t dev, XenbusState st)
{
	struct xenbus_child *c = device_get_ivars(dev);
	struct xenbusb_softc *sc = c->sc;
	XenbusState cur;
	int error;

	mtx_lock(&sc->lock);
	if (!xenbus_state_transition_ok(XENBUS_FRONTEND, c->state, st)) {
		device_printf(dev, "illegal state change %s -> %s\n",
		    xenbus_state_name(c->state), xenbus_state_name(st));
		mtx_unlock(&sc->lock);
		return (EINVAL);
	}
	if (st == c->state) {
		mtx_unlock(&sc->lock);
		return (0);
	}
	/*
	 * Only over a state node that exists: writing one under a removed
	 * device would recreate its directory.  The read and the write race
	 * with the toolstack only in the window xenstore's own ordering gives.
	 */
	error = xenbus_read_state(c->node, &cur);
	if (error == 0 && cur == XenbusStateUnknown)
		error = ENOENT;
	if (error == 0 || error == EINVAL)
		error = xs_printf(XST_NIL, c->node, "state", "%d", (int)st);
	if (error == 0)
		c->state = st;
	mtx_unlock(&sc->lock);
	return (error);
}

static int
xenbusb_read_ivar(device_t bus, device_t child, int which, uintptr_t *result)
{
	struct xenbus_child *c = device_get_ivars(child);

	switch (which) {
	case XENBUS_IVAR_NODE:
		*result = (uintptr_t)c->node;
		return (0);
	case XENBUS_IVAR_TYPE:
		*result = (uintptr_t)c->type;
		return (0);
	case XENBUS_IVAR_ID:
		*result = (uintptr_t)c->id;
		return (0);
	case XENBUS_IVAR_STATE:
		*result = (uintptr_t)c->state;
		return (0);
	case XENBUS_IVAR_OTHEREND_ID:
		*result = c->otherend_id;
		return (0);
	case XENBUS_IVAR_OTHEREND_PATH:
		*result = (uintptr_t)c->otherend_path;
		return (0);
	case XENBUS_IVAR_OTHEREND_STATE:
		*result = (uintptr_t)c->otherend_state;
		return (0);
	case XENBUS_IVAR_ROLE:
		*result = XENBUS_FRONTEND;
		return (0);
	}
	return (ENOENT);
}

static int
xenbusb_print_child(device_t bus, device_t child)
{
	struct xenbus_child *c = device_get_ivars(child);

	return (printf("%s: <%s> at %s on %s\n", device_get_nameunit(child),
	    device_get_desc(child) != NULL ? device_get_desc(child) : c->type,
	    c->node, device_get_nameunit(bus)));
}

void
xenbus_get_stats(device_t bus, struct xenbus_stats *st)
{
	struct xenbusb_softc *sc = device_get_softc(bus);

	mtx_lock(&sc->lock);
	*st = sc->stats;
	mtx_unlock(&sc->lock);
}

void
xenbus_foreach_child(device_t bus, void (*fn)(device_t, void *), void *arg)
{
	struct xenbusb_softc *sc = device_get_softc(bus);
	struct xenbus_child *c;

	mtx_lock(&sc->lock);
	TAILQ_FOREACH(c, &sc->children, link)
		fn(c->dev, arg);
	mtx_unlock(&sc->lock);
}

device_t
xenbus_front_bus(void)
{
	return (xenbus_front_dev);
}

static void
xenbusb_identify(driver_t *drv, device_t parent)
{
	if (device_find_child(parent, drv->name, 0) == NULL)
		(void)device_add_child(parent, drv->name, 0);
}

static int
xenbusb_probe(device_t dev)
{
	if (!xs_ready())
		return (ENXIO);
	device_set_desc(dev, "Xen frontend devices");
	return (BUS_PROBE_SPECIFIC);
}

/*
 * The directory enumerated is <home>/device, or, for a second bus a test
 * creates, the relative directory given as the device's ivars.
 */
static int
xenbusb_attach(device_t dev)
{
	struct xenbusb_softc *sc = device_get_softc(dev);
	struct xenbus_children reap = TAILQ_HEAD_INITIALIZER(reap);
	const char *dir = device_get_ivars(dev);
	int error;

	sc->dev = dev;
	TAILQ_INIT(&sc->children);
	error = xenbus_home_path(dir != NULL ? dir : "device", sc->root,
	    sizeof(sc->root));
	if (error != 0)
		return (error);
	mtx_init(&sc->lock, "xenbus", NULL, MTX_DEF | MTX_RECURSE);
	mtx_lock(&sc->lock);
	xenbusb_scan(sc, &reap);
	mtx_unlock(&sc->lock);
	xenbusb_reap(&reap);
	/* Its first event (xenstored fires a new watch once) covers the gap. */
	sc->root_watch.node = sc->root;
	sc->root_watch.callback = xenbusb_root_cb;
	sc->root_watch.arg = sc;
	sc->root_watch.max_pending = 16;
	if ((error = xs_register_watch(&sc->root_watch)) != 0) {
		device_printf(dev, "cannot watch %s: %d (no hot-plug)\n", sc->root,
		    error);
	} else
		sc->watching = true;
	device_printf(dev, "%u device(s) under %s\n", sc->nchildren, sc->root);
	if (dir == NULL && device_get_unit(dev) == 0)
		xenbus_front_dev = dev;
	return (0);
}

static int
xenbusb_detach(device_t dev)
{
	struct xenbusb_softc *sc = device_get_softc(dev);
	struct xenbus_children reap = TAILQ_HEAD_INITIALIZER(reap);
	struct xenbus_child *c, *next;

	mtx_lock(&sc->lock);
	sc->detaching = true;
	TAILQ_FOREACH_SAFE(c, &sc->children, link, next)
		xenbusb_remove(sc, c, &reap);
	if (!TAILQ_EMPTY(&sc->children)) {
		sc->detaching = false;
		mtx_unlock(&sc->lock);
		xenbusb_reap(&reap);
		return (EBUSY);
	}
	mtx_unlock(&sc->lock);
	if (sc->watching)
		xs_unregister_watch(&sc->root_watch);
	xenbusb_reap(&reap);
	if (xenbus_front_dev == dev)
		xenbus_front_dev = NULL;
	mtx_destroy(&sc->lock);
	return (0);
}

static const struct device_method xenbusb_methods[] = {
	DEVMETHOD(device_identify, xenbusb_identify),
	DEVMETHOD(device_probe, xenbusb_probe),
	DEVMETHOD(device_attach, xenbusb_attach),
	DEVMETHOD(device_detach, xenbusb_detach),
	DEVMETHOD(bus_read_ivar, xenbusb_read_ivar),
	DEVMETHOD(bus_print_child, xenbusb_print_child),
	DEVMETHOD(xenbus_bus_set_state, xenbusb_set_state),
	DEVMETHOD_END
};

static driver_t xenbusb_front_driver = {
	"xenbusb_front", xenbusb_methods, sizeof(struct xenbusb_softc)
};
DRIVER_MODULE(xenbusb_front, xenstore, xenbusb_front_driver, NULL, NULL);
