/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xenbus against the real xenstore.  The domain's own bus is checked
 * against xenstore's listing of device/; enumeration, ivars, the closing
 * protocol, reconnect and hot-plug are driven on a second bus the test
 * creates over data/xbtest/device, a directory the guest may write (device/
 * is the toolstack's), with a fake backend under data/xbtest/backend.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <xen/xen_ktest.h>
#include <xen/xenbus/xenbusvar.h>
#include <xen/xenstore.h>

#define REQUIRE_XENBUS() do {						\
	KT_REQUIRE_XEN();						\
	if (!xs_ready() || xenbus_front_bus() == NULL)			\
		KT_SKIP("no xenstore, so no xenbus, in this domain");	\
} while (0)

#define XBT		"data/xbtest"
#define XBT_DEV		XBT "/device"
#define XBT_BACK	XBT "/backend"

/* Polls cond every 5 ms for up to ms milliseconds. */
static bool
xbt_wait(bool (*cond)(void *), void *arg, int ms)
{
	sbintime_t end = sbinuptime() + ms * SBT_1MS;

	while (!cond(arg)) {
		if (sbinuptime() > end)
			return (cond(arg));
		tsleep(&end, "xbtwait", 5 * SBT_1MS);
	}
	return (true);
}

struct xbt_look {
	const char	*id;	/* child looked for, or NULL */
	device_t	found;
	int		count;
	int		attached;
};

static void
xbt_look_one(device_t dev, void *arg)
{
	struct xbt_look *l = arg;

	l->count++;
	l->attached += device_is_attached(dev);
	if (l->id != NULL && strcmp(xenbus_get_id(dev), l->id) == 0)
		l->found = dev;
}

static struct xbt_look
xbt_look(device_t bus, const char *id)
{
	struct xbt_look l = { id, NULL, 0, 0 };

	xenbus_foreach_child(bus, xbt_look_one, &l);
	return (l);
}

/* The entries of dir/<type>/ that carry a backend node, as xenstore lists them. */
static int
xbt_xs_devices(const char *dir, int *count)
{
	const char **types, **ids;
	u_int nt, ni;
	int error;

	*count = 0;
	error = xs_directory(XST_NIL, dir, "", &nt, &types);
	if (error == ENOENT)
		return (0);
	if (error != 0)
		return (error);
	for (u_int t = 0; t < nt; t++) {
		char sub[128];

		snprintf(sub, sizeof(sub), "%s/%s", dir, types[t]);
		if (xs_directory(XST_NIL, sub, "", &ni, &ids) != 0)
			continue;
		for (u_int i = 0; i < ni; i++) {
			char *v;
			char node[160];

			snprintf(node, sizeof(node), "%s/%s", sub, ids[i]);
			if (xs_read(XST_NIL, node, "backend", &v, NULL) == 0) {
				(*count)++;
				free(v, M_XENSTORE);
			}
		}
		free(ids, M_XENSTORE);
	}
	free(types, M_XENSTORE);
	return (0);
}

/* The domain's bus: one child per device xenstore lists, each with its ivars. */
KTEST(xenbus_front_matches_xenstore)
{
	device_t bus;
	struct xenbus_stats st;
	struct xbt_look l;
	int want, error;

	REQUIRE_XENBUS();
	bus = xenbus_front_bus();
	KT_ASSERT(device_is_attached(bus), "xenbusb_front0 not attached");
	KT_ASSERT(strcmp(device_get_name(device_get_parent(bus)), "xenstore") == 0,
	    "xenbus hangs from %s", device_get_nameunit(device_get_parent(bus)));
	error = xbt_xs_devices("device", &want);
	KT_ASSERT(error == 0, "listing device/: %d", error);
	l = xbt_look(bus, NULL);
	xenbus_get_stats(bus, &st);
	KT_ASSERT(l.count == want, "%d children, xenstore lists %d devices",
	    l.count, want);
	KT_ASSERT(st.scans >= 1, "device/ never enumerated");
	KT_NOTE("%d device(s), %d attached, %lu scans", l.count, l.attached,
	    st.scans);
}

static char xbt_home[64];

static int
xbt_write_device(xs_tx_t tx, void *arg)
{
	const char *id = arg;
	char dir[64], back[128];
	int error;

	snprintf(dir, sizeof(dir), XBT_DEV "/vbd/%s", id);
	snprintf(back, sizeof(back), "%s/" XBT_BACK "/vbd/%s", xbt_home, id);
	if ((error = xs_write(tx, dir, "backend", back)) != 0 ||
	    (error = xs_write(tx, dir, "backend-id", "0")) != 0 ||
	    (error = xs_write(tx, dir, "state", "1")) != 0)
		return (error);
	return (0);
}

