/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The backend xenbus (see xenbusb_back.h).  The toolstack writes a device's
 * backend and frontend directories in one transaction, so a backend
 * directory without a usable frontend (path, id matching the directory
 * name, state) is skipped until a later change completes it.  Every name,
 * path, id and state read is bounded and checked.
 *
 * Watch events on backend/ name the node that changed: an event inside a
 * known device's directory needs nothing (the toolstack's writes there are
 * read by the driver when it needs them), one at or inside an unknown
 * device's directory tries that device alone, and one above the device
 * level (or after the client dropped events) enumerates everything.
 *
 * Locking as in xenbusb_front.c: the bus lock (sleep, recursive) serialises
 * enumeration, state changes and deliveries; watches are never
 * unregistered with it held, so removed children are reaped after.
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
#include <xen/xenbus/xenbusb_back.h>
#include <xen/xenbus/xenbusvar.h>
#include <xen/xenstore.h>

MALLOC_DEFINE(M_XENBUS_BACK, "xenbus_back", "xenbus backend devices");

struct xenbusb_back_softc;

struct xenbusb_back_child {
	TAILQ_ENTRY(xenbusb_back_child) link;
	struct xenbusb_back_softc *sc;
	device_t		dev;
	struct xenbus_back_triple t;
	char			node[XENBUS_PATH_MAX];
	char			otherend_path[XENBUS_PATH_MAX];
	char			otherend_state_node[XENBUS_PATH_MAX + 8];
	XenbusState		state;
	XenbusState		otherend_state;
	bool			seen;		/* in the current scan */
	bool			gone;		/* removed: callbacks return */
	bool			watching;
	bool			cleaned;	/* we removed our directory */
	struct xs_watch		otherend_watch;
};
TAILQ_HEAD(xenbusb_back_children, xenbusb_back_child);

struct xenbusb_back_softc {
	device_t		dev;
	struct mtx		lock;
	char			root[XENBUS_PATH_MAX];	/* <home>/backend */
	struct xs_watch		root_watch;
	uint64_t		dropped_seen;	/* root_watch.dropped at last scan */
	bool			watching;
	bool			detaching;
	u_int			nchildren;
	struct xenbusb_back_children children;
	struct xenbus_back_stats stats;
};

static device_t	xenbus_back_dev;	/* the domain's own bus (unit 0) */

/*
 * The driver domain's part of an unplug (what xl devd does for Linux):
 * once our state node says Closed and the toolstack has set online to 0
 * (xl block-detach, or the guest's destruction), or the frontend's
 * directory is gone, remove our directory.  The toolstack waits for that
 * before it removes the frontend.  In a transaction that sees all three,
 * so a device written again under the same name meanwhile is left alone.
 */
static int
xenbusb_back_clean_tx(xs_tx_t tx, void *arg)
{
	struct xenbusb_back_child *c = arg;
	char *v;
	size_t len;
	XenbusState st;
	bool offline, fe_gone;
	int error;

	if ((error = xs_read(tx, c->node, "state", &v, &len)) != 0)
		return (error);
	error = xenbus_state_parse(v, len, &st);
	free(v, M_XENSTORE);
	if (error != 0 || st != XenbusStateClosed)
		return (EBUSY);
	error = xs_read(tx, c->node, "online", &v, &len);
	if (error != 0 && error != ENOENT)
		return (error);
	offline = error == ENOENT || (len == 1 && v[0] == '0');
	if (error == 0)
		free(v, M_XENSTORE);
	error = xs_read(tx, c->otherend_path, "state", &v, &len);
	if (error != 0 && error != ENOENT)
		return (error);
	fe_gone = error == ENOENT;
	if (error == 0)
		free(v, M_XENSTORE);
	if (!offline && !fe_gone)
		return (EBUSY);
	return (xs_rm(tx, c->node, ""));
}

static void
xenbusb_back_maybe_clean(struct xenbusb_back_child *c)
{
	mtx_assert(&c->sc->lock, MA_OWNED);
	if (c->state != XenbusStateClosed || c->cleaned)
		return;
	if (xs_transaction_run(xenbusb_back_clean_tx, c, 4) == 0) {
		c->cleaned = true;
		c->sc->stats.cleaned++;
	}
}

