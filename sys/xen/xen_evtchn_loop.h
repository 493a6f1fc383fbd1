/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Test support for the event-channel ktests: a loopback pair of our own
 * ports (an unbound port and an inter-domain port bound to it), so that
 * notifying one end raises the other, under the real hypervisor.
 */
#ifndef _XEN_XEN_EVTCHN_LOOP_H_
#define _XEN_XEN_EVTCHN_LOOP_H_

#include <sys/types.h>

#include <xen/xen_evtchn.h>

struct loop_seen {
	volatile u_int	count;
	volatile u_int	cpu;
};

/* Counts into the struct loop_seen given as its argument. */
void	loop_handler(void *arg);
/* Polls (interrupts on) until count reaches want; false after 2 s. */
bool	loop_wait(struct loop_seen *s, u_int want);
/*
 * *a: an unbound port with 'handler' (loop_handler if NULL) and 'flags';
 * *b: bound to it from our side, so that notifying *b raises *a.  Events on
 * *b (there should be none) are counted in 'sender' if it is not NULL.  On
 * error both stay NULL.
 */
int	loop_pair_make(int flags, evtchn_handler_t *handler, void *arg,
	    struct loop_seen *sender, evtchn_handle_t *a, evtchn_handle_t *b);

#endif /* !_XEN_XEN_EVTCHN_LOOP_H_ */
