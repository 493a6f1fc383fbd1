/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Signal handlers, masks, pending signals, sigaltstack, a SIGSEGV caught
 * and recovered with siglongjmp (si_addr checked).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1, got_usr2;
static sigjmp_buf env;
static void *volatile fault_addr;
static char altstack[65536];
static volatile int on_alt;

static void
on_usr1(int sig)
{
	got_usr1 = sig;
}

static void
on_usr2(int sig, siginfo_t *si, void *uc)
{
	char here;

	got_usr2 = si->si_signo;
	on_alt = &here >= altstack && &here < altstack + sizeof(altstack);
}

static void
on_segv(int sig, siginfo_t *si, void *uc)
{
	fault_addr = si->si_addr;
	siglongjmp(env, 1);
}

int
main(void)
{
	struct sigaction sa;
	sigset_t set, pend;
	stack_t ss;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);
	printf("gsignal: handler saw %d\n", got_usr1);
	/* rt_sigreturn put the mask back: SIGUSR1 is deliverable again. */
	sigprocmask(SIG_BLOCK, NULL, &set);
	printf("gsignal: after the handler, blocked %d\n",
	    sigismember(&set, SIGUSR1));

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	got_usr1 = 0;
	raise(SIGUSR1);
	sigpending(&pend);
	printf("gsignal: blocked: ran %d, pending %d\n", got_usr1,
	    sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("gsignal: unblocked: ran %d\n", got_usr1);

	ss.ss_sp = altstack;
	ss.ss_size = sizeof(altstack);
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr2;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	printf("gsignal: siginfo signo %d, on the alternate stack %d\n",
	    got_usr2, on_alt);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	if (sigsetjmp(env, 1) == 0) {
		*(volatile int *)(uintptr_t)0x1234 = 1;
		printf("gsignal: no fault\n");
	}
	printf("gsignal: SIGSEGV caught at %#lx\n", (unsigned long)fault_addr);

	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	printf("gsignal: ignored signal, still here\n");

	/* A handler at a non-canonical address: the process dies of SIGSEGV. */
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		/* The SIGSEGV handler above would siglongjmp back into main. */
		signal(SIGSEGV, SIG_DFL);
		sa.sa_handler = (void (*)(int))0x8000000000000000UL;
		sigaction(SIGUSR2, &sa, NULL);
		raise(SIGUSR2);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("gsignal: non-canonical handler: signaled %d by %d\n",
	    WIFSIGNALED(st), WTERMSIG(st));
	return (0);
}
