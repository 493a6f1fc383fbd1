/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Device-tree test on a private bus, "ktbus", hung off root for the test:
 * children attach by order then unit, the best claim wins an unnamed child,
 * named children only take drivers of their name, detach goes in reverse.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/systm.h>

#define KTB_MAX	8

static char	ktb_attached[KTB_MAX][24], ktb_detached[KTB_MAX][24];
static int	ktb_nattached, ktb_ndetached;

struct ktleaf_softc {
	int	magic;
};

static int
ktleaf_probe(device_t dev)
{
	device_set_desc(dev, "test leaf");
	return (BUS_PROBE_DEFAULT);
}

static int
kt_record_attach(device_t dev)
{
	if (ktb_nattached < KTB_MAX)
		strlcpy(ktb_attached[ktb_nattached++],
		    device_get_nameunit(dev), sizeof(ktb_attached[0]));
	return (0);
}

static int
ktleaf_attach(device_t dev)
{
	struct ktleaf_softc *sc = device_get_softc(dev);

	if (sc == NULL || sc->magic != 0)
		return (ENXIO);		/* softc missing or not zeroed */
	sc->magic = 0x1eaf;
	return (kt_record_attach(dev));
}

static int
kt_record_detach(device_t dev)
{
	if (ktb_ndetached < KTB_MAX)
		strlcpy(ktb_detached[ktb_ndetached++],
		    device_get_nameunit(dev), sizeof(ktb_detached[0]));
	return (0);
}

/* Claims anything, but only as a vendor match: never named children. */
static int
ktbest_probe(device_t dev)
{
	device_set_desc(dev, "test vendor");
	return (BUS_PROBE_VENDOR);
}

static int
ktgen_probe(device_t dev)
{
	device_set_desc(dev, "test generic");
	return (BUS_PROBE_GENERIC);
}

static int
ktnever_probe(device_t dev __unused)
{
	return (ENXIO);
}

static const struct device_method ktleaf_methods[] = {
	DEVMETHOD(device_probe, ktleaf_probe),
	DEVMETHOD(device_attach, ktleaf_attach),
	DEVMETHOD(device_detach, kt_record_detach),
	DEVMETHOD_END
};
static const struct device_method ktbest_methods[] = {
	DEVMETHOD(device_probe, ktbest_probe),
	DEVMETHOD(device_attach, kt_record_attach),
	DEVMETHOD(device_detach, kt_record_detach),
	DEVMETHOD_END
};
static const struct device_method ktgen_methods[] = {
	DEVMETHOD(device_probe, ktgen_probe),
	DEVMETHOD(device_attach, kt_record_attach),
	DEVMETHOD(device_detach, kt_record_detach),
	DEVMETHOD_END
};
static const struct device_method ktnever_methods[] = {
	DEVMETHOD(device_probe, ktnever_probe),
	DEVMETHOD_END
};

static driver_t ktleaf_driver = { "ktleaf", ktleaf_methods,
	sizeof(struct ktleaf_softc) };
static driver_t ktbest_driver = { "ktbest", ktbest_methods, 0 };
static driver_t ktgen_driver = { "ktgen", ktgen_methods, 0 };
static driver_t ktnever_driver = { "ktnever", ktnever_methods, 0 };
DRIVER_MODULE(ktgen, ktbus, ktgen_driver, NULL, NULL);
DRIVER_MODULE(ktleaf, ktbus, ktleaf_driver, NULL, NULL);
DRIVER_MODULE(ktnever, ktbus, ktnever_driver, NULL, NULL);
DRIVER_MODULE(ktbest, ktbus, ktbest_driver, NULL, NULL);

/* The bus: its attach creates children out of order on purpose. */
static int
ktbus_probe(device_t dev)
{
	device_set_desc(dev, "ktest bus");
	return (BUS_PROBE_SPECIFIC);
}

static int
ktbus_attach(device_t dev)
{
	device_add_child_ordered(dev, 10, "ktleaf", 1);
	device_add_child_ordered(dev, 5, NULL, -1);
	device_add_child_ordered(dev, 10, "ktleaf", 0);
	device_add_child_ordered(dev, 1, "ktgen", -1);
	device_add_child_ordered(dev, 20, "ktnever", -1);
	return (bus_generic_attach(dev));
}

static int
ktbus_detach(device_t dev)
{
	return (bus_generic_detach(dev));
}

static const struct device_method ktbus_methods[] = {
	DEVMETHOD(device_probe, ktbus_probe),
	DEVMETHOD(device_attach, ktbus_attach),
	DEVMETHOD(device_detach, ktbus_detach),
	DEVMETHOD(bus_add_child, bus_generic_add_child),
	DEVMETHOD_END
};
static driver_t ktbus_driver = { "ktbus", ktbus_methods, 0 };
DRIVER_MODULE(ktbus, root, ktbus_driver, NULL, NULL);

KTEST(bus_attach_order)
{
	static const char *const want[] = { "ktgen0", "ktbest0", "ktleaf0",
	    "ktleaf1" };
	const char *log[8];
	device_t bus, never;
	int n, error;

	KT_ASSERT(root_bus != NULL, "no root bus");
	ktb_nattached = ktb_ndetached = 0;
	bus = device_add_child(root_bus, "ktbus", -1);
	KT_ASSERT(bus != NULL, "device_add_child failed");
	error = device_probe_and_attach(bus);
	KT_ASSERT(error == 0, "ktbus attach: %d", error);
	KT_ASSERT(ktb_nattached == (int)nitems(want), "%d children attached",
	    ktb_nattached);
	for (int i = 0; i < (int)nitems(want); i++)
		KT_ASSERT(strcmp(ktb_attached[i], want[i]) == 0,
		    "attach %d was %s, want %s", i, ktb_attached[i], want[i]);
	/* The log has the children, then the bus itself, last. */
	n = device_attach_log(log, (int)nitems(want) + 1);
	KT_ASSERT(n == (int)nitems(want) + 1, "log has %d", n);
	KT_ASSERT(strcmp(log[n - 1], device_get_nameunit(bus)) == 0,
	    "log ends with %s", log[n - 1]);
	for (int i = 0; i < (int)nitems(want); i++)
		KT_ASSERT(strcmp(log[i], want[i]) == 0, "log %d: %s", i,
		    log[i]);
	never = device_find_child(bus, "ktnever", -1);
	KT_ASSERT(never != NULL && !device_is_attached(never),
	    "ktnever attached or missing");
	KT_ASSERT(strcmp(device_get_desc(device_find_child(bus, "ktbest", 0)),
	    "test vendor") == 0, "winner's description lost");

	error = device_delete_child(root_bus, bus);
	KT_ASSERT(error == 0, "delete: %d", error);
	KT_ASSERT(ktb_ndetached == (int)nitems(want), "%d detached",
	    ktb_ndetached);
	for (int i = 0; i < (int)nitems(want); i++)
		KT_ASSERT(strcmp(ktb_detached[i], want[nitems(want) - 1 - i]) ==
		    0, "detach %d was %s", i, ktb_detached[i]);
	KT_ASSERT(device_find_child(root_bus, "ktbus", -1) == NULL,
	    "ktbus still in the tree");
}
