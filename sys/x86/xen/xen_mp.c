/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * cpu_ops under Xen: vCPUs are counted with VCPUOP_is_up and started with
 * VCPUOP_initialise (straight into long mode on the boot page tables, in
 * init_secondary with its pcpu as argument) and VCPUOP_up.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include <x86/x86_smp.h>
#include <x86/xen/hypercall.h>
#include <x86/xen/xen_hooks.h>

#include <xen/vcpu.h>
#include <xen/hvm/hvm_vcpu.h>
#include <xen/xen_guest.h>

#define MSR_EFER		0xc0000080
#define XEN_AP_TIMEOUT_US	2000000

static int
xen_cpu_enumerate(u_int *ids, int max)
{
	int n = 0;

	/* vCPU ids are dense from 0; the first unknown id ends the list. */
	for (int id = 0; id < max; id++) {
		int rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, (u_int)id, NULL);

		if (rc < 0)
			break;
		ids[n++] = (u_int)id;
	}
	return (n);
}

static void __dead2
xen_ap_entry(struct pcpu *pc)
{
	pc->pc_start_method = CPU_START_HYPERCALL;
	init_secondary(pc);
}

static int
xen_cpu_start_ap(struct pcpu *pc)
{
	static struct vcpu_hvm_context ctx;
	struct thread *idle = pc->pc_idlethread;
	uint64_t top = ((uint64_t)idle->td_kstack + idle->td_kstack_size) & ~15UL;
	int error;

	pc->pc_vcpu_id = pc->pc_apic_id;
	memset(&ctx, 0, sizeof(ctx));
	ctx.mode = VCPU_HVM_MODE_64B;
	/* The same paging set-up as this CPU; descriptors come in init_secondary. */
	ctx.cpu_regs.x86_64.cr0 = rcr0();
	ctx.cpu_regs.x86_64.cr3 = rcr3();
	ctx.cpu_regs.x86_64.cr4 = rcr4();
	ctx.cpu_regs.x86_64.efer = rdmsr(MSR_EFER);
	ctx.cpu_regs.x86_64.rip = (uint64_t)xen_ap_entry;
	ctx.cpu_regs.x86_64.rsp = top - 8;	/* as if called */
	ctx.cpu_regs.x86_64.rdi = (uint64_t)pc;
	ctx.cpu_regs.x86_64.rflags = 0x2;

	error = HYPERVISOR_vcpu_op(VCPUOP_initialise, pc->pc_vcpu_id, &ctx);
	if (error != 0) {
		printf("xen: VCPUOP_initialise vcpu%u: %d\n", pc->pc_vcpu_id, error);
		return (xen_to_errno(error));
	}
	error = HYPERVISOR_vcpu_op(VCPUOP_up, pc->pc_vcpu_id, NULL);
	if (error != 0) {
		printf("xen: VCPUOP_up vcpu%u: %d\n", pc->pc_vcpu_id, error);
		return (xen_to_errno(error));
	}
	for (int t = 0; t < XEN_AP_TIMEOUT_US; t += 10) {
		if (__atomic_load_n(&pc->pc_started, __ATOMIC_ACQUIRE))
			return (0);
		DELAY(10);
	}
	return (ETIMEDOUT);
}

const struct cpu_ops xen_cpu_ops = {
	.enumerate = xen_cpu_enumerate,
	.start_ap = xen_cpu_start_ap,
	.name = "xen",
};
