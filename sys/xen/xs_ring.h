/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Byte-stream access to the xenstore ring page.  Pure functions: the
 * indexes come from the other side and are checked on every call; a ring
 * whose producer claims more data than fits is reported as corrupt.
 */
#ifndef _XEN_XS_RING_H_
#define _XEN_XS_RING_H_

#include <sys/types.h>

#include <xen/xen.h>
#include <xen/io/xs_wire.h>

/* Copies up to len bytes into the request ring; returns bytes or -1 if corrupt. */
ssize_t	xs_ring_put(struct xenstore_domain_interface *, const void *, size_t);
/* Copies up to len bytes out of the reply ring; returns bytes or -1 if corrupt. */
ssize_t	xs_ring_get(struct xenstore_domain_interface *, void *, size_t);
/* Bytes waiting in the reply ring (or -1 if corrupt). */
ssize_t	xs_ring_avail(const struct xenstore_domain_interface *);
/* Free bytes in the request ring (or -1 if corrupt). */
ssize_t	xs_ring_space(const struct xenstore_domain_interface *);

#endif /* !_XEN_XS_RING_H_ */
