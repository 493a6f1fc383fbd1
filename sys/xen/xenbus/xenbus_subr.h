/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What the frontend and backend buses share, private to sys/xen/xenbus:
 * bounded reads of the nodes the toolstack and the peer write, and the
 * path of our own home's directories.
 */
#ifndef _XEN_XENBUS_XENBUS_SUBR_H_
#define _XEN_XENBUS_XENBUS_SUBR_H_

#include <sys/types.h>

#include <xen/xenbus/xenbus_state.h>

/* Reads dir/node into buf (size bytes); ENAMETOOLONG if it does not fit. */
int	xenbus_read_str(const char *dir, const char *node, char *buf, size_t size);
/* Reads dir/state: ENOENT gives Unknown; EINVAL if it does not parse. */
int	xenbus_read_state(const char *dir, XenbusState *st);
/* Builds <our home>/rel into buf; ENAMETOOLONG if it does not fit. */
int	xenbus_home_path(const char *rel, char *buf, size_t size);

#endif /* !_XEN_XENBUS_XENBUS_SUBR_H_ */
