/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ELF notes of the PVH boot ABI: the 32-bit physical entry point used by
 * Xen's PVH loader and by QEMU's -kernel for direct boots.
 */
#define __ASSEMBLER__ 1
#include <xen/elfnote.h>
#include <machine/vmparam.h>

.macro	NOTE_BEGIN type
	.pushsection .note.Xen, "a"
	.balign	4
	.long	2f - 1f			/* name size */
	.long	4f - 3f			/* desc size */
	.long	\type
1:	.asciz	"Xen"
2:	.balign	4
3:
.endm

.macro	NOTE_END
4:	.balign	4
	.popsection
.endm

	NOTE_BEGIN XEN_ELFNOTE_PHYS32_ENTRY
	.long	start32 - KERNBASE
	NOTE_END
	NOTE_BEGIN XEN_ELFNOTE_GUEST_OS
	.asciz	"XenBSD-ref"
	NOTE_END
	NOTE_BEGIN XEN_ELFNOTE_XEN_VERSION
	.asciz	"xen-3.0"
	NOTE_END
	NOTE_BEGIN XEN_ELFNOTE_LOADER
	.asciz	"generic"
	NOTE_END
