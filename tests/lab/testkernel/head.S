/*
 * Lab test kernel entry: the PVH ELF note, 32-bit flat entry with paging off
 * and %ebx = struct hvm_start_info (physical), identity-mapped long mode for
 * the first GiB, then kmain(start_info).
 */
#include <xen/elfnote.h>

	.section .note.Xen, "a", @note
	.p2align 2
	.long	4f - 3f			/* name size */
	.long	6f - 5f			/* descriptor size */
	.long	XEN_ELFNOTE_PHYS32_ENTRY
3:	.asciz	"Xen"
4:	.p2align 2
5:	.long	_start32
6:	.p2align 2

	.section .text.boot, "ax"
	.code32
	.globl	_start32
_start32:
	cli
	cld
	movl	%ebx, %esi		/* keep start_info across the set-up */
	/* The page tables live in .bss: clear them ourselves. */
	movl	$pml4, %edi
	xorl	%eax, %eax
	movl	$(3 * 4096 / 4), %ecx
	rep stosl
	movl	$pdpt + 3, pml4
	movl	$pd + 3, pdpt
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$0x83, %eax		/* present, writable, 2 MiB page */
	movl	%eax, pd(, %ecx, 8)
	incl	%ecx
	cmpl	$512, %ecx
	jb	1b
	movl	%cr4, %eax
	orl	$0x20, %eax		/* PAE */
	movl	%eax, %cr4
	movl	$pml4, %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx	/* EFER */
	rdmsr
	orl	$0x100, %eax		/* LME */
	wrmsr
	movl	%cr0, %eax
	orl	$0x80000001, %eax	/* PG | PE */
	movl	%eax, %cr0
	lgdt	gdt_desc
	ljmp	$0x08, $start64

	.code64
start64:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movq	$stack_top, %rsp
	movl	%esi, %edi		/* zero-extends: first C argument */
	call	kmain
2:	cli
	hlt
	jmp	2b

	.section .rodata
	.p2align 3
gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt

	.section .bss
	.p2align 12
pml4:	.space	4096
pdpt:	.space	4096
pd:	.space	4096
	.globl	hypercall_page
hypercall_page:
	.space	4096
	.p2align 4
	.space	16384
stack_top:

	.section .note.GNU-stack, "", @progbits
