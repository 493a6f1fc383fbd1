/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xenstore ring I/O (see xs_ring.h).  Each of the daemon's indexes is read
 * once per call and the rest of the call works on that copy.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <xen/xs_ring.h>

void
xs_ring_init(struct xs_ring *r, struct xenstore_domain_interface *intf)
{
	r->intf = intf;
	/* Where a previous user of the page left the stream. */
	r->req_prod = __atomic_load_n(&intf->req_prod, __ATOMIC_ACQUIRE);
	r->rsp_cons = __atomic_load_n(&intf->rsp_cons, __ATOMIC_ACQUIRE);
}

ssize_t
xs_ring_space(const struct xs_ring *r)
{
	XENSTORE_RING_IDX cons = __atomic_load_n(&r->intf->req_cons,
	    __ATOMIC_ACQUIRE);
	XENSTORE_RING_IDX used = r->req_prod - cons;

	/* Also catches a consumer ahead of us: used wraps to a huge value. */
	if (used > XENSTORE_RING_SIZE)
		return (-1);
	return ((ssize_t)(XENSTORE_RING_SIZE - used));
}

ssize_t
xs_ring_avail(const struct xs_ring *r)
{
	XENSTORE_RING_IDX prod = __atomic_load_n(&r->intf->rsp_prod,
	    __ATOMIC_ACQUIRE);
	XENSTORE_RING_IDX used = prod - r->rsp_cons;

	if (used > XENSTORE_RING_SIZE)
		return (-1);
	return ((ssize_t)used);
}

ssize_t
xs_ring_put(struct xs_ring *r, const void *buf, size_t len)
{
	struct xenstore_domain_interface *intf = r->intf;
	XENSTORE_RING_IDX prod = r->req_prod;
	ssize_t space = xs_ring_space(r);
	const char *p = buf;
	size_t done = 0;

	if (space < 0)
		return (-1);
	while (done < len && space > 0) {
		/* Contiguous run up to the end of the ring. */
		size_t off = MASK_XENSTORE_IDX(prod);
		size_t n = MIN(len - done, MIN((size_t)space, XENSTORE_RING_SIZE - off));

		memcpy(&intf->req[off], p + done, n);
		prod += (XENSTORE_RING_IDX)n;
		done += n;
		space -= (ssize_t)n;
	}
	r->req_prod = prod;
	/* Data before index: the daemon must not see the index first. */
	__atomic_store_n(&intf->req_prod, prod, __ATOMIC_RELEASE);
	return ((ssize_t)done);
}

ssize_t
xs_ring_get(struct xs_ring *r, void *buf, size_t len)
{
	struct xenstore_domain_interface *intf = r->intf;
	XENSTORE_RING_IDX cons = r->rsp_cons;
	ssize_t avail = xs_ring_avail(r);
	char *p = buf;
	size_t done = 0;

	if (avail < 0)
		return (-1);
	while (done < len && avail > 0) {
		size_t off = MASK_XENSTORE_IDX(cons);
		size_t n = MIN(len - done, MIN((size_t)avail, XENSTORE_RING_SIZE - off));

		memcpy(p + done, &intf->rsp[off], n);
		cons += (XENSTORE_RING_IDX)n;
		done += n;
		avail -= (ssize_t)n;
	}
	r->rsp_cons = cons;
	/* Finish reading before giving the space back. */
	__atomic_store_n(&intf->rsp_cons, cons, __ATOMIC_RELEASE);
	return ((ssize_t)done);
}
