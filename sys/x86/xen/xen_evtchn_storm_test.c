/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Event storms and upcall rules under the real hypervisor:
 * - a port that raises itself again from its own handler floods its vCPU
 *   past the scan budget, and a burst of more ports than the budget is
 *   raised while the vCPU has interrupts off; afterwards that vCPU must
 *   still take every event, its PV timer and IPIs (a scan that stops on its
 *   budget must get a new upcall, in either upcall mode and either ABI);
 * - an upcall entered while one runs on the same CPU does not nest;
 * - unbinding a FIFO port Xen still holds queued waits for it to be popped.
 */
#include <sys/param.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/cpufunc.h>
#include <machine/intr.h>

#include <x86/apicvar.h>

#include <xen/xen.h>
#include <xen/evtchn_abi.h>
#include <xen/xen_evtchn.h>
#include <xen/xen_evtchn_loop.h>
#include <xen/xen_guest.h>

/* A small budget makes the flood cross it many times, quickly. */
#define STORM_BUDGET	16
#define STORM_EVENTS	300

struct storm {
	evtchn_handle_t	a, b;
	u_int		cpu;
	u_int		limit;
	volatile u_int	count;
	volatile u_int	wrong_cpu;
};

static void
storm_handler(void *arg)
{
	struct storm *st = arg;
	u_int n = __atomic_add_fetch(&st->count, 1, __ATOMIC_SEQ_CST);

	if (curcpu != st->cpu)
		st->wrong_cpu++;
	if (n < st->limit)
		evtchn_notify(st->b);	/* raise our own port again */
}

static volatile u_int	probe_timer_cpu, probe_ipi_cpu;

static void
probe_callout(void *arg __unused)
{
	probe_timer_cpu = curcpu;
}

static void
probe_ipi(struct trapframe *tf __unused, void *arg __unused)
{
	probe_ipi_cpu = curcpu;
	/*
	 * Delivered by a local APIC (the INTx upcall's IPIs) it is in service
	 * until acknowledged, and would hold off every vector of its priority
	 * class, the I/O APIC's upcall pin among them.  Run from an IPI event
	 * the EOI is a no-op.
	 */
	apic_ops.eoi();
}

/* Polls until *v == want or the time is up; interrupts stay on. */
static bool
wait_for(volatile u_int *v, u_int want, sbintime_t timo)
{
	sbintime_t end = sbinuptime() + timo;

	while (__atomic_load_n(v, __ATOMIC_SEQ_CST) != want) {
		if (sbinuptime() > end)
			return (false);
		for (int i = 0; i < 1000; i++)
			cpu_spinwait();
	}
	return (true);
}

static volatile u_int	hold_state;

/* Keeps interrupts off on its CPU for a while, so nothing pops its queues. */
static void
hold_thread(void *arg __unused)
{
	sbintime_t end;

	disable_intr();
	__atomic_store_n(&hold_state, 1, __ATOMIC_SEQ_CST);
	end = sbinuptime() + 300 * SBT_1MS;
	while (sbinuptime() < end)
		cpu_spinwait();
	enable_intr();
	__atomic_store_n(&hold_state, 2, __ATOMIC_SEQ_CST);
}

/* The vCPU's timer and an IPI to it must arrive. */
static bool
cpu_alive(u_int cpu, u_int vector)
{
	struct callout co;
	bool timer_ok, ipi_ok;

	probe_timer_cpu = probe_ipi_cpu = ~0U;
	callout_init(&co, 1);
	callout_reset_sbt_on(&co, SBT_1MS, probe_callout, NULL, (int)cpu);
	apic_ops.ipi_vectored(vector, pcpu_find(cpu)->pc_apic_id);
	timer_ok = wait_for(&probe_timer_cpu, cpu, 2 * SBT_1S);
	ipi_ok = wait_for(&probe_ipi_cpu, cpu, 2 * SBT_1S);
	callout_drain(&co);
	return (timer_ok && ipi_ok);
}

