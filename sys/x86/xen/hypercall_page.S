/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The hypercall page.  Until Xen overwrites it, every 32-byte stub returns
 * -ENOSYS, so a call made too early fails cleanly instead of running
 * garbage; the early probe (hypercall_page_written() in xen_early.c) checks
 * that Xen did write it and records the answer in xen_guest.hypercall_page_ok.
 */
	.text
	.balign	4096
	.globl	hypercall_page
hypercall_page:
	.rept	128
	movq	$-38, %rax		/* -ENOSYS in Xen's numbering */
	ret
	.balign	32, 0xcc
	.endr
