/*
 * Index logic of the shared xenstore ring, as pure functions.  Our own
 * indexes (req_cons, rsp_prod) live in private memory and are only
 * published, never read back; the peer's indexes are read once per call.
 * A peer index more than a ring away from ours is a protocol violation:
 * the caller disconnects that domain alone.
 */
#include <string.h>

#include "xsd_ring.h"

static XENSTORE_RING_IDX
load_idx(volatile XENSTORE_RING_IDX *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void
store_idx(volatile XENSTORE_RING_IDX *p, XENSTORE_RING_IDX v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

bool
ring_has_input(volatile struct xenstore_domain_interface *intf,
    const struct ring_idx *ix)
{
	return load_idx(&intf->req_prod) != ix->req_cons;
}

long
ring_read(volatile struct xenstore_domain_interface *intf,
    struct ring_idx *ix, void *buf, size_t len)
{
	XENSTORE_RING_IDX prod = load_idx(&intf->req_prod);
	XENSTORE_RING_IDX avail = prod - ix->req_cons;
	size_t n, first, off;

	if (avail > XENSTORE_RING_SIZE)
		return -1;
	n = avail < len ? avail : len;
	off = MASK_XENSTORE_IDX(ix->req_cons);
	first = XENSTORE_RING_SIZE - off;
	if (first > n)
		first = n;
	/* Copy out before anything looks at the bytes (no double fetch). */
	memcpy(buf, (const char *)intf->req + off, first);
	memcpy((char *)buf + first, (const char *)intf->req, n - first);
	ix->req_cons += (XENSTORE_RING_IDX)n;
	store_idx(&intf->req_cons, ix->req_cons);
	return (long)n;
}

long
ring_write(volatile struct xenstore_domain_interface *intf,
    struct ring_idx *ix, const void *buf, size_t len)
{
	XENSTORE_RING_IDX cons = load_idx(&intf->rsp_cons);
	XENSTORE_RING_IDX used = ix->rsp_prod - cons;
	size_t n, first, off, space;

	if (used > XENSTORE_RING_SIZE)
		return -1;
	space = XENSTORE_RING_SIZE - used;
	n = space < len ? space : len;
	off = MASK_XENSTORE_IDX(ix->rsp_prod);
	first = XENSTORE_RING_SIZE - off;
	if (first > n)
		first = n;
	memcpy((char *)intf->rsp + off, buf, first);
	memcpy((char *)intf->rsp, (const char *)buf + first, n - first);
	ix->rsp_prod += (XENSTORE_RING_IDX)n;
	store_idx(&intf->rsp_prod, ix->rsp_prod);
	return (long)n;
}
