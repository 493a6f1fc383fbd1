/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * execve: a forked child runs this program again (argv[0]) with its own
 * arguments and environment, which the new image sees; the parent gets
 * the new image's exit status.  A missing file is ENOENT, a file that is
 * not a program ENOEXEC, and a failed execve leaves the caller running.
 * The execing child has a second thread, which the execve ends.  As
 * /init of an initramfs it is pid 1.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void *
sleeper(void *arg)
{
	for (;;)
		sleep(100);
	return (NULL);
}

int
main(int argc, char **argv)
{
	char *cargv[] = { argv[0], "child", "two words", NULL };
	char *cenv[] = { "FOO=bar", "EMPTY=", NULL };
	char *nargv[] = { "nothing", NULL };
	pid_t pid;
	int st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		printf("gexec: new image argc %d, argv[2] \"%s\", FOO=%s, "
		    "EMPTY=\"%s\", HOME %s\n", argc, argv[2], getenv("FOO"),
		    getenv("EMPTY"), getenv("HOME") != NULL ? "set" : "unset");
		return (4);
	}
	pid = fork();
	if (pid == 0) {
		pthread_t t;

		pthread_create(&t, NULL, sleeper, NULL);
		execve(argv[0], cargv, cenv);
		printf("gexec: execve failed %d\n", errno);
		_exit(1);
	}
	if (waitpid(pid, &st, 0) != pid)
		return (1);
	printf("gexec: child's new image exited %d\n", WEXITSTATUS(st));
	errno = 0;
	execve("/nonexistent/program", nargv, cenv);
	printf("gexec: missing file: %s\n", errno == ENOENT ? "ENOENT" : "wrong");
	errno = 0;
	execve(argc > 1 ? argv[1] : "/notelf", nargv, cenv);
	printf("gexec: not a program: %s\n", errno == ENOEXEC ? "ENOEXEC" :
	    strerror(errno));
	return (0);
}
