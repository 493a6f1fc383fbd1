/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linux descriptor and I/O calls: open, close, read, write and their
 * vector and positioned forms, lseek, dup*, fcntl, pipe*, truncation,
 * getdents64, umask.  Arguments are the raw registers: every pointer goes
 * through copyin/copyout (or namei with UIO_USERSPACE), every count is
 * bounded.  Flags are Linux's, which are the kernel's (sys/fcntl.h).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <asm/signal.h>
#include <asm/unistd_64.h>

#include <compat/linux/linux_file.h>
#include <kern/vfs_flock.h>
#include <compat/linux/linux_syscall.h>

MALLOC_DEFINE(M_LFILE, "linux_file", "Linux file call buffers");

/* proc's console stand-ins: for a process that has no descriptor table. */
#pragma weak linux_sys_cons_write
#pragma weak linux_sys_cons_writev
int	linux_sys_cons_write(struct thread *, const uint64_t[6], int64_t *);
int	linux_sys_cons_writev(struct thread *, const uint64_t[6], int64_t *);

/* proc's (kern_proc.c): the first user process. */
extern struct proc *initproc;

struct filedesc *
linux_fdp(struct thread *td)
{
	struct proc *p = td->td_proc;
	struct filedesc *fdp;
	uint64_t lim;

	if (p == NULL || (fdp = p->p_fd) == NULL)
		return (NULL);
	/*
	 * init starts with /dev/console as 0, 1 and 2, as on Linux: opened
	 * here, before its first file call, since proc makes its table.
	 */
	if (p == initproc && (fdp->fd_flags & FDF_CONSOLE) == 0) {
		fdp->fd_flags |= FDF_CONSOLE;
		if (fdp->fd_lastfile < 0)
			(void)fd_open_console(fdp);
	}
	/*
	 * RLIMIT_NOFILE lives with the process (prlimit64 sets it there);
	 * the table applies it, so it follows here before any new fd.
	 */
	lim = __atomic_load_n(&p->p_limit.pl_cur[PROC_RLIMIT_NOFILE],
	    __ATOMIC_RELAXED);
	if (lim > NOFILE_MAX)
		lim = NOFILE_MAX;
	if (lim > 0 && (int)lim != fdp->fd_nofile)
		(void)fdsetlimit(fdp, (int)lim);
	return (fdp);
}

/* EPIPE from a write raises SIGPIPE, as Linux does. */
static int
linux_epipe(struct thread *td, int error)
{
	if (error == EPIPE && td->td_proc != NULL)
		(void)kern_psignal(td->td_proc, SIGPIPE);
	return (error);
}

static int
linux_rw(struct thread *td, int fd, uint64_t ubuf, uint64_t len, off_t off,
    enum uio_rw rw, bool positioned, int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	struct iovec iov;
	struct uio uio;
	int error;

	if (fdp == NULL)
		return (EBADF);
	if (len > LINUX_MAX_RW)
		len = LINUX_MAX_RW;
	if (!linux_range_ok(ubuf, len))
		return (EFAULT);
	iov.iov_base = (void *)(uintptr_t)ubuf;
	iov.iov_len = len;
	error = uio_setup(&uio, &iov, 1, off, UIO_USERSPACE, rw, td);
	if (error != 0)
		return (error);
	if (positioned)
		error = rw == UIO_READ ? kern_pread(fdp, fd, &uio) :
		    kern_pwrite(fdp, fd, &uio);
	else
		error = rw == UIO_READ ? kern_read(fdp, fd, &uio) :
		    kern_write(fdp, fd, &uio);
	*rv = (int64_t)len - uio.uio_resid;
	return (rw == UIO_WRITE ? linux_epipe(td, error) : error);
}

LINUX_SYSCALL(__NR_read, read);
int
linux_sys_read(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_rw(td, (int)args[0], args[1], args[2], 0, UIO_READ, false,
	    rv));
}

LINUX_SYSCALL(__NR_write, write);
int
linux_sys_write(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	if (linux_fdp(td) == NULL && linux_sys_cons_write != NULL)
		return (linux_sys_cons_write(td, args, rv));
	return (linux_rw(td, (int)args[0], args[1], args[2], 0, UIO_WRITE,
	    false, rv));
}

