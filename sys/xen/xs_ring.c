/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xenstore ring I/O (see xs_ring.h).  Each index is read once per call and
 * the rest of the call works on that copy.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <xen/xs_ring.h>

ssize_t
xs_ring_space(const struct xenstore_domain_interface *intf)
{
	XENSTORE_RING_IDX cons = __atomic_load_n(&intf->req_cons, __ATOMIC_ACQUIRE);
	XENSTORE_RING_IDX prod = intf->req_prod;
	XENSTORE_RING_IDX used = prod - cons;

	if (used > XENSTORE_RING_SIZE)
		return (-1);
	return ((ssize_t)(XENSTORE_RING_SIZE - used));
}

ssize_t
xs_ring_avail(const struct xenstore_domain_interface *intf)
{
	XENSTORE_RING_IDX prod = __atomic_load_n(&intf->rsp_prod, __ATOMIC_ACQUIRE);
	XENSTORE_RING_IDX used = prod - intf->rsp_cons;

	if (used > XENSTORE_RING_SIZE)
		return (-1);
	return ((ssize_t)used);
}

ssize_t
xs_ring_put(struct xenstore_domain_interface *intf, const void *buf, size_t len)
{
	XENSTORE_RING_IDX prod = intf->req_prod;
	ssize_t space = xs_ring_space(intf);
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
	/* Data before index: the daemon must not see the index first. */
	__atomic_store_n(&intf->req_prod, prod, __ATOMIC_RELEASE);
	return ((ssize_t)done);
}

ssize_t
xs_ring_get(struct xenstore_domain_interface *intf, void *buf, size_t len)
{
	XENSTORE_RING_IDX cons = intf->rsp_cons;
	ssize_t avail = xs_ring_avail(intf);
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
	/* Finish reading before giving the space back. */
	__atomic_store_n(&intf->rsp_cons, cons, __ATOMIC_RELEASE);
	return ((ssize_t)done);
}
