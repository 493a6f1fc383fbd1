/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * shared_info and the per-CPU vcpu_info areas.  shared_info is mapped into
 * a guest-physical hole; each CPU registers a vcpu_info inside the kernel
 * image (VCPUOP_register_vcpu_info), falling back to the legacy slots of
 * shared_info for the first 32 vCPUs if Xen refuses.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/pcpu.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

#include <x86/xen/hypercall.h>
#include <x86/xen/xen_hooks.h>

#include <xen/features.h>
#include <xen/memory.h>
#include <xen/vcpu.h>
#include <xen/evtchn_abi.h>
#include <xen/xen_guest.h>

struct shared_info	*HYPERVISOR_shared_info;
vm_paddr_t		xen_shared_info_pa;

/* 64-byte aligned so that no vcpu_info crosses a page. */
static struct vcpu_info	vcpu_info_area[MAXCPU] __aligned(64);
CTASSERT(sizeof(struct vcpu_info) == 64);

struct vcpu_info *
xen_vcpu_info(u_int cpu)
{
	struct pcpu *pc = pcpu_find(cpu);

	return (pc != NULL ? pc->pc_vcpu_info : NULL);
}

int
xen_shared_info_map(void)
{
	struct xen_add_to_physmap xatp;
	vm_paddr_t pa;
	int error;

	if (HYPERVISOR_shared_info != NULL)
		return (0);	/* mapped early, for the early PV clock */
	pa = xen_hole_alloc(1);
	if (pa == PHYS_NONE)
		return (ENOSPC);
	xatp.domid = DOMID_SELF;
	xatp.space = XENMAPSPACE_shared_info;
	xatp.idx = 0;
	xatp.gpfn = atop(pa);
	error = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
	if (error != 0) {
		printf("xen: mapping shared_info failed: %d\n", error);
		return (xen_to_errno(error));
	}
	xen_shared_info_pa = pa;
	HYPERVISOR_shared_info = (struct shared_info *)PHYS_TO_DMAP(pa);
	return (0);
}

/* Registers the calling CPU's vcpu_info. */
static int
xen_vcpu_info_register(u_int cpu)
{
	struct pcpu *pc = pcpu_find(cpu);
	struct vcpu_register_vcpu_info info;
	vm_paddr_t pa = KVA_TO_PHYS((vm_offset_t)&vcpu_info_area[cpu]);
	int error;

	info.mfn = atop(pa);
	info.offset = (uint32_t)(pa & PAGE_MASK);
	info.rsvd = 0;
	error = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, pc->pc_vcpu_id,
	    &info);
	if (error == 0) {
		pc->pc_vcpu_info = &vcpu_info_area[cpu];
		return (0);
	}
	if (pc->pc_vcpu_id < XEN_LEGACY_MAX_VCPUS) {
		printf("xen: cpu%u: register_vcpu_info failed (%d), using the "
		    "shared_info slot\n", cpu, error);
		pc->pc_vcpu_info = &HYPERVISOR_shared_info->vcpu_info[pc->pc_vcpu_id];
		return (0);
	}
	return (xen_to_errno(error));
}

int
xen_cpu_setup(u_int cpu)
{
	int error;

	if ((error = xen_vcpu_info_register(cpu)) != 0)
		return (error);
	if ((error = evtchn_cpu_init(cpu)) != 0)
		return (error);
	return (xen_upcall_cpu_setup(cpu));
}

static void
xen_hypervisor_init(void *arg __unused)
{
	int error;

	if (!xen_domain())
		return;
	/*
	 * A PVH guest has no other upcall than an injected vector; an HVM one
	 * falls back to the platform device's PCI interrupt.
	 */
	if (!xen_guest.hvm && xen_features_valid() &&
	    !xen_has_feature(XENFEAT_hvm_callback_vector))
		panic("xen: hypervisor lacks XENFEAT_hvm_callback_vector");
	if ((error = xen_shared_info_map()) != 0)
		panic("xen: cannot map shared_info: %d", error);
	if ((error = evtchn_init()) != 0)
		panic("xen: event channels unavailable: %d", error);
	if ((error = xen_upcall_init()) != 0)
		panic("xen: no upcall delivery: %d", error);
	if ((error = xen_cpu_setup(0)) != 0)
		panic("xen: cpu0 set-up failed: %d", error);
	if (xen_upcall_intx)
		printf("xen: shared_info at %#lx, upcall on PCI INTx (xenpci)\n",
		    xen_shared_info_pa);
	else
		printf("xen: shared_info at %#lx, upcall %s vector %u\n",
		    xen_shared_info_pa, xen_upcall_percpu ? "per-vCPU" :
		    "callback", xen_upcall_vector);
}
SYSINIT(xen_hypervisor, SI_SUB_HYPERVISOR, SI_ORDER_SECOND, xen_hypervisor_init,
    NULL);
