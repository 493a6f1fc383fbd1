/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Pipes and poll from kernel space: end of file, EPIPE, non-blocking
 * EAGAIN and partial writes, a writer thread filling the pipe past its
 * capacity while the reader checks every byte, poll timeouts and wakeups.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/selinfo.h>
#include <sys/pcpu.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/uio.h>

static int
pread1(struct filedesc *fdp, int fd, void *buf, size_t len, ssize_t *n)
{
	struct iovec iov;
	struct uio uio;
	int error;

	uio_init_sys(&uio, &iov, buf, len, 0, UIO_READ);
	error = kern_read(fdp, fd, &uio);
	*n = (ssize_t)len - uio.uio_resid;
	return (error);
}

static int
pwrite1(struct filedesc *fdp, int fd, const void *buf, size_t len, ssize_t *n)
{
	struct iovec iov;
	struct uio uio;
	int error;

	uio_init_sys(&uio, &iov, (void *)(uintptr_t)buf, len, 0, UIO_WRITE);
	error = kern_write(fdp, fd, &uio);
	*n = (ssize_t)len - uio.uio_resid;
	return (error);
}

KTEST(vfs_pipe_eof_epipe)
{
	struct filedesc *fdp = fdinit();
	struct vattr va;
	char buf[8];
	ssize_t n;
	int p[2], q[2], e;

	KT_ASSERT(kern_pipe(fdp, p, 0) == 0 && p[0] == 0 && p[1] == 1,
	    "pipe: %d %d", p[0], p[1]);
	KT_CHECK(pwrite1(fdp, p[1], "abc", 3, &n) == 0 && n == 3, "write");
	KT_CHECK(kern_fstat(fdp, p[0], &va) == 0 && va.va_size == 3 &&
	    va.va_type == VFIFO, "fstat: fifo with 3 bytes");
	KT_CHECK((e = pwrite1(fdp, p[0], "x", 1, &n)) == EBADF,
	    "write on the read end: %d", e);
	KT_CHECK(pread1(fdp, p[0], buf, sizeof(buf), &n) == 0 && n == 3 &&
	    memcmp(buf, "abc", 3) == 0, "read: %zd", n);
	KT_CHECK(kern_close(fdp, p[1]) == 0, "close the write end");
	KT_CHECK(pread1(fdp, p[0], buf, sizeof(buf), &n) == 0 && n == 0,
	    "then end of file: %zd", n);
	KT_CHECK(kern_lseek(fdp, p[0], 0, SEEK_SET, &(off_t){0}) == ESPIPE,
	    "lseek: ESPIPE");
	KT_CHECK(kern_pipe(fdp, q, 0) == 0, "second pipe");
	KT_CHECK(kern_close(fdp, q[0]) == 0, "close its read end");
	KT_CHECK((e = pwrite1(fdp, q[1], "x", 1, &n)) == EPIPE && n == 0,
	    "write without a reader: %d", e);
	KT_CHECK(kern_pipe(fdp, q, O_RDWR) == EINVAL, "bad flags");
	fdfree(fdp);
	KT_NOTE_OK("EOF after the writer's close, EPIPE without a reader");
}

KTEST(vfs_pipe_nonblocking)
{
	struct filedesc *fdp = fdinit();
	char *big = malloc(70000, M_TEMP, M_WAITOK | M_ZERO);
	ssize_t n;
	long fl;
	int p[2], e;

	KT_ASSERT(kern_pipe(fdp, p, O_NONBLOCK | O_CLOEXEC) == 0, "pipe2");
	KT_CHECK(kern_fcntl(fdp, p[0], F_GETFL, 0, &fl) == 0 &&
	    (fl & O_NONBLOCK) != 0, "O_NONBLOCK set");
	KT_CHECK(kern_fcntl(fdp, p[1], F_GETFD, 0, &fl) == 0 && fl == FD_CLOEXEC,
	    "O_CLOEXEC set");
	KT_CHECK((e = pread1(fdp, p[0], big, 10, &n)) == EAGAIN,
	    "empty read: %d", e);
	KT_CHECK(pwrite1(fdp, p[1], big, 70000, &n) == 0 && n == 65536,
	    "partial write into an empty pipe: %zd", n);
	KT_CHECK((e = pwrite1(fdp, p[1], big, 1, &n)) == EAGAIN && n == 0,
	    "full: %d", e);
	KT_CHECK(pread1(fdp, p[0], big, 100, &n) == 0 && n == 100, "drain 100");
	/* 100 bytes free: a 200-byte (atomic) write must not go in part. */
	KT_CHECK((e = pwrite1(fdp, p[1], big, 200, &n)) == EAGAIN && n == 0,
	    "atomic write without room: %d, %zd written", e, n);
	KT_CHECK(pwrite1(fdp, p[1], big, 100, &n) == 0 && n == 100, "exact fit");
	fdfree(fdp);
	free(big, M_TEMP);
	KT_NOTE_OK("EAGAIN, partial big write, atomic small write");
}

struct pipe_writer {
	struct filedesc	*fdp;
	int		fd;
	size_t		total;
	int		error;
	volatile bool	done;
	sbintime_t	delay;		/* before writing (poll test) */
};

