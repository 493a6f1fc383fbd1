/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Machine part of thread creation.
 */
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/pcb.h>

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
