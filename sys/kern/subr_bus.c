/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The device tree (sys/bus.h).  Devices of one name share a devclass that
 * hands out unit numbers.  Drivers find their parent bus by name through
 * the driver_module_set linker set; a child created with a name only
 * matches drivers of that name, an unnamed one takes the best claim.
 *
 * The tree is changed from thread context only (boot SYSINITs, driver
 * attach, tests), one change at a time; it has no lock of its own.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/linker_set.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <stdarg.h>

#define DEVNAME_MAX	32
#define ATTACH_LOG_MAX	128

MALLOC_DEFINE(M_BUS, "bus", "device tree");

SET_DECLARE(driver_module_set, struct driver_module);

/*
 * Driver registrations: the built-in set, joined by those of modules
 * (kld(4)) in dm_table; NULL while there are none.
 */
static struct driver_module **dm_table;
static size_t	dm_count;

static struct driver_module **
dm_list(size_t *n)
{
	if (dm_table == NULL) {
		*n = (size_t)SET_COUNT(driver_module_set);
		return (SET_BEGIN(driver_module_set));
	}
	*n = dm_count;
	return (dm_table);
}

#define DM_FOREACH(dmp, tbl, n)	for ((dmp) = (tbl); (dmp) < (tbl) + (n); (dmp)++)

struct devclass {
	TAILQ_ENTRY(devclass)	dc_link;
	char			dc_name[DEVNAME_MAX];
	device_t		*dc_units;
	int			dc_maxunit;	/* size of dc_units */
};

enum device_state { DS_NOTPRESENT, DS_ATTACHED };

struct device {
	TAILQ_ENTRY(device)	d_link;
	TAILQ_HEAD(, device)	d_children;
	device_t		d_parent;
	driver_t		*d_driver;
	struct devclass		*d_devclass;
	int			d_unit;
	u_int			d_order;
	bool			d_fixedname;	/* named by its creator */
	enum device_state	d_state;
	u_long			d_attachseq;
	char			d_nameunit[DEVNAME_MAX + 12];
	char			*d_desc;
	bool			d_desc_owned;
	void			*d_softc;
	void			*d_ivars;
};

static TAILQ_HEAD(, devclass) devclasses = TAILQ_HEAD_INITIALIZER(devclasses);
static u_long	attach_seq;
static char	attach_log[ATTACH_LOG_MAX][DEVNAME_MAX + 12];
static u_int	attach_log_count;

device_t	root_bus;

/* Methods */

static void
method_missing(void)
{
	panic("device method called that neither the driver nor a default "
	    "implements");
}

method_func_t
driver_lookup_method(const driver_t *drv, const struct method_desc *desc)
{
	if (drv != NULL && drv->methods != NULL) {
		for (const struct device_method *m = drv->methods;
		    m->desc != NULL; m++)
			if (m->desc == desc)
				return (m->func);
	}
	return (desc->deflt != NULL ? desc->deflt : method_missing);
}

method_func_t
device_lookup_method(device_t dev, const struct method_desc *desc)
{
	return (driver_lookup_method(dev->d_driver, desc));
}

/* Devclasses and units */

static struct devclass *
devclass_find(const char *name, bool create)
{
	struct devclass *dc;

	TAILQ_FOREACH(dc, &devclasses, dc_link)
		if (strcmp(dc->dc_name, name) == 0)
			return (dc);
	if (!create)
		return (NULL);
	dc = malloc(sizeof(*dc), M_BUS, M_WAITOK | M_ZERO);
	strlcpy(dc->dc_name, name, sizeof(dc->dc_name));
	TAILQ_INSERT_TAIL(&devclasses, dc, dc_link);
	return (dc);
}

static void
device_update_nameunit(device_t dev)
{
	if (dev->d_devclass == NULL)
		strlcpy(dev->d_nameunit, "(unnamed)", sizeof(dev->d_nameunit));
	else if (dev->d_unit < 0)
		snprintf(dev->d_nameunit, sizeof(dev->d_nameunit), "%s?",
		    dev->d_devclass->dc_name);
	else
		snprintf(dev->d_nameunit, sizeof(dev->d_nameunit), "%s%d",
		    dev->d_devclass->dc_name, dev->d_unit);
}

