/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The interface a PCI bus asks of the bridge above it ("pcib"): access to
 * configuration space and the routing of INTx.  A host bridge implements
 * them for the machine; a PCI-to-PCI bridge passes them on to the bridge
 * above its own bus (the defaults do that).
 */
#ifndef _DEV_PCI_PCIB_IF_H_
#define _DEV_PCI_PCIB_IF_H_

#include <sys/bus.h>

#include <dev/pci/pcivar.h>

typedef uint32_t pcib_read_config_t(device_t pcib, u_int bus, u_int slot,
    u_int func, u_int reg, int width);
typedef void	pcib_write_config_t(device_t pcib, u_int bus, u_int slot,
    u_int func, u_int reg, uint32_t val, int width);
/* child: the PCI function; irq: its interrupt line; pin: 1-4. */
typedef int	pcib_setup_intr_t(device_t pcib, device_t child, u_int irq,
    u_int pin, driver_filter_t *filter, void *arg, void **cookiep);
typedef int	pcib_teardown_intr_t(device_t pcib, device_t child,
    void *cookie);
METHOD_DESC_DECLARE(pcib_read_config);
METHOD_DESC_DECLARE(pcib_write_config);
METHOD_DESC_DECLARE(pcib_setup_intr);
METHOD_DESC_DECLARE(pcib_teardown_intr);

#define PCIB_READ_CONFIG(d, b, s, f, r, w)				\
	((pcib_read_config_t *)device_lookup_method(d,			\
	    &pcib_read_config_desc))(d, b, s, f, r, w)
#define PCIB_WRITE_CONFIG(d, b, s, f, r, v, w)				\
	((pcib_write_config_t *)device_lookup_method(d,			\
	    &pcib_write_config_desc))(d, b, s, f, r, v, w)
#define PCIB_SETUP_INTR(d, c, i, p, fl, a, ck)				\
	((pcib_setup_intr_t *)device_lookup_method(d,			\
	    &pcib_setup_intr_desc))(d, c, i, p, fl, a, ck)
#define PCIB_TEARDOWN_INTR(d, c, ck)					\
	((pcib_teardown_intr_t *)device_lookup_method(d,		\
	    &pcib_teardown_intr_desc))(d, c, ck)

/*
 * Buses already given a "pci" child, so a bridge whose secondary bus
 * number loops back cannot make the tree recurse.  True if the bus was
 * free and is now taken.
 */
bool	pci_bus_claim(u_int bus);

#endif /* !_DEV_PCI_PCIB_IF_H_ */
