/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Method descriptors of the device and bus interfaces, with the defaults
 * used when a driver does not implement a method.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/systm.h>

static int
null_probe(device_t dev __unused)
{
	return (ENXIO);
}

static int
null_ok(device_t dev __unused)
{
	return (0);
}

static void
null_identify(driver_t *drv __unused, device_t parent __unused)
{
}

static int
null_ivar(device_t bus __unused, device_t child __unused, int which __unused,
    uintptr_t *v __unused)
{
	return (ENOENT);
}

static int
null_write_ivar(device_t bus __unused, device_t child __unused,
    int which __unused, uintptr_t v __unused)
{
	return (ENOENT);
}

static void
null_child_detached(device_t bus __unused, device_t child __unused)
{
}

static int
default_print_child(device_t bus, device_t child)
{
	const char *desc = device_get_desc(child);

	if (desc != NULL)
		return (printf("%s: <%s> on %s\n", device_get_nameunit(child),
		    desc, device_get_nameunit(bus)));
	return (printf("%s: on %s\n", device_get_nameunit(child),
	    device_get_nameunit(bus)));
}

METHOD_DESC_DEFINE(device_probe, null_probe);
METHOD_DESC_DEFINE(device_attach, null_ok);
METHOD_DESC_DEFINE(device_detach, null_ok);
METHOD_DESC_DEFINE(device_shutdown, null_ok);
METHOD_DESC_DEFINE(device_suspend, null_ok);
METHOD_DESC_DEFINE(device_resume, null_ok);
METHOD_DESC_DEFINE(device_identify, null_identify);
METHOD_DESC_DEFINE(bus_add_child, bus_generic_add_child);
METHOD_DESC_DEFINE(bus_read_ivar, null_ivar);
METHOD_DESC_DEFINE(bus_write_ivar, null_write_ivar);
METHOD_DESC_DEFINE(bus_child_detached, null_child_detached);
METHOD_DESC_DEFINE(bus_print_child, default_print_child);