/* Gives dev a unit in dc: the one asked for if free, else the lowest free. */
static void
devclass_add_device(struct devclass *dc, device_t dev, int unit)
{
	if (unit >= 0 && unit < dc->dc_maxunit && dc->dc_units[unit] != NULL)
		unit = -1;
	if (unit < 0) {
		for (unit = 0; unit < dc->dc_maxunit; unit++)
			if (dc->dc_units[unit] == NULL)
				break;
	}
	if (unit >= dc->dc_maxunit) {
		int n = MAX(unit + 1, dc->dc_maxunit * 2);

		n = MAX(n, 4);
		dc->dc_units = realloc(dc->dc_units, sizeof(device_t) * n,
		    M_BUS, M_WAITOK);
		for (int i = dc->dc_maxunit; i < n; i++)
			dc->dc_units[i] = NULL;
		dc->dc_maxunit = n;
	}
	dc->dc_units[unit] = dev;
	dev->d_devclass = dc;
	dev->d_unit = unit;
	device_update_nameunit(dev);
}

static void
devclass_remove_device(device_t dev)
{
	struct devclass *dc = dev->d_devclass;

	if (dc != NULL && dev->d_unit >= 0 && dev->d_unit < dc->dc_maxunit &&
	    dc->dc_units[dev->d_unit] == dev)
		dc->dc_units[dev->d_unit] = NULL;
}

/* Tree */

static device_t
device_create(device_t parent, u_int order, const char *name, int unit)
{
	device_t dev = malloc(sizeof(*dev), M_BUS, M_WAITOK | M_ZERO);

	TAILQ_INIT(&dev->d_children);
	dev->d_parent = parent;
	dev->d_order = order;
	dev->d_unit = -1;
	dev->d_state = DS_NOTPRESENT;
	if (name != NULL) {
		dev->d_fixedname = true;
		devclass_add_device(devclass_find(name, true), dev, unit);
	} else
		device_update_nameunit(dev);
	return (dev);
}

device_t
device_add_child_ordered(device_t dev, u_int order, const char *name, int unit)
{
	device_t child, place;

	child = device_create(dev, order, name, unit);
	/* Keep the list sorted by order; equal orders stay in creation order. */
	TAILQ_FOREACH(place, &dev->d_children, d_link)
		if (place->d_order > order)
			break;
	if (place != NULL)
		TAILQ_INSERT_BEFORE(place, child, d_link);
	else
		TAILQ_INSERT_TAIL(&dev->d_children, child, d_link);
	return (child);
}

device_t
device_add_child(device_t dev, const char *name, int unit)
{
	return (BUS_ADD_CHILD(dev, 0, name, unit));
}

device_t
bus_generic_add_child(device_t bus, u_int order, const char *name, int unit)
{
	return (device_add_child_ordered(bus, order, name, unit));
}

static void
device_free_desc(device_t dev)
{
	if (dev->d_desc_owned)
		free(dev->d_desc, M_BUS);
	dev->d_desc = NULL;
	dev->d_desc_owned = false;
}

/* Forgets the driver (and the name, if the driver gave it). */
static void
device_unbind(device_t dev)
{
	if (dev->d_softc != NULL)
		free(dev->d_softc, M_BUS);
	dev->d_softc = NULL;
	dev->d_driver = NULL;
	if (!dev->d_fixedname) {
		devclass_remove_device(dev);
		dev->d_devclass = NULL;
		dev->d_unit = -1;
		device_update_nameunit(dev);
	}
	device_free_desc(dev);
}

int
device_delete_child(device_t dev, device_t child)
{
	device_t gc;
	int error;

	if (child->d_parent != dev)
		return (EINVAL);
	if ((error = device_detach(child)) != 0)
		return (error);
	while ((gc = TAILQ_FIRST(&child->d_children)) != NULL)
		if ((error = device_delete_child(child, gc)) != 0)
			return (error);
	TAILQ_REMOVE(&dev->d_children, child, d_link);
	device_unbind(child);
	devclass_remove_device(child);
	free(child, M_BUS);
	return (0);
}

/* Probe and attach */

static bool
driver_matches(const struct driver_module *dm, device_t bus, device_t child)
{
	const char *busname = device_get_name(bus);

	if (busname == NULL || strcmp(dm->busname, busname) != 0)
		return (false);
	return (!child->d_fixedname ||
	    strcmp(dm->driver->name, device_get_name(child)) == 0);
}

/*
 * Offers dev to every driver registered on its parent's name, lower passes
 * first, and binds the best claim.  A later claim must be strictly better,
 * so among equals the earlier pass (then link order) wins.
 */
