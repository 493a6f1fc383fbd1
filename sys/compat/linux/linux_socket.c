/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linux socket calls for AF_UNIX stream sockets (the only family there is
 * yet): socket, socketpair, bind, listen, connect, accept, accept4,
 * shutdown, getsockname, getpeername, sendto, recvfrom, sendmsg, recvmsg
 * (data only: control messages are refused), setsockopt and getsockopt
 * (the few options programs set or read).  Other families are
 * EAFNOSUPPORT, other types EPROTONOSUPPORT.
 *
 * The address-family and socket-type numbers, struct sockaddr_un's use
 * and struct msghdr's layout are not in the uapi headers (glibc's
 * <bits/socket.h> has them); they are Linux's x86-64 ABI, written here.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/unpcb.h>
#include <sys/vnode.h>

#include <asm/signal.h>
#include <asm/unistd_64.h>
#include <linux/un.h>

#include <compat/linux/linux_file.h>
#include <compat/linux/linux_scm.h>
#include <compat/linux/linux_syscall.h>

MALLOC_DECLARE(M_LFILE);

#define LINUX_AF_UNIX		1
#define LINUX_SOCK_STREAM	1
#define LINUX_SOCK_TYPE_MASK	0xf
#define LINUX_SOL_SOCKET	1
#define LINUX_SO_TYPE		3
#define LINUX_SO_ERROR		4
#define LINUX_SO_SNDBUF		7
#define LINUX_SO_RCVBUF		8
#define LINUX_SO_DOMAIN		39
#define LINUX_MSG_NOSIGNAL	0x4000
#define LINUX_MSG_DONTWAIT	0x40

/* User struct msghdr (x86-64). */
struct linux_msghdr {
	uint64_t	msg_name;
	uint32_t	msg_namelen;
	uint32_t	msg_pad;
	uint64_t	msg_iov;
	uint64_t	msg_iovlen;
	uint64_t	msg_control;
	uint64_t	msg_controllen;
	int32_t		msg_flags;
};

/* SOCK_CLOEXEC and SOCK_NONBLOCK are O_CLOEXEC and O_NONBLOCK. */
static int
linux_sock_flags(uint64_t type, int *oflags)
{
	if ((type & ~(uint64_t)(LINUX_SOCK_TYPE_MASK | O_CLOEXEC |
	    O_NONBLOCK)) != 0)
		return (EINVAL);
	*oflags = (int)(type & (O_CLOEXEC | O_NONBLOCK));
	return (0);
}

/* A sockaddr_un from user space: its path, NUL-terminated. */
static int
linux_sun_path(uint64_t uaddr, uint64_t len, char path[UNP_PATH_MAX])
{
	struct sockaddr_un sun;
	size_t plen;
	int error;

	if (len < sizeof(sun.sun_family) + 1 || len > sizeof(sun))
		return (EINVAL);
	memset(&sun, 0, sizeof(sun));
	if ((error = copyin((void *)(uintptr_t)uaddr, &sun, len)) != 0)
		return (error);
	if (sun.sun_family != LINUX_AF_UNIX)
		return (EAFNOSUPPORT);
	plen = len - sizeof(sun.sun_family);
	if (sun.sun_path[0] == '\0')
		return (EINVAL);	/* abstract names: not yet */
	/* sun_path need not be NUL-terminated within len. */
	memcpy(path, sun.sun_path, plen);
	path[plen < UNP_PATH_MAX ? plen : UNP_PATH_MAX - 1] = '\0';
	return (0);
}

/* Writes a sockaddr_un for path to (uaddr, *ulen), as Linux truncates. */
static int
linux_sun_out(uint64_t uaddr, uint64_t ulen, const char *path)
{
	struct sockaddr_un sun;
	uint32_t len, have;
	int error;

	if (uaddr == 0)
		return (0);
	if ((error = copyin((void *)(uintptr_t)ulen, &have, sizeof(have))) != 0)
		return (error);
	if ((int32_t)have < 0)
		return (EINVAL);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = LINUX_AF_UNIX;
	strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	len = (uint32_t)(sizeof(sun.sun_family) +
	    (path[0] != '\0' ? strlen(path) + 1 : 0));
	if ((error = copyout(&sun, (void *)(uintptr_t)uaddr,
	    have < len ? have : len)) != 0)
		return (error);
	return (copyout(&len, (void *)(uintptr_t)ulen, sizeof(len)));
}

