/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The device tree.  A device_t is a node; a driver is a name, a method table
 * and a softc size.  Drivers register for a parent bus by name with
 * DRIVER_MODULE(); a bus attaches its children in ascending order, then unit.
 *
 * Methods: each interface method has a descriptor (struct method_desc) with a
 * default implementation; a driver's table maps descriptors to functions, and
 * a call looks the descriptor up in the driver of the device (then falls back
 * to the default).  New interfaces (paravirtual buses, ...) declare descriptors the same
 * way with METHOD_DESC_DECLARE/DEFINE.
 */
#ifndef _SYS_BUS_H_
#define _SYS_BUS_H_

#include <sys/linker_set.h>
#include <sys/queue.h>
#include <sys/types.h>

typedef struct device	*device_t;
typedef void		(*method_func_t)(void);

struct method_desc {
	const char	*name;
	method_func_t	deflt;
};

struct device_method {
	const struct method_desc *desc;
	method_func_t		func;
};

typedef struct driver {
	const char			*name;
	const struct device_method	*methods;
	size_t				size;		/* softc size */
} driver_t;

#define DEVMETHOD(name, func)	{ &name##_desc, (method_func_t)(func) }
#define DEVMETHOD_END		{ NULL, NULL }

#define METHOD_DESC_DECLARE(name)	extern const struct method_desc name##_desc
#define METHOD_DESC_DEFINE(name, deflt)					\
	const struct method_desc name##_desc = { #name, (method_func_t)(deflt) }

/* Finds the implementation of a method for a device (never NULL). */
method_func_t	device_lookup_method(device_t, const struct method_desc *);

/* The same lookup in a driver's table, for methods called before a device exists. */
method_func_t	driver_lookup_method(const driver_t *, const struct method_desc *);

/* Probe results: 0 is an exact match; negative values are weaker claims. */
#define BUS_PROBE_SPECIFIC	0
#define BUS_PROBE_VENDOR	(-10)
#define BUS_PROBE_DEFAULT	(-20)
#define BUS_PROBE_GENERIC	(-100)
#define BUS_PROBE_NOWILDCARD	(-2000000000)

/* Device interface. */
typedef int	device_probe_t(device_t);
typedef int	device_attach_t(device_t);
typedef int	device_detach_t(device_t);
typedef int	device_shutdown_t(device_t);
typedef int	device_suspend_t(device_t);
typedef int	device_resume_t(device_t);
METHOD_DESC_DECLARE(device_probe);
METHOD_DESC_DECLARE(device_attach);
METHOD_DESC_DECLARE(device_detach);
METHOD_DESC_DECLARE(device_shutdown);
METHOD_DESC_DECLARE(device_suspend);
METHOD_DESC_DECLARE(device_resume);
/*
 * Optional: called by bus_generic_probe() for each driver registered on the
 * bus, so the driver can add the children it knows exist (no enumeration).
 */
typedef void	device_identify_t(driver_t *driver, device_t parent);
METHOD_DESC_DECLARE(device_identify);
#define DEVICE_IDENTIFY(drv, p) \
	((device_identify_t *)driver_lookup_method(drv, &device_identify_desc))(drv, p)

/* Bus interface. */
typedef device_t bus_add_child_t(device_t bus, u_int order, const char *name, int unit);
typedef int	bus_read_ivar_t(device_t bus, device_t child, int which, uintptr_t *result);
typedef int	bus_write_ivar_t(device_t bus, device_t child, int which, uintptr_t value);
typedef void	bus_child_detached_t(device_t bus, device_t child);
typedef int	bus_print_child_t(device_t bus, device_t child);
METHOD_DESC_DECLARE(bus_add_child);
METHOD_DESC_DECLARE(bus_read_ivar);
METHOD_DESC_DECLARE(bus_write_ivar);
METHOD_DESC_DECLARE(bus_child_detached);
METHOD_DESC_DECLARE(bus_print_child);

