/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The backend xenbus (sys/xen/xenbus/xenbusb_back.c, as it is) over the
 * in-memory xenstore (fake_xs.c), playing the toolstack and a frontend by
 * hand: what it enumerates and refuses, ivars and hotplug-status, a
 * driver's InitWait -> Connected, a frontend that jumps states or writes
 * garbage, illegal state changes, the unplug the toolstack starts (our
 * directory removed once the frontend's went), a directory the toolstack
 * removes, hot-plug of a completed directory, and detaching the bus.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <xen/xenbus/xenbusb_back.h>
#include <xen/xenbus/xenbusvar.h>

#include "fake_xs.h"
#include "kunit.h"

#define BE	FXS_HOME "/backend"

/* A stand-in backend driver for vbd: InitWait in attach, connects on cue. */
static XenbusState	drv_seen[16];
static int		drv_nseen, drv_attached, drv_detached, drv_connects;

static int
tbk_probe(device_t dev)
{
	if (strcmp(xenbus_get_type(dev), "vbd") != 0)
		return (ENXIO);
	return (BUS_PROBE_SPECIFIC);
}

static int
tbk_attach(device_t dev)
{
	drv_attached++;
	return (xenbus_set_state(dev, XenbusStateInitWait));
}

static int
tbk_detach(device_t dev __unused)
{
	drv_detached++;
	return (0);
}

static void
tbk_changed(device_t dev, XenbusState st)
{
	if (drv_nseen < (int)nitems(drv_seen))
		drv_seen[drv_nseen] = st;
	drv_nseen++;
	switch (xenbus_state_action(XENBUS_BACKEND, xenbus_get_state(dev), st)) {
	case XENBUS_ACT_CONNECT:
		drv_connects++;
		(void)xenbus_set_state(dev, XenbusStateConnected);
		break;
	case XENBUS_ACT_RECONNECT:
		(void)xenbus_set_state(dev, XenbusStateInitWait);
		break;
	default:
		xenbus_generic_otherend_changed(dev, st);
		break;
	}
}

static const struct device_method tbk_methods[] = {
	DEVMETHOD(device_probe, tbk_probe),
	DEVMETHOD(device_attach, tbk_attach),
	DEVMETHOD(device_detach, tbk_detach),
	DEVMETHOD(xenbus_otherend_changed, tbk_changed),
	DEVMETHOD_END
};
static driver_t tbk_driver = { "tbk", tbk_methods, 0 };
DRIVER_MODULE(tbk, xenbusb_back, tbk_driver, NULL, NULL);

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

static void
setf(const char *fmt1, const char *a, int fe, const char *id, const char *val)
{
	char n[160];

	snprintf(n, sizeof(n), fmt1, a, fe, id);
	fxs_set(n, val);
}

/* What libxl writes for a device of frontend 'fe' served by us. */
static void
plug(const char *type, int fe, const char *id)
{
	char fpath[96];

	snprintf(fpath, sizeof(fpath), "/local/domain/%d/device/%s/%s", fe, type,
	    id);
	setf(BE "/%s/%d/%s/frontend", type, fe, id, fpath);
	{
		char v[16];

		snprintf(v, sizeof(v), "%d", fe);
		setf(BE "/%s/%d/%s/frontend-id", type, fe, id, v);
	}
	setf(BE "/%s/%d/%s/online", type, fe, id, "1");
	setf(BE "/%s/%d/%s/state", type, fe, id, "1");
	{
		char n[128], b[128];

		snprintf(n, sizeof(n), "%s/state", fpath);
		fxs_set(n, "1");
		snprintf(n, sizeof(n), "%s/backend", fpath);
		snprintf(b, sizeof(b), BE "/%s/%d/%s", type, fe, id);
		fxs_set(n, b);
	}
}

static device_t
start_bus(void)
{
	device_t bus;

	kunit_ram(16 * 1024 * 1024, 4 * 1024 * 1024);
	kunit_sysinit(SI_SUB_CONFIGURE);
	fxs_reset();
	drv_nseen = drv_attached = drv_detached = drv_connects = 0;
	if (xsdev == NULL) {
		xsdev = device_add_child(root_bus, "xenstore", 0);
		KU_ASSERT(device_probe_and_attach(xsdev) == 0, "fake xenstore");
	}
	plug("vbd", 5, "51712");
	plug("vif", 5, "0");
	bus = device_add_child(xsdev, "xenbusb_back", 0);
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
	u_int		fe;
	device_t	found;
	int		count;
};

static void
look_one(device_t dev, void *arg)
{
	struct look *l = arg;

	l->count++;
	if (strcmp(xenbus_get_type(dev), l->type) == 0 &&
	    strcmp(xenbus_get_id(dev), l->id) == 0 &&
	    xenbus_get_otherend_id(dev) == l->fe)
		l->found = dev;
}

static struct look
look(device_t bus, const char *type, u_int fe, const char *id)
{
	struct look l = { type, id, fe, NULL, 0 };

	xenbus_back_foreach_child(bus, look_one, &l);
	return (l);
}

#define VBD	BE "/vbd/5/51712"
#define FVBD	"/local/domain/5/device/vbd/51712"

KUNIT_TEST(xenbus_back_enumerates_with_ivars)
{
	device_t bus = start_bus();
	struct look l = look(bus, "vbd", 5, "51712");
	struct xenbus_back_stats st;

	KU_ASSERT(l.count == 2 && l.found != NULL && device_is_attached(l.found),
	    "%d children, vbd attached %d", l.count, l.found != NULL);
	KU_ASSERT(strcmp(xenbus_get_node(l.found), VBD) == 0 &&
	    strcmp(xenbus_get_otherend_path(l.found), FVBD) == 0 &&
	    xenbus_get_role(l.found) == XENBUS_BACKEND,
	    "node %s frontend %s role %d", xenbus_get_node(l.found),
	    xenbus_get_otherend_path(l.found), xenbus_get_role(l.found));
	KU_ASSERT(xenbus_get_state(l.found) == XenbusStateInitWait &&
	    strcmp(fxs_get(VBD "/state"), "2") == 0 &&
	    strcmp(fxs_get(VBD "/hotplug-status"), "connected") == 0,
	    "state %s hotplug-status %s", fxs_get(VBD "/state"),
	    fxs_get(VBD "/hotplug-status"));
	/* The driver-less vif: enumerated, untouched, no hotplug-status. */
	l = look(bus, "vif", 5, "0");
	KU_ASSERT(l.found != NULL && !device_is_attached(l.found) &&
	    fxs_writes(BE "/vif/5/0/state") == 0 &&
	    fxs_get(BE "/vif/5/0/hotplug-status") == NULL, "driver-less vif");
	KU_ASSERT(drv_attached == 1 && drv_nseen == 1 &&
	    drv_seen[0] == XenbusStateInitialising, "driver: %d attaches %d calls",
	    drv_attached, drv_nseen);
	xenbus_back_get_stats(bus, &st);
	KU_ASSERT(st.added == 2 && st.removed == 0, "added %lu", st.added);
	stop_bus(bus);
	KU_ASSERT(drv_detached == 1, "driver not detached with the bus");
}

KUNIT_TEST(xenbus_back_refuses_malformed_entries)
{
	device_t bus = start_bus();
	struct xenbus_back_stats st0, st;

	xenbus_back_get_stats(bus, &st0);
	/* frontend-id disagrees with the directory's name. */
	plug("vbd", 6, "1");
	fxs_set(BE "/vbd/6/1/frontend-id", "7");
	/* Relative frontend path; no frontend at all; no state of ours. */
	plug("vbd", 8, "1");
	fxs_set(BE "/vbd/8/1/frontend", "local/domain/8/device/vbd/1");
	fxs_set(BE "/vbd/9/1/frontend-id", "9");
	fxs_set(BE "/vbd/9/1/state", "1");
	plug("vbd", 10, "1");
	fxs_del(BE "/vbd/10/1/state");
	/* Names the bus must not build paths from. */
	fxs_set(BE "/vbd/010/1/state", "1");
	fxs_set(BE "/vbd/32752/1/state", "1");
	fxs_set(BE "/v.bd/5/1/state", "1");
	fxs_set(BE "/vbd/5/a.b/state", "1");
	(void)fxs_run();
	xenbus_back_rescan(bus);
	KU_ASSERT(look(bus, "vbd", 6, "1").count == 2, "%d children",
	    look(bus, "vbd", 6, "1").count);
	xenbus_back_get_stats(bus, &st);
	KU_ASSERT(st.added == 2 && st.refused - st0.refused >= 8,
	    "added %lu refused %lu", st.added, st.refused - st0.refused);
	/* Completing an entry makes it a device on the next event. */
	fxs_set(BE "/vbd/6/1/frontend-id", "6");
	(void)fxs_run();
	KU_ASSERT(look(bus, "vbd", 6, "1").found != NULL, "completed entry");
	stop_bus(bus);
}

KUNIT_TEST(xenbus_back_connects_and_survives_a_jumpy_frontend)
{
	device_t bus = start_bus();
	struct look l = look(bus, "vbd", 5, "51712");
	struct xenbus_back_stats st;

	/* Straight from Initialising to Connected (no Initialised). */
	fxs_set(FVBD "/state", "4");
	(void)fxs_run();
	KU_ASSERT(drv_connects == 1 && strcmp(fxs_get(VBD "/state"), "4") == 0,
	    "connects %d state %s", drv_connects, fxs_get(VBD "/state"));
	/* Garbage and an undefined state: ignored, counted. */
	fxs_set(FVBD "/state", "9");
	fxs_set(FVBD "/state", "4x");
	fxs_set(FVBD "/state", "");
	(void)fxs_run();
	xenbus_back_get_stats(bus, &st);
	KU_ASSERT(st.bad_states == 3 && drv_nseen == 2 &&
	    xenbus_get_otherend_state(l.found) == XenbusStateConnected,
	    "bad states %lu calls %d", st.bad_states, drv_nseen);
	/* Back to Initialised while Connected: nothing to do. */
	fxs_set(FVBD "/state", "3");
	(void)fxs_run();
	KU_ASSERT(drv_connects == 1 && strcmp(fxs_get(VBD "/state"), "4") == 0,
	    "reconnected on Initialised");
	/* Illegal changes for a backend. */
	KU_ASSERT(xenbus_set_state(l.found, XenbusStateInitialised) == EINVAL &&
	    xenbus_set_state(l.found, XenbusStateInitWait) == EINVAL,
	    "illegal backend change accepted");
	/* Closed without Closing: we close; back to Initialising: InitWait. */
	fxs_set(FVBD "/state", "6");
	(void)fxs_run();
	KU_ASSERT(strcmp(fxs_get(VBD "/state"), "6") == 0, "state %s",
	    fxs_get(VBD "/state"));
	fxs_set(FVBD "/state", "1");
	(void)fxs_run();
	KU_ASSERT(strcmp(fxs_get(VBD "/state"), "2") == 0, "reconnect: %s",
	    fxs_get(VBD "/state"));
	fxs_set(FVBD "/state", "3");
	(void)fxs_run();
	KU_ASSERT(drv_connects == 2 && strcmp(fxs_get(VBD "/state"), "4") == 0,
	    "second connect");
	stop_bus(bus);
}

KUNIT_TEST(xenbus_back_unplug_removes_our_directory)
{
	device_t bus = start_bus();
	struct xenbus_back_stats st;

	fxs_set(FVBD "/state", "3");
	(void)fxs_run();
	/* xl block-detach: online 0, our state Closing, the frontend closes. */
	fxs_set(VBD "/online", "0");
	fxs_set(VBD "/state", "5");
	fxs_set(FVBD "/state", "5");
	(void)fxs_run();
	fxs_set(FVBD "/state", "6");
	(void)fxs_run();
	/*
	 * Closed with online 0: our directory goes before the frontend's
	 * (the toolstack waits for it, then removes the frontend).
	 */
	xenbus_back_get_stats(bus, &st);
	KU_ASSERT(fxs_writes(VBD "/state") >= 1 &&
	    strcmp(fxs_write_value(VBD "/state", fxs_writes(VBD "/state") - 1),
	    "6") == 0 && fxs_get(FVBD "/state") != NULL && fxs_get(VBD) == NULL,
	    "closed: last state written %s, our directory %s",
	    fxs_write_value(VBD "/state", fxs_writes(VBD "/state") - 1),
	    fxs_get(VBD) != NULL ? "left" : "gone");
	fxs_del(FVBD);
	(void)fxs_run();
	xenbus_back_get_stats(bus, &st);
	KU_ASSERT(fxs_get(VBD) == NULL && st.cleaned == 1 && st.removed == 1 &&
	    look(bus, "vbd", 5, "51712").found == NULL && drv_detached == 1,
	    "cleanup: dir %s cleaned %lu removed %lu detached %d",
	    fxs_get(VBD) != NULL ? "left" : "gone", st.cleaned, st.removed,
	    drv_detached);
	/* Root watch plus the vif's frontend watch. */
	KU_ASSERT(fxs_watches() == 2, "%d watches", fxs_watches());
	/* Attached again under the same name: a new device, InitWait. */
	plug("vbd", 5, "51712");
	(void)fxs_run();
	KU_ASSERT(look(bus, "vbd", 5, "51712").found != NULL &&
	    drv_attached == 2 && strcmp(fxs_get(VBD "/state"), "2") == 0,
	    "re-attach: state %s", fxs_get(VBD "/state"));
	stop_bus(bus);
}

KUNIT_TEST(xenbus_back_toolstack_removal_and_dead_frontend)
{
	device_t bus = start_bus();
	struct xenbus_back_stats st;

	/* The toolstack removes a whole frontend's tree. */
	fxs_del(BE "/vif/5");
	(void)fxs_run();
	KU_ASSERT(look(bus, "vif", 5, "0").found == NULL &&
	    look(bus, "vbd", 5, "51712").found != NULL, "vif removal");
	/* Our directory removed under a connected device. */
	fxs_set(FVBD "/state", "4");
	(void)fxs_run();
	fxs_del(VBD);
	(void)fxs_run();
	KU_ASSERT(look(bus, "vbd", 5, "51712").count == 0 && drv_detached == 1 &&
	    fxs_get(VBD) == NULL, "vbd removal recreated or kept");
	/* A device whose frontend died before we saw it is cleaned away. */
	plug("vbd", 11, "2");
	fxs_del("/local/domain/11");
	(void)fxs_run();
	xenbus_back_get_stats(bus, &st);
	KU_ASSERT(fxs_get(BE "/vbd/11/2") == NULL && st.cleaned == 1 &&
	    look(bus, "vbd", 11, "2").found == NULL, "stale entry: cleaned %lu",
	    st.cleaned);
	/* A failed listing is not an unplug. */
	plug("vbd", 5, "51712");
	(void)fxs_run();
	fxs_directory_error = EIO;
	xenbus_back_rescan(bus);
	fxs_directory_error = 0;
	KU_ASSERT(look(bus, "vbd", 5, "51712").found != NULL, "lost on EIO");
	stop_bus(bus);
}

KUNIT_TEST(xenbus_back_driverless_child_closes_never_offers)
{
	device_t bus = start_bus();

	/* The frontend closes: Closing then Closed, though nobody drives it. */
	fxs_set("/local/domain/5/device/vif/0/state", "5");
	(void)fxs_run();
	KU_ASSERT(fxs_writes(BE "/vif/5/0/state") == 2 &&
	    strcmp(fxs_write_value(BE "/vif/5/0/state", 0), "5") == 0 &&
	    strcmp(fxs_write_value(BE "/vif/5/0/state", 1), "6") == 0,
	    "%d writes of the vif's state", fxs_writes(BE "/vif/5/0/state"));
	/* It comes back: a backend without a driver does not offer InitWait. */
	fxs_set("/local/domain/5/device/vif/0/state", "1");
	(void)fxs_run();
	KU_ASSERT(fxs_writes(BE "/vif/5/0/state") == 2 &&
	    strcmp(fxs_get(BE "/vif/5/0/state"), "6") == 0,
	    "driver-less backend went %s", fxs_get(BE "/vif/5/0/state"));
	stop_bus(bus);
}

KUNIT_TEST(xenbus_back_frontend_close_alone_keeps_the_device)
{
	device_t bus = start_bus();
	struct xenbus_back_stats st;

	fxs_set(FVBD "/state", "3");
	(void)fxs_run();
	/* The frontend closes by itself (online stays 1): no unplug. */
	fxs_set(FVBD "/state", "6");
	(void)fxs_run();
	xenbus_back_get_stats(bus, &st);
	KU_ASSERT(strcmp(fxs_get(VBD "/state"), "6") == 0 && st.cleaned == 0 &&
	    look(bus, "vbd", 5, "51712").found != NULL, "closed alone: cleaned %lu",
	    st.cleaned);
	/* Later the toolstack detaches it: online 0 alone is the cue. */
	fxs_set(VBD "/online", "0");
	(void)fxs_run();
	xenbus_back_get_stats(bus, &st);
	KU_ASSERT(fxs_get(VBD) == NULL && st.cleaned == 1 &&
	    look(bus, "vbd", 5, "51712").found == NULL && drv_detached == 1,
	    "online 0 on a closed device: dir %s cleaned %lu",
	    fxs_get(VBD) != NULL ? "left" : "gone", st.cleaned);
	stop_bus(bus);
}
