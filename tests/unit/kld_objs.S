/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The objects kld_link_test links, as the build compiled them
 * (mk/unit.mk puts their directory on the assembler's include path).
 */
	.section .rodata
	.balign	16
	.globl	kldobj_good, kldobj_good_end
kldobj_good:
	.incbin	"kldobj_good.o"
kldobj_good_end:
	.balign	16
	.globl	kldobj_unres, kldobj_unres_end
kldobj_unres:
	.incbin	"kldobj_unres.o"
kldobj_unres_end:
	.balign	16
	.globl	kldobj_pic, kldobj_pic_end
kldobj_pic:
	.incbin	"kldobj_pic.o"
kldobj_pic_end:
	.section .note.GNU-stack, "", @progbits
