/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Event-channel upcall delivery.  Preferred: a per-vCPU vector
 * (HVMOP_set_evtchn_upcall_vector), which Xen injects through the virtual
 * local APIC and which therefore needs an EOI.  Fallback: the domain-wide
 * callback vector (HVM_PARAM_CALLBACK_IRQ), which bypasses the APIC and
 * needs none.
 *
 * The two differ in when Xen injects: the per-vCPU vector only when Xen
 * itself sets evtchn_upcall_pending from 0 to 1; the callback vector at every
 * VM entry that finds the flag set and interrupts enabled.  The callback
 * vector is therefore not held off by an APIC in-service bit: interrupts
 * must stay disabled in every interrupt handler, or upcalls would nest.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/pcpu.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/intr.h>

#include <x86/xen/hypercall.h>
#include <x86/xen/xen_hooks.h>

#include <xen/errno.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/xen_evtchn.h>
#include <xen/xen_guest.h>

#define MSR_APICBASE		0x1b
#define APICBASE_X2APIC		0x400
#define APICBASE_ENABLE		0x800
#define MSR_X2APIC_EOI		0x80b
#define CPUID2_X2APIC		0x00200000
#define MSR_X2APIC_SVR		0x80f
#define MSR_X2APIC_SELF_IPI	0x83f
#define SVR_ENABLE		0x100

u_int	xen_upcall_vector;
bool	xen_upcall_percpu;
static uint64_t	xen_upcall_count[MAXCPU];
static char	xen_upcall_mode[16] = "percpu";
TUNABLE_STR("xen.upcall", xen_upcall_mode, sizeof(xen_upcall_mode),
    "percpu (per-vCPU vector, default) or callback (global callback vector)");

static void
xen_upcall_intr(struct trapframe *tf, void *arg __unused)
{
	/*
	 * An upcall that interrupted another interrupt handler means that
	 * handler ran with interrupts enabled: name where.
	 */
	KASSERT(intr_nesting() <= 1 || (tf->tf_rflags & PSL_I) == 0,
	    ("xen upcall nested on cpu%u: a handler enabled interrupts at rip "
	    "%#lx", curcpu, tf->tf_rip));
	xen_upcall_count[curcpu]++;
	evtchn_upcall();
	/* The per-vCPU vector went through the virtual APIC: acknowledge it. */
	if (xen_upcall_percpu)
		wrmsr(MSR_X2APIC_EOI, 0);
}

void
xen_upcall_rearm(void)
{
	if (xen_upcall_percpu) {
		/* Held in the APIC's IRR until this upcall's EOI. */
		wrmsr(MSR_X2APIC_SELF_IPI, xen_upcall_vector);
		return;
	}
	/*
	 * The callback vector follows the flag the scan set again: any VM
	 * exit makes Xen look at it, and with interrupts off here it opens an
	 * interrupt window, so the upcall comes as soon as they are on.
	 */
	(void)HYPERVISOR_xen_version(XENVER_version, NULL);
}

uint64_t
xen_upcall_counter(u_int cpu)
{
	return (cpu < MAXCPU ? xen_upcall_count[cpu] : 0);
}

static int
set_percpu_vector(u_int vcpu)
{
	struct xen_hvm_evtchn_upcall_vector uv = {
		.vcpu = vcpu, .vector = (uint8_t)xen_upcall_vector
	};

	if (xen_refused("percpu"))
		return (-XEN_ENOSYS);	/* as Xen before 4.6 answers */
	return (HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, &uv));
}

int
xen_upcall_init(void)
{
	struct xen_hvm_param hp;
	u_int regs[4];
	int error;

	error = intr_alloc_vector(xen_upcall_intr, NULL, &xen_upcall_vector);
	if (error != 0)
		return (error);
	/* The per-vCPU vector is acknowledged through x2APIC, so it needs one. */
	hp.domid = DOMID_SELF;
	hp.index = HVM_PARAM_CALLBACK_IRQ;
	hp.value = ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56) |
	    xen_upcall_vector;
	do_cpuid(1, regs);
	if ((regs[2] & CPUID2_X2APIC) != 0 && xen_upcall_mode[0] != 'c') {
		xen_upcall_percpu = true;
		if (xen_upcall_cpu_setup(0) == 0) {
			/*
			 * The toolstack takes an HVM guest without a callback
			 * for one without PV drivers and refuses xl shutdown
			 * and reboot.  Xen prefers a vCPU's own vector to it,
			 * so the global one stays unused.
			 */
			if (xen_guest.hvm &&
			    (error = HYPERVISOR_hvm_op(HVMOP_set_param, &hp)) != 0)
				printf("xen: HVM: callback not registered (%d): "
				    "the toolstack will see no PV drivers\n", error);
			return (0);
		}
		xen_upcall_percpu = false;
	}
	return (xen_to_errno(HYPERVISOR_hvm_op(HVMOP_set_param, &hp)));
}

int
xen_upcall_cpu_setup(u_int cpu)
{
	uint64_t base;

	if (!xen_upcall_percpu)
		return (0);
	/*
	 * The virtual APIC must be enabled (xAPIC first, then x2APIC, as the
	 * architecture requires) and software-enabled to accept the vector.
	 */
	base = rdmsr(MSR_APICBASE);
	if ((base & APICBASE_ENABLE) == 0)
		wrmsr(MSR_APICBASE, (base |= APICBASE_ENABLE));
	if ((base & APICBASE_X2APIC) == 0)
		wrmsr(MSR_APICBASE, base | APICBASE_X2APIC);
	wrmsr(MSR_X2APIC_SVR, SVR_ENABLE | 0xff);
	return (xen_to_errno(set_percpu_vector(pcpu_find(cpu)->pc_vcpu_id)));
}
