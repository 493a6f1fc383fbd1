/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The native nexus: the bus under root on bare hardware.  It claims only
 * generically, so a platform's own nexus (a hypervisor's) with a better claim wins.
 * Its children come from drivers' identify methods.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/systm.h>

static int
nexus_probe(device_t dev)
{
	device_set_desc(dev, "native nexus");
	return (BUS_PROBE_GENERIC);
}

static int
nexus_attach(device_t dev)
{
	bus_generic_probe(dev);
	return (bus_generic_attach(dev));
}

static const struct device_method nexus_methods[] = {
	DEVMETHOD(device_probe, nexus_probe),
	DEVMETHOD(device_attach, nexus_attach),
	DEVMETHOD(device_detach, bus_generic_detach),
	DEVMETHOD(device_shutdown, bus_generic_shutdown),
	DEVMETHOD(device_suspend, bus_generic_suspend),
	DEVMETHOD(device_resume, bus_generic_resume),
	DEVMETHOD(bus_add_child, bus_generic_add_child),
	DEVMETHOD_END
};

static driver_t nexus_driver = { "nexus", nexus_methods, 0 };
DRIVER_MODULE(nexus, root, nexus_driver, NULL, NULL);