static int
device_probe(device_t dev)
{
	struct driver_module **dmp;
	driver_t *best = NULL, *last = NULL;
	void *best_softc = NULL;
	int best_pri = 0, min_pass = INT32_MAX, max_pass = INT32_MIN;
	size_t ndm;
	struct driver_module **tbl = dm_list(&ndm);

	DM_FOREACH(dmp, tbl, ndm) {
		min_pass = MIN(min_pass, (*dmp)->pass);
		max_pass = MAX(max_pass, (*dmp)->pass);
	}
	for (int pass = min_pass; pass <= max_pass; pass++) {
		DM_FOREACH(dmp, tbl, ndm) {
			driver_t *drv = (*dmp)->driver;
			int pri;

			if ((*dmp)->pass != pass ||
			    !driver_matches(*dmp, dev->d_parent, dev))
				continue;
			dev->d_driver = drv;
			if (!dev->d_fixedname) {
				dev->d_devclass = devclass_find(drv->name, true);
				device_update_nameunit(dev);
			}
			dev->d_softc = drv->size > 0 ?
			    malloc(drv->size, M_BUS, M_WAITOK | M_ZERO) : NULL;
			pri = DEVICE_PROBE(dev);
			last = drv;
			if (pri > 0 || (pri == BUS_PROBE_NOWILDCARD &&
			    !dev->d_fixedname) || (best != NULL && pri <= best_pri)) {
				free(dev->d_softc, M_BUS);
				dev->d_softc = NULL;
				continue;
			}
			free(best_softc, M_BUS);
			best = drv;
			best_softc = dev->d_softc;
			dev->d_softc = NULL;
			best_pri = pri;
			if (pri == BUS_PROBE_SPECIFIC)
				break;
		}
		if (best != NULL && best_pri == BUS_PROBE_SPECIFIC)
			break;
		if (pass == INT32_MAX)
			break;
	}
	if (best == NULL) {
		dev->d_driver = NULL;
		if (!dev->d_fixedname) {
			dev->d_devclass = NULL;
			device_update_nameunit(dev);
		}
		return (ENXIO);
	}
	dev->d_driver = best;
	dev->d_softc = best_softc;
	if (!dev->d_fixedname)
		devclass_add_device(devclass_find(best->name, true), dev, -1);
	/* Later probes may have left their description: ask the winner again. */
	if (last != best) {
		device_free_desc(dev);
		(void)DEVICE_PROBE(dev);
	}
	return (0);
}

static void
attach_log_add(device_t dev)
{
	strlcpy(attach_log[attach_log_count % ATTACH_LOG_MAX],
	    dev->d_nameunit, sizeof(attach_log[0]));
	attach_log_count++;
}

int
device_attach_log(const char **names, int max)
{
	u_int n = MIN(attach_log_count, ATTACH_LOG_MAX);
	u_int first;

	if (max < 0)
		max = 0;
	n = MIN(n, (u_int)max);
	first = attach_log_count - n;
	for (u_int i = 0; i < n; i++)
		names[i] = attach_log[(first + i) % ATTACH_LOG_MAX];
	return ((int)n);
}

int
device_probe_and_attach(device_t dev)
{
	int error;

	if (dev->d_state == DS_ATTACHED)
		return (0);
	if (dev->d_parent == NULL)
		return (EINVAL);
	if ((error = device_probe(dev)) != 0)
		return (error);
	/* Announce first, so the children's lines follow their parent's. */
	((bus_print_child_t *)device_lookup_method(dev->d_parent,
	    &bus_print_child_desc))(dev->d_parent, dev);
	if ((error = DEVICE_ATTACH(dev)) != 0) {
		device_printf(dev, "attach failed: error %d\n", error);
		device_unbind(dev);
		return (error);
	}
	dev->d_state = DS_ATTACHED;
	dev->d_attachseq = ++attach_seq;
	attach_log_add(dev);
	return (0);
}

int
device_detach(device_t dev)
{
	int error;

	if (dev->d_state != DS_ATTACHED)
		return (0);
	if ((error = DEVICE_DETACH(dev)) != 0)
		return (error);
	if (dev->d_parent != NULL)
		BUS_CHILD_DETACHED(dev->d_parent, dev);
	dev->d_state = DS_NOTPRESENT;
	device_unbind(dev);
	return (0);
}

/* Accessors */

