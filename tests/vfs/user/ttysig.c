/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The console terminal from a process: it becomes a session leader, takes
 * /dev/console as its controlling terminal, pushes characters into its
 * input with TIOCSTI and checks what POSIX says happens: a line read back
 * whole in canonical mode, ^C delivering SIGINT to the foreground group
 * (itself), isatty.  Prints "ttysig: ..." lines compared with
 * tests/vfs/user/ttysig.expected (written from the rules, not a run).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t got_int;

static void
on_int(int sig)
{
	got_int = sig;
}

static void
push(int fd, const char *s)
{
	for (; *s != '\0'; s++)
		ioctl(fd, TIOCSTI, s);
}

int
main(void)
{
	struct termios t;
	char buf[64];
	int fd, n;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A process made by the kernel may lead its session already. */
	printf("ttysig: session leader %d\n",
	    setsid() > 0 || getsid(0) == getpid());
	fd = open("/dev/console", O_RDWR);
	printf("ttysig: open console %d\n", fd >= 0);
	printf("ttysig: isatty %d\n", isatty(fd));
	printf("ttysig: foreground is my group %d\n", tcgetpgrp(fd) == getpgrp());
	printf("ttysig: TIOCSTI on stdout fails %d\n",
	    ioctl(1, TIOCSTI, "x") < 0 && errno == ENOTTY);
	tcgetattr(fd, &t);
	t.c_lflag &= ~ECHO;	/* keep the console quiet */
	tcsetattr(fd, TCSANOW, &t);
	push(fd, "hello\n");
	n = read(fd, buf, sizeof(buf));
	printf("ttysig: read %d '%.*s'\n", n, n > 1 ? n - 1 : 0, buf);
	push(fd, "ab\177c\n");
	n = read(fd, buf, sizeof(buf));
	printf("ttysig: erase %d '%.*s'\n", n, n > 1 ? n - 1 : 0, buf);
	signal(SIGINT, on_int);
	push(fd, "\003");
	printf("ttysig: SIGINT %d\n", got_int == SIGINT);
	got_int = 0;
	signal(SIGINT, SIG_IGN);
	push(fd, "\003");
	printf("ttysig: ignored %d\n", got_int == 0);
	t.c_lflag |= ECHO;
	tcsetattr(fd, TCSANOW, &t);
	printf("ttysig: notty %d\n", ioctl(fd, TIOCNOTTY) == 0);
	printf("ttysig: TIOCSTI without a ctty fails %d\n",
	    ioctl(fd, TIOCSTI, "x") < 0 && errno == EPERM);
	return (0);
}
