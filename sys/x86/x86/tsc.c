/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The TSC as a time counter.  Its frequency comes from the platform's early
 * clock (init_ops.tsc_freq), so a platform that knows better (a hypervisor
 * reporting it) is believed over our own calibration.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/systm.h>
#include <sys/timetc.h>

#include <machine/cpufunc.h>

#include <x86/init.h>

#define CPUID_EXT_POWER		0x80000007
#define CPUID_INVARIANT_TSC	(1U << 8)

static uint64_t
tsc_get_timecount(struct timecounter *tc __unused)
{
	/*
	 * Ordered after earlier loads, so a reading taken after seeing
	 * another CPU's store is not from before that store.
	 */
	return (rdtsc_ordered());
}

static struct timecounter tsc_tc = {
	.tc_name = "TSC",
	.tc_get_timecount = tsc_get_timecount,
	.tc_counter_mask = ~0ULL,
};

static bool
tsc_is_invariant(void)
{
	u_int regs[4];

	do_cpuid(0x80000000, regs);
	if (regs[0] < CPUID_EXT_POWER)
		return (false);
	do_cpuid(CPUID_EXT_POWER, regs);
	return ((regs[3] & CPUID_INVARIANT_TSC) != 0);
}

static void
tsc_tc_init(void *arg __unused)
{
	uint64_t hz = init_ops.tsc_freq();

	if (hz == 0) {
		printf("TSC: frequency unknown, not a time counter\n");
		return;
	}
	tsc_tc.tc_frequency = hz;
	/*
	 * A TSC that may stop or change rate in idle states is still better
	 * than nothing, but anything steadier should win over it.
	 */
	tsc_tc.tc_quality = tsc_is_invariant() ? 1000 : 100;
	tc_init(&tsc_tc);
}
SYSINIT(tsc_tc, SI_SUB_CLOCKS, SI_ORDER_FIRST, tsc_tc_init, NULL);
