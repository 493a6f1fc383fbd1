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

#endif /* !_MACHINE_PCB_H_ */