static uint8_t
pattern(size_t i)
{
	return ((uint8_t)(i * 31 + (i >> 8)));
}

static void
pipe_writer_thread(void *arg)
{
	struct pipe_writer *w = arg;
	uint8_t chunk[3001];
	size_t off = 0;
	ssize_t n;

	if (w->delay > 0)
		(void)tsleep(w, "pwdelay", w->delay);
	while (off < w->total && w->error == 0) {
		/* Odd sizes, small (atomic) and large, cross the ring's end. */
		size_t len = (off / 7) % 2 == 0 ? 3001 : 17;

		if (len > w->total - off)
			len = w->total - off;
		for (size_t i = 0; i < len; i++)
			chunk[i] = pattern(off + i);
		w->error = pwrite1(w->fdp, w->fd, chunk, len, &n);
		if (w->error == 0 && (size_t)n != len)
			w->error = EIO;
		off += len;
	}
	(void)kern_close(w->fdp, w->fd);
	w->done = true;
	wakeup(w);
	kthread_exit();
}

KTEST(vfs_pipe_writer_thread)
{
	struct filedesc *fdp = fdinit();
	struct pipe_writer w = { .fdp = fdp, .total = 300000 };
	uint8_t buf[4096];
	size_t got = 0, bad = (size_t)-1;
	ssize_t n;
	int p[2];

	KT_ASSERT(kern_pipe(fdp, p, 0) == 0, "pipe");
	w.fd = p[1];
	KT_ASSERT(kthread_add(pipe_writer_thread, &w, NULL,
	    mp_ncpus > 1 ? 1 : -1, "pipewriter") == 0, "writer thread");
	for (;;) {
		if (!KT_CHECK(pread1(fdp, p[0], buf, sizeof(buf), &n) == 0,
		    "read error at %zu", got))
			break;
		if (n == 0)
			break;
		for (ssize_t i = 0; i < n && bad == (size_t)-1; i++)
			if (buf[i] != pattern(got + (size_t)i))
				bad = got + (size_t)i;
		got += (size_t)n;
	}
	while (!w.done)
		(void)tsleep(&w, "pwjoin", SBT_1MS * 10);
	KT_CHECK(w.error == 0, "writer error %d", w.error);
	KT_CHECK(got == w.total, "read %zu of %zu", got, w.total);
	KT_CHECK(bad == (size_t)-1, "wrong byte at %zu", bad);
	fdfree(fdp);
	KT_NOTE_OK("%zu bytes through a 64 KiB pipe, every byte in order", got);
}

KTEST(vfs_poll_pipe)
{
	struct filedesc *fdp = fdinit();
	struct pipe_writer w = { .fdp = fdp, .total = 5, .delay = 30 * SBT_1MS };
	struct pollfd pfd[3];
	sbintime_t t0, dt;
	int p[2], nready;

	KT_ASSERT(kern_pipe(fdp, p, 0) == 0, "pipe");
	pfd[0] = (struct pollfd){ p[0], POLLIN, 0 };
	pfd[1] = (struct pollfd){ p[1], POLLOUT, 0 };
	pfd[2] = (struct pollfd){ 77, POLLIN, 0 };
	KT_CHECK(kern_poll(fdp, pfd, 3, 0, &nready) == 0 && nready == 2 &&
	    pfd[0].revents == 0 && pfd[1].revents == POLLOUT &&
	    pfd[2].revents == POLLNVAL, "look: %d ready, %x %x %x", nready,
	    pfd[0].revents, pfd[1].revents, pfd[2].revents);
	t0 = sbinuptime();
	KT_CHECK(kern_poll(fdp, pfd, 1, 50 * SBT_1MS, &nready) == 0 &&
	    nready == 0, "timeout: %d ready", nready);
	dt = sbinuptime() - t0;
	KT_CHECK(dt >= 50 * SBT_1MS, "returned after %jd ms",
	    (intmax_t)sbttoms(dt));
	/* A writer 30 ms later wakes a poll with no time limit. */
	w.fd = p[1];
	KT_ASSERT(kthread_add(pipe_writer_thread, &w, NULL,
	    mp_ncpus > 1 ? 1 : -1, "pollwriter") == 0, "writer");
	t0 = sbinuptime();
	KT_CHECK(kern_poll(fdp, pfd, 1, -1, &nready) == 0 && nready == 1 &&
	    (pfd[0].revents & POLLIN) != 0, "woken: %d %x", nready,
	    pfd[0].revents);
	dt = sbinuptime() - t0;
	while (!w.done)
		(void)tsleep(&w, "pwjoin", SBT_1MS * 10);
	/* The writer closed its end: the reader sees POLLHUP. */
	{
		char buf[8];
		ssize_t n;

		(void)pread1(fdp, p[0], buf, sizeof(buf), &n);
	}
	KT_CHECK(kern_poll(fdp, pfd, 1, 0, &nready) == 0 && nready == 1 &&
	    pfd[0].revents == POLLHUP, "hang-up: %x", pfd[0].revents);
	fdfree(fdp);
	KT_NOTE_OK("woken %jd ms after the poll began (writer at 30 ms)",
	    (intmax_t)sbttoms(dt));
}
