/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xenpci(4): the Xen platform PCI device (5853:0001) that Xen's device
 * model gives every HVM guest.  A native PCI driver: it claims the
 * function on our PCI bus (HVM only) and provides the last-resort upcall,
 * the function's own interrupt.  When the upcall is in INTx mode
 * (xen_upcall.c: xen.upcall=intx, or no vector callback), the filter goes
 * on the function's INTx through the bus (the I/O APIC pin the firmware's
 * interrupt line routes to, level-triggered, active low) and the line is
 * registered with Xen as HVM_PARAM_CALLBACK_IRQ: type PCI INTx (Xen derives
 * the pin it raises from the device and INTx number, as the firmware's
 * routing does) or, with xenpci.callback=gsi, type GSI (the pin we route
 * it to).
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/systm.h>

#include <dev/pci/pcivar.h>

#include <x86/acpi_madt.h>
#include <x86/ioapicvar.h>
#include <x86/xen/xen_hooks.h>

#include <xen/xen.h>
#include <xen/hvm/params.h>
#include <xen/xen_guest.h>

#include <dev/xen/xenpci/xenpci.h>

static struct xenpci_info	xenpci_info;
static void			*xenpci_cookie;

static char	xenpci_callback[8] = "intx";
TUNABLE_STR("xenpci.callback", xenpci_callback, sizeof(xenpci_callback),
    "HVM_PARAM_CALLBACK_IRQ type of the INTx upcall: intx (PCI INTx, "
    "default) or gsi");

uint64_t
xenpci_via_intx(uint8_t bus, uint8_t slot, uint8_t func, uint8_t intpin)
{
	/* <xen/hvm/params.h>: segment 0, bus, devfn, INTx (0 = INTA). */
	return ((uint64_t)HVM_PARAM_CALLBACK_TYPE_PCI_INTX << 56 |
	    (uint64_t)bus << 16 | (uint64_t)((slot << 3) | func) << 8 |
	    (uint64_t)((intpin - 1) & 3));
}

uint64_t
xenpci_via_gsi(uint32_t gsi)
{
	return ((uint64_t)HVM_PARAM_CALLBACK_TYPE_GSI << 56 | gsi);
}

const struct xenpci_info *
xenpci_get_info(void)
{
	return (xenpci_info.xi_dev != NULL ? &xenpci_info : NULL);
}

static int
xenpci_probe(device_t dev)
{
	if (!xen_domain() || !xen_guest.hvm ||
	    pci_get_vendor(dev) != XENPCI_VENDOR ||
	    pci_get_device(dev) != XENPCI_DEVICE)
		return (ENXIO);
	device_set_desc(dev, "Xen platform device");
	return (BUS_PROBE_SPECIFIC);
}

static int
xenpci_attach(device_t dev)
{
	struct xenpci_info *xi = &xenpci_info;
	enum intr_trigger trig;
	enum intr_polarity pol;
	uint64_t via;
	bool gsi_type;
	int error;

	if (xi->xi_dev != NULL && xi->xi_dev != dev)
		return (EEXIST);	/* Xen's device model makes one */
	xi->xi_bus = pci_get_bus(dev);
	xi->xi_slot = pci_get_slot(dev);
	xi->xi_func = pci_get_function(dev);
	xi->xi_intpin = pci_get_intpin(dev);
	xi->xi_irq = pci_get_irq(dev);
	xi->xi_dev = dev;
	if (!xen_upcall_needs_via()) {
		device_printf(dev, "%02x:%02x.%u, INT%c, IRQ %u (upcall on a "
		    "vector: line not used)\n", xi->xi_bus, xi->xi_slot,
		    xi->xi_func, xi->xi_intpin >= 1 && xi->xi_intpin <= 4 ?
		    'A' + xi->xi_intpin - 1 : '?', xi->xi_irq);
		return (0);
	}
	if (xi->xi_intpin < 1 || xi->xi_intpin > 4) {
		device_printf(dev, "no INTx pin (%u): no upcall line\n",
		    xi->xi_intpin);
		return (xen_upcall_intx ? ENXIO : 0);
	}
	/* The pin the host bridge routes this line to, for the GSI type. */
	intr_route_isa(madt_intr_get(), xi->xi_irq, true, &xi->xi_gsi, &trig,
	    &pol);
	gsi_type = strcmp(xenpci_callback, "gsi") == 0;
	if (!gsi_type && strcmp(xenpci_callback, "intx") != 0)
		device_printf(dev, "xenpci.callback=%s unknown: PCI INTx\n",
		    xenpci_callback);
	/*
	 * In the vector modes the line only tells the toolstack we have PV
	 * drivers (Xen prefers the vector); only the INTx mode takes it.
	 */
	if (xen_upcall_intx) {
		error = pci_setup_intr(dev, xen_upcall_intx_filter, NULL,
		    &xenpci_cookie);
		if (error != 0) {
			device_printf(dev, "cannot set up INT%c (IRQ %u): %d\n",
			    'A' + xi->xi_intpin - 1, xi->xi_irq, error);
			return (error);
		}
		xi->xi_intr = true;
	}
	via = gsi_type ? xenpci_via_gsi(xi->xi_gsi) :
	    xenpci_via_intx(xi->xi_bus, xi->xi_slot, xi->xi_func,
	    xi->xi_intpin);
	if ((error = xen_upcall_intx_register(via)) != 0) {
		device_printf(dev, "HVM_PARAM_CALLBACK_IRQ %#lx refused: %d\n",
		    (u_long)via, error);
		if (xi->xi_intr) {
			(void)pci_teardown_intr(dev, xenpci_cookie);
			xi->xi_intr = false;
		}
		return (xen_upcall_intx ? error : 0);
	}
	xi->xi_via = via;
	device_printf(dev, "%02x:%02x.%u, INT%c, IRQ %u -> GSI %u: callback "
	    "%s %#lx%s\n", xi->xi_bus, xi->xi_slot, xi->xi_func,
	    'A' + xi->xi_intpin - 1, xi->xi_irq, xi->xi_gsi,
	    gsi_type ? "GSI" : "PCI INTx", (u_long)via,
	    xi->xi_intr ? ", upcalls on it" : " (toolstack marker only)");
	return (0);
}

/* The upcall (or the toolstack's view of our PV drivers) hangs on it. */
static int
xenpci_detach(device_t dev __unused)
{
	return (EBUSY);
}

static const struct device_method xenpci_methods[] = {
	DEVMETHOD(device_probe, xenpci_probe),
	DEVMETHOD(device_attach, xenpci_attach),
	DEVMETHOD(device_detach, xenpci_detach),
	DEVMETHOD_END
};

static driver_t xenpci_driver = { "xenpci", xenpci_methods, 0 };
DRIVER_MODULE(xenpci, pci, xenpci_driver, NULL, NULL);
