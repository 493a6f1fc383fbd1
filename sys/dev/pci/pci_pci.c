/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * PCI-to-PCI bridges ("pcib" on a "pci" bus): the bridge gets a "pci"
 * child for its secondary bus, numbered as the firmware numbered it.  The
 * number comes from the device, so it is checked: it must lie below the
 * bridge's own bus's subordinate range rule (greater than the bus the
 * bridge sits on) and must not have been scanned already, which keeps a
 * looping or duplicated numbering from recursing.  Configuration cycles
 * and interrupts go up to the host bridge (pcib_if.c defaults).
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/pci/pcib_if.h>
#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

static int
pcib_pci_probe(device_t dev)
{
	if (pci_get_class(dev) != PCIC_BRIDGE ||
	    pci_get_subclass(dev) != PCIS_BRIDGE_PCI ||
	    pci_get_hdrtype(dev) != PCIM_HDRTYPE_BRIDGE)
		return (ENXIO);
	device_set_desc(dev, "PCI-PCI bridge");
	return (BUS_PROBE_GENERIC);
}

static int
pcib_pci_attach(device_t dev)
{
	u_int pri = pci_read_config(dev, PCIR_PRIBUS_1, 1);
	u_int sec = pci_read_config(dev, PCIR_SECBUS_1, 1);
	u_int sub = pci_read_config(dev, PCIR_SUBBUS_1, 1);
	device_t child;

	if (sec <= pci_get_bus(dev) || sub < sec) {
		device_printf(dev, "secondary bus %u (primary %u, subordinate "
		    "%u) not numbered below bus %u: not scanned\n", sec, pri,
		    sub, pci_get_bus(dev));
		return (0);
	}
	if (!pci_bus_claim(sec)) {
		device_printf(dev, "bus %u already scanned: not again\n", sec);
		return (0);
	}
	child = device_add_child(dev, "pci", (int)sec);
	device_set_ivars(child, (void *)(uintptr_t)sec);
	return (bus_generic_attach(dev));
}

static const struct device_method pcib_pci_methods[] = {
	DEVMETHOD(device_probe, pcib_pci_probe),
	DEVMETHOD(device_attach, pcib_pci_attach),
	DEVMETHOD(device_detach, bus_generic_detach),
	DEVMETHOD(device_shutdown, bus_generic_shutdown),
	DEVMETHOD_END
};

static driver_t pcib_pci_driver = { "pcib", pcib_pci_methods, 0 };
DRIVER_MODULE(pcib_pci, pci, pcib_pci_driver, NULL, NULL);
