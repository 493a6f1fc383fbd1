/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Device-tree ordering: attach by order then unit, best claim, named
 * children, units, detach in reverse, failing attach, identify.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include "kunit.h"

static char	events[32][32];
static int	nevents;

static void
event(const char *what, device_t dev)
{
	if (nevents < (int)nitems(events))
		snprintf(events[nevents], sizeof(events[0]), "%s %s", what,
		    device_get_nameunit(dev));
	nevents++;
}

static int
rec_attach(device_t dev)
{
	event("attach", dev);
	return (0);
}

static int
rec_detach(device_t dev)
{
	event("detach", dev);
	return (0);
}

static int
probe_default(device_t dev __unused)
{
	return (BUS_PROBE_DEFAULT);
}

static int
probe_specific(device_t dev __unused)
{
	return (BUS_PROBE_SPECIFIC);
}

static int
probe_nowild(device_t dev __unused)
{
	return (BUS_PROBE_NOWILDCARD);
}

static int
fail_attach(device_t dev __unused)
{
	return (ENXIO);
}

static void
hleaf_identify(driver_t *drv, device_t parent)
{
	if (device_find_child(parent, drv->name, -1) == NULL)
		device_add_child_ordered(parent, 100, drv->name, -1);
}

static const struct device_method hleaf_methods[] = {
	DEVMETHOD(device_identify, hleaf_identify),
	DEVMETHOD(device_probe, probe_default),
	DEVMETHOD(device_attach, rec_attach),
	DEVMETHOD(device_detach, rec_detach),
	DEVMETHOD_END
};
static const struct device_method hspec_methods[] = {
	DEVMETHOD(device_probe, probe_specific),
	DEVMETHOD(device_attach, rec_attach),
	DEVMETHOD(device_detach, rec_detach),
	DEVMETHOD_END
};
static const struct device_method hnowild_methods[] = {
	DEVMETHOD(device_probe, probe_nowild),
	DEVMETHOD(device_attach, rec_attach),
	DEVMETHOD_END
};
/* Only for children named for it: a failing attach is not retried elsewhere. */
static const struct device_method hfail_methods[] = {
	DEVMETHOD(device_probe, probe_nowild),
	DEVMETHOD(device_attach, fail_attach),
	DEVMETHOD_END
};
static driver_t hleaf_driver = { "hleaf", hleaf_methods, 16 };
static driver_t hspec_driver = { "hspec", hspec_methods, 0 };
static driver_t hnowild_driver = { "hnowild", hnowild_methods, 0 };
static driver_t hfail_driver = { "hfail", hfail_methods, 0 };
DRIVER_MODULE(hleaf, hbus, hleaf_driver, NULL, NULL);
DRIVER_MODULE(hspec, hbus, hspec_driver, NULL, NULL);
DRIVER_MODULE(hnowild, hbus, hnowild_driver, NULL, NULL);
DRIVER_MODULE(hfail, hbus, hfail_driver, NULL, NULL);

static const struct device_method hbus_methods[] = {
	DEVMETHOD(device_probe, probe_specific),
	DEVMETHOD(device_attach, rec_attach),
	DEVMETHOD(device_detach, bus_generic_detach),
	DEVMETHOD_END
};
static driver_t hbus_driver = { "hbus", hbus_methods, 0 };
DRIVER_MODULE(hbus, root, hbus_driver, NULL, NULL);

static device_t
setup(void)
{
	device_t bus;

	kunit_ram(16 * 1024 * 1024, 4 * 1024 * 1024);
	kunit_sysinit(SI_SUB_CONFIGURE);
	KU_ASSERT(root_bus != NULL, "no root bus");
	bus = device_add_child(root_bus, "hbus", -1);
	KU_ASSERT(device_probe_and_attach(bus) == 0, "hbus did not attach");
	nevents = 0;
	return (bus);
}

static void
expect(const char *const *want, int n)
{
	KU_ASSERT(nevents == n, "%d events, want %d (first: %s)", nevents, n,
	    nevents > 0 ? events[0] : "none");
	for (int i = 0; i < n; i++)
		KU_ASSERT(strcmp(events[i], want[i]) == 0, "event %d: %s, want %s",
		    i, events[i], want[i]);
}

