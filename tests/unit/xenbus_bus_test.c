/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The frontend xenbus (sys/xen/xenbus/xenbusb_front.c, as it is) over an
 * in-memory xenstore (fake_xs.c): enumeration and what it refuses, ivars,
 * delivery to a driver, the closing protocol of a driver-less child, the
 * backend going away and coming back, hot-plug and unplug, a failed
 * listing, a bad state, and detaching the bus.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <xen/xenbus/xenbusvar.h>

#include "fake_xs.h"
#include "kunit.h"

#define BE	"/local/domain/0/backend"

/* A stand-in vbd driver: claims vbd/768 only, records what it is told. */
static XenbusState	drv_seen[16];
static int		drv_nseen, drv_attached, drv_detached;

static int
tvbd_probe(device_t dev)
{
	if (strcmp(xenbus_get_type(dev), "vbd") != 0 ||
	    strcmp(xenbus_get_id(dev), "768") != 0)
		return (ENXIO);
	return (BUS_PROBE_SPECIFIC);
}

static int
tvbd_attach(device_t dev __unused)
{
	drv_attached++;
	return (0);
}

static int
tvbd_detach(device_t dev __unused)
{
	drv_detached++;
	return (0);
}

static void
tvbd_changed(device_t dev __unused, XenbusState st)
{
	if (drv_nseen < (int)nitems(drv_seen))
		drv_seen[drv_nseen] = st;
	drv_nseen++;
}

static const struct device_method tvbd_methods[] = {
	DEVMETHOD(device_probe, tvbd_probe),
	DEVMETHOD(device_attach, tvbd_attach),
	DEVMETHOD(device_detach, tvbd_detach),
	DEVMETHOD(xenbus_otherend_changed, tvbd_changed),
	DEVMETHOD_END
};
static driver_t tvbd_driver = { "tvbd", tvbd_methods, 0 };
DRIVER_MODULE(tvbd, xenbusb_front, tvbd_driver, NULL, NULL);

/* The parent the bus expects, without a real xenstore device. */
static int
txs_probe(device_t dev __unused)
{
	return (BUS_PROBE_SPECIFIC);
}

static int
txs_attach(device_t dev __unused)
{
	return (0);
}

static const struct device_method txs_methods[] = {
	DEVMETHOD(device_probe, txs_probe),
	DEVMETHOD(device_attach, txs_attach),
	DEVMETHOD(device_detach, bus_generic_detach),
	DEVMETHOD_END
};
static driver_t txs_driver = { "xenstore", txs_methods, 0 };
DRIVER_MODULE(xenstore, root, txs_driver, NULL, NULL);

static device_t	xsdev;

/* The toolstack's nodes for device type/id, backend in dom0. */
static void
plug(const char *type, const char *id, const char *bstate)
{
	char fe[96], be[96];

	snprintf(fe, sizeof(fe), "device/%s/%s", type, id);
	snprintf(be, sizeof(be), BE "/%s/%d/%s", type, FXS_DOMID, id);
	fxs_set(be, "");
	if (bstate != NULL) {
		char n[112];

		snprintf(n, sizeof(n), "%s/state", be);
		fxs_set(n, bstate);
	}
	{
		char n[112];

		snprintf(n, sizeof(n), "%s/backend", fe);
		fxs_set(n, be);
		snprintf(n, sizeof(n), "%s/backend-id", fe);
		fxs_set(n, "0");
		snprintf(n, sizeof(n), "%s/state", fe);
		fxs_set(n, "1");
	}
}

