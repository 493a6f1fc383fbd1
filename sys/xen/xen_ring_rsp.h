/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The response side of a front ring, the same for every ring type (netif
 * tx, blkif): rsp_prod read once and bounded by the requests published,
 * each response copied off the shared page once and only the copy handed
 * on, then rsp_event re-armed and rsp_prod looked at again
 * (RING_FINAL_CHECK_FOR_RESPONSES, on our own read).  The backend is
 * untrusted: a producer past what we published, or behind us (it wraps to
 * a huge count), stops the loop before any response is looked at.
 */
#ifndef _XEN_XEN_RING_RSP_H_
#define _XEN_XEN_RING_RSP_H_

#include <sys/types.h>

/* One front ring's response side, as the loop needs it. */
struct xen_ring_rsp {
	volatile RING_IDX	*rsp_prod;
	volatile RING_IDX	*rsp_event;
	RING_IDX		*rsp_cons;
	const volatile uint8_t	*ents;		/* the shared ring[] */
	size_t			ent_size;	/* sizeof(ring[0]) */
	RING_IDX		nr_ents;	/* a power of two */
	RING_IDX		published;	/* requests the backend may answer */
};

/* rr over the front ring fr (any ring.h type) with pub requests published. */
#define	XEN_RING_RSP_INIT(rr, fr, pub) do {				\
	(rr)->rsp_prod = &(fr)->sring->rsp_prod;			\
	(rr)->rsp_event = &(fr)->sring->rsp_event;			\
	(rr)->rsp_cons = &(fr)->rsp_cons;				\
	(rr)->ents = (const volatile uint8_t *)&(fr)->sring->ring[0];	\
	(rr)->ent_size = sizeof((fr)->sring->ring[0]);			\
	(rr)->nr_ents = RING_SIZE(fr);					\
	(rr)->published = (pub);					\
} while (0)

/* A bad producer: not an errno, so no handler's error is mistaken for it. */
#define	XEN_RING_BADPROD	(-1)

/*
 * Handles the copy of one response (rsp_cons already past it); non-zero
 * stops the loop and is returned as it is.
 */
typedef int	xen_ring_rsp_fn(void *arg, const void *rsp);

/*
 * Consumes every response, rsp (rsp_size bytes, the ring type's response)
 * holding each copy in turn.  Returns 0 once caught up with rsp_event
 * armed, the handler's non-zero, or XEN_RING_BADPROD with *badprod set.
 */
int	xen_ring_consume(const struct xen_ring_rsp *rr, void *rsp,
	    size_t rsp_size, xen_ring_rsp_fn *fn, void *arg, RING_IDX *badprod);

#endif /* !_XEN_XEN_RING_RSP_H_ */
