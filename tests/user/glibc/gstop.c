/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Job control signals: a child stopped by SIGSTOP and SIGTSTP, seen by
 * waitpid(WUNTRACED), continued by SIGCONT (WCONTINUED), killed while
 * stopped; a SIGCHLD handler for the stop; sigsuspend woken by a signal
 * with the old mask back afterwards.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t chld, usr1;

static void
on_chld(int sig)
{
	chld++;
}

static void
on_usr1(int sig)
{
	usr1++;
}

/* waitpid, again when a signal handler interrupted it. */
static pid_t
wpid(pid_t pid, int *st, int flags)
{
	pid_t r;

	while ((r = waitpid(pid, st, flags)) < 0 && errno == EINTR)
		;
	return (r);
}

static pid_t
sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return (pid);
}

int
main(void)
{
	struct sigaction sa;
	sigset_t block, empty, now;
	pid_t pid;
	int st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);

	pid = sleeper();
	kill(pid, SIGSTOP);
	wpid(pid, &st, WUNTRACED);
	printf("gstop: stopped %d by %d, SIGCHLD seen %d\n", WIFSTOPPED(st),
	    WSTOPSIG(st), chld > 0);
	kill(pid, SIGCONT);
	wpid(pid, &st, WCONTINUED);
	printf("gstop: continued %d\n", WIFCONTINUED(st));
	kill(pid, SIGTSTP);
	wpid(pid, &st, WUNTRACED);
	printf("gstop: stopped by %d\n", WSTOPSIG(st));
	kill(pid, SIGKILL);
	wpid(pid, &st, 0);
	printf("gstop: killed while stopped: signaled %d by %d\n",
	    WIFSIGNALED(st), WTERMSIG(st));

	/* SIGTERM waits while stopped, lands after SIGCONT. */
	pid = sleeper();
	kill(pid, SIGSTOP);
	wpid(pid, &st, WUNTRACED);
	kill(pid, SIGTERM);
	printf("gstop: still stopped after SIGTERM: %d\n",
	    wpid(pid, &st, WNOHANG) == 0);
	kill(pid, SIGCONT);
	wpid(pid, &st, 0);
	printf("gstop: after SIGCONT: signaled by %d\n", WTERMSIG(st));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	if (fork() == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	sigemptyset(&empty);
	while (usr1 == 0)
		sigsuspend(&empty);
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("gstop: sigsuspend ran the handler %d, SIGUSR1 blocked again %d\n",
	    usr1, sigismember(&now, SIGUSR1));
	wait(&st);
	return (0);
}
