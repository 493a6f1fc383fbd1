/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linux ioctl: the terminal requests (whose numbers do not encode their
 * argument's size) are listed here with how their argument moves; the
 * descriptor requests (FIONBIO, FIOCLEX, FIONCLEX) are handled here.  A
 * request not listed is ENOTTY, which is what isatty() on a file expects.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <asm/ioctls.h>
#include <asm/termbits.h>
#include <asm/unistd_64.h>
#include <asm-generic/termios.h>

#include <compat/linux/linux_file.h>
#include <compat/linux/linux_syscall.h>

enum ioarg { IOA_NONE, IOA_IN, IOA_OUT, IOA_VAL };

static const struct linux_ioctl {
	u_long		cmd;
	enum ioarg	how;
	size_t		size;
} linux_ioctls[] = {
	{ TCGETS, IOA_OUT, sizeof(struct termios) },
	{ TCSETS, IOA_IN, sizeof(struct termios) },
	{ TCSETSW, IOA_IN, sizeof(struct termios) },
	{ TCSETSF, IOA_IN, sizeof(struct termios) },
	{ TIOCGWINSZ, IOA_OUT, sizeof(struct winsize) },
	{ TIOCSWINSZ, IOA_IN, sizeof(struct winsize) },
	{ TIOCGPGRP, IOA_OUT, sizeof(int) },
	{ TIOCSPGRP, IOA_IN, sizeof(int) },
	{ TIOCGSID, IOA_OUT, sizeof(int) },
	{ FIONREAD, IOA_OUT, sizeof(int) },
	/* These take their argument by value. */
	{ TCFLSH, IOA_VAL, sizeof(int) },
	{ TCXONC, IOA_VAL, sizeof(int) },
	{ TCSBRK, IOA_VAL, sizeof(int) },
	{ TIOCSCTTY, IOA_VAL, sizeof(int) },
	{ TIOCNOTTY, IOA_NONE, 0 },
	{ TIOCSTI, IOA_IN, sizeof(char) },
};

#define LINUX_IOCTL_MAX	64	/* the largest argument listed above */

LINUX_SYSCALL(__NR_ioctl, ioctl);
int
linux_sys_ioctl(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	const struct linux_ioctl *li = NULL;
	int fd = (int)args[0], val, error;
	u_long cmd = (uint32_t)args[1];
	uint64_t uarg = args[2];
	char data[LINUX_IOCTL_MAX];
	long ret;

	CTASSERT(sizeof(struct termios) <= LINUX_IOCTL_MAX);
	if (fdp == NULL)
		return (EBADF);
	switch (cmd) {
	case FIONBIO:
		if ((error = copyin((void *)(uintptr_t)uarg, &val,
		    sizeof(val))) != 0)
			return (error);
		if ((error = kern_fcntl(fdp, fd, F_GETFL, 0, &ret)) != 0)
			return (error);
		return (kern_fcntl(fdp, fd, F_SETFL,
		    val != 0 ? ret | O_NONBLOCK : ret & ~(long)O_NONBLOCK, &ret));
	case FIOCLEX:
	case FIONCLEX:
		return (kern_fcntl(fdp, fd, F_SETFD,
		    cmd == FIOCLEX ? FD_CLOEXEC : 0, &ret));
	}
	for (size_t i = 0; i < nitems(linux_ioctls); i++) {
		if (linux_ioctls[i].cmd == cmd) {
			li = &linux_ioctls[i];
			break;
		}
	}
	if (li == NULL) {
		/* Not a request we know; still EBADF for a bad descriptor. */
		struct file *fp;

		if ((error = fget(fdp, fd, &fp)) != 0)
			return (error);
		fdrop(fp);
		return (ENOTTY);
	}
	memset(data, 0, sizeof(data));
	if (li->how == IOA_IN &&
	    (error = copyin((void *)(uintptr_t)uarg, data, li->size)) != 0)
		return (error);
	if (li->how == IOA_VAL) {
		val = (int)uarg;
		memcpy(data, &val, sizeof(val));
	}
	error = kern_ioctl(fdp, fd, cmd, data, td);
	if (error == 0 && li->how == IOA_OUT)
		error = copyout(data, (void *)(uintptr_t)uarg, li->size);
	return (error);
}
