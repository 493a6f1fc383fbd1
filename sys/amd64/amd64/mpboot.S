/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Application-processor trampoline.  Never run in place: mp_x86.c copies
 * mpboot_start..mpboot_end to a page below 1 MiB, patches the absolute
 * addresses (GDT base, the two far jumps, the page-table root) and points
 * STARTUP IPIs at it.  The AP goes real mode -> protected mode -> long mode
 * on the boot page tables, whose identity map covers this page, then claims
 * its start ticket and jumps to the kernel entry the ticket names.
 *
 * Ticket (struct mp_boot_args, kernel virtual): +0 stack top, +8 entry
 * address; the entry is called with the ticket in %rdi.  The claim is an
 * exchange with zero, so an AP arriving after the BSP gave up finds nothing
 * and parks instead of running on a stack that may be reused.
 */
#define CR0_PE		0x00000001
#define CR0_WP		0x00010000
#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100
#define EFER_NXE	0x00000800
#define OFF(x)		((x) - mpboot_start)

	.section .rodata
	.balign	16
	.globl	mpboot_start, mpboot_end, mpboot_gdt, mpboot_gdtdesc
	.globl	mpboot_32, mpboot_64, mpboot_jmp32, mpboot_jmp64
	.globl	mpboot_cr3, mpboot_ticket

	.code16
mpboot_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	/* Physical base of the page, kept in %ebx through every mode. */
	movzwl	%ax, %ebx
	shll	$4, %ebx
	lgdtl	OFF(mpboot_gdtdesc)
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	/* ljmpl $0x08, $(base + OFF(mpboot_32)), target patched in. */
	.byte	0x66, 0xea
mpboot_jmp32:
	.long	0
	.word	0x08

	.code32
mpboot_32:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	OFF(mpboot_cr3)(%ebx), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PE | CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0
	/* ljmp $0x18, $(base + OFF(mpboot_64)), target patched in. */
	.byte	0xea
mpboot_jmp64:
	.long	0
	.word	0x18

	.code64
mpboot_64:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	/* The upper halves are undefined after the switch from 32-bit mode. */
	movl	%ebx, %ebx
	xorl	%eax, %eax
	xchgq	%rax, OFF(mpboot_ticket)(%rbx)
	testq	%rax, %rax
	jz	2f
	movq	0(%rax), %rsp
	movq	%rax, %rdi
	xorl	%ebp, %ebp
	pushq	$0			/* ends backtraces */
	jmp	*8(%rax)
2:	cli
	hlt
	jmp	2b

	.balign	8
mpboot_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0x00af9a000000ffff	/* 0x18: 64-bit code */
mpboot_gdtdesc:
	.word	4 * 8 - 1
	.long	0			/* patched: GDT address */
	.balign	8
mpboot_ticket:
	.quad	0
mpboot_cr3:
	.long	0
mpboot_end:
