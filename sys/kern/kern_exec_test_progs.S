/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The user test programs (tests/user, built static on the build host) in
 * the image, for the process ktests: they run natively and in every lab
 * scenario without a file system.  mk/proc.mk puts build/user on the
 * assembler's include path.
 */
.macro	USERPROG name
	.section .rodata
	.balign	16
	.globl	user_prog_\name, user_prog_\name\()_end
user_prog_\name:
	.incbin	"\name"
user_prog_\name\()_end:
.endm

/* A conformance program and the output it gave on the build host. */
.macro	USERCONF name
	USERPROG \name
	.section .rodata
	.globl	user_exp_\name, user_exp_\name\()_end
user_exp_\name:
	.incbin	"\name\().expected"
user_exp_\name\()_end:
.endm

	USERPROG hello
	USERPROG uspin
	USERPROG ufault
	USERPROG uefault
	USERPROG ghello
	USERCONF gfork
	USERCONF gsignal
	USERCONF gthread
	USERCONF gmem
	USERCONF gstop
	USERCONF gsigregs
	USERCONF gcancel
	USERCONF gclock
	USERCONF gefault
	USERCONF grobust
	USERCONF galarm
	USERCONF gsys
	.section .note.GNU-stack, "", @progbits