LINUX_SYSCALL(__NR_pread64, pread64);
int
linux_sys_pread64(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_rw(td, (int)args[0], args[1], args[2], (off_t)args[3],
	    UIO_READ, true, rv));
}

LINUX_SYSCALL(__NR_pwrite64, pwrite64);
int
linux_sys_pwrite64(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_rw(td, (int)args[0], args[1], args[2], (off_t)args[3],
	    UIO_WRITE, true, rv));
}

/* readv/writev: the vectors copied in once, counts bounded and summed. */
static int
linux_rwv(struct thread *td, int fd, uint64_t uiov, uint64_t cnt, off_t off,
    enum uio_rw rw, bool positioned, int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	struct iovec *iov;
	struct uio uio;
	size_t total = 0;
	int error;

	if (fdp == NULL)
		return (EBADF);
	if (cnt > UIO_MAXIOV)
		return (EINVAL);
	if (cnt == 0) {
		*rv = 0;
		return (0);
	}
	iov = mallocarray(cnt, sizeof(*iov), M_LFILE, M_WAITOK);
	error = copyin((void *)(uintptr_t)uiov, iov, cnt * sizeof(*iov));
	if (error != 0)
		goto out;
	/* Linux clips the total at MAX_RW_COUNT rather than failing. */
	for (uint64_t i = 0; i < cnt; i++) {
		if (iov[i].iov_len > (size_t)LINUX_MAX_RW - total)
			iov[i].iov_len = (size_t)LINUX_MAX_RW - total;
		total += iov[i].iov_len;
		if (!linux_range_ok((uint64_t)(uintptr_t)iov[i].iov_base,
		    iov[i].iov_len)) {
			error = EFAULT;
			goto out;
		}
	}
	error = uio_setup(&uio, iov, (int)cnt, off, UIO_USERSPACE, rw, td);
	if (error != 0)
		goto out;
	if (positioned)
		error = rw == UIO_READ ? kern_pread(fdp, fd, &uio) :
		    kern_pwrite(fdp, fd, &uio);
	else
		error = rw == UIO_READ ? kern_read(fdp, fd, &uio) :
		    kern_write(fdp, fd, &uio);
	*rv = (int64_t)total - uio.uio_resid;
out:
	free(iov, M_LFILE);
	return (rw == UIO_WRITE ? linux_epipe(td, error) : error);
}

LINUX_SYSCALL(__NR_readv, readv);
int
linux_sys_readv(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_rwv(td, (int)args[0], args[1], args[2], 0, UIO_READ,
	    false, rv));
}

LINUX_SYSCALL(__NR_writev, writev);
int
linux_sys_writev(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	if (linux_fdp(td) == NULL && linux_sys_cons_writev != NULL)
		return (linux_sys_cons_writev(td, args, rv));
	return (linux_rwv(td, (int)args[0], args[1], args[2], 0, UIO_WRITE,
	    false, rv));
}

LINUX_SYSCALL(__NR_preadv, preadv);
int
linux_sys_preadv(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_rwv(td, (int)args[0], args[1], args[2], (off_t)args[3],
	    UIO_READ, true, rv));
}

LINUX_SYSCALL(__NR_pwritev, pwritev);
int
linux_sys_pwritev(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_rwv(td, (int)args[0], args[1], args[2], (off_t)args[3],
	    UIO_WRITE, true, rv));
}

static int
linux_open_common(struct thread *td, int dirfd, uint64_t upath, uint64_t flags,
    uint64_t mode, int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	int fd, error;

	if (fdp == NULL)
		return (EMFILE);
	/* O_TMPFILE and the like: not here yet. */
	if ((flags & __O_TMPFILE) != 0)
		return (EOPNOTSUPP);
	error = kern_openat(fdp, dirfd, (const char *)(uintptr_t)upath,
	    UIO_USERSPACE, (int)(flags & O_KNOWN), (uint32_t)mode & ALLPERMS,
	    &fd);
	if (error == 0)
		*rv = fd;
	return (error);
}

LINUX_SYSCALL(__NR_open, open);
int
linux_sys_open(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_open_common(td, AT_FDCWD, args[0], args[1], args[2], rv));
}

