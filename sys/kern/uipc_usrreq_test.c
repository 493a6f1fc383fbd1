/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * AF_UNIX stream sockets from kernel space, in a table rooted at a fresh
 * tmpfs: names, refusals, the backlog, data both ways, shutdown and close
 * as the other end sees them, poll on a listener.  Expected results are
 * Linux's for the same calls.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/ktest.h>
#include <sys/mount.h>
#include <sys/selinfo.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/unpcb.h>
#include <sys/vnode.h>

static struct filedesc *
unp_scratch_fd(void)
{
	struct filedesc *fdp;
	struct mount *mp;

	if (vfs_mount_detached("tmpfs", NULL, &mp) != 0)
		return (NULL);
	fdp = fdinit();
	vrele(fdp->fd_cdir);
	vrele(fdp->fd_rdir);
	fdp->fd_cdir = fdp->fd_rdir = mp->mnt_rootvp;
	vref(fdp->fd_cdir);
	vref(fdp->fd_rdir);
	return (fdp);
}

static int
sio(struct filedesc *fdp, int fd, void *buf, size_t len, enum uio_rw rw,
    ssize_t *n)
{
	struct iovec iov;
	struct uio uio;
	int error;

	uio_init_sys(&uio, &iov, buf, len, 0, rw);
	error = rw == UIO_READ ? kern_read(fdp, fd, &uio) :
	    kern_write(fdp, fd, &uio);
	*n = (ssize_t)len - uio.uio_resid;
	return (error);
}

KTEST(vfs_unix_stream)
{
	struct filedesc *fdp = unp_scratch_fd();
	struct pollfd pf;
	struct vattr va;
	char buf[32], name[UNP_PATH_MAX];
	ssize_t n;
	int ls, c1, c2, c3, s1, e, nready;

	KT_ASSERT(fdp != NULL, "no scratch tmpfs");
	KT_ASSERT(kern_unix_socket(fdp, O_NONBLOCK, &ls) == 0, "socket");
	KT_ASSERT(kern_unix_socket(fdp, 0, &c1) == 0, "client socket");
	KT_CHECK((e = kern_unix_connect(fdp, c1, "/srv")) == ENOENT,
	    "connect to nothing: %d", e);
	KT_CHECK(kern_unix_bind(fdp, ls, "/srv") == 0, "bind");
	KT_CHECK(kern_fstatat(fdp, AT_FDCWD, "/srv", UIO_SYSSPACE, 0, &va) == 0 &&
	    S_ISSOCK(va.va_mode), "a socket node: %o", va.va_mode);
	KT_CHECK((e = kern_unix_connect(fdp, c1, "/srv")) == ECONNREFUSED,
	    "bound, not listening: %d", e);
	KT_CHECK(kern_unix_socket(fdp, 0, &c2) == 0 &&
	    (e = kern_unix_bind(fdp, c2, "/srv")) == EADDRINUSE,
	    "second bind: %d", e);
	KT_CHECK((e = kern_unix_connect(fdp, c1, "/")) == ECONNREFUSED,
	    "a directory: %d", e);
	KT_CHECK(kern_unix_listen(fdp, ls, 1) == 0, "listen, backlog 1");
	KT_CHECK((e = kern_unix_accept(fdp, ls, 0, &s1)) == EAGAIN,
	    "nothing to accept (non-blocking): %d", e);
	pf = (struct pollfd){ ls, POLLIN, 0 };
	KT_CHECK(kern_poll(fdp, &pf, 1, 0, &nready) == 0 && nready == 0,
	    "listener not readable yet");
	KT_CHECK(kern_unix_connect(fdp, c1, "/srv") == 0, "connect");
	KT_CHECK((e = kern_unix_connect(fdp, c2, "/srv")) == EAGAIN,
	    "backlog full: %d", e);
	KT_CHECK(kern_poll(fdp, &pf, 1, 0, &nready) == 0 && nready == 1 &&
	    (pf.revents & POLLIN) != 0, "listener readable: %x", pf.revents);
	KT_CHECK(kern_unix_accept(fdp, ls, O_CLOEXEC, &s1) == 0, "accept");
	KT_CHECK(sio(fdp, c1, "ping", 4, UIO_WRITE, &n) == 0 && n == 4, "write");
	KT_CHECK(sio(fdp, s1, buf, sizeof(buf), UIO_READ, &n) == 0 && n == 4 &&
	    memcmp(buf, "ping", 4) == 0, "read at the server: %zd", n);
	KT_CHECK(sio(fdp, s1, "pong!", 5, UIO_WRITE, &n) == 0, "reply");
	KT_CHECK(sio(fdp, c1, buf, sizeof(buf), UIO_READ, &n) == 0 && n == 5,
	    "reply read: %zd", n);
	KT_CHECK(kern_unix_getname(fdp, c1, true, name, sizeof(name)) == 0 &&
	    strcmp(name, "/srv") == 0, "peer name '%s'", name);
	KT_CHECK(kern_unix_getname(fdp, c1, false, name, sizeof(name)) == 0 &&
	    name[0] == '\0', "client unnamed '%s'", name);
	/* Shut the client's writing: the server reads the rest, then EOF. */
	KT_CHECK(sio(fdp, c1, "last", 4, UIO_WRITE, &n) == 0, "write");
	KT_CHECK(kern_unix_shutdown(fdp, c1, 1) == 0, "shutdown");
	KT_CHECK((e = sio(fdp, c1, "x", 1, UIO_WRITE, &n)) == EPIPE,
	    "write after shutdown: %d", e);
	KT_CHECK(sio(fdp, s1, buf, sizeof(buf), UIO_READ, &n) == 0 && n == 4,
	    "buffered data first: %zd", n);
	KT_CHECK(sio(fdp, s1, buf, sizeof(buf), UIO_READ, &n) == 0 && n == 0,
	    "then end of file: %zd", n);
	/* Closing the server: the client's writes fail. */
	KT_CHECK(kern_close(fdp, s1) == 0, "close the server end");
	KT_CHECK((e = sio(fdp, c1, buf, 1, UIO_READ, &n)) == 0 && n == 0,
	    "client reads EOF: %d", e);
	/* A connection still queued when the listener closes gets EOF. */
	KT_CHECK(kern_unix_socket(fdp, 0, &c3) == 0 &&
	    kern_unix_connect(fdp, c3, "/srv") == 0, "queued connection");
	KT_CHECK(kern_close(fdp, ls) == 0, "close the listener");
	KT_CHECK(sio(fdp, c3, buf, 1, UIO_READ, &n) == 0 && n == 0,
	    "queued client reads EOF");
	KT_CHECK((e = kern_unix_connect(fdp, c2, "/srv")) == ECONNREFUSED,
	    "listener gone: %d", e);
	KT_CHECK((e = kern_unix_listen(fdp, 0, 1)) == EBADF ||
	    e == ENOTSOCK, "listen on a non-socket: %d", e);
	fdfree(fdp);
	KT_NOTE_OK("names, refusals, backlog, shutdown and close as on Linux");
}

