/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Kernel setjmp/longjmp (callee-saved registers, stack and return address).
 */
#ifndef _MACHINE_SETJMP_H_
#define _MACHINE_SETJMP_H_

#include <sys/types.h>

struct kjmpbuf {
	uint64_t	rbx, rbp, r12, r13, r14, r15, rsp, rip, rflags;
};

int	ksetjmp(struct kjmpbuf *) __attribute__((__returns_twice__));
void	klongjmp(struct kjmpbuf *, int) __dead2;

#endif /* !_MACHINE_SETJMP_H_ */