LINUX_SYSCALL(__NR_openat, openat);
int
linux_sys_openat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_open_common(td, (int)args[0], args[1], args[2], args[3],
	    rv));
}

LINUX_SYSCALL(__NR_creat, creat);
int
linux_sys_creat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_open_common(td, AT_FDCWD, args[0],
	    O_CREAT | O_WRONLY | O_TRUNC, args[1], rv));
}

/*
 * close_range: CLOSE_RANGE_UNSHARE only where there is nothing to
 * unshare (a table shared with another process through CLONE_FILES
 * without CLONE_VM cannot be split yet: EINVAL).
 */
#define LINUX_CLOSE_RANGE_UNSHARE	0x2
#define LINUX_CLOSE_RANGE_CLOEXEC	0x4
LINUX_SYSCALL(__NR_close_range, close_range);
int
linux_sys_close_range(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	uint64_t flags = args[2];

	if (fdp == NULL)
		return (EBADF);
	if ((flags & ~(uint64_t)(LINUX_CLOSE_RANGE_UNSHARE |
	    LINUX_CLOSE_RANGE_CLOEXEC)) != 0 || args[0] > UINT32_MAX ||
	    args[1] > UINT32_MAX)
		return (EINVAL);
	if ((flags & LINUX_CLOSE_RANGE_UNSHARE) &&
	    __atomic_load_n(&fdp->fd_refcnt, __ATOMIC_RELAXED) > 1)
		return (EINVAL);
	return (kern_close_range(fdp, (u_int)args[0], (u_int)args[1],
	    (flags & LINUX_CLOSE_RANGE_CLOEXEC) != 0));
}

LINUX_SYSCALL(__NR_close, close);
int
linux_sys_close(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	int error;

	if (fdp == NULL)
		return (EBADF);
	error = kern_close(fdp, (int)args[0]);
	/* The descriptor is gone even if the last close reported an error. */
	return (error == EBADF ? EBADF : 0);
}

LINUX_SYSCALL(__NR_lseek, lseek);
int
linux_sys_lseek(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	off_t off;
	int error;

	if (fdp == NULL)
		return (EBADF);
	error = kern_lseek(fdp, (int)args[0], (off_t)args[1], (int)args[2],
	    &off);
	if (error == 0)
		*rv = off;
	return (error);
}

LINUX_SYSCALL(__NR_dup, dup);
int
linux_sys_dup(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	int fd, error;

	if (fdp == NULL)
		return (EBADF);
	error = kern_dup(fdp, (int)args[0], &fd);
	if (error == 0)
		*rv = fd;
	return (error);
}

static int
linux_dup23(struct thread *td, uint64_t oldfd, uint64_t newfd, uint64_t flags,
    bool dup3, int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	int fd, error;

	if (fdp == NULL)
		return (EBADF);
	if ((flags & ~(uint64_t)O_CLOEXEC) != 0)
		return (EINVAL);
	if (newfd > INT32_MAX)
		return (EBADF);
	error = kern_dup2(fdp, (int)oldfd, (int)newfd,
	    (flags & O_CLOEXEC) != 0 ? UF_EXCLOSE : 0, dup3, &fd);
	if (error == 0)
		*rv = fd;
	return (error);
}

LINUX_SYSCALL(__NR_dup2, dup2);
int
linux_sys_dup2(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_dup23(td, args[0], args[1], 0, false, rv));
}

LINUX_SYSCALL(__NR_dup3, dup3);
int
linux_sys_dup3(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_dup23(td, args[0], args[1], args[2], true, rv));
}

LINUX_SYSCALL(__NR_fcntl, fcntl);
int
linux_sys_fcntl(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	long ret = 0;
	int error;

	if (fdp == NULL)
		return (EBADF);
	switch (args[1]) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_GETFD:
	case F_SETFD:
	case F_GETFL:
	case F_SETFL:
		error = kern_fcntl(fdp, (int)args[0], (int)args[1],
		    (long)args[2], &ret);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		error = linux_fcntl_lock(td, fdp, (int)args[0], (int)args[1],
		    args[2]);
		break;
	default:
		error = EINVAL;
	}
	if (error == 0)
		*rv = ret;
	return (error);
}

