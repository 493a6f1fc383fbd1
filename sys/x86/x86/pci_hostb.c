/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The x86 host-to-PCI bridge ("pcib0" on the nexus): found when
 * configuration mechanism #1 answers, it makes bus 0 and serves every
 * bus below it: configuration cycles through mechanism #1, INTx through
 * the I/O APIC (x86/ioapicvar.h).
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/pci/pcib_if.h>
#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

#include <x86/ioapicvar.h>
#include <x86/pci_cfgreg.h>

/* After the interrupt controllers (ioapic), so INTx can be routed. */
#define PCIB_HOST_ORDER	20

static void
pcib_host_identify(driver_t *driver __unused, device_t parent)
{
	if (device_find_child(parent, "pcib", -1) != NULL ||
	    !pci_cfgregopen())
		return;
	(void)device_add_child_ordered(parent, PCIB_HOST_ORDER, "pcib", 0);
}

static int
pcib_host_probe(device_t dev)
{
	device_set_desc(dev, "Host to PCI bridge (configuration mechanism 1)");
	return (BUS_PROBE_GENERIC);
}

static int
pcib_host_attach(device_t dev)
{
	device_t bus;

	if (!pci_bus_claim(0))
		return (EEXIST);
	bus = device_add_child(dev, "pci", 0);
	device_set_ivars(bus, (void *)(uintptr_t)0);
	return (bus_generic_attach(dev));
}

static uint32_t
pcib_host_read_config(device_t dev __unused, u_int b, u_int s, u_int f,
    u_int reg, int width)
{
	return (pci_cfgregread(b, s, f, reg, width));
}

static void
pcib_host_write_config(device_t dev __unused, u_int b, u_int s, u_int f,
    u_int reg, uint32_t val, int width)
{
	pci_cfgregwrite(b, s, f, reg, val, width);
}

static int
pcib_host_setup_intr(device_t dev __unused, device_t child, u_int irq,
    u_int pin __unused, driver_filter_t *filter, void *arg, void **cookiep)
{
	return (ioapic_setup_pci_intr(irq, device_get_nameunit(child), filter,
	    arg, cookiep));
}

static int
pcib_host_teardown_intr(device_t dev __unused, device_t child __unused,
    void *cookie)
{
	return (ioapic_teardown_intr(cookie));
}

static const struct device_method pcib_host_methods[] = {
	DEVMETHOD(device_identify, pcib_host_identify),
	DEVMETHOD(device_probe, pcib_host_probe),
	DEVMETHOD(device_attach, pcib_host_attach),
	DEVMETHOD(device_detach, bus_generic_detach),
	DEVMETHOD(device_shutdown, bus_generic_shutdown),
	DEVMETHOD(pcib_read_config, pcib_host_read_config),
	DEVMETHOD(pcib_write_config, pcib_host_write_config),
	DEVMETHOD(pcib_setup_intr, pcib_host_setup_intr),
	DEVMETHOD(pcib_teardown_intr, pcib_host_teardown_intr),
	DEVMETHOD_END
};

static driver_t pcib_host_driver = { "pcib", pcib_host_methods, 0 };
DRIVER_MODULE(pcib_host, nexus, pcib_host_driver, NULL, NULL);