static device_t
start_bus(void)
{
	device_t bus;

	kunit_ram(16 * 1024 * 1024, 4 * 1024 * 1024);
	kunit_sysinit(SI_SUB_CONFIGURE);
	fxs_reset();
	drv_nseen = drv_attached = drv_detached = 0;
	if (xsdev == NULL) {
		xsdev = device_add_child(root_bus, "xenstore", 0);
		KU_ASSERT(device_probe_and_attach(xsdev) == 0, "fake xenstore device");
	}
	plug("vbd", "768", "2");
	plug("vif", "0", "2");
	/* Refused: no backend; reserved domain; relative path; empty component. */
	fxs_set("device/vbd/769/state", "1");
	plug("vbd", "770", "2");
	fxs_set("device/vbd/770/backend-id", "32752");
	plug("vbd", "771", "2");
	fxs_set("device/vbd/771/backend", "local/domain/0/backend/vbd/3/771");
	plug("vbd", "772", "2");
	fxs_set("device/vbd/772/backend", "/local//domain");
	bus = device_add_child(xsdev, "xenbusb_front", 0);
	KU_ASSERT(device_probe_and_attach(bus) == 0, "bus attach");
	(void)fxs_run();
	return (bus);
}

static void
stop_bus(device_t bus)
{
	KU_ASSERT(device_delete_child(xsdev, bus) == 0, "bus delete");
	KU_ASSERT(fxs_watches() == 0, "%d watches left after the bus went",
	    fxs_watches());
}

struct look {
	const char	*type, *id;
	device_t	found;
	int		count;
};

static void
look_one(device_t dev, void *arg)
{
	struct look *l = arg;

	l->count++;
	if (strcmp(xenbus_get_type(dev), l->type) == 0 &&
	    strcmp(xenbus_get_id(dev), l->id) == 0)
		l->found = dev;
}

static struct look
look(device_t bus, const char *type, const char *id)
{
	struct look l = { type, id, NULL, 0 };

	xenbus_foreach_child(bus, look_one, &l);
	return (l);
}

KUNIT_TEST(xenbus_bus_enumerates_with_ivars)
{
	device_t bus = start_bus();
	struct look l = look(bus, "vbd", "768");
	struct xenbus_stats st;

	KU_ASSERT(l.count == 2, "%d children, want vbd/768 and vif/0", l.count);
	KU_ASSERT(l.found != NULL && device_is_attached(l.found), "vbd/768 driver");
	KU_ASSERT(strcmp(xenbus_get_node(l.found), FXS_HOME "/device/vbd/768") == 0,
	    "node %s", xenbus_get_node(l.found));
	KU_ASSERT(strcmp(xenbus_get_otherend_path(l.found), BE "/vbd/3/768") == 0,
	    "backend %s", xenbus_get_otherend_path(l.found));
	KU_ASSERT(xenbus_get_otherend_id(l.found) == 0 &&
	    xenbus_get_state(l.found) == XenbusStateInitialising &&
	    xenbus_get_otherend_state(l.found) == XenbusStateInitWait,
	    "id %u states %d/%d", xenbus_get_otherend_id(l.found),
	    xenbus_get_state(l.found), xenbus_get_otherend_state(l.found));
	/* The driver hears the backend's state once, however many events. */
	KU_ASSERT(drv_attached == 1 && drv_nseen == 1 &&
	    drv_seen[0] == XenbusStateInitWait, "driver: %d attaches, %d calls",
	    drv_attached, drv_nseen);
	l = look(bus, "vif", "0");
	KU_ASSERT(l.found != NULL && !device_is_attached(l.found),
	    "vif/0 should be enumerated and unattached");
	xenbus_get_stats(bus, &st);
	KU_ASSERT(st.added == 2 && st.refused >= 4, "added %lu refused %lu",
	    st.added, st.refused);
	/* Nothing was written by enumerating. */
	KU_ASSERT(fxs_writes("device/vif/0/state") == 0 &&
	    fxs_writes("device/vbd/768/state") == 0, "enumeration wrote a state");
	stop_bus(bus);
	KU_ASSERT(drv_detached == 1, "driver not detached with the bus");
}