KTEST(xen_evtchn_storm_keeps_cpu_alive)
{
	static struct storm st;
	/* With the INTx upcall events reach CPU 0 only (evtchn_cpu0_only). */
	u_int cpu = mp_ncpus >= 2 && !evtchn_cpu0_only ? 1 : 0, vector, saved;
	uint64_t out0;
	bool flood_done, alive;
	int error;

	if (!xen_domain())
		KT_SKIP("not running on Xen");
	memset(&st, 0, sizeof(st));
	st.cpu = cpu;
	st.limit = STORM_EVENTS;
	error = loop_pair_make(0, storm_handler, &st, NULL, &st.a, &st.b);
	KT_ASSERT(error == 0, "loopback pair: %d", error);
	if (cpu != 0 && (error = evtchn_bind_cpu(st.a, cpu)) != 0) {
		evtchn_unbind(&st.b);
		evtchn_unbind(&st.a);
		KT_FAIL("binding the flooded port to cpu%u: %d", cpu, error);
	}
	error = intr_alloc_vector(probe_ipi, NULL, &vector);
	if (error != 0) {
		evtchn_unbind(&st.b);
		evtchn_unbind(&st.a);
		KT_FAIL("no vector for the IPI probe: %d", error);
	}

	saved = evtchn_scan_budget;
	evtchn_scan_budget = STORM_BUDGET;
	out0 = evtchn_scan_stats[cpu].budget_out;
	evtchn_notify(st.b);
	flood_done = wait_for(&st.count, STORM_EVENTS, 10 * SBT_1S);
	evtchn_scan_budget = saved;

	alive = cpu_alive(cpu, vector);
	intr_free_vector(vector);
	evtchn_unbind(&st.b);
	evtchn_unbind(&st.a);

	KT_ASSERT(flood_done, "flood stopped at %u of %u events", st.count,
	    STORM_EVENTS);
	KT_ASSERT(st.wrong_cpu == 0, "%u events on another CPU", st.wrong_cpu);
	KT_ASSERT(evtchn_scan_stats[cpu].budget_out > out0,
	    "the flood never ran a scan out of its budget");
	KT_ASSERT(alive, "cpu%u lost its timer or IPI after the storm", cpu);
	KT_NOTE("%s, cpu%u: %u events, %lu scans stopped on a budget of %u; "
	    "timer and IPI arrived after", evtchn_abi_name(), cpu, STORM_EVENTS,
	    evtchn_scan_stats[cpu].budget_out - out0, STORM_BUDGET);
}

#define BURST_BUDGET	16
#define BURST_PAIRS	48

static struct loop_seen	burst_seen;

/* More pending ports than one scan may take, and nothing raised after. */
KTEST(xen_evtchn_burst_past_budget)
{
	static evtchn_handle_t a[BURST_PAIRS], b[BURST_PAIRS];
	u_int cpu = 1, vector, saved, n = 0;
	uint64_t out0;
	bool held, all, alive = false;
	int error;

	if (!xen_domain())
		KT_SKIP("not running on Xen");
	if (mp_ncpus < 2)
		KT_SKIP("one vCPU");
	if (evtchn_cpu0_only)
		KT_SKIP("events reach CPU 0 only (INTx upcall): no second CPU "
		    "to hold them off on");
	burst_seen.count = 0;
	for (error = 0; n < BURST_PAIRS; n++) {
		error = loop_pair_make(0, NULL, &burst_seen, NULL, &a[n], &b[n]);
		if (error == 0 && (error = evtchn_bind_cpu(a[n], cpu)) != 0) {
			evtchn_unbind(&b[n]);
			evtchn_unbind(&a[n]);
		}
		if (error != 0)
			break;
	}
	if (error == 0)
		error = intr_alloc_vector(probe_ipi, NULL, &vector);
	if (error != 0) {
		for (u_int i = 0; i < n; i++) {
			evtchn_unbind(&b[i]);
			evtchn_unbind(&a[i]);
		}
		KT_FAIL("set-up after %u pairs: %d", n, error);
	}
	saved = evtchn_scan_budget;
	evtchn_scan_budget = BURST_BUDGET;
	out0 = evtchn_scan_stats[cpu].budget_out;
	hold_state = 0;
	error = kthread_add(hold_thread, NULL, NULL, (int)cpu, "evtchn-hold");
	held = error == 0 && wait_for(&hold_state, 1, 2 * SBT_1S);
	for (u_int i = 0; held && i < n; i++)
		evtchn_notify(b[i]);
	all = held && wait_for(&burst_seen.count, n, 3 * SBT_1S);
	if (held)
		alive = cpu_alive(cpu, vector);
	evtchn_scan_budget = saved;
	(void)wait_for(&hold_state, 2, 2 * SBT_1S);
	intr_free_vector(vector);
	for (u_int i = 0; i < n; i++) {
		evtchn_unbind(&b[i]);
		evtchn_unbind(&a[i]);
	}
	KT_ASSERT(held, "cpu%u never held its interrupts off (error %d)", cpu,
	    error);
	KT_ASSERT(all, "%u of %u events delivered", burst_seen.count, n);
	KT_ASSERT(evtchn_scan_stats[cpu].budget_out > out0,
	    "no scan ran out of its budget of %u", BURST_BUDGET);
	KT_ASSERT(alive, "cpu%u lost its timer or IPI after the burst", cpu);
	KT_NOTE("%s: %u events raised at once on cpu%u, budget %u: all "
	    "delivered, %lu budget stops, timer and IPI after", evtchn_abi_name(),
	    n, cpu, BURST_BUDGET, evtchn_scan_stats[cpu].budget_out - out0);
}

