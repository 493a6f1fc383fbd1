/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * 32-bit flat entry (paging off, %ebx = physical address of the loader's
 * boot structure), switch to long mode with the kernel mapped high, then call
 * boot_entry() in C.  Boot page tables map the first 4 GiB three times:
 * identity (for the switch itself), the direct map, and KERNBASE.
 */
#define __ASSEMBLER__ 1
#include <machine/vmparam.h>

#define PG_V	0x001
#define PG_RW	0x002
#define PG_PS	0x080
#define CR0_PE	0x00000001
#define CR0_WP	0x00010000
#define CR0_PG	0x80000000
#define CR4_PAE	0x00000020
#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100
#define EFER_NXE 0x00000800
#define V2P(x)	((x) - KERNBASE)

	.section .text.boot, "ax"
	.code32
	.globl	start32
start32:
	cli
	cld
	movl	%ebx, V2P(boot_loader_info)
	movl	$V2P(boot_stack_top), %esp

	/* 2 MiB pages for the first 4 GiB. */
	movl	$V2P(boot_pd), %edi
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$(PG_V | PG_RW | PG_PS), %eax
	movl	%eax, (%edi, %ecx, 8)
	movl	%ecx, %eax
	shrl	$11, %eax
	movl	%eax, 4(%edi, %ecx, 8)
	incl	%ecx
	cmpl	$2048, %ecx
	jb	1b

	/* Low PDPT: 4 x 1 GiB, shared by the identity map and the direct map. */
	movl	$V2P(boot_pdpt_low), %edi
	movl	$V2P(boot_pd), %eax
	orl	$(PG_V | PG_RW), %eax
	xorl	%ecx, %ecx
2:	movl	%eax, (%edi, %ecx, 8)
	addl	$4096, %eax
	incl	%ecx
	cmpl	$4, %ecx
	jb	2b

	/* High PDPT: KERNBASE (-2 GiB) maps physical 0-2 GiB. */
	movl	$V2P(boot_pd), %eax
	orl	$(PG_V | PG_RW), %eax
	movl	%eax, V2P(boot_pdpt_high) + 510 * 8
	addl	$4096, %eax
	movl	%eax, V2P(boot_pdpt_high) + 511 * 8

	movl	$V2P(boot_pdpt_low), %eax
	orl	$(PG_V | PG_RW), %eax
	movl	%eax, V2P(boot_pml4)			/* identity */
	movl	%eax, V2P(boot_pml4) + 256 * 8		/* direct map */
	movl	$V2P(boot_pdpt_high), %eax
	orl	$(PG_V | PG_RW), %eax
	movl	%eax, V2P(boot_pml4) + 511 * 8		/* KERNBASE */

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$V2P(boot_pml4), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PE | CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0

	lgdt	V2P(boot_gdt_desc)
	ljmp	$0x08, $V2P(start64_low)

	.code64
start64_low:
	movabsq	$start64, %rax
	jmp	*%rax

	.text
start64:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movabsq	$boot_stack_top, %rsp

	/* The loader zeroes .bss, but do not rely on it. */
	movabsq	$__bss_start, %rdi
	movabsq	$__bss_end, %rcx
	subq	%rdi, %rcx
	xorl	%eax, %eax
	rep stosb

	movl	boot_loader_info, %edi
	xorl	%ebp, %ebp
	pushq	$0			/* end of the frame-pointer chain */
	call	boot_entry
3:	hlt
	jmp	3b

	.section .data.boot, "aw"
	.balign	4096
	.globl	boot_pml4
boot_pml4:	.fill	512, 8, 0
boot_pdpt_low:	.fill	512, 8, 0
boot_pdpt_high:	.fill	512, 8, 0
	.globl	boot_pd
boot_pd:	.fill	4 * 512, 8, 0

	.balign	16
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
	.word	boot_gdt_end - boot_gdt - 1
	.long	V2P(boot_gdt)

	.balign	4
	.globl	boot_loader_info
boot_loader_info:	.long	0

	.section .bss
	.balign	4096
	.globl	boot_stack
boot_stack:	.space	16384
	.globl	boot_stack_top
boot_stack_top:
