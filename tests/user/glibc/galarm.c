/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The real-time interval timer: alarm's old remainder, setitimer and
 * getitimer for ITIMER_REAL (a periodic timer's SIGALRMs counted, a
 * one-shot one ending pause and nanosleep with EINTR, the timer disarmed
 * after it fired), bad arguments, a fork child without its parent's
 * timer, and SIGALRM's default action.  Prints no times, only what must
 * hold.  (No file calls: the process ktests run it without a descriptor
 * table.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t ticks;

static void
on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

static const char *
ename(int e)
{
	switch (e) {
	case 0: return "ok";
	case EINVAL: return "EINVAL";
	case EINTR: return "EINTR";
	case EFAULT: return "EFAULT";
	default: return "other";
	}
}

static const char *
yesno(int c)
{
	return (c ? "yes" : "no");
}

int
main(void)
{
	struct itimerval it, old;
	struct sigaction sa;
	struct timespec ts = { 2, 0 }, left = { 0, 0 };
	sigset_t none;
	int st, r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sigemptyset(&none);

	printf("galarm: alarm with none set: %u\n", alarm(0));
	unsigned a1 = alarm(3), a2 = alarm(7), a3 = alarm(0);
	printf("galarm: alarm(3) then alarm(7): %u %u, alarm(0): %u\n", a1,
	    a2, a3);

	/* Periodic: 20 ms, five signals, then disarmed. */
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 20000;
	it.it_interval.tv_usec = 20000;
	printf("galarm: setitimer periodic: %s\n",
	    ename(setitimer(ITIMER_REAL, &it, NULL) ? errno : 0));
	getitimer(ITIMER_REAL, &old);
	printf("galarm: getitimer armed: interval %ld us, value in (0, 20 ms]: "
	    "%s\n", (long)old.it_interval.tv_usec, yesno(old.it_value.tv_sec ==
	    0 && old.it_value.tv_usec > 0 && old.it_value.tv_usec <= 20000));
	while (ticks < 5)
		sigsuspend(&none);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, &old);
	printf("galarm: five signals: %d, the old setting's interval %ld us\n",
	    (int)ticks, (long)old.it_interval.tv_usec);
	getitimer(ITIMER_REAL, &old);
	printf("galarm: disarmed: %ld %ld %ld %ld\n", (long)old.it_value.tv_sec,
	    (long)old.it_value.tv_usec, (long)old.it_interval.tv_sec,
	    (long)old.it_interval.tv_usec);

	/* One-shot: it ends a pause, then reads as disarmed. */
	ticks = 0;
	it.it_value.tv_usec = 50000;
	setitimer(ITIMER_REAL, &it, NULL);
	errno = 0;
	r = pause();
	printf("galarm: pause: %d %s, handler ran %d\n", r, ename(errno),
	    (int)ticks);
	getitimer(ITIMER_REAL, &old);
	printf("galarm: after the one-shot: %ld %ld\n",
	    (long)old.it_value.tv_sec, (long)old.it_value.tv_usec);

	/* A sleep cut short by it, with the time left. */
	setitimer(ITIMER_REAL, &it, NULL);
	errno = 0;
	r = nanosleep(&ts, &left);
	printf("galarm: nanosleep: %d %s, time left under 2 s and over 1 s: "
	    "%s\n", r, ename(errno), yesno(left.tv_sec == 1));

	/* Bad arguments. */
	it.it_value.tv_usec = 1000000;
	errno = 0;
	r = setitimer(ITIMER_REAL, &it, NULL);
	printf("galarm: tv_usec 1000000: %d %s\n", r, ename(errno));
	it.it_value.tv_usec = 1000;
	errno = 0;
	r = (int)syscall(SYS_setitimer, 9, &it, NULL);
	printf("galarm: timer 9: %d %s\n", r, ename(errno));
	errno = 0;
	r = (int)syscall(SYS_getitimer, ITIMER_REAL, (void *)8);
	printf("galarm: getitimer bad pointer: %d %s\n", r, ename(errno));

	/* Not inherited; a child's own timer dies with it. */
	it.it_value.tv_sec = 5;
	it.it_value.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		struct itimerval c, arm = { { 0, 1000 }, { 0, 1000 } };

		getitimer(ITIMER_REAL, &c);
		setitimer(ITIMER_REAL, &arm, NULL);
		_exit(c.it_value.tv_sec == 0 && c.it_value.tv_usec == 0 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	printf("galarm: fork child had no timer: %s\n",
	    yesno(WIFEXITED(st) && WEXITSTATUS(st) == 0));
	printf("galarm: alarm(0) in the parent gives its 5 s back: %u\n",
	    alarm(0));

	/* No handler: SIGALRM ends the process. */
	pid = fork();
	if (pid == 0) {
		signal(SIGALRM, SIG_DFL);
		alarm(1);
		for (;;)
			pause();
	}
	waitpid(pid, &st, 0);
	printf("galarm: default action: killed by %s\n",
	    WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM ? "SIGALRM" : "other");
	return (0);
}
