/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * One response-consume loop for every front ring (xen_ring_rsp.h).
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <machine/atomic.h>

#ifndef xen_mb
#define xen_mb()	mb()
#define xen_rmb()	rmb()
#define xen_wmb()	wmb()
#endif
#include <xen/xen.h>
#include <xen/io/ring.h>

#include <xen/xen_ring_rsp.h>

int
xen_ring_consume(const struct xen_ring_rsp *rr, void *rsp, size_t rsp_size,
    xen_ring_rsp_fn *fn, void *arg, RING_IDX *badprod)
{
	RING_IDX prod, cons;
	int error;

	KASSERT(rsp_size <= rr->ent_size && powerof2(rr->nr_ents),
	    ("xen_ring_consume: %zu-byte response, %zu-byte entries, %u",
	    rsp_size, rr->ent_size, rr->nr_ents));
	for (;;) {
		/* Read once; everything below works on this value. */
		prod = __atomic_load_n(rr->rsp_prod, __ATOMIC_ACQUIRE);
		cons = *rr->rsp_cons;
		/* At most one response per published request (wrap included). */
		if (prod - cons > rr->published - cons) {
			*badprod = prod;
			return (XEN_RING_BADPROD);
		}
		while (cons != prod) {
			const volatile uint8_t *e = rr->ents +
			    (size_t)(cons & (rr->nr_ents - 1)) * rr->ent_size;

			/* The only read of this slot: the peer may rewrite it. */
			for (size_t i = 0; i < rsp_size; i++)
				((uint8_t *)rsp)[i] = e[i];
			cons++;
			*rr->rsp_cons = cons;
			if ((error = fn(arg, rsp)) != 0)
				return (error);
		}
		*rr->rsp_event = cons + 1;
		xen_mb();
		if (__atomic_load_n(rr->rsp_prod, __ATOMIC_ACQUIRE) == cons)
			return (0);
	}
}
