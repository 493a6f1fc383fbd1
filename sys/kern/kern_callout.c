/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Callouts: each CPU keeps its own list, run from its event-timer
 * interrupt.  Lists are short in this kernel, so an unsorted list scanned
 * for the earliest deadline is simpler than a wheel and cheap enough.
 */
#include <sys/param.h>
#include <sys/callout.h>
#include <sys/kernel.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/cpufunc.h>

#include "kern_priv.h"

struct callout_cpu {
	struct mtx		cc_lock;
	LIST_HEAD(, callout)	cc_list;
	struct callout *volatile cc_running;	/* handler being run */
	uint64_t		cc_fired;
};

static struct callout_cpu cc_cpu[MAXCPU];

static void
callout_cpu_init(void *arg __unused)
{
	for (int i = 0; i < MAXCPU; i++) {
		mtx_init(&cc_cpu[i].cc_lock, "callout", NULL, MTX_SPIN);
		LIST_INIT(&cc_cpu[i].cc_list);
	}
}
/* Before interrupts and timers, so the first event finds the lists ready. */
SYSINIT(callout_cpu, SI_SUB_LOCK, SI_ORDER_FIRST, callout_cpu_init, NULL);

void
callout_init(struct callout *c, int mpsafe __unused)
{
	memset(c, 0, sizeof(*c));
	c->c_cpu = -1;
}

/* Takes c off whichever CPU list it is on; returns 1 if it was pending. */
static int
callout_unlink(struct callout *c)
{
	struct callout_cpu *cc;
	int cpu = c->c_cpu;

	if (cpu < 0 || cpu >= MAXCPU)
		return (0);
	cc = &cc_cpu[cpu];
	mtx_lock_spin(&cc->cc_lock);
	if ((c->c_flags & CALLOUT_PENDING) == 0 || c->c_cpu != cpu) {
		mtx_unlock_spin(&cc->cc_lock);
		return (0);
	}
	LIST_REMOVE(c, c_link);
	c->c_flags &= ~CALLOUT_PENDING;
	mtx_unlock_spin(&cc->cc_lock);
	return (1);
}

int
callout_reset_sbt_on(struct callout *c, sbintime_t sbt, void (*func)(void *),
    void *arg, int cpu)
{
	struct callout_cpu *cc;
	sbintime_t when;
	int was;

	if (cpu < 0)
		cpu = (int)curcpu;
	if ((u_int)cpu >= mp_ncpus || cpu >= MAXCPU)
		panic("callout_reset_sbt_on: no cpu %d", cpu);
	if (sbt < 0)
		sbt = 0;
	was = callout_unlink(c);
	when = sbinuptime() + sbt;
	if (when < sbt)
		when = SBT_MAX;
	cc = &cc_cpu[cpu];
	mtx_lock_spin(&cc->cc_lock);
	c->c_time = when;
	c->c_func = func;
	c->c_arg = arg;
	c->c_cpu = cpu;
	c->c_flags |= CALLOUT_PENDING | CALLOUT_ACTIVE;
	LIST_INSERT_HEAD(&cc->cc_list, c, c_link);
	mtx_unlock_spin(&cc->cc_lock);
	clocksource_callout_added(cpu, when);
	return (was);
}

int
callout_reset_sbt(struct callout *c, sbintime_t sbt, void (*func)(void *),
    void *arg)
{
	return (callout_reset_sbt_on(c, sbt, func, arg, -1));
}

int
callout_stop(struct callout *c)
{
	c->c_flags &= ~CALLOUT_ACTIVE;
	return (callout_unlink(c));
}

int
callout_drain(struct callout *c)
{
	int was = callout_stop(c);
	int cpu = c->c_cpu;

	/* A handler already running on another CPU must be let finish. */
	if (cpu >= 0 && cpu < MAXCPU && cpu != (int)curcpu) {
		while (cc_cpu[cpu].cc_running == c)
			kern_yield();
	}
	return (was);
}

void
callout_process(sbintime_t now)
{
	struct callout_cpu *cc = &cc_cpu[curcpu];
	struct callout *c, *due;

	mtx_lock_spin(&cc->cc_lock);
	for (;;) {
		due = NULL;
		LIST_FOREACH(c, &cc->cc_list, c_link) {
			if (c->c_time <= now &&
			    (due == NULL || c->c_time < due->c_time))
				due = c;
		}
		if (due == NULL)
			break;
		LIST_REMOVE(due, c_link);
		due->c_flags &= ~CALLOUT_PENDING;
		cc->cc_running = due;
		cc->cc_fired++;
		mtx_unlock_spin(&cc->cc_lock);
		/* The handler may reset, stop or free its callout. */
		due->c_func(due->c_arg);
		mtx_lock_spin(&cc->cc_lock);
		cc->cc_running = NULL;
	}
	mtx_unlock_spin(&cc->cc_lock);
}

sbintime_t
callout_next_deadline(void)
{
	struct callout_cpu *cc = &cc_cpu[curcpu];
	struct callout *c;
	sbintime_t next = SBT_MAX;

	mtx_lock_spin(&cc->cc_lock);
	LIST_FOREACH(c, &cc->cc_list, c_link)
		if (c->c_time < next)
			next = c->c_time;
	mtx_unlock_spin(&cc->cc_lock);
	return (next);
}
