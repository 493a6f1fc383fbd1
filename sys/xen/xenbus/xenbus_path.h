/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Checks of the names and paths the toolstack writes for xenbus, and the
 * split of a backend watch path into its device triple, as pure functions
 * (hosted-tested as they are).  Both buses use them: a name or path that
 * fails here is never used to build another path.
 */
#ifndef _XEN_XENBUS_XENBUS_PATH_H_
#define _XEN_XENBUS_XENBUS_PATH_H_

#include <sys/types.h>

#include <xen/xenbus/xenbusvar.h>

/* A type or id: 1..XENBUS_NAME_MAX-1 letters, digits, '-' or '_'. */
bool	xenbus_name_ok(const char *s);
/* An absolute path of printable characters, no empty component. */
bool	xenbus_path_ok(const char *s);
/*
 * A domain id as a directory name: decimal, no leading zero, below
 * DOMID_FIRST_RESERVED.  EINVAL otherwise.
 */
int	xenbus_domid_parse(const char *s, u_int *domid);

/* Where a watch event under <home>/backend falls. */
enum xenbus_back_where {
	XBP_OUTSIDE,	/* not under the root, or malformed */
	XBP_ABOVE,	/* the root, a type or a frontend directory */
	XBP_DEVICE,	/* a device directory itself */
	XBP_INSIDE,	/* a node inside a device directory */
};

struct xenbus_back_triple {
	char	type[XENBUS_NAME_MAX];
	char	devid[XENBUS_NAME_MAX];
	u_int	frontid;
};

/*
 * Splits 'path' (a watch event) against 'root' (<home>/backend).  For
 * XBP_DEVICE and XBP_INSIDE, *t names the device; its components passed
 * xenbus_name_ok() / xenbus_domid_parse().
 */
enum xenbus_back_where xenbus_back_path_split(const char *root, const char *path,
	    struct xenbus_back_triple *t);

#endif /* !_XEN_XENBUS_XENBUS_PATH_H_ */
