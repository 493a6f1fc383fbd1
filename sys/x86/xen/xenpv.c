/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The xenpv bus.  It creates its children in their attach order; the
 * drivers (console, timer, xenstore, control, ...) register for "xenpv".
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <xen/xen_guest.h>
#include <xen/xenpv.h>

static const struct {
	const char	*name;
	u_int		order;
} xenpv_children[] = {
	{ "xencons", XENPV_ORDER_CONSOLE },
	{ "timer", XENPV_ORDER_TIMER },
	{ "xenstore", XENPV_ORDER_XENSTORE },
	{ "control", XENPV_ORDER_CONTROL },
};

static int
xenpv_probe(device_t dev)
{
	device_set_desc(dev, "Xen PV bus");
	return (BUS_PROBE_SPECIFIC);
}

static int
xenpv_attach(device_t dev)
{
	for (size_t i = 0; i < nitems(xenpv_children); i++) {
		if (device_add_child_ordered(dev, xenpv_children[i].order,
		    xenpv_children[i].name, 0) == NULL)
			return (ENOMEM);
	}
	return (bus_generic_attach(dev));
}

static const struct device_method xenpv_methods[] = {
	DEVMETHOD(device_probe, xenpv_probe),
	DEVMETHOD(device_attach, xenpv_attach),
	DEVMETHOD(device_detach, bus_generic_detach),
	DEVMETHOD(bus_add_child, bus_generic_add_child),
	DEVMETHOD_END
};

static driver_t xenpv_driver = {
	"xenpv", xenpv_methods, 0
};
DRIVER_MODULE(xenpv, nexus, xenpv_driver, NULL, NULL);
