/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Event-timer registry and per-CPU one-shot programming.  Each CPU arms its
 * timer for its next callout deadline, but never further away than a
 * fallback tick, so sleeps with timeouts progress even if a deadline was
 * missed (a remote callout_reset racing with a re-arm, say) and narrow time
 * counters are wound up often enough.
 */
#include <sys/param.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/pcpu.h>
#include <sys/smp.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/timeet.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>

#include "kern_priv.h"

#define ET_FALLBACK	(100 * SBT_1MS)

struct et_cpu {
	volatile sbintime_t	ec_armed;	/* deadline programmed, or MAX */
	volatile uint64_t	ec_events;
	bool			ec_started;
};

static struct eventtimer *et_list;
static struct eventtimer *et_cur;
static struct et_cpu	et_cpus[MAXCPU];

int
et_register(struct eventtimer *et)
{
	if (et->et_start == NULL)
		return (EINVAL);
	et->et_next = et_list;
	et_list = et;
	if (bootverbose)
		printf("eventtimer %s: quality %d\n", et->et_name,
		    et->et_quality);
	return (0);
}

struct eventtimer *
et_current(void)
{
	return (et_cur);
}

uint64_t
et_event_count(int cpu)
{
	if (cpu < 0 || cpu >= MAXCPU)
		return (0);
	return (et_cpus[cpu].ec_events);
}

/* Programs this CPU's timer for its next deadline; interrupts off. */
static void
et_arm(sbintime_t now)
{
	struct et_cpu *ec = &et_cpus[curcpu];
	struct eventtimer *et = et_cur;
	sbintime_t next, delta;

	next = callout_next_deadline();
	delta = next <= now ? 0 : next - now;
	if (delta > ET_FALLBACK)
		delta = ET_FALLBACK;
	if (delta < SBT_1US)
		delta = SBT_1US;
	if (delta < et->et_min_period)
		delta = et->et_min_period;
	if (et->et_max_period > 0 && delta > et->et_max_period)
		delta = et->et_max_period;
	ec->ec_armed = now + delta;
	et->et_start(et, delta);
}

void
et_event(struct eventtimer *et __unused)
{
	struct et_cpu *ec = &et_cpus[curcpu];
	sbintime_t now;

	ec->ec_events++;
	ec->ec_armed = SBT_MAX;
	if (curcpu == 0)
		tc_windup();
	now = sbinuptime();
	callout_process(now);
	if (et_cur != NULL && ec->ec_started)
		et_arm(sbinuptime());
}

void
et_cpu_start(void)
{
	struct et_cpu *ec = &et_cpus[curcpu];
	register_t rf;

	if (et_cur == NULL)
		return;
	rf = intr_disable();
	if (et_cur->et_cpu_init != NULL)
		et_cur->et_cpu_init(et_cur);
	ec->ec_started = true;
	et_arm(sbinuptime());
	intr_restore(rf);
}

void
clocksource_reload(void)
{
	struct et_cpu *ec = &et_cpus[curcpu];
	register_t rf;

	if (et_cur == NULL || !ec->ec_started)
		return;
	rf = intr_disable();
	if (callout_next_deadline() < ec->ec_armed)
		et_arm(sbinuptime());
	intr_restore(rf);
}

void
clocksource_callout_added(int cpu, sbintime_t when)
{
	if (et_cur == NULL || cpu < 0 || cpu >= MAXCPU ||
	    !et_cpus[cpu].ec_started || when >= et_cpus[cpu].ec_armed)
		return;
	if (cpu == (int)curcpu)
		clocksource_reload();
	else
		ipi_cpu(cpu, IPI_AST);	/* its handler re-arms the timer */
}

/* Picks the best per-CPU one-shot timer and starts it on the BSP. */
static void
et_select(void *arg __unused)
{
	struct eventtimer *best = NULL;

	for (struct eventtimer *et = et_list; et != NULL; et = et->et_next) {
		if ((et->et_flags & (ET_FLAGS_ONESHOT | ET_FLAGS_PERCPU)) !=
		    (ET_FLAGS_ONESHOT | ET_FLAGS_PERCPU))
			continue;
		if (best == NULL || et->et_quality > best->et_quality)
			best = et;
	}
	if (best == NULL) {
		printf("eventtimer: none registered; callouts will not run\n");
		return;
	}
	for (int i = 0; i < MAXCPU; i++)
		et_cpus[i].ec_armed = SBT_MAX;
	et_cur = best;
	printf("eventtimer: %s\n", best->et_name);
	et_cpu_start();
}
SYSINIT(et_select, SI_SUB_CLOCKS, SI_ORDER_MIDDLE, et_select, NULL);
