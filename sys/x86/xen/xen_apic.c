/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * apic_ops under Xen.  IPIs travel over per-CPU event channels: the sender
 * marks the vector pending for the target and notifies the target's IPI
 * port; the target runs the handler of each pending vector as if the APIC
 * had delivered it, so the machine-independent IPI code is the same on both
 * platforms.  Local timer hooks are left empty (the Xen timer is used) and
 * the hooks that have no meaning under Xen panic with their name.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/pcpu.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>
#include <machine/intr.h>

#include <x86/apicvar.h>
#include <x86/xen/xen_hooks.h>

#include <xen/xen_evtchn.h>
#include <xen/xen_guest.h>

#define VEC_WORDS	(256 / 64)

static volatile u_long	ipi_pending[MAXCPU][VEC_WORDS];
static evtchn_handle_t	ipi_port[MAXCPU];
static bool		ipi_dispatching[MAXCPU];
static uint64_t		ipi_received[MAXCPU];

static void
xen_ipi_handler(void *arg __unused)
{
	u_int cpu = curcpu;

	ipi_received[cpu]++;
	for (u_int w = 0; w < VEC_WORDS; w++) {
		u_long bits = atomic_readandclear_long(&ipi_pending[cpu][w]);

		while (bits != 0) {
			u_int b = (u_int)__builtin_ctzl(bits);

			bits &= bits - 1;
			ipi_dispatching[cpu] = true;
			intr_execute_vector(w * 64 + b);
			ipi_dispatching[cpu] = false;
		}
	}
}

uint64_t
xen_ipi_count(u_int cpu)
{
	return (cpu < MAXCPU ? ipi_received[cpu] : 0);
}

static void
xen_ipi_bind(u_int cpu)
{
	int error;

	error = evtchn_bind_ipi(cpu, xen_ipi_handler, NULL, 0, &ipi_port[cpu]);
	if (error != 0)
		panic("xen: cpu%u: cannot bind the IPI event channel: %d", cpu,
		    error);
}

static void
xen_apic_init(void)
{
	/* cpu0 was set up with the event channels; it needs its IPI port. */
	xen_ipi_bind(0);
}

static void
xen_apic_setup_cpu(void)
{
	u_int cpu = curcpu;
	int error;

	if ((error = xen_cpu_setup(cpu)) != 0)
		panic("xen: cpu%u set-up failed: %d", cpu, error);
	xen_ipi_bind(cpu);
}

static u_int
xen_apic_id(void)
{
	/* Under Xen the CPU's identity is its vCPU id. */
	return (PCPU_GET(vcpu_id));
}

static void
xen_apic_eoi(void)
{
	/* Vectors run from an IPI event need no acknowledgement. */
	if (ipi_dispatching[curcpu])
		return;
	panic("apic_ops.eoi: no local APIC interrupt to acknowledge under Xen");
}

static void
xen_apic_ipi_vectored(u_int vector, u_int apic_id)
{
	u_int cpu;

	CPU_FOREACH(cpu) {
		struct pcpu *pc = pcpu_find(cpu);

		if (pc != NULL && pc->pc_apic_id == apic_id)
			break;
	}
	if (cpu >= mp_ncpus || ipi_port[cpu] == NULL || vector > 255)
		return;		/* not up yet: nothing could take it */
	__atomic_fetch_or(&ipi_pending[cpu][vector / 64], 1UL << (vector % 64),
	    __ATOMIC_SEQ_CST);
	evtchn_notify(ipi_port[cpu]);
}

static int
xen_apic_ipi_startup(u_int apic_id __unused, vm_paddr_t tramp __unused)
{
	panic("apic_ops.ipi_startup: not supported under Xen (vCPUs start "
	    "with VCPUOP_up)");
}

static void
xen_apic_timer_oneshot(u_int vector __unused, uint32_t count __unused)
{
	panic("apic_ops.timer_oneshot: no local APIC timer under Xen");
}

static void
xen_apic_timer_stop(void)
{
	panic("apic_ops.timer_stop: no local APIC timer under Xen");
}

/* timer_freq stays NULL: "this platform has no local timer to register". */
const struct apic_ops xen_apic_ops = {
	.init = xen_apic_init,
	.setup_cpu = xen_apic_setup_cpu,
	.id = xen_apic_id,
	.eoi = xen_apic_eoi,
	.ipi_vectored = xen_apic_ipi_vectored,
	.ipi_startup = xen_apic_ipi_startup,
	.timer_freq = NULL,
	.timer_oneshot = xen_apic_timer_oneshot,
	.timer_stop = xen_apic_timer_stop,
	.name = "xen",
};
