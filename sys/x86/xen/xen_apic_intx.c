/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * apic_ops of an HVM guest whose upcall is the platform device's PCI INTx
 * (xen_upcall.c).  Xen raises that line for vCPU 0's events only; for any
 * other vCPU it sets the vcpu_info flag and neither interrupts nor wakes it
 * (hvm_assert_evtchn_irq() in Xen).  A VIRQ_TIMER or IPI port of an AP would
 * go unseen, so in this mode the APs' timer and IPIs cannot be event
 * channels.  An HVM guest has the emulated local APIC for them: this table
 * is the native one (timer, IPIs, the EOI of the I/O APIC's interrupts)
 * with the Xen per-CPU set-up (vcpu_info) added.  CPU identities stay vCPU
 * ids, as in the event-channel table; the ICR takes each CPU's real local
 * APIC ID, read on that CPU when it starts.
 */
#include <sys/param.h>
#include <sys/pcpu.h>
#include <sys/systm.h>

#include <x86/apicvar.h>
#include <x86/xen/xen_hooks.h>

struct apic_ops		xen_native_apic_ops;

static u_int		intx_lapic_id[MAXCPU];
static bool		intx_lapic_known[MAXCPU];

static void
intx_note_lapic_id(void)
{
	u_int cpu = curcpu;

	intx_lapic_id[cpu] = xen_native_apic_ops.id();
	__atomic_store_n(&intx_lapic_known[cpu], true, __ATOMIC_RELEASE);
}

static void
intx_apic_init(void)
{
	xen_native_apic_ops.init();
	intx_note_lapic_id();
}

static void
intx_apic_setup_cpu(void)
{
	u_int cpu = curcpu;
	int error;

	if ((error = xen_cpu_setup(cpu)) != 0)
		panic("xen: cpu%u set-up failed: %d", cpu, error);
	xen_native_apic_ops.setup_cpu();
	intx_note_lapic_id();
}

static u_int
intx_apic_id(void)
{
	return (PCPU_GET(vcpu_id));
}

static void
intx_apic_ipi_vectored(u_int vector, u_int apic_id)
{
	u_int cpu;

	CPU_FOREACH(cpu) {
		struct pcpu *pc = pcpu_find(cpu);

		if (pc != NULL && pc->pc_apic_id == apic_id)
			break;
	}
	/* Not started yet: nothing could take it. */
	if (cpu >= MAXCPU || pcpu_find(cpu) == NULL ||
	    !__atomic_load_n(&intx_lapic_known[cpu], __ATOMIC_ACQUIRE))
		return;
	xen_native_apic_ops.ipi_vectored(vector, intx_lapic_id[cpu]);
}

static struct apic_ops xen_intx_apic_ops;

void
xen_apic_intx_install(void)
{
	KASSERT(xen_native_apic_ops.init != NULL,
	    ("xen: the native apic_ops were not kept"));
	xen_intx_apic_ops = (struct apic_ops){
		.init = intx_apic_init,
		.setup_cpu = intx_apic_setup_cpu,
		.id = intx_apic_id,
		.eoi = xen_native_apic_ops.eoi,
		.ipi_vectored = intx_apic_ipi_vectored,
		/* vCPUs start with VCPUOP_up, as in the other modes. */
		.ipi_startup = xen_apic_ops.ipi_startup,
		.timer_freq = xen_native_apic_ops.timer_freq,
		.timer_oneshot = xen_native_apic_ops.timer_oneshot,
		.timer_stop = xen_native_apic_ops.timer_stop,
		.name = "xen-lapic",
	};
	apic_ops = xen_intx_apic_ops;
}
