/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Thread-directed signals: tgkill's siginfo (SI_TKILL, the sender's pid),
 * which glibc's pthread_cancel relies on: a thread blocked in pause() is
 * cancelled, runs its cleanup handler and joins as cancelled.  (No file
 * calls: the process ktests run it without a descriptor table.)
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int cleaned;
static volatile sig_atomic_t got_code, got_pid_ok;

static void
cleanup(void *arg)
{
	(void)arg;
	cleaned = 1;
}

static void *
reader(void *arg)
{
	(void)arg;
	pthread_cleanup_push(cleanup, NULL);
	for (;;)
		pause();
	pthread_cleanup_pop(0);
	return (NULL);
}

static void
on_usr1(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	got_code = si->si_code;
	got_pid_ok = si->si_pid == getpid();
}

int
main(void)
{
	struct sigaction sa;
	pthread_t t;
	void *res = NULL;
	int error;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), SIGUSR1);
	printf("gcancel: tgkill: si_code is SI_TKILL %d, si_pid is ours %d\n",
	    got_code == SI_TKILL, (int)got_pid_ok);

	pthread_create(&t, NULL, reader, NULL);
	usleep(100000);
	error = pthread_cancel(t);
	printf("gcancel: pthread_cancel: %d\n", error);
	error = pthread_join(t, &res);
	printf("gcancel: pthread_join: %d, cancelled %d, cleanup ran %d\n", error,
	    res == PTHREAD_CANCELED, cleaned);
	return (0);
}
