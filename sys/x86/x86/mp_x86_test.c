/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Tests of AP start-up, IPIs and time across CPUs.  Code runs on the other
 * CPUs through a vector of the test's own, so these tests depend only on the
 * LAPIC and the vector table, not on the scheduler.
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/pcpu.h>
#include <sys/smp.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/intr.h>
#include <machine/md_var.h>

#include <x86/acpi_madt.h>
#include <x86/apicvar.h>
#include <x86/x86_smp.h>

#define WAIT_US		1000000

static const char *
apic_mode(void)
{
	return (lapic_is_x2apic() ? "x2APIC" : "xAPIC");
}

/* Bounded poll: true once *p reaches want. */
static bool
wait_count(volatile u_int *p, u_int want, int usec)
{
	for (int t = 0; t < usec; t += 10) {
		if (__atomic_load_n(p, __ATOMIC_ACQUIRE) >= want)
			return (true);
		DELAY(10);
	}
	return (__atomic_load_n(p, __ATOMIC_ACQUIRE) >= want);
}

static bool
native_smp(void)
{
	return (strcmp(cpu_ops.name, "native") == 0 &&
	    strcmp(apic_ops.name, "native") == 0);
}

KTEST(mp_ap_started_init_sipi)
{
	u_int cpu;

	if (!native_smp())
		KT_SKIP("platform start method (%s)", cpu_ops.name);
	if (mp_enumerated < 2)
		KT_SKIP("one CPU enumerated (%s)", madt_source);
	KT_ASSERT(mp_ncpus == mp_enumerated, "%u of %u enumerated CPUs running",
	    mp_ncpus, mp_enumerated);
	KT_ASSERT(smp_started, "smp_started not set");
	for (cpu = 1; cpu < mp_ncpus; cpu++) {
		struct pcpu *pc = cpuid_to_pcpu[cpu];

		KT_ASSERT(pc != NULL, "cpu%u has no pcpu", cpu);
		KT_ASSERT(pc->pc_cpuid == cpu, "cpu%u claims id %u", cpu,
		    pc->pc_cpuid);
		KT_ASSERT(pc->pc_started, "cpu%u not started", cpu);
		KT_ASSERT(pc->pc_start_method == CPU_START_INIT_SIPI,
		    "cpu%u start method %u", cpu, pc->pc_start_method);
		for (u_int o = 0; o < cpu; o++)
			KT_ASSERT(cpuid_to_pcpu[o]->pc_apic_id !=
			    pc->pc_apic_id,
			    "cpu%u and cpu%u share APIC ID %u", o, cpu,
			    pc->pc_apic_id);
	}
	KT_NOTE("ncpus=%u enumerated=%u from %s, %s", mp_ncpus, mp_enumerated,
	    madt_source, apic_mode());
}

/* Ping-pong: the BSP's IPI makes each AP IPI the sender back. */
static volatile u_int	pp_hits[MAXCPU];
static volatile u_int	pp_back;
static u_int		pp_vector;
static u_int		pp_origin_apic;

static void
pp_intr(struct trapframe *tf __unused, void *arg __unused)
{
	u_int self = curcpu;

	apic_ops.eoi();
	if (apic_ops.id() == pp_origin_apic) {
		atomic_add_int(&pp_back, 1);
		return;
	}
	atomic_add_int(&pp_hits[self], 1);
	apic_ops.ipi_vectored(pp_vector, pp_origin_apic);
}

KTEST(ipi_round_trip)
{
	u_int cpu, sent = 0;
	register_t rf;

	if (mp_ncpus < 2)
		KT_SKIP("one CPU");
	KT_ASSERT(intr_alloc_vector(pp_intr, NULL, &pp_vector) == 0,
	    "no free vector");
	pp_back = 0;
	for (cpu = 0; cpu < MAXCPU; cpu++)
		pp_hits[cpu] = 0;
	pp_origin_apic = apic_ops.id();
	/* The replies are interrupts: take them while waiting. */
	rf = read_rflags();
	enable_intr();
	/*
	 * One CPU at a time: replies on one vector coalesce in our IRR if
	 * several arrive before the first is taken.
	 */
	CPU_FOREACH(cpu) {
		if (cpu == curcpu)
			continue;
		apic_ops.ipi_vectored(pp_vector,
		    cpuid_to_pcpu[cpu]->pc_apic_id);
		sent++;
		if (!wait_count(&pp_back, sent, WAIT_US))
			break;
	}
	if ((rf & PSL_I) == 0)
		disable_intr();
	intr_free_vector(pp_vector);
	KT_ASSERT(pp_back == sent, "%u of %u replies came back", pp_back,
	    mp_ncpus - 1);
	CPU_FOREACH(cpu) {
		if (cpu != curcpu)
			KT_ASSERT(pp_hits[cpu] == 1, "cpu%u got %u IPIs", cpu,
			    pp_hits[cpu]);
	}
	KT_NOTE("%u round trips, %s", sent, apic_mode());
}

/* smp_rendezvous through the MD IPI_RENDEZVOUS path. */
static volatile u_int	rv_seen[MAXCPU];
static volatile u_int	rv_total;