KUNIT_TEST(xenbus_bus_close_and_reconnect_without_driver)
{
	device_t bus = start_bus();
	struct look l;

	fxs_set(BE "/vif/3/0/state", "5");
	(void)fxs_run();
	KU_ASSERT(fxs_writes("device/vif/0/state") == 2 &&
	    strcmp(fxs_write_value("device/vif/0/state", 0), "5") == 0 &&
	    strcmp(fxs_write_value("device/vif/0/state", 1), "6") == 0,
	    "backend Closing: %d writes of our state, want 5 then 6",
	    fxs_writes("device/vif/0/state"));
	/* Backend gone: nothing more to write (we are Closed). */
	fxs_del(BE "/vif/3/0");
	(void)fxs_run();
	l = look(bus, "vif", "0");
	KU_ASSERT(l.found != NULL &&
	    xenbus_get_otherend_state(l.found) == XenbusStateUnknown &&
	    fxs_writes("device/vif/0/state") == 2, "backend gone");
	/* Back in InitWait: we start over in Initialising. */
	fxs_set(BE "/vif/3/0/state", "2");
	(void)fxs_run();
	KU_ASSERT(strcmp(fxs_get("device/vif/0/state"), "1") == 0 &&
	    xenbus_get_state(l.found) == XenbusStateInitialising,
	    "reconnect: our state %s", fxs_get("device/vif/0/state"));
	/* A driver decides for itself: the vbd's state is untouched. */
	fxs_set(BE "/vbd/3/768/state", "5");
	(void)fxs_run();
	KU_ASSERT(fxs_writes("device/vbd/768/state") == 0 && drv_nseen == 2 &&
	    drv_seen[1] == XenbusStateClosing, "driver: %d calls", drv_nseen);
	stop_bus(bus);
}

KUNIT_TEST(xenbus_bus_hotplug_and_unplug)
{
	device_t bus = start_bus();
	struct look l;

	plug("vbd", "832", "2");
	(void)fxs_run();
	l = look(bus, "vbd", "832");
	KU_ASSERT(l.count == 3 && l.found != NULL, "hot-plug: %d children", l.count);
	fxs_del("device/vbd/768");
	(void)fxs_run();
	l = look(bus, "vbd", "768");
	KU_ASSERT(l.count == 2 && l.found == NULL && drv_detached == 1,
	    "unplug: %d children, %d detaches", l.count, drv_detached);
	/* The unplugged device's backend closing writes nothing back. */
	fxs_set(BE "/vbd/3/768/state", "6");
	(void)fxs_run();
	KU_ASSERT(fxs_get("device/vbd/768") == NULL, "device/vbd/768 recreated");
	/* A failed listing is not an unplug. */
	fxs_directory_error = EIO;
	xenbus_rescan(bus);
	fxs_directory_error = 0;
	KU_ASSERT(look(bus, "vbd", "832").count == 2, "children lost on EIO");
	stop_bus(bus);
}

KUNIT_TEST(xenbus_bus_bad_state_and_set_state)
{
	device_t bus = start_bus();
	struct xenbus_stats st;
	struct look l = look(bus, "vbd", "768");

	fxs_set(BE "/vbd/3/768/state", "9");
	(void)fxs_run();
	xenbus_get_stats(bus, &st);
	KU_ASSERT(st.bad_states == 1 && drv_nseen == 1 &&
	    xenbus_get_otherend_state(l.found) == XenbusStateInitWait,
	    "bad state: %lu counted, %d calls", st.bad_states, drv_nseen);
	/* Our own changes follow the frontend rules. */
	KU_ASSERT(xenbus_set_state(l.found, XenbusStateInitWait) == EINVAL &&
	    fxs_writes("device/vbd/768/state") == 0, "InitWait accepted");
	KU_ASSERT(xenbus_set_state(l.found, XenbusStateInitialised) == 0 &&
	    strcmp(fxs_get("device/vbd/768/state"), "3") == 0, "Initialised");
	KU_ASSERT(xenbus_set_state(l.found, XenbusStateInitialised) == 0 &&
	    fxs_writes("device/vbd/768/state") == 1, "same state written again");
	/* Never over a removed node. */
	fxs_del("device/vbd/768/state");
	KU_ASSERT(xenbus_set_state(l.found, XenbusStateConnected) == ENOENT &&
	    fxs_get("device/vbd/768/state") == NULL, "state node recreated");
	stop_bus(bus);
}
