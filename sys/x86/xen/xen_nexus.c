/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The Xen nexus: on Xen it outbids the native nexus for the root of the
 * device tree and hangs the xenpv bus from it.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <xen/xen_guest.h>

static int
xen_nexus_probe(device_t dev)
{
	if (!xen_domain())
		return (ENXIO);
	device_set_desc(dev, "Xen nexus");
	return (BUS_PROBE_SPECIFIC);
}

/*
 * An HVM guest has the emulated PC platform too: the native drivers that
 * find their devices themselves (the I/O APICs from the MADT, the PCI host
 * bridge) identify them here as under the native nexus, and xenpci(4) finds
 * the platform device on that PCI bus.  The xenpv bus comes after the PCI
 * host bridge: with the INTx upcall no event reaches the guest before
 * xenpci(4) has registered the line, and the xenpv drivers wait for events
 * as they attach.  A PVH guest has no such platform.
 */
#define XENPV_ORDER_HVM	30

static int
xen_nexus_attach(device_t dev)
{
	if (xen_guest.hvm)
		bus_generic_probe(dev);
	if (device_add_child_ordered(dev, xen_guest.hvm ? XENPV_ORDER_HVM : 0,
	    "xenpv", 0) == NULL)
		return (ENOMEM);
	return (bus_generic_attach(dev));
}

static const struct device_method xen_nexus_methods[] = {
	DEVMETHOD(device_probe, xen_nexus_probe),
	DEVMETHOD(device_attach, xen_nexus_attach),
	DEVMETHOD(device_detach, bus_generic_detach),
	DEVMETHOD(bus_add_child, bus_generic_add_child),
	DEVMETHOD_END
};

static driver_t xen_nexus_driver = {
	"nexus", xen_nexus_methods, 0
};
DRIVER_MODULE(xen_nexus, root, xen_nexus_driver, NULL, NULL);