int
device_get_children(device_t dev, device_t **list, int *count)
{
	device_t child;
	int n = 0;

	TAILQ_FOREACH(child, &dev->d_children, d_link)
		n++;
	*list = malloc(sizeof(device_t) * (size_t)MAX(n, 1), M_TEMP,
	    M_WAITOK | M_ZERO);
	n = 0;
	TAILQ_FOREACH(child, &dev->d_children, d_link)
		(*list)[n++] = child;
	*count = n;
	return (0);
}

device_t
device_get_parent(device_t dev)
{
	return (dev->d_parent);
}

device_t
device_find_child(device_t dev, const char *name, int unit)
{
	device_t child;

	TAILQ_FOREACH(child, &dev->d_children, d_link) {
		if (child->d_devclass == NULL ||
		    strcmp(child->d_devclass->dc_name, name) != 0)
			continue;
		if (unit == -1 || child->d_unit == unit)
			return (child);
	}
	return (NULL);
}

void *
device_get_softc(device_t dev)
{
	return (dev->d_softc);
}

void *
device_get_ivars(device_t dev)
{
	return (dev->d_ivars);
}

void
device_set_ivars(device_t dev, void *ivars)
{
	dev->d_ivars = ivars;
}

const char *
device_get_name(device_t dev)
{
	return (dev->d_devclass != NULL ? dev->d_devclass->dc_name : NULL);
}

const char *
device_get_nameunit(device_t dev)
{
	return (dev->d_nameunit);
}

int
device_get_unit(device_t dev)
{
	return (dev->d_unit);
}

const char *
device_get_desc(device_t dev)
{
	return (dev->d_desc);
}

void
device_set_desc(device_t dev, const char *desc)
{
	device_free_desc(dev);
	dev->d_desc = (char *)(uintptr_t)desc;
}

void
device_set_desc_copy(device_t dev, const char *desc)
{
	size_t len = strlen(desc) + 1;
	char *copy = malloc(len, M_BUS, M_WAITOK);

	memcpy(copy, desc, len);
	device_free_desc(dev);
	dev->d_desc = copy;
	dev->d_desc_owned = true;
}

driver_t *
device_get_driver(device_t dev)
{
	return (dev->d_driver);
}

bool
device_is_attached(device_t dev)
{
	return (dev->d_state == DS_ATTACHED);
}

u_int
device_get_order(device_t dev)
{
	return (dev->d_order);
}

int
device_printf(device_t dev, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = printf("%s: ", dev->d_nameunit);
	va_start(ap, fmt);
	n += vprintf(fmt, ap);
	va_end(ap);
	return (n);
}

/* Generic bus methods */

int
bus_generic_probe(device_t dev)
{
	struct driver_module **dmp;
	const char *name = device_get_name(dev);
	size_t ndm;
	struct driver_module **tbl = dm_list(&ndm);

	if (name == NULL)
		return (0);
	DM_FOREACH(dmp, tbl, ndm)
		if (strcmp((*dmp)->busname, name) == 0)
			DEVICE_IDENTIFY((*dmp)->driver, dev);
	return (0);
}

/* Ascending order, then unit; children still without a unit go last. */
static bool
child_before(device_t a, device_t b)
{
	u_int ua = (u_int)a->d_unit, ub = (u_int)b->d_unit;

	if (a->d_order != b->d_order)
		return (a->d_order < b->d_order);
	return (ua < ub);
}

int
bus_generic_attach(device_t dev)
{
	device_t *kids;
	int n;

	device_get_children(dev, &kids, &n);
	for (int i = 1; i < n; i++) {
		device_t k = kids[i];
		int j;

		for (j = i; j > 0 && child_before(k, kids[j - 1]); j--)
			kids[j] = kids[j - 1];
		kids[j] = k;
	}
	for (int i = 0; i < n; i++)
		(void)device_probe_and_attach(kids[i]);
	free(kids, M_TEMP);
	return (0);
}

/* Children go in the reverse of the order they attached in. */
int
bus_generic_detach(device_t dev)
{
	device_t child, last;
	int error;

	for (;;) {
		last = NULL;
		TAILQ_FOREACH(child, &dev->d_children, d_link)
			if (child->d_state == DS_ATTACHED &&
			    (last == NULL || child->d_attachseq > last->d_attachseq))
				last = child;
		if (last == NULL)
			return (0);
		if ((error = device_detach(last)) != 0)
			return (error);
	}
}

