/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * setjmp/longjmp for the kernel, and the thread context switch.
 */
	.text
/* int ksetjmp(struct kjmpbuf *) */
	.globl	ksetjmp
ksetjmp:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rax
	movq	%rax, 48(%rdi)		/* caller's rsp after return */
	movq	(%rsp), %rax
	movq	%rax, 56(%rdi)		/* return address */
	pushfq
	popq	%rax
	movq	%rax, 64(%rdi)
	xorl	%eax, %eax
	ret

/* void klongjmp(struct kjmpbuf *, int) */
	.globl	klongjmp
klongjmp:
	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	pushq	64(%rdi)
	popfq
	movl	%esi, %eax
	testl	%eax, %eax
	jnz	1f
	incl	%eax
1:	jmp	*56(%rdi)

/*
 * void cpu_switch(struct thread *old, struct thread *new)
 * The pcb is the first member of struct thread: pcb_rsp at 0, pcb_rflags at 8.
 */
	.globl	cpu_switch
cpu_switch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushfq
	popq	8(%rdi)
	movq	%rsp, 0(%rdi)
	movq	0(%rsi), %rsp
	pushq	8(%rsi)
	popfq
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret

/*
 * First code of a new thread: cpu_thread_setup() leaves the function in %r12
 * and its argument in %r13 on the initial stack.
 */
	.globl	fork_trampoline
fork_trampoline:
	movq	%r12, %rdi
	movq	%r13, %rsi
	call	fork_exit
1:	hlt
	jmp	1b

/*
 * void cpu_run_on_stack(void *top, void (*fn)(void)) __dead2
 * Leaves the current stack for good: %rsp = top, then fn(), which must
 * not return.  A zero %rbp ends backtraces there.
 */
	.globl	cpu_run_on_stack
cpu_run_on_stack:
	andq	$-16, %rdi
	movq	%rdi, %rsp
	xorl	%ebp, %ebp
	call	*%rsi
2:	hlt
	jmp	2b