static void
rv_action(void *arg __unused)
{
	atomic_add_int(&rv_seen[curcpu], 1);
	atomic_add_int(&rv_total, 1);
}

KTEST(smp_rendezvous_all_cpus)
{
	u_int cpu;

	rv_total = 0;
	for (cpu = 0; cpu < MAXCPU; cpu++)
		rv_seen[cpu] = 0;
	smp_rendezvous(NULL, rv_action, NULL, NULL);
	CPU_FOREACH(cpu)
		KT_ASSERT(rv_seen[cpu] == 1, "cpu%u ran the action %u times",
		    cpu, rv_seen[cpu]);
	KT_ASSERT(rv_total == mp_ncpus, "%u actions for %u CPUs", rv_total,
	    mp_ncpus);
	KT_NOTE("%u CPUs", mp_ncpus);
}

/*
 * Time across CPUs: every CPU reads in a tight loop, alone (its own readings
 * must not go backwards) and under a shared lock against the last reading
 * any CPU took (a reading taken after another CPU's must not be earlier).
 */
#define TM_RUN_MS	200	/* long enough to span vCPU time slices */

struct tm_state {
	volatile u_int	lock;
	volatile u_int	arrived;
	volatile u_int	done;
	u_int		ncpus;
	sbintime_t	last_sbt;
	uint64_t	last_tsc;
	u_int		last_cpu;
	u_int		handoffs;	/* CPU changes between */
	u_int		local_back[MAXCPU];
	uint64_t	reads[MAXCPU];
	uint64_t	locked[MAXCPU];
	u_int		cross_back;
	uint64_t	seq;
};
static struct tm_state	tm;
static u_int		tm_vector;

static void
tm_loop(void)
{
	u_int self = curcpu;
	sbintime_t prev = 0;
	uint64_t prev_tsc = 0, end;

	/* Start together (bounded), so the loops really overlap. */
	atomic_add_int(&tm.arrived, 1);
	end = rdtsc_ordered() + tsc_freq;
	while (tm.arrived < tm.ncpus && rdtsc_ordered() < end)
		cpu_spinwait();
	end = rdtsc_ordered() + tsc_freq / 1000 * TM_RUN_MS;
	for (uint64_t i = 0;; i++) {
		sbintime_t s = sbinuptime();
		uint64_t c = rdtsc_ordered();

		if (s < prev || c < prev_tsc)
			tm.local_back[self]++;
		prev = s;
		prev_tsc = c;
		tm.reads[self]++;
		if (c >= end)
			break;
		if ((i & 7) != 0)
			continue;
		while (!atomic_cmpset_int(&tm.lock, 0, 1))
			cpu_spinwait();
		s = sbinuptime();
		c = rdtsc_ordered();
		if (s < tm.last_sbt || c < tm.last_tsc)
			tm.cross_back++;
		if (tm.seq != 0 && tm.last_cpu != self)
			tm.handoffs++;
		tm.last_sbt = s;
		tm.last_tsc = c;
		tm.last_cpu = self;
		tm.seq++;
		tm.locked[self]++;
		atomic_store_rel_int(&tm.lock, 0);
	}
	atomic_add_int(&tm.done, 1);
}

static void
tm_intr(struct trapframe *tf __unused, void *arg __unused)
{
	apic_ops.eoi();
	tm_loop();
}

KTEST(tc_monotonic_all_cpus)
{
	u_int cpu;
	uint64_t reads = 0, locked = 0;

	memset(&tm, 0, sizeof(tm));
	tm.ncpus = mp_ncpus;
	KT_ASSERT(intr_alloc_vector(tm_intr, NULL, &tm_vector) == 0,
	    "no free vector");
	CPU_FOREACH(cpu) {
		if (cpu == curcpu)
			continue;
		apic_ops.ipi_vectored(tm_vector,
		    cpuid_to_pcpu[cpu]->pc_apic_id);
	}
	tm_loop();
	(void)wait_count(&tm.done, mp_ncpus, 10 * WAIT_US);
	intr_free_vector(tm_vector);
	KT_ASSERT(tm.done == mp_ncpus, "%u of %u CPUs finished", tm.done,
	    mp_ncpus);
	CPU_FOREACH(cpu) {
		KT_ASSERT(tm.local_back[cpu] == 0,
		    "time went backwards %u times on cpu%u", tm.local_back[cpu],
		    cpu);
		KT_ASSERT(tm.locked[cpu] > 0, "cpu%u took no ordered reading",
		    cpu);
		reads += tm.reads[cpu];
		locked += tm.locked[cpu];
	}
	KT_ASSERT(tm.cross_back == 0,
	    "a later reading was earlier than another CPU's %u times",
	    tm.cross_back);
	KT_ASSERT(tm.seq == locked, "shared sequence %lu, %lu locked readings",
	    tm.seq, locked);
	KT_NOTE("%u CPUs, %lu reads, %lu ordered, %u cross-CPU handoffs",
	    mp_ncpus, reads, tm.seq, tm.handoffs);
}
