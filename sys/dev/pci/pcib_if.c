/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Method descriptors of the PCI bridge interface.  The defaults forward to
 * the bridge above: a bridge's parent is a "pci" bus whose parent is the
 * next bridge up, and the host bridge at the top implements every method.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/pci/pcib_if.h>

static device_t
pcib_upstream(device_t pcib)
{
	device_t bus = device_get_parent(pcib);

	return (bus != NULL ? device_get_parent(bus) : NULL);
}

static uint32_t
pcib_fwd_read_config(device_t pcib, u_int b, u_int s, u_int f, u_int reg,
    int width)
{
	device_t up = pcib_upstream(pcib);

	if (up == NULL)
		return (0xffffffffU);
	return (PCIB_READ_CONFIG(up, b, s, f, reg, width));
}

static void
pcib_fwd_write_config(device_t pcib, u_int b, u_int s, u_int f, u_int reg,
    uint32_t val, int width)
{
	device_t up = pcib_upstream(pcib);

	if (up != NULL)
		PCIB_WRITE_CONFIG(up, b, s, f, reg, val, width);
}

static int
pcib_fwd_setup_intr(device_t pcib, device_t child, u_int irq, u_int pin,
    driver_filter_t *filter, void *arg, void **cookiep)
{
	device_t up = pcib_upstream(pcib);

	if (up == NULL)
		return (ENXIO);
	return (PCIB_SETUP_INTR(up, child, irq, pin, filter, arg, cookiep));
}

static int
pcib_fwd_teardown_intr(device_t pcib, device_t child, void *cookie)
{
	device_t up = pcib_upstream(pcib);

	if (up == NULL)
		return (ENXIO);
	return (PCIB_TEARDOWN_INTR(up, child, cookie));
}

METHOD_DESC_DEFINE(pcib_read_config, pcib_fwd_read_config);
METHOD_DESC_DEFINE(pcib_write_config, pcib_fwd_write_config);
METHOD_DESC_DEFINE(pcib_setup_intr, pcib_fwd_setup_intr);
METHOD_DESC_DEFINE(pcib_teardown_intr, pcib_fwd_teardown_intr);
