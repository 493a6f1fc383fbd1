/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * PV console ring I/O (see xencons_ring.h).
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/cpufunc.h>

#include "xencons_ring.h"

#define OUT_SIZE	((XENCONS_RING_IDX)sizeof(((struct xencons_interface *)0)->out))
#define IN_SIZE		((XENCONS_RING_IDX)sizeof(((struct xencons_interface *)0)->in))

void
xencons_ring_init(struct xencons_ring *r, struct xencons_interface *intf,
    void (*notify)(void *), void *arg)
{
	memset(r, 0, sizeof(*r));
	r->intf = intf;
	r->notify = notify;
	r->notify_arg = arg;
	/* Where the firmware or an earlier kernel left the streams. */
	r->out_prod = __atomic_load_n(&intf->out_prod, __ATOMIC_ACQUIRE);
	r->in_cons = __atomic_load_n(&intf->in_cons, __ATOMIC_ACQUIRE);
}

/* Output bytes the backend has not taken, or OUT_SIZE + 1 if it lies. */
static XENCONS_RING_IDX
xencons_out_used(struct xencons_ring *r)
{
	XENCONS_RING_IDX cons = __atomic_load_n(&r->intf->out_cons,
	    __ATOMIC_ACQUIRE);
	XENCONS_RING_IDX used = r->out_prod - cons;

	return (used > OUT_SIZE ? OUT_SIZE + 1 : used);
}

bool
xencons_ring_putc(struct xencons_ring *r, int c, sbintime_t max_wait)
{
	XENCONS_RING_IDX used = xencons_out_used(r);

	if (used > OUT_SIZE) {
		r->corrupt++;
		r->dropped++;
		return (false);
	}
	/* Half the ring free: the backend keeps up (again). */
	if (OUT_SIZE - used >= OUT_SIZE / 2) {
		r->stalled = false;
		r->waited = 0;
	}
	if (r->stalled) {
		r->dropped++;
		return (false);
	}
	if (used == OUT_SIZE) {
		sbintime_t start = sbinuptime(), now;
		sbintime_t limit = MIN(max_wait, XENCONS_STALL_BUDGET - r->waited);

		KASSERT(r->waited < XENCONS_STALL_BUDGET,
		    ("xencons: over the stall budget but not stalled"));
		r->notify(r->notify_arg);
		/* The kick itself counts: the backend may run on our time. */
		while ((used = xencons_out_used(r)) == OUT_SIZE &&
		    sbinuptime() - start < limit)
			cpu_spinwait();
		now = sbinuptime();
		r->waited += now - start;
		if (used > OUT_SIZE)
			r->corrupt++;
		if (used >= OUT_SIZE) {
			r->stalled = true;
			r->dropped++;
			return (false);
		}
		if (r->waited >= XENCONS_STALL_BUDGET)
			r->stalled = true;	/* this one goes, the next drop */
	}
	r->intf->out[MASK_XENCONS_IDX(r->out_prod, r->intf->out)] = (char)c;
	r->out_prod++;
	__atomic_store_n(&r->intf->out_prod, r->out_prod, __ATOMIC_RELEASE);
	/* One notification per line keeps the hypercall count down. */
	if (c == '\n')
		r->notify(r->notify_arg);
	return (true);
}

int
xencons_ring_getc(struct xencons_ring *r)
{
	XENCONS_RING_IDX prod = __atomic_load_n(&r->intf->in_prod,
	    __ATOMIC_ACQUIRE);
	int c = -1;

	if (prod == r->in_cons)
		return (-1);
	if (prod - r->in_cons > IN_SIZE) {
		/* Nothing there can be trusted: skip to the backend's index. */
		r->corrupt++;
		r->in_cons = prod;
	} else {
		c = (unsigned char)r->intf->in[MASK_XENCONS_IDX(r->in_cons,
		    r->intf->in)];
		r->in_cons++;
	}
	__atomic_store_n(&r->intf->in_cons, r->in_cons, __ATOMIC_RELEASE);
	r->notify(r->notify_arg);
	return (c);
}

bool
xencons_ring_flush(struct xencons_ring *r, u_int max_us)
{
	r->notify(r->notify_arg);
	for (u_int waited = 0;; waited += 1000) {
		if (xencons_out_used(r) == 0)
			return (true);
		if (waited >= max_us)
			return (false);
		DELAY(1000);
		r->notify(r->notify_arg);
	}
}