static void
xenbusb_back_deliver(struct xenbusb_back_child *c, XenbusState st)
{
	mtx_assert(&c->sc->lock, MA_OWNED);
	c->sc->stats.otherend_events++;
	if (device_is_attached(c->dev))
		XENBUS_OTHEREND_CHANGED(c->dev, st);
	else
		xenbus_generic_otherend_changed(c->dev, st);
	xenbusb_back_maybe_clean(c);
}

static void
xenbusb_back_otherend_cb(struct xs_watch *w, const char *path __unused)
{
	struct xenbusb_back_child *c = w->arg;
	struct xenbusb_back_softc *sc = c->sc;
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
		xenbusb_back_deliver(c, st);
	}
	mtx_unlock(&sc->lock);
}

static struct xenbusb_back_child *
xenbusb_back_find(struct xenbusb_back_softc *sc,
    const struct xenbus_back_triple *t)
{
	struct xenbusb_back_child *c;

	TAILQ_FOREACH(c, &sc->children, link)
		if (c->t.frontid == t->frontid &&
		    strcmp(c->t.type, t->type) == 0 &&
		    strcmp(c->t.devid, t->devid) == 0)
			return (c);
	return (NULL);
}

/* Creates the child for root/type/frontid/devid; false if not usable (yet). */
static bool
xenbusb_back_add(struct xenbusb_back_softc *sc, const struct xenbus_back_triple *t)
{
	struct xenbusb_back_child *c;
	uint64_t feid;
	int error;

	mtx_assert(&sc->lock, MA_OWNED);
	if (sc->nchildren >= XENBUS_MAX_CHILDREN)
		return (false);
	c = malloc(sizeof(*c), M_XENBUS_BACK, M_WAITOK | M_ZERO);
	c->sc = sc;
	c->t = *t;
	if ((size_t)snprintf(c->node, sizeof(c->node), "%s/%s/%u/%s", sc->root,
	    t->type, t->frontid, t->devid) >= sizeof(c->node))
		goto refuse;
	if (xenbus_read_str(c->node, "frontend", c->otherend_path,
	    sizeof(c->otherend_path)) != 0 || !xenbus_path_ok(c->otherend_path))
		goto refuse;
	/* The directory's name and frontend-id must agree. */
	if (xs_read_uint(XST_NIL, c->node, "frontend-id", &feid) != 0 ||
	    feid != t->frontid)
		goto refuse;
	if (xenbus_read_state(c->node, &c->state) != 0 ||
	    c->state == XenbusStateUnknown ||
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
	c->otherend_watch.callback = xenbusb_back_otherend_cb;
	c->otherend_watch.arg = c;
	c->otherend_watch.max_pending = 8;
	if ((error = xs_register_watch(&c->otherend_watch)) != 0)
		device_printf(sc->dev, "%s: cannot watch %s: %d\n", c->node,
		    c->otherend_state_node, error);
	else
		c->watching = true;
	if (device_probe_and_attach(c->dev) == 0 &&
	    (error = xs_write(XST_NIL, c->node, "hotplug-status",
	    "connected")) != 0)
		device_printf(c->dev, "cannot write hotplug-status: %d\n", error);
	/* The driver (or the protocol) sees the state the frontend is in. */
	xenbusb_back_deliver(c, c->otherend_state);
	return (true);
refuse:
	free(c, M_XENBUS_BACK);
	return (false);
}

static void
xenbusb_back_remove(struct xenbusb_back_softc *sc, struct xenbusb_back_child *c,
    struct xenbusb_back_children *reap)
{
	int error;

	mtx_assert(&sc->lock, MA_OWNED);
	if ((error = device_delete_child(sc->dev, c->dev)) != 0) {
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
xenbusb_back_reap(struct xenbusb_back_children *reap)
{
	struct xenbusb_back_child *c;

	while ((c = TAILQ_FIRST(reap)) != NULL) {
		TAILQ_REMOVE(reap, c, link);
		if (c->watching)
			xs_unregister_watch(&c->otherend_watch);
		free(c, M_XENBUS_BACK);
	}
}

/* Does the device directory still hold what makes it a device? */
static bool
xenbusb_back_present(struct xenbusb_back_child *c)
{
	char *v;
	size_t len;
	int error;

	error = xs_read(XST_NIL, c->node, "frontend", &v, &len);
	if (error == 0)
		free(v, M_XENSTORE);
	/* A failed read is not an unplug. */
	return (error != ENOENT);
}

/* One device named by an event: add it, or remove it if it went. */
static void
xenbusb_back_check(struct xenbusb_back_softc *sc,
    const struct xenbus_back_triple *t, bool devnode,
    struct xenbusb_back_children *reap)
{
	struct xenbusb_back_child *c;

	mtx_assert(&sc->lock, MA_OWNED);
	if (sc->detaching)
		return;
	if ((c = xenbusb_back_find(sc, t)) == NULL) {
		if (!xenbusb_back_add(sc, t))
			sc->stats.refused++;
	} else if (devnode && !xenbusb_back_present(c))
		xenbusb_back_remove(sc, c, reap);
	else if (!devnode)
		/* Our state or online changed: maybe the unplug is ours now. */
		xenbusb_back_maybe_clean(c);
}

/* Lists dir/node; ENOENT and failures alike leave *n at 0. */
static int
xenbusb_back_list(const char *dir, const char *node, u_int *n, const char ***l)
{
	int error;

	*n = 0;
	*l = NULL;
	error = xs_directory(XST_NIL, dir, node, n, l);
	if (error != 0) {
		*n = 0;
		*l = NULL;
	}
	return (error);
}

/* Marks the children below type[/frontid] seen (their listing failed). */
static void
xenbusb_back_keep(struct xenbusb_back_softc *sc, const char *type,
    const u_int *frontid)
{
	struct xenbusb_back_child *c;

	TAILQ_FOREACH(c, &sc->children, link)
		if (strcmp(c->t.type, type) == 0 &&
		    (frontid == NULL || c->t.frontid == *frontid))
			c->seen = true;
}

static void
xenbusb_back_scan_front(struct xenbusb_back_softc *sc,
    struct xenbus_back_triple *t)
{
	struct xenbusb_back_child *c;
	const char **ids;
	char rel[2 * XENBUS_NAME_MAX + 8];
	u_int nids;
	int error;

	snprintf(rel, sizeof(rel), "%s/%u", t->type, t->frontid);
	if ((error = xenbusb_back_list(sc->root, rel, &nids, &ids)) != 0) {
		if (error != ENOENT)
			xenbusb_back_keep(sc, t->type, &t->frontid);
		return;
	}
	for (u_int i = 0; i < nids; i++) {
		if (!xenbus_name_ok(ids[i])) {
			sc->stats.refused++;
			continue;
		}
		strlcpy(t->devid, ids[i], sizeof(t->devid));
		if ((c = xenbusb_back_find(sc, t)) != NULL)
			c->seen = true;
		else if (!xenbusb_back_add(sc, t))
			sc->stats.refused++;
	}
	free(ids, M_XENSTORE);
}

static void
xenbusb_back_scan(struct xenbusb_back_softc *sc,
    struct xenbusb_back_children *reap)
{
	struct xenbusb_back_child *c, *next;
	struct xenbus_back_triple t;
	const char **types, **fes;
	u_int ntypes, nfes;
	int error;

	mtx_assert(&sc->lock, MA_OWNED);
	if (sc->detaching)
		return;
	sc->stats.scans++;
	sc->dropped_seen = __atomic_load_n(&sc->root_watch.dropped,
	    __ATOMIC_RELAXED);
	error = xenbusb_back_list(sc->root, "", &ntypes, &types);
	if (error != 0 && error != ENOENT) {
		device_printf(sc->dev, "cannot list %s: %d\n", sc->root, error);
		return;
	}
	TAILQ_FOREACH(c, &sc->children, link)
		c->seen = false;
	for (u_int i = 0; i < ntypes; i++) {
		if (!xenbus_name_ok(types[i])) {
			sc->stats.refused++;
			continue;
		}
		strlcpy(t.type, types[i], sizeof(t.type));
		if ((error = xenbusb_back_list(sc->root, t.type, &nfes,
		    &fes)) != 0) {
			if (error != ENOENT)
				xenbusb_back_keep(sc, t.type, NULL);
			continue;
		}
		for (u_int j = 0; j < nfes; j++) {
			if (xenbus_domid_parse(fes[j], &t.frontid) != 0) {
				sc->stats.refused++;
				continue;
			}
			xenbusb_back_scan_front(sc, &t);
		}
		free(fes, M_XENSTORE);
	}
	if (types != NULL)
		free(types, M_XENSTORE);
	TAILQ_FOREACH_SAFE(c, &sc->children, link, next)
		if (!c->seen)
			xenbusb_back_remove(sc, c, reap);
}

void
xenbus_back_rescan(device_t bus)
{
	struct xenbusb_back_softc *sc = device_get_softc(bus);
	struct xenbusb_back_children reap = TAILQ_HEAD_INITIALIZER(reap);

	mtx_lock(&sc->lock);
	xenbusb_back_scan(sc, &reap);
	mtx_unlock(&sc->lock);
	xenbusb_back_reap(&reap);
}

static void
xenbusb_back_root_cb(struct xs_watch *w, const char *path)
{
	struct xenbusb_back_softc *sc = w->arg;
	struct xenbusb_back_children reap = TAILQ_HEAD_INITIALIZER(reap);
	struct xenbus_back_triple t;
	enum xenbus_back_where where;

	mtx_lock(&sc->lock);
	sc->stats.events++;
	where = xenbus_back_path_split(sc->root, path, &t);
	if (__atomic_load_n(&w->dropped, __ATOMIC_RELAXED) != sc->dropped_seen)
		where = XBP_ABOVE;	/* events were lost: look at everything */
	switch (where) {
	case XBP_OUTSIDE:
		break;
	case XBP_ABOVE:
		xenbusb_back_scan(sc, &reap);
		break;
	case XBP_DEVICE:
	case XBP_INSIDE:
		xenbusb_back_check(sc, &t, where == XBP_DEVICE, &reap);
		break;
	}
	mtx_unlock(&sc->lock);
	xenbusb_back_reap(&reap);
}

static int
xenbusb_back_set_state(device_t bus __unused, device_t dev, XenbusState st)
{
	struct xenbusb_back_child *c = device_get_ivars(dev);
	struct xenbusb_back_softc *sc = c->sc;
	XenbusState cur;
	int error;

	mtx_lock(&sc->lock);
	if (!xenbus_state_transition_ok(XENBUS_BACKEND, c->state, st)) {
		device_printf(dev, "illegal state change %s -> %s\n",
		    xenbus_state_name(c->state), xenbus_state_name(st));
		mtx_unlock(&sc->lock);
		return (EINVAL);
	}
	if (st == c->state) {
		mtx_unlock(&sc->lock);
		return (0);
	}
	/* Never recreate a directory the toolstack removed. */
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
xenbusb_back_read_ivar(device_t bus, device_t child, int which,
    uintptr_t *result)
{
	struct xenbusb_back_child *c = device_get_ivars(child);

	switch (which) {
	case XENBUS_IVAR_NODE:
		*result = (uintptr_t)c->node;
		return (0);
	case XENBUS_IVAR_TYPE:
		*result = (uintptr_t)c->t.type;
		return (0);
	case XENBUS_IVAR_ID:
		*result = (uintptr_t)c->t.devid;
		return (0);
	case XENBUS_IVAR_STATE:
		*result = (uintptr_t)c->state;
		return (0);
	case XENBUS_IVAR_OTHEREND_ID:
		*result = c->t.frontid;
		return (0);
	case XENBUS_IVAR_OTHEREND_PATH:
		*result = (uintptr_t)c->otherend_path;
		return (0);
	case XENBUS_IVAR_OTHEREND_STATE:
		*result = (uintptr_t)c->otherend_state;
		return (0);
	case XENBUS_IVAR_ROLE:
		*result = XENBUS_BACKEND;
		return (0);
	}
	return (ENOENT);
}

static int
xenbusb_back_print_child(device_t bus, device_t child)
{
	struct xenbusb_back_child *c = device_get_ivars(child);

	return (printf("%s: <%s> at %s on %s\n", device_get_nameunit(child),
	    device_get_desc(child) != NULL ? device_get_desc(child) : c->t.type,
	    c->node, device_get_nameunit(bus)));
}

void
xenbus_back_get_stats(device_t bus, struct xenbus_back_stats *st)
{
	struct xenbusb_back_softc *sc = device_get_softc(bus);

	mtx_lock(&sc->lock);
	*st = sc->stats;
	mtx_unlock(&sc->lock);
}

void
xenbus_back_foreach_child(device_t bus, void (*fn)(device_t, void *), void *arg)
{
	struct xenbusb_back_softc *sc = device_get_softc(bus);
	struct xenbusb_back_child *c;

	mtx_lock(&sc->lock);
	TAILQ_FOREACH(c, &sc->children, link)
		fn(c->dev, arg);
	mtx_unlock(&sc->lock);
}

device_t
xenbus_back_bus(void)
{
	return (xenbus_back_dev);
}

static void
xenbusb_back_identify(driver_t *drv, device_t parent)
{
	if (device_find_child(parent, drv->name, 0) == NULL)
		(void)device_add_child(parent, drv->name, 0);
}

static int
xenbusb_back_probe(device_t dev)
{
	if (!xs_ready())
		return (ENXIO);
	device_set_desc(dev, "Xen backend devices");
	return (BUS_PROBE_SPECIFIC);
}

/*
 * The directory enumerated is <home>/backend, or, for a second bus a test
 * creates, the relative directory given as the device's ivars.
 */
static int
xenbusb_back_attach(device_t dev)
{
	struct xenbusb_back_softc *sc = device_get_softc(dev);
	struct xenbusb_back_children reap = TAILQ_HEAD_INITIALIZER(reap);
	const char *dir = device_get_ivars(dev);
	int error;

	sc->dev = dev;
	TAILQ_INIT(&sc->children);
	error = xenbus_home_path(dir != NULL ? dir : "backend", sc->root,
	    sizeof(sc->root));
	if (error != 0)
		return (error);
	mtx_init(&sc->lock, "xenbus_back", NULL, MTX_DEF | MTX_RECURSE);
	mtx_lock(&sc->lock);
	xenbusb_back_scan(sc, &reap);
	mtx_unlock(&sc->lock);
	xenbusb_back_reap(&reap);
	/* Its first event (xenstored fires a new watch once) covers the gap. */
	sc->root_watch.node = sc->root;
	sc->root_watch.callback = xenbusb_back_root_cb;
	sc->root_watch.arg = sc;
	sc->root_watch.max_pending = 64;
	if ((error = xs_register_watch(&sc->root_watch)) != 0)
		device_printf(dev, "cannot watch %s: %d (no backends)\n",
		    sc->root, error);
	else
		sc->watching = true;
	if (dir == NULL && device_get_unit(dev) == 0)
		xenbus_back_dev = dev;
	return (0);
}

static int
xenbusb_back_detach(device_t dev)
{
	struct xenbusb_back_softc *sc = device_get_softc(dev);
	struct xenbusb_back_children reap = TAILQ_HEAD_INITIALIZER(reap);
	struct xenbusb_back_child *c, *next;

	mtx_lock(&sc->lock);
	sc->detaching = true;
	TAILQ_FOREACH_SAFE(c, &sc->children, link, next)
		xenbusb_back_remove(sc, c, &reap);
	if (!TAILQ_EMPTY(&sc->children)) {
		sc->detaching = false;
		mtx_unlock(&sc->lock);
		xenbusb_back_reap(&reap);
		return (EBUSY);
	}
	mtx_unlock(&sc->lock);
	if (sc->watching)
		xs_unregister_watch(&sc->root_watch);
	xenbusb_back_reap(&reap);
	if (xenbus_back_dev == dev)
		xenbus_back_dev = NULL;
	mtx_destroy(&sc->lock);
	return (0);
}

static const struct device_method xenbusb_back_methods[] = {
	DEVMETHOD(device_identify, xenbusb_back_identify),
	DEVMETHOD(device_probe, xenbusb_back_probe),
	DEVMETHOD(device_attach, xenbusb_back_attach),
	DEVMETHOD(device_detach, xenbusb_back_detach),
	DEVMETHOD(bus_read_ivar, xenbusb_back_read_ivar),
	DEVMETHOD(bus_print_child, xenbusb_back_print_child),
	DEVMETHOD(xenbus_bus_set_state, xenbusb_back_set_state),
	DEVMETHOD_END
};

static driver_t xenbusb_back_driver = {
	"xenbusb_back", xenbusb_back_methods, sizeof(struct xenbusb_back_softc)
};
DRIVER_MODULE(xenbusb_back, xenstore, xenbusb_back_driver, NULL, NULL);