LINUX_SYSCALL(__NR_socket, socket);
int
linux_sys_socket(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	int oflags, fd, error;

	if (fdp == NULL)
		return (EMFILE);
	if (args[0] != LINUX_AF_UNIX)
		return (EAFNOSUPPORT);
	if ((args[1] & LINUX_SOCK_TYPE_MASK) != LINUX_SOCK_STREAM ||
	    args[2] != 0)
		return (EPROTONOSUPPORT);
	if ((error = linux_sock_flags(args[1], &oflags)) != 0)
		return (error);
	error = kern_unix_socket(fdp, oflags, &fd);
	if (error == 0)
		*rv = fd;
	return (error);
}

LINUX_SYSCALL(__NR_socketpair, socketpair);
int
linux_sys_socketpair(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	int oflags, fds[2], error;

	if (fdp == NULL)
		return (EMFILE);
	if (args[0] != LINUX_AF_UNIX)
		return (EAFNOSUPPORT);
	if ((args[1] & LINUX_SOCK_TYPE_MASK) != LINUX_SOCK_STREAM ||
	    args[2] != 0)
		return (EPROTONOSUPPORT);
	if ((error = linux_sock_flags(args[1], &oflags)) != 0)
		return (error);
	if ((error = kern_unix_socketpair(fdp, oflags, fds)) != 0)
		return (error);
	error = copyout(fds, (void *)(uintptr_t)args[3], sizeof(fds));
	if (error != 0) {
		(void)kern_close(fdp, fds[0]);
		(void)kern_close(fdp, fds[1]);
	}
	return (error);
}

LINUX_SYSCALL(__NR_bind, bind);
int
linux_sys_bind(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	char path[UNP_PATH_MAX];
	int error;

	if (fdp == NULL)
		return (EBADF);
	if ((error = linux_sun_path(args[1], args[2], path)) != 0)
		return (error);
	return (kern_unix_bind(fdp, (int)args[0], path));
}

LINUX_SYSCALL(__NR_listen, listen);
int
linux_sys_listen(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? EBADF : kern_unix_listen(fdp, (int)args[0],
	    (int)args[1]));
}

LINUX_SYSCALL(__NR_connect, connect);
int
linux_sys_connect(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	char path[UNP_PATH_MAX];
	int error;

	if (fdp == NULL)
		return (EBADF);
	if ((error = linux_sun_path(args[1], args[2], path)) != 0)
		return (error);
	return (kern_unix_connect(fdp, (int)args[0], path));
}

static int
linux_accept_common(struct thread *td, const uint64_t args[6], uint64_t flags,
    int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	char path[UNP_PATH_MAX];
	int fd, error;

	if (fdp == NULL)
		return (EBADF);
	if ((flags & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK)) != 0)
		return (EINVAL);
	error = kern_unix_accept(fdp, (int)args[0], (int)flags, &fd);
	if (error != 0)
		return (error);
	/* The peer (a connecting socket) is unnamed. */
	path[0] = '\0';
	error = linux_sun_out(args[1], args[2], path);
	if (error != 0) {
		(void)kern_close(fdp, fd);
		return (error);
	}
	*rv = fd;
	return (0);
}

LINUX_SYSCALL(__NR_accept, accept);
int
linux_sys_accept(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_accept_common(td, args, 0, rv));
}

LINUX_SYSCALL(__NR_accept4, accept4);
int
linux_sys_accept4(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_accept_common(td, args, args[3], rv));
}

LINUX_SYSCALL(__NR_shutdown, shutdown);
int
linux_sys_shutdown(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? EBADF : kern_unix_shutdown(fdp, (int)args[0],
	    (int)args[1]));
}

