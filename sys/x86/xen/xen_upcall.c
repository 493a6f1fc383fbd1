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
 *
 * Last resort on HVM (a Xen without the vector callback, or
 * xen.upcall=intx): the Xen platform PCI device's interrupt line
 * (HVM_PARAM_CALLBACK_IRQ of type PCI INTx or GSI), registered by its
 * driver, xenpci(4), once the PCI bus is up.  Xen holds that line asserted
 * while vCPU 0's evtchn_upcall_pending is set and drops it at a VM exit
 * that finds the flag clear; for any other vCPU it only sets the flag, with
 * no interrupt and no wakeup.  So in that mode every port is bound to
 * CPU 0, and the timers and IPIs are the emulated local APIC's
 * (xen_apic_intx.c).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/pcpu.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/intr.h>

#include <x86/apicvar.h>
#include <x86/ioapicvar.h>

#include <x86/xen/hypercall.h>
#include <x86/xen/xen_hooks.h>

#include <xen/errno.h>
#include <xen/xen.h>
#include <xen/features.h>
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
bool	xen_upcall_intx;
static uint64_t	xen_upcall_count[MAXCPU];
static uint64_t	xen_upcall_intx_upcalls;
static uint64_t	xen_upcall_via;		/* the INTx or GSI callback, once set */
static bool	xen_upcall_global_set;	/* HVM_PARAM_CALLBACK_IRQ holds ours */
static char	xen_upcall_mode[16] = "percpu";
TUNABLE_STR("xen.upcall", xen_upcall_mode, sizeof(xen_upcall_mode),
    "percpu (per-vCPU vector, default), callback (global callback vector) "
    "or intx (HVM: the platform device's PCI interrupt)");

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
	struct xen_hvm_param hp;

	if (xen_upcall_intx) {
		/*
		 * The scan set vCPU 0's flag again itself; Xen raises the line
		 * only on its own 0-to-1 change of it, and may have dropped it
		 * at a VM exit while the flag was clear.  Registering the
		 * callback again makes Xen set the line from the flag as it
		 * is now.
		 */
		if (xen_upcall_via == 0)
			return;
		hp.domid = DOMID_SELF;
		hp.index = HVM_PARAM_CALLBACK_IRQ;
		hp.value = xen_upcall_via;
		(void)HYPERVISOR_hvm_op(HVMOP_set_param, &hp);
		return;
	}
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

uint64_t
xen_upcall_intx_count(void)
{
	return (__atomic_load_n(&xen_upcall_intx_upcalls, __ATOMIC_RELAXED));
}

uint64_t
xen_upcall_intx_via(void)
{
	return (xen_upcall_via);
}

bool
xen_upcall_needs_via(void)
{
	return (xen_guest.hvm && !xen_upcall_global_set);
}

int
xen_upcall_intx_register(uint64_t via)
{
	struct xen_hvm_param hp = {
		.domid = DOMID_SELF, .index = HVM_PARAM_CALLBACK_IRQ, .value = via
	};
	int error;

	KASSERT(xen_guest.hvm, ("xen: an INTx callback on a PVH guest"));
	if ((error = HYPERVISOR_hvm_op(HVMOP_set_param, &hp)) != 0)
		return (xen_to_errno(error));
	xen_upcall_via = via;
	xen_upcall_global_set = true;
	return (0);
}

/*
 * The platform device's interrupt (I/O APIC dispatch, interrupts off, on
 * CPU 0).  The line may be shared with other PCI functions: it is ours
 * only while vCPU 0 has an upcall pending.  The I/O APIC code sends the
 * local APIC EOI after the filters; Xen drops the line at that VM exit if
 * the scan left the flag clear, so the EOI does not see it still high.
 */
int
xen_upcall_intx_filter(void *arg __unused)
{
	struct vcpu_info *vi;

	if (!xen_upcall_intx || (vi = xen_vcpu_info(0)) == NULL)
		return (FILTER_STRAY);
	KASSERT(curcpu == 0, ("xen: INTx upcall on cpu%u", curcpu));
	if (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE) == 0)
		return (FILTER_STRAY);
	__atomic_fetch_add(&xen_upcall_intx_upcalls, 1, __ATOMIC_RELAXED);
	xen_upcall_count[0]++;
	evtchn_upcall();
	return (FILTER_HANDLED);
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

/*
 * INTx mode: nothing is registered here (the PCI bus is not up yet); the
 * platform device's driver registers the line.  Until then events wait
 * pending, which nothing before the device tree needs: the clock and the
 * IPIs are the local APIC's in this mode.
 */
static int
upcall_intx_init(void)
{
	if (!xen_guest.hvm)
		return (ENXIO);		/* PVH has no device model, no PCI */
	xen_upcall_intx = true;
	xen_upcall_percpu = false;
	xen_upcall_vector = 0;
	evtchn_cpu0_only = true;
	xen_apic_intx_install();
	printf("xen: HVM: upcall on the platform device's PCI interrupt "
	    "(events to vCPU 0 only; local APIC timer and IPIs)\n");
	return (0);
}

int
xen_upcall_init(void)
{
	struct xen_hvm_param hp;
	u_int regs[4];
	bool vector_ok;
	int error;

	if (strcmp(xen_upcall_mode, "intx") == 0)
		return (upcall_intx_init());
	/*
	 * The global vector needs XENFEAT_hvm_callback_vector (Xen 4.0 and
	 * later); xen.refuse=vector plays a Xen without it.
	 */
	vector_ok = !xen_refused("vector") && (!xen_features_valid() ||
	    xen_has_feature(XENFEAT_hvm_callback_vector));
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
			 * so the global one stays unused (without the vector
			 * type, xenpci(4) registers its INTx for the same
			 * reason).
			 */
			if (xen_guest.hvm && vector_ok) {
				error = HYPERVISOR_hvm_op(HVMOP_set_param, &hp);
				if (error != 0)
					printf("xen: HVM: callback not registered "
					    "(%d): the toolstack will see no PV "
					    "drivers\n", error);
				xen_upcall_global_set = error == 0;
			}
			return (0);
		}
		xen_upcall_percpu = false;
	}
	if (vector_ok &&
	    (error = xen_to_errno(HYPERVISOR_hvm_op(HVMOP_set_param, &hp))) == 0) {
		xen_upcall_global_set = true;
		return (0);
	}
	if (!xen_guest.hvm)
		return (vector_ok ? error : ENOSYS);
	intr_free_vector(xen_upcall_vector);
	printf("xen: HVM: no vector callback (%s): falling back to PCI INTx\n",
	    vector_ok ? "refused by Xen" : xen_refused("vector") ?
	    "xen.refuse=vector" : "no XENFEAT_hvm_callback_vector");
	return (upcall_intx_init());
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
