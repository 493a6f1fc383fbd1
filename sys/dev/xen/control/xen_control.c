/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Toolstack control: watches control/shutdown and carries out "poweroff",
 * "halt" and "reboot" (xl shutdown / xl reboot), after clearing the node to
 * tell the toolstack the request was taken.  Advertises what it supports
 * under control/feature-*.  Unknown requests are reported and refused by
 * leaving the node alone.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <xen/xen_guest.h>
#include <xen/xenpv.h>
#include <xen/xenstore.h>

static struct xs_watch	control_watch;
static char		control_last[32];	/* last request taken (for tests) */

static void
control_shutdown_changed(struct xs_watch *w __unused, const char *path __unused)
{
	char *req;
	int error;

	error = xs_read(XST_NIL, "control", "shutdown", &req, NULL);
	if (error != 0 || req[0] == '\0') {
		if (error == 0)
			free(req, M_XENSTORE);
		return;
	}
	if (strcmp(req, "poweroff") != 0 && strcmp(req, "halt") != 0 &&
	    strcmp(req, "reboot") != 0) {
		printf("xen: control: unsupported shutdown request \"%s\"\n", req);
		free(req, M_XENSTORE);
		return;
	}
	strlcpy(control_last, req, sizeof(control_last));
	printf("xen: control: received shutdown request: %s\n", req);
	/* Acknowledge: the toolstack waits for the node to be emptied. */
	(void)xs_write(XST_NIL, "control", "shutdown", "");
	if (strcmp(req, "reboot") == 0) {
		free(req, M_XENSTORE);
		kern_reboot();
	}
	free(req, M_XENSTORE);
	kern_poweroff(0);
}

static int
control_probe(device_t dev)
{
	if (!xs_ready())
		return (ENXIO);
	device_set_desc(dev, "Xen toolstack control");
	return (BUS_PROBE_SPECIFIC);
}

static int
control_attach(device_t dev)
{
	static const char *const features[] = {
		"feature-poweroff", "feature-reboot",
	};
	int error;

	for (size_t i = 0; i < nitems(features); i++) {
		if ((error = xs_write(XST_NIL, "control", features[i], "1")) != 0) {
			device_printf(dev, "cannot advertise %s: %d\n",
			    features[i], error);
			return (error);
		}
	}
	control_watch.node = "control/shutdown";
	control_watch.callback = control_shutdown_changed;
	control_watch.max_pending = 4;
	if ((error = xs_register_watch(&control_watch)) != 0) {
		device_printf(dev, "cannot watch control/shutdown: %d\n", error);
		return (error);
	}
	return (0);
}

const char *
xen_control_last_request(void)
{
	return (control_last);
}

static const struct device_method control_methods[] = {
	DEVMETHOD(device_probe, control_probe),
	DEVMETHOD(device_attach, control_attach),
	DEVMETHOD_END
};

static driver_t control_driver = {
	"control", control_methods, 0
};
DRIVER_MODULE(control, xenpv, control_driver, NULL, NULL);
