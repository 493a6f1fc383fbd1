/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Entry stubs for all 256 vectors.  Each stub makes the stack look the same
 * (an error code, real or zero, and the vector number) and joins alltraps,
 * which saves the registers as a struct trapframe and calls trap_dispatch().
 *
 * From user mode (the saved %cs has RPL 3) the entry and the exit swap
 * %gs's base with the user's (swapgs), so the kernel always finds its
 * pcpu at %gs:0.  The hardware put the frame at the top of the thread's
 * kernel stack (TSS rsp0), where td_frame points.
 *
 * System calls (SYSCALL) enter at syscall_entry and build the same frame
 * by hand (trapno T_SYSCALL).  They leave with SYSRET when the frame still
 * is a plain return from the call (syscall_handler decides: %rcx and %r11
 * hold the resume address and flags, which are user ones), otherwise
 * through trap_exit with iretq like every trap, so a handler may change
 * any user register (execve, signal delivery, rt_sigreturn).
 */
#define __ASSEMBLER__ 1
#include <machine/pcpu.h>
#include <machine/segments.h>
#include <machine/trap.h>

	.text

.macro	VEC_NOERR n
	.balign	16
	pushq	$0
	pushq	$\n
	jmp	alltraps
.endm

.macro	VEC_ERR n
	.balign	16
	pushq	$\n
	jmp	alltraps
.endm

	.balign	16
	.globl	idt_stubs
idt_stubs:
	.set	vec, 0
	.rept	256
	.if	vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30
	VEC_ERR	vec
	.else
	VEC_NOERR vec
	.endif
	.set	vec, vec + 1
	.endr

alltraps:
	testb	$SEL_UPL, 24(%rsp)	/* tf_cs: trapno, err, rip, cs */
	jz	1f
	swapgs
1:	subq	$120, %rsp
	movq	%rax, 0(%rsp)
	movq	%rbx, 8(%rsp)
	movq	%rcx, 16(%rsp)
	movq	%rdx, 24(%rsp)
	movq	%rsi, 32(%rsp)
	movq	%rdi, 40(%rsp)
	movq	%rbp, 48(%rsp)
	movq	%r8, 56(%rsp)
	movq	%r9, 64(%rsp)
	movq	%r10, 72(%rsp)
	movq	%r11, 80(%rsp)
	movq	%r12, 88(%rsp)
	movq	%r13, 96(%rsp)
	movq	%r14, 104(%rsp)
	movq	%r15, 112(%rsp)
	cld
	movq	%rsp, %rdi
	/* Frame-pointer chain continues through the interrupted code. */
	pushq	136(%rsp)		/* tf_rip */
	pushq	%rbp
	movq	%rsp, %rbp
	/* Keep the C stack 16-byte aligned whatever the trap pushed. */
	movq	%rsp, %rbx
	andq	$-16, %rsp
	call	trap_dispatch
	movq	%rbx, %rsp
	addq	$16, %rsp
	/* Returns to the frame at %rsp, interrupts off (no swapgs window). */
	.globl	trap_exit
trap_exit:
	cli
	movq	0(%rsp), %rax
	movq	8(%rsp), %rbx
	movq	16(%rsp), %rcx
	movq	24(%rsp), %rdx
	movq	32(%rsp), %rsi
	movq	40(%rsp), %rdi
	movq	48(%rsp), %rbp
	movq	56(%rsp), %r8
	movq	64(%rsp), %r9
	movq	72(%rsp), %r10
	movq	80(%rsp), %r11
	movq	88(%rsp), %r12
	movq	96(%rsp), %r13
	movq	104(%rsp), %r14
	movq	112(%rsp), %r15
	addq	$136, %rsp		/* registers, trapno, err */
	testb	$SEL_UPL, 8(%rsp)	/* tf_cs */
	jz	2f
	swapgs
2:	iretq

/* void user_enter(struct trapframe *) __dead2: first return to user mode. */
	.globl	user_enter
user_enter:
	cli
	movq	%rdi, %rsp
	jmp	trap_exit

/*
 * SYSCALL: %rcx = user %rip, %r11 = user %rflags, interrupts off
 * (SFMASK), %rsp still the user's.  The user registers go in a trapframe
 * at pc_rsp0, the top of this thread's kernel stack.
 */
	.globl	syscall_entry
syscall_entry:
	swapgs
	movq	%rsp, %gs:PC_USCRATCH_OFF
	movq	%gs:PC_RSP0_OFF, %rsp
	pushq	$(GSEL_UDATA | SEL_UPL)		/* tf_ss */
	pushq	%gs:PC_USCRATCH_OFF		/* tf_rsp */
	pushq	%r11				/* tf_rflags */
	pushq	$(GSEL_UCODE | SEL_UPL)		/* tf_cs */
	pushq	%rcx				/* tf_rip */
	pushq	$0				/* tf_err */
	pushq	$T_SYSCALL			/* tf_trapno */
	subq	$120, %rsp
	movq	%rax, 0(%rsp)
	movq	%rbx, 8(%rsp)
	movq	%rcx, 16(%rsp)
	movq	%rdx, 24(%rsp)
	movq	%rsi, 32(%rsp)
	movq	%rdi, 40(%rsp)
	movq	%rbp, 48(%rsp)
	movq	%r8, 56(%rsp)
	movq	%r9, 64(%rsp)
	movq	%r10, 72(%rsp)
	movq	%r11, 80(%rsp)
	movq	%r12, 88(%rsp)
	movq	%r13, 96(%rsp)
	movq	%r14, 104(%rsp)
	movq	%r15, 112(%rsp)
	cld
	xorl	%ebp, %ebp		/* backtraces end here */
	movq	%rsp, %rdi
	sti
	call	syscall_handler		/* %rsp is 16-byte aligned here */
	testl	%eax, %eax
	jz	trap_exit
	/* SYSRET: interrupts off until user mode (no swapgs window). */
	cli
	movq	0(%rsp), %rax
	movq	8(%rsp), %rbx
	movq	16(%rsp), %rcx		/* == tf_rip */
	movq	24(%rsp), %rdx
	movq	32(%rsp), %rsi
	movq	40(%rsp), %rdi
	movq	48(%rsp), %rbp
	movq	56(%rsp), %r8
	movq	64(%rsp), %r9
	movq	72(%rsp), %r10
	movq	80(%rsp), %r11		/* == tf_rflags */
	movq	88(%rsp), %r12
	movq	96(%rsp), %r13
	movq	104(%rsp), %r14
	movq	112(%rsp), %r15
	movq	160(%rsp), %rsp		/* tf_rsp: the user stack */
	swapgs
	sysretq
