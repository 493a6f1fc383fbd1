/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Multiboot (version 1) header of the image built without the hypervisor
 * layer: with no PVH note, QEMU's -kernel and GRUB load it
 * through this header.  The address fields are given (flag 16) because
 * QEMU will not load a 64-bit ELF through its ELF path; the image is one
 * contiguous run in the file from kernel_start to kernel_edata.
 */
#define __ASSEMBLER__ 1
#include <machine/vmparam.h>

#define MB_MAGIC	0x1badb002
#define MB_PAGE_ALIGN	0x00000001	/* modules on page boundaries */
#define MB_MEMINFO	0x00000002	/* a memory map, please */
#define MB_ADDRS	0x00010000	/* the load address fields are valid */
#define MB_FLAGS	(MB_PAGE_ALIGN | MB_MEMINFO | MB_ADDRS)

	.section .multiboot, "a"
	.balign	4
mb_header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)
	.long	mb_header - KERNBASE
	.long	kernel_start - KERNBASE
	.long	kernel_edata - KERNBASE
	.long	kernel_end - KERNBASE
	.long	start32 - KERNBASE