static int
linux_pipe_common(struct thread *td, uint64_t ufds, uint64_t flags)
{
	struct filedesc *fdp = linux_fdp(td);
	int fds[2], error;

	if (fdp == NULL)
		return (EMFILE);
	if ((flags & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK)) != 0)
		return (EINVAL);
	error = kern_pipe(fdp, fds, (int)flags);
	if (error != 0)
		return (error);
	error = copyout(fds, (void *)(uintptr_t)ufds, sizeof(fds));
	if (error != 0) {
		(void)kern_close(fdp, fds[0]);
		(void)kern_close(fdp, fds[1]);
	}
	return (error);
}

LINUX_SYSCALL(__NR_pipe, pipe);
int
linux_sys_pipe(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_pipe_common(td, args[0], 0));
}

LINUX_SYSCALL(__NR_pipe2, pipe2);
int
linux_sys_pipe2(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_pipe_common(td, args[0], args[1]));
}

LINUX_SYSCALL(__NR_ftruncate, ftruncate);
int
linux_sys_ftruncate(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	if (fdp == NULL)
		return (EBADF);
	return (kern_ftruncate(fdp, (int)args[0], (off_t)args[1]));
}

LINUX_SYSCALL(__NR_truncate, truncate);
int
linux_sys_truncate(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	if (fdp == NULL)
		return (ENOENT);
	return (kern_truncate(fdp, (const char *)(uintptr_t)args[0],
	    UIO_USERSPACE, (off_t)args[1]));
}

LINUX_SYSCALL(__NR_umask, umask);
int
linux_sys_umask(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	*rv = fdp != NULL ? kern_umask(fdp, (uint32_t)args[0]) : 022;
	return (0);
}

/* Everything is in memory: there is nothing to write back. */
LINUX_SYSCALL(__NR_fsync, fsync);
int
linux_sys_fsync(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	struct file *fp;
	int error;

	if (fdp == NULL)
		return (EBADF);
	error = fget(fdp, (int)args[0], &fp);
	if (error == 0)
		fdrop(fp);
	return (error);
}

LINUX_SYSCALL(__NR_fdatasync, fdatasync);
int
linux_sys_fdatasync(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_sys_fsync(td, args, rv));
}

LINUX_SYSCALL(__NR_sync, sync);
int
linux_sys_sync(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (0);
}

/*
 * getdents64 records.  Linux's struct linux_dirent64 is not in the uapi
 * headers (include/linux/dirent.h of the kernel source): d_ino (u64),
 * d_off (s64), d_reclen (u16), d_type (u8), the name and its NUL, the
 * record padded to 8 bytes.  d_type is the mode's file type >> 12.
 */
#define LDIRENT_NAMEOFF	19

struct linux_getdents {
	char	*buf;
	size_t	len;
	size_t	used;
	bool	toosmall;	/* the first entry did not fit */
};

static const uint8_t linux_dtype[] = {
	[VREG] = S_IFREG >> 12, [VDIR] = S_IFDIR >> 12, [VLNK] = S_IFLNK >> 12,
	[VCHR] = S_IFCHR >> 12, [VFIFO] = S_IFIFO >> 12,
	[VSOCK] = S_IFSOCK >> 12,
};

static int
linux_getdents_cb(void *arg, const char *name, size_t namelen, uint64_t ino,
    enum vtype type, off_t next)
{
	struct linux_getdents *gd = arg;
	size_t reclen = roundup2(LDIRENT_NAMEOFF + namelen + 1, 8);
	char *r = gd->buf + gd->used;
	uint16_t rl = (uint16_t)reclen;
	int64_t off = next;

	if (reclen > gd->len - gd->used) {
		/* No room: this one is the next call's first. */
		gd->toosmall = gd->used == 0;
		return (1);
	}
	memset(r, 0, reclen);
	memcpy(r, &ino, 8);
	memcpy(r + 8, &off, 8);
	memcpy(r + 16, &rl, 2);
	r[18] = (char)(type < nitems(linux_dtype) ? linux_dtype[type] : 0);
	memcpy(r + LDIRENT_NAMEOFF, name, namelen);
	gd->used += reclen;
	return (0);
}

