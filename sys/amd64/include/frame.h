/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Registers saved on entry to the kernel from a trap or an interrupt.  The
 * layout matches the pushes in exception.S.
 */
#ifndef _MACHINE_FRAME_H_
#define _MACHINE_FRAME_H_

#include <sys/types.h>

struct trapframe {
	uint64_t	tf_rax, tf_rbx, tf_rcx, tf_rdx, tf_rsi, tf_rdi, tf_rbp;
	uint64_t	tf_r8, tf_r9, tf_r10, tf_r11, tf_r12, tf_r13, tf_r14, tf_r15;
	uint64_t	tf_trapno;
	uint64_t	tf_err;
	/* Pushed by the CPU. */
	uint64_t	tf_rip, tf_cs, tf_rflags, tf_rsp, tf_ss;
};

#endif /* !_MACHINE_FRAME_H_ */
