/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Xen time: the PV clock as the time counter and a per-CPU one-shot timer
 * (VCPUOP_set_singleshot_timer, delivered on VIRQ_TIMER) as the event
 * timer.  Both register at SI_SUB_CLOCKS, before the clock code chooses, and
 * outrank the native TSC and local APIC timer.  Xen's wall clock (the
 * shared page's UTC at system time zero) outranks the native RTC as the
 * source of UTC.  The "timer" device on the xenpv bus reports them.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/pcpu.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/timeet.h>
#include <sys/timetc.h>

#include <machine/xen/hypercall.h>

#include <x86/xen/xen_hooks.h>

#include <xen/xen.h>
#include <xen/vcpu.h>
#include <xen/xen_evtchn.h>
#include <xen/xen_guest.h>
#include <xen/xenpv.h>

#define XEN_TC_QUALITY	2000
#define XEN_ET_QUALITY	2000
#define XEN_WC_QUALITY	1000

static evtchn_handle_t	timer_virq[MAXCPU];
static uint64_t		timer_start_errors;

static uint64_t
xen_tc_uptime_ns(struct timecounter *tc __unused)
{
	return (xen_pvclock_ns());
}

static struct timecounter xen_tc = {
	.tc_name = "XENPV",
	.tc_quality = XEN_TC_QUALITY,
	.tc_get_uptime_ns = xen_tc_uptime_ns,
	.tc_counter_mask = ~0ULL,
};

static int
xen_et_start(struct eventtimer *et __unused, sbintime_t first)
{
	struct vcpu_set_singleshot_timer st;
	int error;

	/* Flags 0: a deadline already past fires at once instead of failing. */
	st.timeout_abs_ns = xen_pvclock_ns() + (uint64_t)sbttons(first);
	st.flags = 0;
	error = HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer,
	    PCPU_GET(vcpu_id), &st);
	if (error != 0)
		timer_start_errors++;
	return (xen_to_errno(error));
}

static int
xen_et_stop(struct eventtimer *et __unused)
{
	return (xen_to_errno(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer,
	    PCPU_GET(vcpu_id), NULL)));
}

static struct eventtimer xen_et;

static void
xen_timer_virq(void *arg __unused)
{
	et_event(&xen_et);
}

static void
xen_et_cpu_init(struct eventtimer *et __unused)
{
	u_int cpu = curcpu;
	int error;

	if (timer_virq[cpu] != NULL)
		return;
	/* Xen's periodic tick would only add wakeups: one-shot is enough. */
	(void)HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, PCPU_GET(vcpu_id),
	    NULL);
	error = evtchn_bind_virq(VIRQ_TIMER, cpu, xen_timer_virq, NULL, 0,
	    &timer_virq[cpu]);
	if (error != 0)
		panic("xen: cpu%u: cannot bind VIRQ_TIMER: %d", cpu, error);
}

static struct eventtimer xen_et = {
	.et_name = "XENTIMER",
	.et_flags = ET_FLAGS_ONESHOT | ET_FLAGS_PERCPU,
	.et_quality = XEN_ET_QUALITY,
	.et_min_period = SBT_1US,
	.et_max_period = 0,
	.et_start = xen_et_start,
	.et_stop = xen_et_stop,
	.et_cpu_init = xen_et_cpu_init,
};

/*
 * UTC now: Xen's wall clock at system time zero plus the system time.
 * Xen makes wc_version odd while it rewrites the fields; a reading that
 * saw an odd or changed version is taken again.
 */
static void
xen_wallclock_register(void)
{
	volatile struct shared_info *s = HYPERVISOR_shared_info;
	uint32_t ver, sec, nsec, sec_hi;
	uint64_t sys;
	int tries = 0;

	do {
		if (++tries > 1000)
			return;		/* Xen never finished an update */
		ver = s->wc_version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		sec = s->wc_sec;
		nsec = s->wc_nsec;
		sec_hi = s->xen_wc_sec_hi;
		sys = xen_pvclock_ns();
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((ver & 1) != 0 || ver != s->wc_version);
	/* The page is Xen's, but a nonsense value is still not a clock. */
	if (nsec >= 1000000000 || sec_hi > 0xffff)
		return;
	wallclock_register("xen", XEN_WC_QUALITY,
	    (int64_t)((uint64_t)sec_hi << 32 | sec) * 1000000000LL + nsec +
	    (int64_t)sys);
}

static void
xen_clock_register(void *arg __unused)
{
	if (!xen_domain() || HYPERVISOR_shared_info == NULL)
		return;
	tc_init(&xen_tc);
	/*
	 * With the PCI INTx upcall an AP's VIRQ_TIMER would raise nothing
	 * (Xen signals vCPU 0 only): the local APIC timer serves instead.
	 */
	if (xen_upcall_intx) {
		printf("xen: one-shot timer not used (INTx upcall): local APIC "
		    "timer\n");
		return;
	}
	et_register(&xen_et);
	xen_wallclock_register();
}
SYSINIT(xen_clock, SI_SUB_CLOCKS, SI_ORDER_FIRST, xen_clock_register, NULL);

/* Number of VIRQ_TIMER events delivered to a CPU (for tests). */
uint64_t
xen_timer_events(u_int cpu)
{
	return (cpu < MAXCPU && timer_virq[cpu] != NULL ?
	    evtchn_count(timer_virq[cpu]) : 0);
}

static int
xen_timer_probe(device_t dev)
{
	device_set_desc(dev, "Xen PV clock and one-shot timer");
	return (BUS_PROBE_SPECIFIC);
}

static int
xen_timer_attach(device_t dev)
{
	struct eventtimer *et = et_current();
	struct timecounter *tc = tc_current();

	device_printf(dev, "event timer %s, time counter %s\n",
	    et != NULL ? et->et_name : "none", tc != NULL ? tc->tc_name : "none");
	return (0);
}

static const struct device_method xen_timer_methods[] = {
	DEVMETHOD(device_probe, xen_timer_probe),
	DEVMETHOD(device_attach, xen_timer_attach),
	DEVMETHOD_END
};

static driver_t xen_timer_driver = {
	"timer", xen_timer_methods, 0
};
DRIVER_MODULE(timer, xenpv, xen_timer_driver, NULL, NULL);
