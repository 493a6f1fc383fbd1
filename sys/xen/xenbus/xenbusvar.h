/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xenbus: the bus of Xen's split devices, under the xenstore device.  The
 * frontend bus ("xenbusb_front") enumerates device/<type>/<id> of this
 * domain, one child per device, and follows hot-plug through a watch on
 * device/.  A child's driver probes on its type and reads its ivars; the
 * other end's state reaches it through XENBUS_OTHEREND_CHANGED, called in
 * the xenstore watch thread (it may sleep and use xenstore).  A device with
 * no driver stays enumerated and unattached, and still follows the closing
 * protocol (so the toolstack can unplug it).
 *
 * The backend bus ("xenbusb_back", xenbusb_back.h) enumerates
 * backend/<type>/<frontid>/<devid> of this domain (a driver domain or dom0)
 * with the same ivars seen from the other side: NODE is our backend
 * directory, ID the device id, OTHEREND_* the frontend; ROLE tells them
 * apart.  The same method, XENBUS_OTHEREND_CHANGED, reports the frontend's
 * state, and xenbus_set_state() checks the backend rules.
 */
#ifndef _XEN_XENBUS_XENBUSVAR_H_
#define _XEN_XENBUS_XENBUSVAR_H_

#include <sys/types.h>
#include <sys/bus.h>

#include <xen/xenbus/xenbus_state.h>

/* Child ivars (BUS_READ_IVAR; strings stay valid while the child exists). */
enum {
	XENBUS_IVAR_NODE,		/* our node: /local/domain/<me>/device/<type>/<id> */
	XENBUS_IVAR_TYPE,		/* "vbd", "vif", ... */
	XENBUS_IVAR_ID,			/* "51712", ... */
	XENBUS_IVAR_STATE,		/* our XenbusState */
	XENBUS_IVAR_OTHEREND_ID,	/* the other end's domain id */
	XENBUS_IVAR_OTHEREND_PATH,	/* the other end's node */
	XENBUS_IVAR_OTHEREND_STATE,	/* its XenbusState as last read */
	XENBUS_IVAR_ROLE,		/* enum xenbus_role (frontend if unset) */
};

/* Bounds on what the toolstack may make us hold. */
#define XENBUS_NAME_MAX		32	/* a type or id, with its NUL */
#define XENBUS_MAX_CHILDREN	64
#define XENBUS_PATH_MAX		256

/*
 * Driver method: the other end's state changed (or its node went:
 * XenbusStateUnknown).  The default, xenbus_generic_otherend_changed(),
 * follows the closing protocol only.
 */
typedef void	xenbus_otherend_changed_t(device_t dev, XenbusState newstate);
METHOD_DESC_DECLARE(xenbus_otherend_changed);
#define XENBUS_OTHEREND_CHANGED(d, s)					\
	((xenbus_otherend_changed_t *)device_lookup_method(d,		\
	    &xenbus_otherend_changed_desc))(d, s)
void	xenbus_generic_otherend_changed(device_t dev, XenbusState newstate);

/*
 * Switches our state: writes <node>/state unless it already holds 'st'.
 * EINVAL if the change is illegal for our role (xenbus_state.h), ENOENT
 * if our node is gone (the toolstack removed the device: never recreate
 * it), or xenstore's error.  Thread context.
 */
int	xenbus_set_state(device_t dev, XenbusState st);

/* Bus method behind xenbus_set_state(). */
typedef int	xenbus_bus_set_state_t(device_t bus, device_t child, XenbusState st);
METHOD_DESC_DECLARE(xenbus_bus_set_state);

static inline uintptr_t
xenbus_ivar(device_t dev, int which)
{
	uintptr_t v = 0;

	(void)BUS_READ_IVAR(device_get_parent(dev), dev, which, &v);
	return (v);
}
static inline const char *
xenbus_get_node(device_t dev)
{
	return ((const char *)xenbus_ivar(dev, XENBUS_IVAR_NODE));
}
static inline const char *
xenbus_get_type(device_t dev)
{
	return ((const char *)xenbus_ivar(dev, XENBUS_IVAR_TYPE));
}
static inline const char *
xenbus_get_id(device_t dev)
{
	return ((const char *)xenbus_ivar(dev, XENBUS_IVAR_ID));
}
static inline XenbusState
xenbus_get_state(device_t dev)
{
	return ((XenbusState)xenbus_ivar(dev, XENBUS_IVAR_STATE));
}
static inline u_int
xenbus_get_otherend_id(device_t dev)
{
	return ((u_int)xenbus_ivar(dev, XENBUS_IVAR_OTHEREND_ID));
}
static inline const char *
xenbus_get_otherend_path(device_t dev)
{
	return ((const char *)xenbus_ivar(dev, XENBUS_IVAR_OTHEREND_PATH));
}
static inline XenbusState
xenbus_get_otherend_state(device_t dev)
{
	return ((XenbusState)xenbus_ivar(dev, XENBUS_IVAR_OTHEREND_STATE));
}
static inline enum xenbus_role
xenbus_get_role(device_t dev)
{
	return ((enum xenbus_role)xenbus_ivar(dev, XENBUS_IVAR_ROLE));
}

/*
 * True if dev is a frontend of the given type in this domain's own
 * device/<type>/<id>: a second bus (the xenbus ktests make one over a fake
 * tree elsewhere in our home) has no real backend behind its children.
 */
bool	xenbus_is_own_device(device_t dev, const char *type);

/*
 * Bus statistics and a consistent look at the children, for tests and
 * the boot report.
 */
struct xenbus_stats {
	uint64_t	scans;		/* enumerations of device/ */
	uint64_t	added;		/* children created */
	uint64_t	removed;	/* children detached and deleted */
	uint64_t	refused;	/* entries ignored: bad name, too many, no backend */
	uint64_t	otherend_events; /* other-end state changes delivered */
	uint64_t	bad_states;	/* other-end state nodes that did not parse */
};
void	xenbus_get_stats(device_t bus, struct xenbus_stats *);
/* The frontend bus of this domain (NULL if none attached). */
device_t xenbus_front_bus(void);
/*
 * Runs fn on each child, under the bus lock (the children cannot change
 * meanwhile).  fn must not delete children.
 */
void	xenbus_foreach_child(device_t bus, void (*fn)(device_t, void *), void *arg);
/* Enumerates again now (the device/ watch does it on every change). */
void	xenbus_rescan(device_t bus);

#endif /* !_XEN_XENBUS_XENBUSVAR_H_ */