static int
bus_generic_each(device_t dev, const struct method_desc *desc)
{
	device_t child;
	int error;

	TAILQ_FOREACH(child, &dev->d_children, d_link) {
		if (child->d_state != DS_ATTACHED)
			continue;
		error = ((int (*)(device_t))device_lookup_method(child,
		    desc))(child);
		if (error != 0)
			return (error);
	}
	return (0);
}

int
bus_generic_shutdown(device_t dev)
{
	return (bus_generic_each(dev, &device_shutdown_desc));
}

int
bus_generic_suspend(device_t dev)
{
	return (bus_generic_each(dev, &device_suspend_desc));
}

int
bus_generic_resume(device_t dev)
{
	return (bus_generic_each(dev, &device_resume_desc));
}

/* The root of the tree */

static const struct device_method root_methods[] = {
	DEVMETHOD(bus_add_child, bus_generic_add_child),
	DEVMETHOD_END
};

static driver_t root_driver = { "root", root_methods, 0 };

static void
root_bus_configure(void *arg __unused)
{
	device_t nexus;

	root_bus = device_create(NULL, 0, "root", 0);
	root_bus->d_driver = &root_driver;
	root_bus->d_state = DS_ATTACHED;
	nexus = device_add_child(root_bus, "nexus", 0);
	bus_generic_probe(root_bus);
	bus_generic_attach(root_bus);
	if (!device_is_attached(nexus))
		printf("root: no nexus driver attached\n");
}
SYSINIT(configure, SI_SUB_CONFIGURE, SI_ORDER_FIRST, root_bus_configure, NULL);

/* Driver registration by modules (kld(4)) */

/*
 * Offers a newly registered driver to the tree: each attached bus of its
 * bus name lets it identify children, then its unattached children are
 * probed again.  Children are visited from a snapshot, since attaching
 * adds to the tree.
 */
static void
driver_added(device_t dev, const struct driver_module *dm)
{
	device_t *kids;
	int n;

	if (dev->d_state == DS_ATTACHED && device_get_name(dev) != NULL &&
	    strcmp(device_get_name(dev), dm->busname) == 0) {
		DEVICE_IDENTIFY(dm->driver, dev);
		device_get_children(dev, &kids, &n);
		for (int i = 0; i < n; i++)
			if (kids[i]->d_state != DS_ATTACHED)
				(void)device_probe_and_attach(kids[i]);
		free(kids, M_TEMP);
	}
	device_get_children(dev, &kids, &n);
	for (int i = 0; i < n; i++)
		driver_added(kids[i], dm);
	free(kids, M_TEMP);
}

int
driver_module_add(struct driver_module *const *set, size_t n)
{
	struct driver_module **old, **tbl;
	size_t nold;

	if (n == 0)
		return (0);
	old = dm_list(&nold);
	tbl = mallocarray(nold + n, sizeof(*tbl), M_BUS, M_WAITOK);
	memcpy(tbl, old, nold * sizeof(*tbl));
	memcpy(tbl + nold, set, n * sizeof(*tbl));
	if (dm_table != NULL)
		free(dm_table, M_BUS);
	dm_table = tbl;
	dm_count = nold + n;
	for (size_t i = 0; root_bus != NULL && i < n; i++)
		driver_added(root_bus, set[i]);
	return (0);
}

/* The first attached device bound to one of the drivers of set, or NULL. */
static device_t
driver_in_use(device_t dev, struct driver_module *const *set, size_t n)
{
	device_t child, d;

	for (size_t i = 0; dev->d_state == DS_ATTACHED && i < n; i++)
		if (dev->d_driver == set[i]->driver)
			return (dev);
	TAILQ_FOREACH(child, &dev->d_children, d_link)
		if ((d = driver_in_use(child, set, n)) != NULL)
			return (d);
	return (NULL);
}

int
driver_module_remove(struct driver_module *const *set, size_t n, device_t *busy)
{
	struct driver_module **tbl;
	device_t d;
	size_t nold, k = 0;

	*busy = NULL;
	if (n == 0)
		return (0);
	if (root_bus != NULL && (d = driver_in_use(root_bus, set, n)) != NULL) {
		*busy = d;
		return (EBUSY);
	}
	tbl = dm_list(&nold);
	for (size_t i = 0; i < nold; i++) {
		bool mine = false;

		for (size_t j = 0; j < n; j++)
			mine |= tbl[i] == set[j];
		if (!mine)
			tbl[k++] = tbl[i];
	}
	KASSERT(tbl == dm_table || k == nold,
	    ("driver_module_remove: built-in drivers removed"));
	dm_count = k;
	return (0);
}
