/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * fork, wait4/waitpid, exit status, separate memory, getppid, ECHILD,
 * a child killed by a signal.  Prints only what is the same on any
 * kernel (no pids).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int counter = 1;

int
main(void)
{
	pid_t pid, parent = getpid();
	int st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pid = fork();
	if (pid < 0) {
		printf("gfork: fork failed %d\n", errno);
		return (1);
	}
	if (pid == 0) {
		counter = 99;
		printf("gfork: child sees parent %s, counter %d\n",
		    getppid() == parent ? "right" : "wrong", counter);
		_exit(5);
	}
	if (waitpid(pid, &st, 0) != pid) {
		printf("gfork: waitpid failed %d\n", errno);
		return (1);
	}
	printf("gfork: child exited %d, status %d; parent counter %d\n",
	    WIFEXITED(st), WEXITSTATUS(st), counter);
	printf("gfork: wait with no child: %s\n",
	    wait(&st) == -1 && errno == ECHILD ? "ECHILD" : "wrong");

	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGTERM);
	if (waitpid(pid, &st, 0) != pid)
		return (1);
	printf("gfork: killed child signaled %d, signal %d\n",
	    WIFSIGNALED(st), WTERMSIG(st));

	/* Many children, reaped in any order. */
	for (int i = 0; i < 8; i++) {
		if (fork() == 0)
			_exit(10 + i);
	}
	int sum = 0;
	for (int i = 0; i < 8; i++) {
		if (wait(&st) < 0)
			return (1);
		sum += WEXITSTATUS(st);
	}
	printf("gfork: 8 children, statuses sum %d\n", sum);

	/* Both sides write after the fork; neither sees the other's bytes. */
	volatile int *flag = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *buf = malloc(65536);
	int parent_saw_child = 0;

	memset(buf, 'A', 65536);
	*flag = 0;
	pid = fork();
	if (pid == 0) {
		int bad = 0;

		while (*flag == 0)
			sched_yield();
		for (int i = 0; i < 65536; i++)
			bad |= buf[i] != 'A';
		memset(buf, 'C', 65536);
		*flag = 2;
		_exit(bad);
	}
	memset(buf, 'P', 65536);
	*flag = 1;
	waitpid(pid, &st, 0);
	for (int i = 0; i < 65536; i++)
		parent_saw_child |= buf[i] != 'P';
	printf("gfork: copy-on-write: child saw the parent's write %d, "
	    "parent saw the child's %d, child done %d\n", WEXITSTATUS(st),
	    parent_saw_child, *flag == 2);
	return (0);
}
