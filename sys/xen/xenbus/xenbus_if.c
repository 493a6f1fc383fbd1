/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The xenbus methods and the calls a driver makes on either bus
 * (xenbusvar.h): the state change goes to the child's bus, which knows its
 * node and role; the generic other-end handler follows the closing
 * protocol for the role the bus reports.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <xen/xenbus/xenbus_subr.h>
#include <xen/xenbus/xenbusvar.h>
#include <xen/xenstore.h>

static int
xenbus_no_set_state(device_t bus __unused, device_t child __unused,
    XenbusState st __unused)
{
	return (ENODEV);
}

METHOD_DESC_DEFINE(xenbus_otherend_changed, xenbus_generic_otherend_changed);
METHOD_DESC_DEFINE(xenbus_bus_set_state, xenbus_no_set_state);

int
xenbus_set_state(device_t dev, XenbusState st)
{
	device_t bus = device_get_parent(dev);

	return (((xenbus_bus_set_state_t *)device_lookup_method(bus,
	    &xenbus_bus_set_state_desc))(bus, dev, st));
}

void
xenbus_generic_otherend_changed(device_t dev, XenbusState other)
{
	enum xenbus_role role = xenbus_get_role(dev);

	switch (xenbus_state_action(role, xenbus_get_state(dev), other)) {
	case XENBUS_ACT_CLOSE:
		if (xenbus_set_state(dev, XenbusStateClosing) == 0)
			(void)xenbus_set_state(dev, XenbusStateClosed);
		break;
	case XENBUS_ACT_CLOSED:
		(void)xenbus_set_state(dev, XenbusStateClosed);
		break;
	case XENBUS_ACT_RECONNECT:
		/* A backend offers itself again only through its driver. */
		if (role == XENBUS_FRONTEND)
			(void)xenbus_set_state(dev, XenbusStateInitialising);
		break;
	default:
		/* Connecting needs a driver. */
		break;
	}
}

int
xenbus_read_str(const char *dir, const char *node, char *buf, size_t size)
{
	char *v;
	size_t len;
	int error;

	if ((error = xs_read(XST_NIL, dir, node, &v, &len)) != 0)
		return (error);
	if (len >= size || strlen(v) != len)
		error = ENAMETOOLONG;
	else
		strlcpy(buf, v, size);
	free(v, M_XENSTORE);
	return (error);
}

int
xenbus_read_state(const char *dir, XenbusState *st)
{
	char *v;
	size_t len;
	int error;

	error = xs_read(XST_NIL, dir, "state", &v, &len);
	if (error == ENOENT) {
		*st = XenbusStateUnknown;
		return (0);
	}
	if (error != 0)
		return (error);
	error = xenbus_state_parse(v, len, st);
	free(v, M_XENSTORE);
	return (error);
}

int
xenbus_home_path(const char *rel, char *buf, size_t size)
{
	char *home;
	u_int domid;
	int error;

	if ((error = xs_domid(&domid)) != 0 ||
	    (error = xs_get_domain_path(domid, &home)) != 0)
		return (error);
	if ((size_t)snprintf(buf, size, "%s/%s", home, rel) >= size)
		error = ENAMETOOLONG;
	free(home, M_XENSTORE);
	return (error);
}

bool
xenbus_is_own_device(device_t dev, const char *type)
{
	char want[XENBUS_PATH_MAX];
	const char *node = xenbus_get_node(dev), *id = xenbus_get_id(dev);
	const char *t = xenbus_get_type(dev);
	u_int domid;

	if (node == NULL || id == NULL || t == NULL || strcmp(t, type) != 0 ||
	    xs_domid(&domid) != 0)
		return (false);
	if ((size_t)snprintf(want, sizeof(want), "/local/domain/%u/device/%s/%s",
	    domid, type, id) >= sizeof(want))
		return (false);
	return (strcmp(node, want) == 0);
}
