/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Saved machine context of a thread that is not running.
 */
#ifndef _MACHINE_PCB_H_
#define _MACHINE_PCB_H_

#include <sys/types.h>

struct pcb {
	uint64_t	pcb_rsp;	/* callee-saved registers are on the stack */
	uint64_t	pcb_rflags;
};

struct thread;
/* Saves the current context in old's pcb and resumes new. */
void	cpu_switch(struct thread *old, struct thread *new);
/* Sets a new thread up to start in func(arg) on its own stack. */
void	cpu_thread_setup(struct thread *td, void (*func)(void *), void *arg);
/* Where a new thread begins: calls td_func(td_arg), then kthread_exit(). */
void	fork_trampoline(void);

/*
 * User threads: cpu_uthread_setup() is cpu_thread_setup() with the user
 * trapframe (td_frame) reserved at the very top of the kernel stack, where
 * the CPU pushes on entry from user mode; it allocates the FPU save area
 * (ENOMEM).  cpu_uthread_free() releases it and marks the thread
 * TDF_USERGONE: an exiting thread may still sleep (closing its files) and
 * be switched to again, as a kernel thread.
 * cpu_switch_prepare() loads what the next thread needs when it is a user
 * thread with a user context left: its kernel stack for entries from user mode, address space,
 * %fs base and FPU state.
 */
int	cpu_uthread_setup(struct thread *td, void (*func)(void *), void *arg);
void	cpu_uthread_free(struct thread *td);
void	cpu_switch_prepare(struct thread *old, struct thread *new);
/* Saves the FPU state of td (curthread) in td_fpusave, e.g. before fork. */
void	fpu_save(struct thread *td);
/* Loads td_fpusave into the FPU (td is curthread and owns it). */
void	fpu_load(struct thread *td);
/* Resets td's user FPU state (execve). */
void	fpu_reset(struct thread *td);
/*
 * Makes the interrupted system call nr run again when tf is resumed
 * (SA_RESTART): back over the syscall instruction, number in %rax.
 */
struct trapframe;
void	cpu_syscall_restart(struct trapframe *tf, int nr);
/* Sets the user %fs base of td (curthread or not running). */
void	cpu_set_fsbase(struct thread *td, uint64_t base);

#endif /* !_MACHINE_PCB_H_ */