KTEST(vfs_unix_socketpair_bulk)
{
	struct filedesc *fdp = fdinit();
	static char out[200000], in[200000];
	size_t sent = 0, got = 0;
	ssize_t n;
	int sv[2], e, rounds = 0;

	KT_ASSERT(kern_unix_socketpair(fdp, O_NONBLOCK, sv) == 0, "socketpair");
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 7 + (i >> 10));
	/* Non-blocking: a write takes what the 64 KiB buffer has room for. */
	KT_CHECK(sio(fdp, sv[0], out, sizeof(out), UIO_WRITE, &n) == 0 &&
	    n == UNP_BUFSIZE, "first write %zd", n);
	sent = (size_t)n;
	KT_CHECK((e = sio(fdp, sv[0], out, 1, UIO_WRITE, &n)) == EAGAIN,
	    "full: %d", e);
	while (got < sizeof(out) && rounds++ < 100) {
		if (!KT_CHECK(sio(fdp, sv[1], in + got, sizeof(in) - got,
		    UIO_READ, &n) == 0 && n > 0, "read at %zu", got))
			break;
		got += (size_t)n;
		if (sent < sizeof(out) && sio(fdp, sv[0], out + sent,
		    sizeof(out) - sent, UIO_WRITE, &n) == 0)
			sent += (size_t)n;
	}
	KT_CHECK(got == sizeof(out) && memcmp(in, out, sizeof(out)) == 0,
	    "%zu of %zu bytes, in order", got, sizeof(out));
	KT_CHECK((e = sio(fdp, sv[1], in, 1, UIO_READ, &n)) == EAGAIN,
	    "drained: %d", e);
	KT_CHECK(kern_close(fdp, sv[0]) == 0 &&
	    sio(fdp, sv[1], in, 1, UIO_READ, &n) == 0 && n == 0,
	    "EOF after the peer's close");
	fdfree(fdp);
	KT_NOTE_OK("%zu bytes in %d rounds through a 64 KiB buffer", got, rounds);
}
