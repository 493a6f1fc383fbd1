/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A 50 ms callout must fire no earlier than its deadline and no later than
 * 50% + 20 ms after it, on this CPU and on another one.
 */
#include <sys/param.h>
#include <sys/callout.h>
#include <sys/ktest.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/timeet.h>

#define CO_DELAY	(50 * SBT_1MS)
#define CO_SLACK	(CO_DELAY / 2 + 20 * SBT_1MS)

static struct {
	struct callout	co;
	volatile sbintime_t fired;
	volatile int	cpu;
} ct;

static void
callout_test_fn(void *arg __unused)
{
	ct.fired = sbinuptime();
	ct.cpu = (int)curcpu;
	wakeup(&ct);
}

/*
 * One 50 ms callout on a CPU; returns its lateness, or -1 after failing the
 * test.  An emulated machine on a busy host can stall for tens of ms, so a
 * late run is tried again (up to CO_TRIES in all): one on-time run shows the
 * timer is programmed for the deadline, while a timer that only fired on
 * some coarse fallback would be late every time.  Early is never allowed.
 */
#define CO_TRIES	3

static void
callout_once(struct ktest_ctx *ktest_ctx, int cpu, sbintime_t *latep)
{
	sbintime_t t0, late, worst = 0;

	*latep = -1;
	for (int attempt = 0; attempt < CO_TRIES; attempt++) {
		memset(&ct, 0, sizeof(ct));
		ct.cpu = -1;
		callout_init(&ct.co, 1);
		t0 = sbinuptime();
		callout_reset_sbt_on(&ct.co, CO_DELAY, callout_test_fn, NULL, cpu);
		for (int i = 0; i < 40 && ct.fired == 0; i++)
			tsleep(&ct, "ktco", 50 * SBT_1MS);
		if (ct.fired == 0) {
			callout_drain(&ct.co);
			KT_FAIL("50 ms callout on cpu %d not run after 2 s", cpu);
		}
		late = ct.fired - (t0 + CO_DELAY);
		KT_ASSERT(late >= 0, "fired %ld us early", (long)sbttous(-late));
		KT_ASSERT(ct.cpu == cpu, "ran on cpu %d, asked for %d", ct.cpu, cpu);
		if (late <= CO_SLACK) {
			*latep = late;
			return;
		}
		if (late > worst)
			worst = late;
	}
	KT_FAIL("fired late %d times out of %d, worst %ld us (limit %ld us)",
	    CO_TRIES, CO_TRIES, (long)sbttous(worst), (long)sbttous(CO_SLACK));
}

KTEST(callout_fires_on_time)
{
	sbintime_t late0 = -1, late1 = -1;
	struct eventtimer *et = et_current();
	struct callout c;

	if (et == NULL)
		KT_SKIP("no event timer registered");
	callout_once(ktest_ctx, 0, &late0);
	if (late0 < 0)
		return;
	if (mp_ncpus > 1) {
		callout_once(ktest_ctx, 1, &late1);
		if (late1 < 0)
			return;
	}
	/* A stopped callout does not run. */
	callout_init(&c, 1);
	callout_reset_sbt(&c, 10 * SBT_1MS, callout_test_fn, NULL);
	KT_ASSERT(callout_pending(&c), "not pending after reset");
	KT_ASSERT(callout_stop(&c) == 1, "stop of a pending callout gave 0");
	KT_ASSERT(callout_stop(&c) == 0, "second stop gave 1");
	KT_NOTE("50 ms callout late by %ld us on cpu0, %ld us on cpu1 (%s)",
	    (long)sbttous(late0), late1 < 0 ? -1L : (long)sbttous(late1),
	    et->et_name);
}