KUNIT_TEST(bus_order_then_unit)
{
	static const char *const want[] = { "attach hleaf0", "attach hspec0",
	    "attach hleaf2", "attach hleaf3", "attach hleaf1" };
	device_t bus = setup();

	device_add_child_ordered(bus, 5, "hleaf", 1);
	device_add_child_ordered(bus, 1, NULL, -1);		/* best: hspec */
	device_add_child_ordered(bus, 0, "hleaf", 0);
	device_add_child_ordered(bus, 3, "hleaf", 3);
	device_add_child_ordered(bus, 3, "hleaf", 2);
	bus_generic_attach(bus);
	expect(want, (int)nitems(want));
	KU_ASSERT(device_get_softc(device_find_child(bus, "hleaf", 2)) != NULL,
	    "no softc");
}

KUNIT_TEST(bus_detach_reverse)
{
	static const char *const want[] = { "detach hleaf1", "detach hspec0",
	    "detach hleaf0" };
	device_t bus = setup();
	const char *log[4];

	device_add_child_ordered(bus, 0, "hleaf", 0);
	device_add_child_ordered(bus, 1, NULL, -1);
	device_add_child_ordered(bus, 2, "hleaf", -1);
	bus_generic_attach(bus);
	KU_ASSERT(device_attach_log(log, 3) == 3, "attach log");
	KU_ASSERT(strcmp(log[0], "hleaf0") == 0 && strcmp(log[1], "hspec0") == 0 &&
	    strcmp(log[2], "hleaf1") == 0, "log %s %s %s", log[0], log[1],
	    log[2]);
	nevents = 0;
	KU_ASSERT(device_delete_child(root_bus, bus) == 0, "delete");
	expect(want, (int)nitems(want));
}

KUNIT_TEST(bus_named_and_nowildcard)
{
	device_t bus = setup(), named, anon, failing;

	named = device_add_child(bus, "hnowild", -1);
	anon = device_add_child_ordered(bus, 1, NULL, -1);
	failing = device_add_child_ordered(bus, 2, "hfail", -1);
	bus_generic_attach(bus);
	KU_ASSERT(device_is_attached(named) &&
	    strcmp(device_get_nameunit(named), "hnowild0") == 0,
	    "named NOWILDCARD child: %s", device_get_nameunit(named));
	KU_ASSERT(strcmp(device_get_name(anon), "hspec") == 0,
	    "unnamed child got %s", device_get_name(anon));
	KU_ASSERT(!device_is_attached(failing) && device_get_softc(failing) ==
	    NULL, "failed attach left state");
	KU_ASSERT(strcmp(device_get_nameunit(failing), "hfail0") == 0,
	    "named child lost its name: %s", device_get_nameunit(failing));
}

KUNIT_TEST(bus_identify_adds_children)
{
	device_t bus = setup();

	bus_generic_probe(bus);
	bus_generic_probe(bus);
	KU_ASSERT(device_find_child(bus, "hleaf", 0) != NULL,
	    "identify did not add hleaf0");
	KU_ASSERT(device_find_child(bus, "hleaf", 1) == NULL,
	    "identify added twice");
	bus_generic_attach(bus);
	KU_ASSERT(device_is_attached(device_find_child(bus, "hleaf", 0)),
	    "identified child not attached");
}

KUNIT_TEST(bus_units_reused)
{
	device_t bus = setup(), a, b;

	a = device_add_child(bus, "hleaf", -1);
	b = device_add_child(bus, "hleaf", -1);
	KU_ASSERT(device_get_unit(a) == 0 && device_get_unit(b) == 1, "units");
	KU_ASSERT(device_delete_child(bus, a) == 0, "delete");
	a = device_add_child(bus, "hleaf", -1);
	KU_ASSERT(device_get_unit(a) == 0, "unit 0 not reused: %d",
	    device_get_unit(a));
	a = device_add_child(bus, "hleaf", 1);
	KU_ASSERT(device_get_unit(a) == 2, "busy unit 1 given again: %d",
	    device_get_unit(a));
}