/* Adds device vbd/<id> the way the toolstack does: all nodes at once. */
static int
xbt_plug(const char *id, const char *backstate)
{
	char back[64];
	int error;

	snprintf(back, sizeof(back), XBT_BACK "/vbd/%s", id);
	if ((error = xs_write(XST_NIL, back, "state", backstate)) != 0)
		return (error);
	return (xs_transaction_run(xbt_write_device, (void *)(uintptr_t)(id), 5));
}

/* Our state as xenstore holds it, -1 if the node is gone or unreadable. */
static int
xbt_node_state(const char *id)
{
	char dir[64];
	uint64_t v;

	snprintf(dir, sizeof(dir), XBT_DEV "/vbd/%s", id);
	if (xs_read_uint(XST_NIL, dir, "state", &v) != 0)
		return (-1);
	return ((int)v);
}

struct xbt_state_want {
	device_t	bus;
	const char	*id;
	int		node;		/* our state node's value */
	int		other;		/* the ivar of the other end's state */
};

static bool
xbt_state_is(void *arg)
{
	struct xbt_state_want *w = arg;
	struct xbt_look l = xbt_look(w->bus, w->id);

	return (l.found != NULL && xbt_node_state(w->id) == w->node &&
	    (int)xenbus_get_state(l.found) == w->node &&
	    (int)xenbus_get_otherend_state(l.found) == w->other);
}

struct xbt_count_want {
	device_t	bus;
	int		count;
};

static bool
xbt_count_is(void *arg)
{
	struct xbt_count_want *w = arg;

	return (xbt_look(w->bus, NULL).count == w->count);
}

