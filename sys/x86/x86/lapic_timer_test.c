/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Tests of the LAPIC event timer: calibration and a one-shot expiry.
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/pcpu.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/timeet.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>

#include <x86/apicvar.h>
#include <x86/lapic_timer.h>

#define ONESHOT_US	10000

static const char *
apic_mode(void)
{
	return (lapic_is_x2apic() ? "x2APIC" : "xAPIC");
}

KTEST(lapic_timer_freq_plausible)
{
	uint64_t hz = lapic_timer_hz();
	struct eventtimer *et = lapic_timer_et();

	if (strcmp(apic_ops.name, "native") != 0)
		KT_SKIP("local interrupt controller is %s", apic_ops.name);
	KT_ASSERT(et != NULL, "LAPIC event timer not registered");
	/* Bus or crystal clocks run from a few MHz to a few GHz. */
	KT_ASSERT(hz >= 1000000 && hz <= 10000000000ULL, "%lu Hz", hz);
	KT_ASSERT(et->et_min_period > 0 &&
	    et->et_max_period > et->et_min_period,
	    "periods %ld..%ld", et->et_min_period, et->et_max_period);
	KT_NOTE("%lu Hz, %s", hz, apic_mode());
}

/*
 * Arms the timer with nothing else pending and waits for its interrupt: it
 * must come, and not before the time asked for (measured on the TSC).
 */
KTEST(lapic_timer_oneshot_fires)
{
	struct eventtimer *et = lapic_timer_et();
	u_int cpu = curcpu;
	uint64_t c0, t0, t1 = 0, limit, us;
	register_t rf;
	bool fired = false;

	if (strcmp(apic_ops.name, "native") != 0)
		KT_SKIP("local interrupt controller is %s", apic_ops.name);
	KT_ASSERT(et != NULL, "LAPIC event timer not registered");
	KT_ASSERT(tsc_freq != 0, "TSC not calibrated");

	rf = read_rflags();
	/* Stop the clock code's expiry; let one already latched drain. */
	disable_intr();
	et->et_stop(et);
	enable_intr();
	DELAY(100);
	disable_intr();
	c0 = lapic_timer_intr_count(cpu);
	t0 = rdtsc_ordered();
	et->et_start(et, ustosbt(ONESHOT_US));
	enable_intr();
	limit = t0 + tsc_freq;		/* one second */
	while (rdtsc_ordered() < limit) {
		if (lapic_timer_intr_count(cpu) != c0) {
			t1 = rdtsc_ordered();
			fired = true;
			break;
		}
		cpu_spinwait();
	}
	if ((rf & PSL_I) == 0)
		disable_intr();
	KT_ASSERT(fired, "no timer interrupt within 1 s of arming %d us",
	    ONESHOT_US);
	us = (t1 - t0) * 1000000 / tsc_freq;
	/* A little slack for calibration error, none for firing at once. */
	KT_ASSERT(us >= ONESHOT_US * 9 / 10, "fired after %lu us, armed for %d",
	    us, ONESHOT_US);
	KT_NOTE("armed %d us, fired after %lu us, %lu Hz, %s", ONESHOT_US, us,
	    lapic_timer_hz(), apic_mode());
}
