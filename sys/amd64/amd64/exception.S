/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Entry stubs for all 256 vectors.  Each stub makes the stack look the same
 * (an error code, real or zero, and the vector number) and joins alltraps,
 * which saves the registers as a struct trapframe and calls trap_dispatch().
 */
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
	iretq