KTEST(xenbus_enumerate_close_reconnect_hotplug)
{
	struct xbt_state_want sw;
	struct xbt_count_want cw;
	struct xenbus_stats st = { 0 };
	struct xbt_look l;
	device_t xsdev, bus = NULL;
	char *home, want[128];
	u_int domid;
	int error;

	REQUIRE_XENBUS();
	KT_ASSERT(xs_domid(&domid) == 0 && xs_get_domain_path(domid, &home) == 0,
	    "no home path");
	strlcpy(xbt_home, home, sizeof(xbt_home));
	free(home, M_XENSTORE);
	(void)xs_rm(XST_NIL, "", XBT);
	error = xbt_plug("5", "2");
	KT_ASSERT(error == 0, "writing the fake device: %d", error);
	/* Entries the bus must refuse: no backend, a reserved domain id. */
	(void)xs_write(XST_NIL, XBT_DEV "/vbd/7", "state", "1");
	(void)xs_write(XST_NIL, XBT_DEV "/vbd/8", "backend", "/local/x");
	(void)xs_write(XST_NIL, XBT_DEV "/vbd/8", "backend-id", "32752");

	xsdev = device_get_parent(xenbus_front_bus());
	bus = device_add_child(xsdev, "xenbusb_front", -1);
	device_set_ivars(bus, (void *)(uintptr_t)(XBT_DEV));
	error = device_probe_and_attach(bus);
	if (!KT_CHECK(error == 0, "test bus attach: %d", error))
		goto out;

	/* Enumerated with its ivars, unattached (no vbd driver yet). */
	l = xbt_look(bus, "5");
	if (!KT_CHECK(l.count == 1 && l.found != NULL && l.attached == 0,
	    "%d children (%d attached), vbd/5 %sfound", l.count, l.attached,
	    l.found != NULL ? "" : "not "))
		goto out;
	snprintf(want, sizeof(want), "%s/" XBT_DEV "/vbd/5", xbt_home);
	KT_CHECK(strcmp(xenbus_get_node(l.found), want) == 0, "node %s, want %s",
	    xenbus_get_node(l.found), want);
	snprintf(want, sizeof(want), "%s/" XBT_BACK "/vbd/5", xbt_home);
	KT_CHECK(strcmp(xenbus_get_otherend_path(l.found), want) == 0,
	    "backend %s, want %s", xenbus_get_otherend_path(l.found), want);
	KT_CHECK(strcmp(xenbus_get_type(l.found), "vbd") == 0 &&
	    xenbus_get_otherend_id(l.found) == 0, "type %s backend-id %u",
	    xenbus_get_type(l.found), xenbus_get_otherend_id(l.found));
	KT_CHECK(xenbus_get_state(l.found) == XenbusStateInitialising &&
	    xenbus_get_otherend_state(l.found) == XenbusStateInitWait,
	    "states %d/%d, want 1/2", xenbus_get_state(l.found),
	    xenbus_get_otherend_state(l.found));
	/* An illegal change is refused and writes nothing. */
	KT_CHECK(xenbus_set_state(l.found, XenbusStateInitWait) == EINVAL &&
	    xbt_node_state("5") == 1, "frontend -> InitWait accepted");
	if (KT_FAILED())
		goto out;

	/* The backend closes: we follow, Closing then Closed. */
	(void)xs_write(XST_NIL, XBT_BACK "/vbd/5", "state", "5");
	sw = (struct xbt_state_want){ bus, "5", XenbusStateClosed,
	    XenbusStateClosing };
	if (!KT_CHECK(xbt_wait(xbt_state_is, &sw, 3000),
	    "backend Closing: our node %d, want 6", xbt_node_state("5")))
		goto out;
	/* The backend goes away (Unknown), then comes back: we start over. */
	(void)xs_rm(XST_NIL, XBT_BACK, "vbd/5");
	sw = (struct xbt_state_want){ bus, "5", XenbusStateClosed,
	    XenbusStateUnknown };
	if (!KT_CHECK(xbt_wait(xbt_state_is, &sw, 3000),
	    "backend gone: other end not Unknown"))
		goto out;
	(void)xs_write(XST_NIL, XBT_BACK "/vbd/5", "state", "2");
	sw = (struct xbt_state_want){ bus, "5", XenbusStateInitialising,
	    XenbusStateInitWait };
	if (!KT_CHECK(xbt_wait(xbt_state_is, &sw, 3000),
	    "backend back: our node %d, want 1", xbt_node_state("5")))
		goto out;
	/* A state a peer must not write is ignored and counted. */
	xenbus_get_stats(bus, &st);
	(void)xs_write(XST_NIL, XBT_BACK "/vbd/5", "state", "44");
	{
		struct xenbus_stats st2;
		sbintime_t end = sbinuptime() + 3 * SBT_1S;

		do {
			tsleep(&end, "xbtbad", 5 * SBT_1MS);
			xenbus_get_stats(bus, &st2);
		} while (st2.bad_states == st.bad_states && sbinuptime() < end);
		KT_CHECK(st2.bad_states == st.bad_states + 1 &&
		    xenbus_get_otherend_state(xbt_look(bus, "5").found) ==
		    XenbusStateInitWait, "bad states %lu -> %lu", st.bad_states,
		    st2.bad_states);
		(void)xs_write(XST_NIL, XBT_BACK "/vbd/5", "state", "2");
	}

	/* Hot-plug: a second device appears; removing the first detaches it. */
	error = xbt_plug("6", "2");
	cw = (struct xbt_count_want){ bus, 2 };
	if (!KT_CHECK(error == 0 && xbt_wait(xbt_count_is, &cw, 3000),
	    "hot-plugged vbd/6: error %d, %d children", error,
	    xbt_look(bus, NULL).count))
		goto out;
	(void)xs_rm(XST_NIL, XBT_DEV, "vbd/5");
	cw.count = 1;
	if (!KT_CHECK(xbt_wait(xbt_count_is, &cw, 3000) &&
	    xbt_look(bus, "6").found != NULL, "vbd/5 removed: %d children",
	    xbt_look(bus, NULL).count))
		goto out;
	/* Nothing recreated the removed device's directory. */
	KT_CHECK(xbt_node_state("5") == -1, "vbd/5 came back with state %d",
	    xbt_node_state("5"));
	xenbus_get_stats(bus, &st);
	KT_CHECK(st.added == 2 && st.removed == 1 && st.refused >= 2,
	    "added %lu removed %lu refused %lu", st.added, st.removed,
	    st.refused);
out:
	if (bus != NULL) {
		error = device_delete_child(xsdev, bus);
		KT_CHECK(error == 0, "deleting the test bus: %d", error);
	}
	(void)xs_rm(XST_NIL, "", XBT);
	KT_NOTE_OK("%lu scans, %lu other-end events, %lu refused", st.scans,
	    st.otherend_events, st.refused);
}

/*
 * The lab's disk scenario (domu-xenbus): Linux blkback in dom0 serves xvda
 * (51712) from boot, dom0 hot-plugs xvdb (51728) with xl block-attach once
 * we report, then removes it with xl block-detach.  We report what our bus
 * sees under data/xenbus-lab/ for dom0 to check against its own view of
 * xenstore, and wait for dom0's "dom0 = done" before ending.  Skips in a
 * guest without disks.
 */
#define XBL		"data/xenbus-lab"
#define XBL_XVDA	"51712"
#define XBL_XVDB	"51728"

struct xbl_want {
	const char	*id;
	bool		present;
};

static bool
xbl_child_is(void *arg)
{
	struct xbl_want *w = arg;

	return ((xbt_look(xenbus_front_bus(), w->id).found != NULL) == w->present);
}

static bool
xbl_dom0_done(void *arg __unused)
{
	char *v;
	bool done;

	if (xs_read(XST_NIL, XBL, "dom0", &v, NULL) != 0)
		return (false);
	done = strcmp(v, "done") == 0;
	free(v, M_XENSTORE);
	return (done);
}

