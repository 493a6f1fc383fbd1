/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * write(2) and writev(2) on standard output and error straight to the
 * console: a stand-in (LINUX_SYSCALL_FALLBACK) used only while no file
 * layer registers those calls, so the first programs can print.
 */
#include <sys/param.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <asm/unistd_64.h>
#include <linux/uio.h>

#include <compat/linux/linux_syscall.h>

#define CONS_CHUNK	1024	/* one console lock hold: whole lines */
#define CONS_WRITE_MAX	(1L << 20)
#define CONS_IOV_MAX	1024

static int
cons_write_user(uint64_t ubuf, uint64_t len, int64_t *done)
{
	char buf[CONS_CHUNK];
	uint64_t off = 0;
	int error;

	len = MIN(len, (uint64_t)CONS_WRITE_MAX);
	if (!linux_range_ok(ubuf, len))
		return (EFAULT);
	while (off < len) {
		/* Chunks end at page ends: the bytes before a bad page count. */
		size_t n = MIN(MIN(len - off, sizeof(buf)),
		    PAGE_SIZE - (ubuf + off) % PAGE_SIZE);

		if ((error = copyin((void *)(ubuf + off), buf, n)) != 0)
			return (off == 0 ? error : 0);
		cons_lock();
		for (size_t i = 0; i < n; i++)
			cons_putc(buf[i]);
		cons_unlock();
		off += n;
		*done = (int64_t)off;
	}
	return (0);
}

LINUX_SYSCALL_FALLBACK(__NR_write, cons_write);
int
linux_sys_cons_write(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	if (args[0] != 1 && args[0] != 2)
		return (EBADF);
	*rv = 0;
	return (cons_write_user(args[1], args[2], rv));
}

LINUX_SYSCALL_FALLBACK(__NR_writev, cons_writev);
int
linux_sys_cons_writev(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct iovec iov;
	int64_t total = 0, n;
	int error;

	if (args[0] != 1 && args[0] != 2)
		return (EBADF);
	if (args[2] > CONS_IOV_MAX)
		return (EINVAL);
	for (uint64_t i = 0; i < args[2]; i++) {
		if ((error = copyin((void *)(args[1] + i * sizeof(iov)), &iov,
		    sizeof(iov))) != 0)
			return (total == 0 ? error : 0);
		n = 0;
		error = cons_write_user((uint64_t)iov.iov_base, iov.iov_len, &n);
		total += n;
		*rv = total;
		if (error != 0)
			return (total == 0 ? error : 0);
	}
	*rv = total;
	return (0);
}
