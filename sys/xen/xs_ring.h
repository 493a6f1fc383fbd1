/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Byte-stream access to the xenstore ring page.  The indexes we own (the
 * request producer and the reply consumer) live in struct xs_ring and are
 * only ever written to the page, never read back: the daemon can write the
 * page at any time and must not be able to rewind them.  The daemon's
 * indexes are read once per call and checked against ours; a ring whose
 * indexes are more than a ring apart is reported as corrupt.
 */
#ifndef _XEN_XS_RING_H_
#define _XEN_XS_RING_H_

#include <sys/types.h>

#include <xen/xen.h>
#include <xen/io/xs_wire.h>

struct xs_ring {
	struct xenstore_domain_interface *intf;
	XENSTORE_RING_IDX	req_prod;	/* ours; published to the page */
	XENSTORE_RING_IDX	rsp_cons;	/* ours; published to the page */
};

/* Adopts a ring page, taking our indexes from it once. */
void	xs_ring_init(struct xs_ring *, struct xenstore_domain_interface *);
/* Copies up to len bytes into the request ring; returns bytes or -1 if corrupt. */
ssize_t	xs_ring_put(struct xs_ring *, const void *, size_t);
/* Copies up to len bytes out of the reply ring; returns bytes or -1 if corrupt. */
ssize_t	xs_ring_get(struct xs_ring *, void *, size_t);
/* Bytes waiting in the reply ring (or -1 if corrupt). */
ssize_t	xs_ring_avail(const struct xs_ring *);
/* Free bytes in the request ring (or -1 if corrupt). */
ssize_t	xs_ring_space(const struct xs_ring *);

#endif /* !_XEN_XS_RING_H_ */
