/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * vCPUs under Xen: started by hypercall, IPIs carried by event channels.
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/pcpu.h>
#include <sys/smp.h>
#include <sys/systm.h>

#include <x86/apicvar.h>
#include <x86/x86_smp.h>
#include <x86/xen/xen_hooks.h>

#include <xen/xen_guest.h>

KTEST(xen_ap_started_by_vcpu_up)
{
	if (!xen_domain())
		KT_SKIP("not running on Xen");
	KT_ASSERT(strcmp(cpu_ops.name, "xen") == 0, "cpu_ops is %s", cpu_ops.name);
	if (mp_enumerated < 2)
		KT_SKIP("domain has one vCPU");
	KT_ASSERT(mp_ncpus == mp_enumerated, "%u of %u vCPUs running", mp_ncpus,
	    mp_enumerated);
	for (u_int cpu = 1; cpu < mp_ncpus; cpu++) {
		struct pcpu *pc = pcpu_find(cpu);

		KT_ASSERT(pc != NULL && pc->pc_started, "cpu%u not started", cpu);
		KT_ASSERT(pc->pc_start_method == CPU_START_HYPERCALL,
		    "cpu%u start method %u", cpu, pc->pc_start_method);
		KT_ASSERT(pc->pc_vcpu_info != NULL, "cpu%u has no vcpu_info", cpu);
	}
	KT_NOTE("%u vCPUs, APs via VCPUOP_initialise/VCPUOP_up", mp_ncpus);
}

static volatile u_int	ipi_seen;

static void
ipi_action(void *arg __unused)
{
	__atomic_fetch_add(&ipi_seen, 1, __ATOMIC_SEQ_CST);
}

/* Rendezvous IPIs travel as event channels, never through the local APIC. */
KTEST(xen_ipi_over_event_channels)
{
	uint64_t before[MAXCPU] = { 0 };
	u_int cpu;

	if (!xen_domain())
		KT_SKIP("not running on Xen");
	if (mp_ncpus < 2)
		KT_SKIP("one vCPU");
	if (xen_upcall_intx)
		KT_SKIP("INTx upcall: IPIs are the local APIC's "
		    "(xenpci_intx_ipis_every_cpu)");
	KT_ASSERT(strcmp(apic_ops.name, "xen") == 0, "apic_ops is %s",
	    apic_ops.name);
	CPU_FOREACH(cpu)
		before[cpu] = xen_ipi_count(cpu);
	ipi_seen = 0;
	smp_rendezvous(NULL, ipi_action, NULL, NULL);
	KT_ASSERT(ipi_seen == mp_ncpus, "action ran on %u of %u CPUs", ipi_seen,
	    mp_ncpus);
	for (cpu = 1; cpu < mp_ncpus; cpu++)
		KT_ASSERT(xen_ipi_count(cpu) > before[cpu],
		    "cpu%u received no IPI event", cpu);
}