#define DEVICE_PROBE(d)		((device_probe_t *)device_lookup_method(d, &device_probe_desc))(d)
#define DEVICE_ATTACH(d)	((device_attach_t *)device_lookup_method(d, &device_attach_desc))(d)
#define DEVICE_DETACH(d)	((device_detach_t *)device_lookup_method(d, &device_detach_desc))(d)
#define DEVICE_SHUTDOWN(d)	((device_shutdown_t *)device_lookup_method(d, &device_shutdown_desc))(d)
#define DEVICE_SUSPEND(d)	((device_suspend_t *)device_lookup_method(d, &device_suspend_desc))(d)
#define DEVICE_RESUME(d)	((device_resume_t *)device_lookup_method(d, &device_resume_desc))(d)
#define BUS_ADD_CHILD(b, o, n, u) \
	((bus_add_child_t *)device_lookup_method(b, &bus_add_child_desc))(b, o, n, u)
#define BUS_READ_IVAR(b, c, w, r) \
	((bus_read_ivar_t *)device_lookup_method(b, &bus_read_ivar_desc))(b, c, w, r)
#define BUS_WRITE_IVAR(b, c, w, v) \
	((bus_write_ivar_t *)device_lookup_method(b, &bus_write_ivar_desc))(b, c, w, v)
#define BUS_CHILD_DETACHED(b, c) \
	((bus_child_detached_t *)device_lookup_method(b, &bus_child_detached_desc))(b, c)

/* Driver registration: driver 'drv' may attach to children of buses named 'busname'. */
struct driver_module {
	const char	*busname;
	driver_t	*driver;
	int		pass;		/* lower passes are probed first */
};
#define DRIVER_MODULE_ORDERED(name, busname, drv, pass)			\
	static struct driver_module __CONCAT(name##_##busname, _drvmod) = \
	    { #busname, &(drv), (pass) };				\
	DATA_SET(driver_module_set, __CONCAT(name##_##busname, _drvmod))
#define DRIVER_MODULE(name, busname, drv, evh, arg)			\
	DRIVER_MODULE_ORDERED(name, busname, drv, 0)

/*
 * Drivers of a module (kld(4)): added after the built-in ones and offered
 * to the buses already attached; removal is EBUSY (*busy names the
 * device) while one of them is attached to a device.
 */
int	driver_module_add(struct driver_module *const *set, size_t n);
int	driver_module_remove(struct driver_module *const *set, size_t n,
	    device_t *busy);

/* Tree operations. */
device_t	device_add_child(device_t dev, const char *name, int unit);
device_t	device_add_child_ordered(device_t dev, u_int order, const char *name, int unit);
int		device_delete_child(device_t dev, device_t child);
int		device_probe_and_attach(device_t dev);
int		device_detach(device_t dev);
int		device_get_children(device_t dev, device_t **list, int *count);
device_t	device_get_parent(device_t dev);
device_t	device_find_child(device_t dev, const char *name, int unit);
void		*device_get_softc(device_t dev);
void		*device_get_ivars(device_t dev);
void		device_set_ivars(device_t dev, void *ivars);
const char	*device_get_name(device_t dev);
const char	*device_get_nameunit(device_t dev);
int		device_get_unit(device_t dev);
const char	*device_get_desc(device_t dev);
void		device_set_desc(device_t dev, const char *desc);
void		device_set_desc_copy(device_t dev, const char *desc);
driver_t	*device_get_driver(device_t dev);
bool		device_is_attached(device_t dev);
u_int		device_get_order(device_t dev);
int		device_printf(device_t dev, const char *fmt, ...) __printflike(2, 3);

int		bus_generic_probe(device_t dev);
int		bus_generic_attach(device_t dev);
int		bus_generic_detach(device_t dev);
int		bus_generic_shutdown(device_t dev);
int		bus_generic_suspend(device_t dev);
int		bus_generic_resume(device_t dev);
device_t	bus_generic_add_child(device_t bus, u_int order, const char *name, int unit);

/* The root of the tree; "nexus" drivers attach to it. */
extern device_t	root_bus;
/*
 * Attach log: every successful attach appends "nameunit" here, so tests can
 * check the order in which the tree came up.
 */
int		device_attach_log(const char **names, int max);

#endif /* !_SYS_BUS_H_ */
