/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Machine part of thread creation, and what a switch to a user thread
 * loads.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/pcb.h>
#include <machine/pmap.h>
#include <machine/segments.h>

#include <vm/vm_map.h>

/*
 * Builds the frame cpu_switch() pops: six callee-saved registers (r15 ...
 * rbp) then the return address, fork_trampoline, which finds the function
 * in r12 and its argument in r13.
 */
void
cpu_thread_setup(struct thread *td, void (*func)(void *), void *arg)
{
	uint64_t *sp = (uint64_t *)((uintptr_t)td->td_kstack + td->td_kstack_size);

	sp = (uint64_t *)((uintptr_t)sp & ~(uintptr_t)15);
	*--sp = 0;				/* alignment, ends backtraces */
	*--sp = (uint64_t)fork_trampoline;
	*--sp = 0;				/* rbp */
	*--sp = 0;				/* rbx */
	*--sp = (uint64_t)func;			/* r12 */
	*--sp = (uint64_t)arg;			/* r13 */
	*--sp = 0;				/* r14 */
	*--sp = 0;				/* r15 */
	td->td_pcb.pcb_rsp = (uint64_t)sp;
	/* New threads start with interrupts disabled; the scheduler enables them. */
	td->td_pcb.pcb_rflags = 0x2;
}

#define FPU_SAVE_SIZE	512	/* fxsave area; XSAVE is not enabled */
#define FXSR_MXCSR_DEFAULT	0x1f80
#define FPU_CW_DEFAULT		0x037f

MALLOC_DEFINE(M_FPU, "fpu", "user FPU state");

CTASSERT(sizeof(struct trapframe) % 16 == 0);

int
cpu_uthread_setup(struct thread *td, void (*func)(void *), void *arg)
{
	uintptr_t top = ((uintptr_t)td->td_kstack + td->td_kstack_size) &
	    ~(uintptr_t)15;
	size_t ksize;

	td->td_fpusave = malloc(FPU_SAVE_SIZE, M_FPU, M_WAITOK | M_ZERO);
	if (td->td_fpusave == NULL)
		return (ENOMEM);
	KASSERT(((uintptr_t)td->td_fpusave & 15) == 0,
	    ("fxsave area %p not 16-byte aligned", td->td_fpusave));
	fpu_reset(td);
	td->td_frame = (struct trapframe *)top - 1;
	memset(td->td_frame, 0, sizeof(*td->td_frame));
	td->td_frame->tf_cs = GSEL_UCODE | SEL_UPL;
	td->td_frame->tf_ss = GSEL_UDATA | SEL_UPL;
	td->td_frame->tf_rflags = PSL_I | 0x2;
	/* The kernel part of the stack starts below the frame. */
	ksize = td->td_kstack_size;
	td->td_kstack_size = (uintptr_t)td->td_frame - (uintptr_t)td->td_kstack;
	cpu_thread_setup(td, func, arg);
	td->td_kstack_size = ksize;
	return (0);
}

void
cpu_uthread_free(struct thread *td)
{
	struct pcpu *pc = get_pcpu();
	register_t rf = intr_disable();

	KASSERT(td == curthread || td->td_state == TDS_INACTIVE,
	    ("cpu_uthread_free: %s runs elsewhere", td->td_name));
	if (pc->pc_fpthread == td)
		pc->pc_fpthread = NULL;
	/* Before the free: a later switch back to td must not load it. */
	td->td_flags |= TDF_USERGONE;
	intr_restore(rf);
	free(td->td_fpusave, M_FPU);
	td->td_fpusave = NULL;
}

void
fpu_reset(struct thread *td)
{
	uint8_t *fx = td->td_fpusave;

	memset(fx, 0, FPU_SAVE_SIZE);
	*(uint16_t *)fx = FPU_CW_DEFAULT;
	*(uint32_t *)(fx + 24) = FXSR_MXCSR_DEFAULT;
	if (get_pcpu()->pc_fpthread == td)
		__asm__ __volatile__("fxrstor64 (%0)" :: "r"(fx) : "memory");
}

void
fpu_save(struct thread *td)
{
	register_t rf = intr_disable();

	if (get_pcpu()->pc_fpthread == td)
		__asm__ __volatile__("fxsave64 (%0)" :: "r"(td->td_fpusave) :
		    "memory");
	intr_restore(rf);
}

void
fpu_load(struct thread *td)
{
	register_t rf = intr_disable();
	struct pcpu *pc = get_pcpu();

	if (pc->pc_fpthread != NULL && pc->pc_fpthread != td)
		__asm__ __volatile__("fxsave64 (%0)" ::
		    "r"(pc->pc_fpthread->td_fpusave) : "memory");
	__asm__ __volatile__("fxrstor64 (%0)" :: "r"(td->td_fpusave) : "memory");
	pc->pc_fpthread = td;
	intr_restore(rf);
}

void
cpu_set_fsbase(struct thread *td, uint64_t base)
{
	td->td_fsbase = base;
	if (td == curthread)
		wrmsr(MSR_FSBASE, base);
}

/*
 * FPU state moves lazily: a switch to a kernel thread leaves the last
 * user thread's registers in place (the kernel never uses them), so
 * ping-pong between a user thread and kernel threads costs nothing.
 */
void
cpu_switch_prepare(struct thread *old __unused, struct thread *new)
{
	struct pcpu *pc = get_pcpu();
	uint64_t top;

	if (new->td_proc == NULL || (new->td_flags & TDF_USERGONE) != 0)
		return;
	KASSERT(new->td_fpusave != NULL && new->td_proc->p_vmspace != NULL,
	    ("cpu_switch_prepare: %s has no user context", new->td_name));
	top = (uint64_t)(new->td_frame + 1);
	pc->pc_rsp0 = top;
	pc->pc_tss->tss_rsp0 = top;
	pmap_activate(&new->td_proc->p_vmspace->vm_pmap);
	wrmsr(MSR_FSBASE, new->td_fsbase);
	if (pc->pc_fpthread != new) {
		if (pc->pc_fpthread != NULL)
			__asm__ __volatile__("fxsave64 (%0)" ::
			    "r"(pc->pc_fpthread->td_fpusave) : "memory");
		__asm__ __volatile__("fxrstor64 (%0)" :: "r"(new->td_fpusave) :
		    "memory");
		pc->pc_fpthread = new;
	}
}