static int
linux_getname(struct thread *td, const uint64_t args[6], bool peer)
{
	struct filedesc *fdp = linux_fdp(td);
	char path[UNP_PATH_MAX];
	int error;

	if (fdp == NULL)
		return (EBADF);
	if ((error = kern_unix_getname(fdp, (int)args[0], peer, path,
	    sizeof(path))) != 0)
		return (error);
	if (args[1] == 0)
		return (EFAULT);
	return (linux_sun_out(args[1], args[2], path));
}

LINUX_SYSCALL(__NR_getsockname, getsockname);
int
linux_sys_getsockname(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_getname(td, args, false));
}

LINUX_SYSCALL(__NR_getpeername, getpeername);
int
linux_sys_getpeername(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_getname(td, args, true));
}

/*
 * Data through a connected socket: the vectors, then read or write of the
 * file with MSG_DONTWAIT as a one-off non-blocking transfer and SIGPIPE
 * unless MSG_NOSIGNAL.
 */
static int
linux_sock_io(struct thread *td, int fd, struct iovec *iov, int iovcnt,
    uint64_t flags, enum uio_rw rw, struct unp_rights **rp, int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	struct file *fp;
	struct uio uio;
	int error;

	if (fdp == NULL)
		return (EBADF);
	if ((error = fget(fdp, fd, &fp)) != 0)
		return (error);
	if (fp->f_type != DTYPE_SOCKET) {
		fdrop(fp);
		return (ENOTSOCK);
	}
	error = uio_setup(&uio, iov, iovcnt, 0, UIO_USERSPACE, rw, td);
	if (error == 0) {
		ssize_t start = uio.uio_resid;

		/* MSG_DONTWAIT: this call only does not block. */
		int ioflag = (flags & LINUX_MSG_DONTWAIT) != 0 ? IO_NDELAY : 0;

		/* With control data (recvmsg, sendmsg): the files carried. */
		if (rp != NULL)
			error = rw == UIO_READ ? unp_recv(fp, &uio, ioflag, rp) :
			    unp_send(fp, &uio, ioflag, rp);
		else
			error = rw == UIO_READ ? fp->f_ops->fo_read(fp, &uio,
			    ioflag) : fp->f_ops->fo_write(fp, &uio, ioflag);
		*rv = start - uio.uio_resid;
	}
	fdrop(fp);
	if (error == EPIPE && rw == UIO_WRITE &&
	    (flags & LINUX_MSG_NOSIGNAL) == 0 && td->td_proc != NULL)
		(void)kern_psignal(td->td_proc, SIGPIPE);
	return (error);
}

LINUX_SYSCALL(__NR_sendto, sendto);
int
linux_sys_sendto(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct iovec iov = { (void *)(uintptr_t)args[1],
	    args[2] > LINUX_MAX_RW ? LINUX_MAX_RW : args[2] };

	/* A destination on a connected stream socket is ignored (Linux). */
	return (linux_sock_io(td, (int)args[0], &iov, 1, args[3], UIO_WRITE,
	    NULL, rv));
}

LINUX_SYSCALL(__NR_recvfrom, recvfrom);
int
linux_sys_recvfrom(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct iovec iov = { (void *)(uintptr_t)args[1],
	    args[2] > LINUX_MAX_RW ? LINUX_MAX_RW : args[2] };
	int error;

	error = linux_sock_io(td, (int)args[0], &iov, 1, args[3], UIO_READ,
	    NULL, rv);
	/* The sender of stream data is the peer, which is unnamed here. */
	if (error == 0 && args[4] != 0) {
		uint32_t zero = 0;

		error = copyout(&zero, (void *)(uintptr_t)args[5], sizeof(zero));
	}
	return (error);
}

