/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A stand-in for ld.so (PT_INTERP): a position-independent program the
 * kernel loads beside the real one.  It checks what the kernel told it in
 * the auxiliary vector (AT_BASE is where it was loaded; AT_ENTRY and
 * AT_PHDR are set) and jumps to the program's entry with the initial
 * stack untouched.  Only %rip-relative code: nothing relocates it.
 */
#define NOLIBC_NO_START
#include "nolibc.h"

#include <linux/auxvec.h>

unsigned long	interp_main(unsigned long *sp);

__asm__(".globl _start\n_start:\n"
    "\tmovq %rsp, %rbx\n"
    "\tmovq %rsp, %rdi\n"
    "\tandq $-16, %rsp\n"
    "\tcall interp_main\n"
    "\tmovq %rbx, %rsp\n"
    "\txorl %edx, %edx\n"
    "\tjmp *%rax\n");

unsigned long
interp_main(unsigned long *sp)
{
	long argc = (long)sp[0];
	unsigned long *av = sp + 1 + argc + 1;
	unsigned long base = 0, entry = 0, phdr = 0, self;

	while (*av != 0)
		av++;
	for (av++; av[0] != AT_NULL; av += 2) {
		if (av[0] == AT_BASE)
			base = av[1];
		else if (av[0] == AT_ENTRY)
			entry = av[1];
		else if (av[0] == AT_PHDR)
			phdr = av[1];
	}
	__asm__("leaq _start(%%rip), %0" : "=r"(self));
	say("uinterp: running before the program\n");
	say(base != 0 && self >= base && self - base < 0x100000 ?
	    "uinterp: AT_BASE is where I was loaded\n" :
	    "uinterp: AT_BASE is wrong\n");
	if (entry == 0 || phdr == 0 || entry == self) {
		say("uinterp: no program entry\n");
		sys3(__NR_exit_group, 99, 0, 0);
	}
	say("uinterp: jumping to AT_ENTRY\n");
	return (entry);
}