LINUX_SYSCALL(__NR_getdents64, getdents64);
int
linux_sys_getdents64(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	struct linux_getdents gd;
	int error;

	if (fdp == NULL)
		return (EBADF);
	gd.len = args[2] > 65536 ? 65536 : (size_t)args[2];
	gd.used = 0;
	gd.toosmall = false;
	gd.buf = malloc(gd.len > 0 ? gd.len : 1, M_LFILE, M_WAITOK);
	error = kern_getdirentries(fdp, (int)args[0], linux_getdents_cb, &gd);
	if (error == 0 && gd.toosmall)
		error = EINVAL;
	if (error == 0 && gd.used > 0)
		error = copyout(gd.buf, (void *)(uintptr_t)args[1], gd.used);
	if (error == 0)
		*rv = (int64_t)gd.used;
	free(gd.buf, M_LFILE);
	return (error);
}

/*
 * sendfile: from in_fd (at *offset, which advances, or at its own offset)
 * to out_fd through a kernel buffer.  A short write ends it.
 */
#define SENDFILE_CHUNK	65536

LINUX_SYSCALL(__NR_sendfile, sendfile);
int
linux_sys_sendfile(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	int out = (int)args[0], in = (int)args[1];
	uint64_t uoff = args[2], count = args[3], done = 0;
	struct iovec iov;
	struct uio uio;
	off_t off = 0;
	char *buf;
	int error = 0;

	if (fdp == NULL)
		return (EBADF);
	if (uoff != 0) {
		if ((error = copyin((void *)(uintptr_t)uoff, &off,
		    sizeof(off))) != 0)
			return (error);
		if (off < 0)
			return (EINVAL);
	}
	if (count > LINUX_MAX_RW)
		count = LINUX_MAX_RW;
	buf = malloc(SENDFILE_CHUNK, M_LFILE, M_WAITOK);
	while (done < count) {
		size_t n = count - done > SENDFILE_CHUNK ? SENDFILE_CHUNK :
		    (size_t)(count - done), got, put;

		uio_init_sys(&uio, &iov, buf, n, off, UIO_READ);
		error = uoff != 0 ? kern_pread(fdp, in, &uio) :
		    kern_read(fdp, in, &uio);
		if (error != 0)
			break;
		got = n - (size_t)uio.uio_resid;
		if (got == 0)
			break;
		uio_init_sys(&uio, &iov, buf, got, 0, UIO_WRITE);
		error = kern_write(fdp, out, &uio);
		put = got - (size_t)uio.uio_resid;
		off += (off_t)put;
		done += put;
		if (error != 0 || put < got) {
			/* Unwritten input is read again next time (positioned). */
			if (uoff == 0 && put < got) {
				off_t ignored;

				(void)kern_lseek(fdp, in, -(off_t)(got - put),
				    SEEK_CUR, &ignored);
			}
			break;
		}
	}
	free(buf, M_LFILE);
	if (done > 0)
		error = 0;
	if (error == 0 && uoff != 0)
		error = copyout(&off, (void *)(uintptr_t)uoff, sizeof(off));
	if (error == 0)
		*rv = (int64_t)done;
	return (linux_epipe(td, error));
}

/*
 * flock: real locks on files of the file system (vfs_flock.c).  Pipes,
 * sockets and devices take none and always succeed: an anonymous one has
 * no other opener to exclude.
 */
LINUX_SYSCALL(__NR_flock, flock);
int
linux_sys_flock(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	int op = (int)args[1], kop;
	struct file *fp;
	int error;

	switch (op & ~LOCK_NB) {
	case LOCK_SH:
		kop = VN_FLOCK_SH;
		break;
	case LOCK_EX:
		kop = VN_FLOCK_EX;
		break;
	case LOCK_UN:
		kop = VN_FLOCK_UN;
		break;
	default:
		return (EINVAL);
	}
	if (fdp == NULL)
		return (EBADF);
	if ((error = fget(fdp, (int)args[0], &fp)) != 0)
		return (error);
	if (fp->f_ops == &vnops && (fp->f_flag & FPATH) == 0)
		error = vn_flock(fp, kop, (op & LOCK_NB) != 0);
	else if ((fp->f_flag & FPATH) != 0)
		error = EBADF;
	fdrop(fp);
	return (error);
}