struct nest {
	evtchn_handle_t	a, b, c, d;
	volatile bool	in_a;
	volatile u_int	c_count, c_inside_a;
};

static struct nest	nest;

static void
nest_a_handler(void *arg __unused)
{
	nest.in_a = true;
	evtchn_notify(nest.d);		/* c is pending now */
	evtchn_upcall();		/* as if an upcall came in here */
	nest.in_a = false;
}

static void
nest_c_handler(void *arg __unused)
{
	if (nest.in_a)
		nest.c_inside_a++;
	__atomic_fetch_add(&nest.c_count, 1, __ATOMIC_SEQ_CST);
}

KTEST(xen_evtchn_upcall_never_nests)
{
	uint64_t nested0 = evtchn_scan_stats[0].nested;
	bool delivered;
	int error;

	if (!xen_domain())
		KT_SKIP("not running on Xen");
	memset(&nest, 0, sizeof(nest));
	error = loop_pair_make(0, nest_a_handler, NULL, NULL, &nest.a, &nest.b);
	if (error == 0) {
		error = loop_pair_make(0, nest_c_handler, NULL, NULL, &nest.c,
		    &nest.d);
		if (error != 0) {
			evtchn_unbind(&nest.b);
			evtchn_unbind(&nest.a);
		}
	}
	KT_ASSERT(error == 0, "loopback pairs: %d", error);
	evtchn_notify(nest.b);
	delivered = wait_for(&nest.c_count, 1, 2 * SBT_1S);
	evtchn_unbind(&nest.d);
	evtchn_unbind(&nest.c);
	evtchn_unbind(&nest.b);
	evtchn_unbind(&nest.a);
	KT_ASSERT(nest.c_inside_a == 0,
	    "an event was delivered inside another's handler");
	KT_ASSERT(delivered, "the event raised during the handler was lost");
	KT_ASSERT(evtchn_scan_stats[0].nested == nested0 + 1,
	    "nested entries counted: %lu", evtchn_scan_stats[0].nested - nested0);
	KT_NOTE("nested entry deferred to the running scan, which delivered it");
}

KTEST(xen_evtchn_fifo_unbind_waits_unlinked)
{
	static struct loop_seen seen;
	evtchn_handle_t a = NULL, b = NULL;
	evtchn_port_t port;
	sbintime_t t0, took;
	bool linked_before, linked_after, held;
	int error;

	if (!xen_domain())
		KT_SKIP("not running on Xen");
	if (strcmp(evtchn_abi_name(), "FIFO") != 0)
		KT_SKIP("%s ABI: no queues to be linked on", evtchn_abi_name());
	if (mp_ncpus < 2)
		KT_SKIP("one vCPU");
	if (evtchn_cpu0_only)
		KT_SKIP("events reach CPU 0 only (INTx upcall)");
	seen.count = 0;
	error = loop_pair_make(0, NULL, &seen, NULL, &a, &b);
	KT_ASSERT(error == 0, "loopback pair: %d", error);
	if ((error = evtchn_bind_cpu(a, 1)) != 0) {
		evtchn_unbind(&b);
		evtchn_unbind(&a);
		KT_FAIL("binding to cpu1: %d", error);
	}
	port = evtchn_port(a);
	hold_state = 0;
	error = kthread_add(hold_thread, NULL, NULL, 1, "evtchn-hold");
	held = error == 0 && wait_for(&hold_state, 1, 2 * SBT_1S);
	if (held)
		evtchn_notify(b);	/* queued on cpu1, which cannot pop it */
	linked_before = evtchn_abi_fifo.is_linked(port);
	t0 = sbinuptime();
	evtchn_unbind(&a);
	took = sbinuptime() - t0;
	linked_after = evtchn_abi_fifo.is_linked(port);
	evtchn_unbind(&b);
	if (error == 0)
		(void)wait_for(&hold_state, 2, 2 * SBT_1S);
	KT_ASSERT(held, "cpu1 never held its interrupts off (error %d)", error);
	KT_ASSERT(linked_before, "precondition: port %u not queued", port);
	KT_ASSERT(!linked_after, "unbind returned with port %u still queued "
	    "(after %lu us)", port, sbttous(took));
	KT_NOTE("unbind waited %lu us for cpu1 to pop port %u", sbttous(took),
	    port);
}