static int
linux_msg_common(struct thread *td, const uint64_t args[6], enum uio_rw rw,
    int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	struct linux_msghdr mh;
	struct unp_rights *r = NULL;
	struct iovec *iov;
	int error;

	if (fdp == NULL)
		return (EBADF);
	if ((error = copyin((void *)(uintptr_t)args[1], &mh, sizeof(mh))) != 0)
		return (error);
	if (mh.msg_iovlen > UIO_MAXIOV)
		return (EMSGSIZE);
	/* The files to send, checked and taken before any byte goes. */
	if (rw == UIO_WRITE && (error = linux_scm_in(fdp, mh.msg_control,
	    mh.msg_controllen, &r)) != 0)
		return (error);
	iov = mallocarray(mh.msg_iovlen > 0 ? mh.msg_iovlen : 1, sizeof(*iov),
	    M_LFILE, M_WAITOK);
	error = copyin((void *)(uintptr_t)mh.msg_iov, iov,
	    mh.msg_iovlen * sizeof(*iov));
	if (error == 0)
		error = linux_sock_io(td, (int)args[0], iov, (int)mh.msg_iovlen,
		    args[2], rw, &r, rv);
	free(iov, M_LFILE);
	if (rw == UIO_WRITE) {
		/* Not sent (no byte went, or an error): still ours. */
		if (r != NULL)
			unp_rights_free(r);
		return (error);
	}
	/* No name to report; the files that came, as far as they fit. */
	mh.msg_namelen = 0;
	mh.msg_flags = 0;
	if (r != NULL) {
		int e = linux_scm_out(fdp, r, mh.msg_control,
		    &mh.msg_controllen, &mh.msg_flags,
		    (args[2] & LINUX_MSG_CMSG_CLOEXEC) != 0);

		if (error == 0)
			error = e;
	} else
		mh.msg_controllen = 0;
	if (error == 0)
		error = copyout(&mh, (void *)(uintptr_t)args[1], sizeof(mh));
	return (error);
}

LINUX_SYSCALL(__NR_sendmsg, sendmsg);
int
linux_sys_sendmsg(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_msg_common(td, args, UIO_WRITE, rv));
}

LINUX_SYSCALL(__NR_recvmsg, recvmsg);
int
linux_sys_recvmsg(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_msg_common(td, args, UIO_READ, rv));
}

static int
linux_is_socket(struct thread *td, int fd)
{
	struct filedesc *fdp = linux_fdp(td);
	struct file *fp;
	int error;

	if (fdp == NULL)
		return (EBADF);
	if ((error = fget(fdp, fd, &fp)) != 0)
		return (error);
	error = fp->f_type == DTYPE_SOCKET ? 0 : ENOTSOCK;
	fdrop(fp);
	return (error);
}

/* Options are accepted and have no effect: buffers are fixed. */
LINUX_SYSCALL(__NR_setsockopt, setsockopt);
int
linux_sys_setsockopt(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_is_socket(td, (int)args[0]));
}

LINUX_SYSCALL(__NR_getsockopt, getsockopt);
int
linux_sys_getsockopt(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	uint32_t len;
	int val, error;

	if ((error = linux_is_socket(td, (int)args[0])) != 0)
		return (error);
	if (args[1] != LINUX_SOL_SOCKET)
		return (ENOPROTOOPT);
	switch (args[2]) {
	case LINUX_SO_TYPE:
		val = LINUX_SOCK_STREAM;
		break;
	case LINUX_SO_DOMAIN:
		val = LINUX_AF_UNIX;
		break;
	case LINUX_SO_ERROR:
		val = 0;
		break;
	case LINUX_SO_SNDBUF:
	case LINUX_SO_RCVBUF:
		val = UNP_BUFSIZE;
		break;
	default:
		return (ENOPROTOOPT);
	}
	if ((error = copyin((void *)(uintptr_t)args[4], &len, sizeof(len))) != 0)
		return (error);
	if (len > sizeof(val))
		len = sizeof(val);
	if ((error = copyout(&val, (void *)(uintptr_t)args[3], len)) != 0)
		return (error);
	return (copyout(&len, (void *)(uintptr_t)args[4], sizeof(len)));
}
