/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Event timer on the local APIC one-shot timer.  Every CPU has its own, so
 * the timer is per-CPU; all access goes through apic_ops so a platform that
 * swaps the local interrupt controller swaps the timer with it.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/pcpu.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/timeet.h>

#include <machine/frame.h>
#include <machine/intr.h>

#include <x86/apicvar.h>
#include <x86/lapic_timer.h>

static struct eventtimer lapic_et;
static uint64_t	lapic_et_hz;
static volatile uint64_t lapic_et_intrs[MAXCPU];

uint64_t
lapic_timer_intr_count(u_int cpu)
{
	return (cpu < MAXCPU ? lapic_et_intrs[cpu] : 0);
}

uint64_t
lapic_timer_hz(void)
{
	return (lapic_et_hz);
}

struct eventtimer *
lapic_timer_et(void)
{
	return (lapic_et_hz != 0 ? &lapic_et : NULL);
}

static void
lapic_timer_intr(struct trapframe *tf __unused, void *arg __unused)
{
	u_int cpu = curcpu;

	/* EOI first: et_event() may re-arm, and that expiry must not wait. */
	apic_ops.eoi();
	lapic_et_intrs[cpu]++;
	if (lapic_et_hz != 0)
		et_event(&lapic_et);
}

/* sbintime to timer ticks, rounded up so the timer never fires early. */
static uint32_t
lapic_sbt_to_ticks(sbintime_t sbt)
{
	__uint128_t t;

	if (sbt <= 0)
		return (1);
	t = ((__uint128_t)sbt * lapic_et_hz + (SBT_1S - 1)) >> 32;
	if (t == 0)
		return (1);
	if (t > 0xffffffffU)
		return (0xffffffffU);
	return ((uint32_t)t);
}

static int
lapic_et_start(struct eventtimer *et __unused, sbintime_t first)
{
	apic_ops.timer_oneshot(IDT_APIC_TIMER, lapic_sbt_to_ticks(first));
	return (0);
}

static int
lapic_et_stop(struct eventtimer *et __unused)
{
	apic_ops.timer_stop();
	return (0);
}

static void
lapic_et_cpu_init(struct eventtimer *et __unused)
{
	/* apic_ops.setup_cpu() left the timer masked and idle. */
	apic_ops.timer_stop();
}

/* The vector must be live before interrupts are first enabled. */
static void
lapic_timer_vector_init(void *arg __unused)
{
	if (intr_setup_vector(IDT_APIC_TIMER, lapic_timer_intr, NULL) != 0)
		panic("lapic timer: cannot install vector %#x", IDT_APIC_TIMER);
}
SYSINIT(lapic_timer_vec, SI_SUB_INTR, SI_ORDER_MIDDLE, lapic_timer_vector_init,
    NULL);

static void
lapic_timer_register(void *arg __unused)
{
	/* A platform without a local timer leaves the hook empty. */
	if (apic_ops.timer_freq == NULL || apic_ops.timer_oneshot == NULL)
		return;
	lapic_et_hz = apic_ops.timer_freq();
	if (lapic_et_hz == 0) {
		printf("lapic timer: not calibrated, not registered\n");
		return;
	}
	lapic_et.et_name = "LAPIC";
	lapic_et.et_flags = ET_FLAGS_ONESHOT | ET_FLAGS_PERCPU;
	lapic_et.et_quality = 600;
	/* A couple of ticks is the shortest delay worth asking for. */
	lapic_et.et_min_period =
	    (sbintime_t)((2 * SBT_1S + lapic_et_hz - 1) / lapic_et_hz);
	lapic_et.et_max_period =
	    (sbintime_t)((0xfffffffeULL << 32) / lapic_et_hz);
	lapic_et.et_start = lapic_et_start;
	lapic_et.et_stop = lapic_et_stop;
	lapic_et.et_cpu_init = lapic_et_cpu_init;
	printf("lapic timer: %lu Hz (calibrated against the TSC)\n",
	    lapic_et_hz);
	et_register(&lapic_et);
}
SYSINIT(lapic_timer, SI_SUB_CLOCKS, SI_ORDER_FIRST, lapic_timer_register, NULL);
