/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The xenstore device on the xenpv bus: finds the ring (HVM parameters
 * STORE_PFN and STORE_EVTCHN) and starts the client.  A domain without a
 * store (dom0 before its xenstored runs) simply has no xenstore device.
 * The buses of split devices (xenbus) hang from it.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

#include <xen/hvm/params.h>
#include <xen/hvm_param.h>
#include <xen/xen_guest.h>
#include <xen/xenstore.h>
#include <xen/xs_client.h>

#include <dev/xen/xenbus_dev/xenbus_dev.h>

static int
xenstore_probe(device_t dev)
{
	uint64_t pfn = 0;

	if (!xen_domain() || xen_hvm_param_get(HVM_PARAM_STORE_PFN, &pfn) != 0 ||
	    pfn == 0)
		return (ENXIO);
	device_set_desc(dev, "Xen store");
	return (BUS_PROBE_SPECIFIC);
}

static int
xenstore_attach(device_t dev)
{
	uint64_t pfn, port;
	char *home;
	u_int domid;
	int error;

	if ((error = xen_hvm_param_get(HVM_PARAM_STORE_PFN, &pfn)) != 0 ||
	    (error = xen_hvm_param_get(HVM_PARAM_STORE_EVTCHN, &port)) != 0)
		return (error);
	if (ptoa(pfn) >= DMAP_BOOT_SIZE || port == 0)
		return (ERANGE);
	error = xs_attach_ring((struct xenstore_domain_interface *)
	    PHYS_TO_DMAP(ptoa(pfn)), (evtchn_port_t)port);
	if (error != 0)
		return (error);
	if ((error = xs_domid(&domid)) != 0) {
		device_printf(dev, "cannot read my domid: %d\n", error);
		return (error);
	}
	if (xs_get_domain_path(domid, &home) == 0) {
		device_printf(dev, "ring pfn %#lx, event channel %lu, domain %u at %s\n",
		    pfn, port, domid, home);
		free(home, M_XENSTORE);
	}
	xenbus_dev_create();
	bus_generic_probe(dev);
	return (bus_generic_attach(dev));
}

static const struct device_method xenstore_methods[] = {
	DEVMETHOD(device_probe, xenstore_probe),
	DEVMETHOD(device_attach, xenstore_attach),
	DEVMETHOD(device_detach, bus_generic_detach),
	DEVMETHOD(bus_add_child, bus_generic_add_child),
	DEVMETHOD_END
};

static driver_t xenstore_driver = {
	"xenstore", xenstore_methods, 0
};
DRIVER_MODULE(xenstore, xenpv, xenstore_driver, NULL, NULL);
