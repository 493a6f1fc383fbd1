/* ring transport (ring.c); pure index logic */
#ifndef XSD_RING_H
#define XSD_RING_H

#include "xsd_types.h"

struct ring_idx {
	XENSTORE_RING_IDX req_cons; /* ours: private copy, never re-read */
	XENSTORE_RING_IDX rsp_prod; /* ours: private copy */
};
/* >=0 bytes copied; -1 bad index from the peer (disconnect it). */
long ring_read(volatile struct xenstore_domain_interface *intf,
    struct ring_idx *ix, void *buf, size_t len);
long ring_write(volatile struct xenstore_domain_interface *intf,
    struct ring_idx *ix, const void *buf, size_t len);
bool ring_has_input(volatile struct xenstore_domain_interface *intf,
    const struct ring_idx *ix);

#endif