/* Checks a disk child's ivars against xenstore and reports them to dom0. */
static int
xbl_check_report(device_t dev, char *why, size_t whylen)
{
	char *back, rep[200];
	uint64_t beid, bstate;
	int error;

	error = xs_read(XST_NIL, xenbus_get_node(dev), "backend", &back, NULL);
	if (error != 0) {
		snprintf(why, whylen, "read %s/backend: %d", xenbus_get_node(dev),
		    error);
		return (error);
	}
	error = EINVAL;
	if (strcmp(back, xenbus_get_otherend_path(dev)) != 0)
		snprintf(why, whylen, "ivar backend %s, xenstore %s",
		    xenbus_get_otherend_path(dev), back);
	else if (xs_read_uint(XST_NIL, xenbus_get_node(dev), "backend-id",
	    &beid) != 0 || beid != xenbus_get_otherend_id(dev) || beid != 0)
		snprintf(why, whylen, "backend-id ivar %u, want 0 as xenstore has",
		    xenbus_get_otherend_id(dev));
	else if (xs_read_uint(XST_NIL, back, "state", &bstate) != 0 ||
	    bstate != XenbusStateInitWait ||
	    xenbus_get_otherend_state(dev) != XenbusStateInitWait)
		snprintf(why, whylen, "backend state ivar %d, want InitWait (2), "
		    "xenstore says %lu", xenbus_get_otherend_state(dev), bstate);
	else
		error = 0;
	if (error == 0) {
		snprintf(rep, sizeof(rep), "backend=%s backend-id=%u state=%d "
		    "otherend-state=%d attached=%d", back,
		    xenbus_get_otherend_id(dev), xenbus_get_state(dev),
		    xenbus_get_otherend_state(dev), device_is_attached(dev));
		error = xs_write(XST_NIL, XBL, xenbus_get_id(dev), rep);
		if (error != 0)
			snprintf(why, whylen, "report: %d", error);
	}
	free(back, M_XENSTORE);
	return (error);
}

KTEST(xenbus_lab_disk_hotplug)
{
	struct xbl_want w;
	struct xbt_look l;
	char why[160];

	REQUIRE_XENBUS();
	l = xbt_look(xenbus_front_bus(), XBL_XVDA);
	if (l.found == NULL)
		KT_SKIP("no disk xvda given to this guest (%d devices)", l.count);
	KT_ASSERT(strcmp(xenbus_get_type(l.found), "vbd") == 0, "xvda of type %s",
	    xenbus_get_type(l.found));
	KT_ASSERT(xbl_check_report(l.found, why, sizeof(why)) == 0, "xvda: %s",
	    why);
	KT_ASSERT(xs_write(XST_NIL, XBL, "phase", "one") == 0, "phase one");

	/* dom0 hot-plugs xvdb. */
	w = (struct xbl_want){ XBL_XVDB, true };
	KT_ASSERT(xbt_wait(xbl_child_is, &w, 25000),
	    "xvdb did not appear within 25 s of phase one");
	l = xbt_look(xenbus_front_bus(), XBL_XVDB);
	/* blkback may still be on its way to InitWait: give it time. */
	{
		sbintime_t end = sbinuptime() + 10 * SBT_1S;

		while (l.found != NULL &&
		    xenbus_get_otherend_state(l.found) != XenbusStateInitWait &&
		    sbinuptime() < end) {
			tsleep(&end, "xblwait", 10 * SBT_1MS);
			l = xbt_look(xenbus_front_bus(), XBL_XVDB);
		}
	}
	KT_ASSERT(l.found != NULL && l.count == 2, "%d devices after xvdb", l.count);
	KT_ASSERT(xbl_check_report(l.found, why, sizeof(why)) == 0, "xvdb: %s",
	    why);
	KT_ASSERT(xs_write(XST_NIL, XBL, "phase", "two") == 0, "phase two");

	/* dom0 detaches xvdb: the backend closes, we follow, the device goes. */
	w = (struct xbl_want){ XBL_XVDB, false };
	KT_ASSERT(xbt_wait(xbl_child_is, &w, 30000),
	    "xvdb still present 30 s after phase two");
	l = xbt_look(xenbus_front_bus(), XBL_XVDA);
	KT_ASSERT(l.found != NULL && l.count == 1, "%d devices after detach",
	    l.count);
	KT_ASSERT(xs_write(XST_NIL, XBL, "phase", "detached") == 0,
	    "phase detached");
	/* Stay up until dom0 has checked its side (our home goes with us). */
	KT_ASSERT(xbt_wait(xbl_dom0_done, NULL, 20000),
	    "dom0 did not finish its checks within 20 s of phase detached");
	KT_NOTE("xvda enumerated, xvdb hot-plugged and detached");
}
