/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Signals that land while user code runs (another process sends them)
 * must give every register back: a loop keeps values in %rcx and %r11,
 * the two registers a SYSRET return would clobber, while handlers run
 * and return through rt_sigreturn.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WANT_HITS	10

static volatile int hits;

static void
on_usr1(int sig)
{
	hits++;
}

int
main(void)
{
	struct sigaction sa;
	unsigned long bad = 0, spins = 0;
	pid_t pid, parent = getpid();
	int st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 2000 && kill(parent, SIGUSR1) == 0; i++)
			usleep(2000);
		_exit(0);
	}
	while (hits < WANT_HITS && spins < 4000000000UL) {
		unsigned long b;

		/* 2^20 rounds with %rcx and %r11 live, no system call. */
		__asm__ __volatile__(
		    "movq $0x1234567890abcdef, %%rcx\n\t"
		    "movq $0x0fedcba987654321, %%r11\n\t"
		    "movl $0x100000, %%eax\n\t"
		    "xorl %k0, %k0\n"
		    "1:\n\t"
		    "movq $0x1234567890abcdef, %%rdx\n\t"
		    "cmpq %%rdx, %%rcx\n\t"
		    "setne %%dl\n\t"
		    "orb %%dl, %b0\n\t"
		    "movq $0x0fedcba987654321, %%rdx\n\t"
		    "cmpq %%rdx, %%r11\n\t"
		    "setne %%dl\n\t"
		    "orb %%dl, %b0\n\t"
		    "decl %%eax\n\t"
		    "jnz 1b\n"
		    : "=&r"(b) :: "rax", "rcx", "rdx", "r11", "cc");
		bad |= b;
		spins += 0x100000;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	printf("gsigregs: %d handlers ran in the loop: %d, registers intact: %d\n",
	    WANT_HITS, hits >= WANT_HITS, bad == 0);
	return (0);
}
