/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The little the libc-free test programs need: Linux system calls by
 * number (<asm/unistd.h>) and an entry point.  Each program defines
 * int main(void); _start calls it and exits with its value.
 */
#ifndef NOLIBC_H
#define NOLIBC_H

#include <asm/unistd.h>
#include <stddef.h>

static inline long
sys3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ __volatile__("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b),
	    "d"(c) : "rcx", "r11", "memory");
	return (ret);
}

static inline long
sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ __volatile__("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b),
	    "d"(c), "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
	return (ret);
}

static inline size_t
slen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return (n);
}

static inline long
say(const char *s)
{
	return (sys3(__NR_write, 1, (long)s, (long)slen(s)));
}

#ifndef NOLIBC_NO_START
int	main(void);

__attribute__((used, noreturn)) static void
start_c(void)
{
	sys3(__NR_exit_group, main(), 0, 0);
	for (;;)
		;
}

__asm__(".globl _start\n_start:\n\txorl %ebp, %ebp\n\tandq $-16, %rsp\n"
    "\tcall start_c\n\thlt\n");
#endif

#endif
