/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Loopback event-channel pairs for the ktests (see xen_evtchn_loop.h).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/pcpu.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/cpufunc.h>

#include <xen/xen_evtchn.h>
#include <xen/xen_evtchn_loop.h>

void
loop_handler(void *arg)
{
	struct loop_seen *s = arg;

	s->cpu = curcpu;
	__atomic_fetch_add(&s->count, 1, __ATOMIC_SEQ_CST);
}

bool
loop_wait(struct loop_seen *s, u_int want)
{
	sbintime_t end = sbinuptime() + 2 * SBT_1S;

	while (__atomic_load_n(&s->count, __ATOMIC_SEQ_CST) < want) {
		if (sbinuptime() > end)
			return (false);
		for (int i = 0; i < 1000; i++)	/* few clock reads */
			cpu_spinwait();
	}
	return (true);
}

/* The sending end's events, when nobody asked to count them. */
static struct loop_seen	loop_sender_unwatched;

int
loop_pair_make(int flags, evtchn_handler_t *handler, void *arg,
    struct loop_seen *sender, evtchn_handle_t *a, evtchn_handle_t *b)
{
	int error;

	*a = *b = NULL;
	error = evtchn_alloc_unbound(DOMID_SELF,
	    handler != NULL ? handler : loop_handler, arg, flags, a);
	if (error != 0)
		return (error);
	error = evtchn_bind_interdomain(DOMID_SELF, evtchn_port(*a),
	    loop_handler, sender != NULL ? sender : &loop_sender_unwatched, 0, b);
	if (error != 0)
		evtchn_unbind(a);
	return (error);
}
