/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The PV console ring page (<xen/io/console.h>) as a byte stream, without
 * the device: the PV console driver runs it over the real page, tests over
 * a private one.  The indexes we own (out_prod, in_cons) are kept here and
 * only written to the page; the backend's (out_cons, in_prod) are read once
 * per use and checked.
 *
 * Output to a backend that stops draining costs bounded waiting: one call
 * waits at most max_wait for space, the waits of a stall add up to at most
 * XENCONS_STALL_BUDGET, then output is dropped and counted at once until the
 * backend has drained half the ring.
 */
#ifndef _DEV_XEN_CONSOLE_XENCONS_RING_H_
#define _DEV_XEN_CONSOLE_XENCONS_RING_H_

#include <sys/types.h>
#include <sys/time.h>

#include <xen/xen.h>
#include <xen/io/console.h>

/* Waiting, over all calls, before a slow backend counts as stalled. */
#define XENCONS_STALL_BUDGET	(20 * SBT_1MS)

struct xencons_ring {
	struct xencons_interface *intf;
	XENCONS_RING_IDX	out_prod;	/* ours; published to the page */
	XENCONS_RING_IDX	in_cons;	/* ours; published to the page */
	void			(*notify)(void *);	/* kicks the backend */
	void			*notify_arg;
	sbintime_t		waited;		/* in this stall so far */
	bool			stalled;	/* dropping until half drained */
	uint64_t		dropped;	/* output characters dropped */
	uint64_t		corrupt;	/* impossible backend indexes seen */
};

/* Adopts a ring page, taking our indexes from it once. */
void	xencons_ring_init(struct xencons_ring *, struct xencons_interface *,
	    void (*notify)(void *), void *arg);
/*
 * Queues one output character, waiting at most max_wait for space; false
 * if it was dropped.  Safe with interrupts off (it spins).
 */
bool	xencons_ring_putc(struct xencons_ring *, int c, sbintime_t max_wait);
/* Next input character, or -1 if none. */
int	xencons_ring_getc(struct xencons_ring *);
/* Waits up to max_us for the backend to take all output; true if it did. */
bool	xencons_ring_flush(struct xencons_ring *, u_int max_us);

#endif /* !_DEV_XEN_CONSOLE_XENCONS_RING_H_ */
