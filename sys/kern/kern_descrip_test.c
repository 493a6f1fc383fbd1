/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The descriptor and file calls from kernel space (UIO_SYSSPACE), each in a
 * table whose root is a fresh tmpfs.  Expected results are POSIX's.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

MALLOC_DECLARE(M_FILE);

/* A table rooted (and cwd'd) at a new tmpfs. */
static struct filedesc *
scratch_fd(void)
{
	struct filedesc *fdp;
	struct mount *mp;

	if (vfs_mount_detached("tmpfs", NULL, &mp) != 0)
		return (NULL);
	fdp = fdinit();
	vrele(fdp->fd_cdir);
	vrele(fdp->fd_rdir);
	fdp->fd_cdir = mp->mnt_rootvp;
	vref(fdp->fd_cdir);
	fdp->fd_rdir = mp->mnt_rootvp;
	vref(fdp->fd_rdir);
	return (fdp);
}

static int
op(struct filedesc *fdp, const char *path, int flags, int *fd)
{
	return (kern_openat(fdp, AT_FDCWD, path, UIO_SYSSPACE, flags, 0644, fd));
}

static int
rd(struct filedesc *fdp, int fd, void *buf, size_t len, ssize_t *n)
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
wr(struct filedesc *fdp, int fd, const void *buf, size_t len, ssize_t *n)
{
	struct iovec iov;
	struct uio uio;
	int error;

	uio_init_sys(&uio, &iov, (void *)(uintptr_t)buf, len, 0, UIO_WRITE);
	error = kern_write(fdp, fd, &uio);
	*n = (ssize_t)len - uio.uio_resid;
	return (error);
}

KTEST(vfs_fd_open_errors)
{
	struct filedesc *fdp = scratch_fd();
	int fd, e;

	KT_ASSERT(fdp != NULL, "no scratch tmpfs");
	KT_CHECK((e = op(fdp, "/nope", O_RDONLY, &fd)) == ENOENT, "ENOENT: %d", e);
	KT_CHECK(op(fdp, "/f", O_CREAT | O_WRONLY, &fd) == 0 && fd == 0,
	    "create: fd %d", fd);
	KT_CHECK(kern_close(fdp, fd) == 0, "close");
	KT_CHECK(kern_close(fdp, fd) == EBADF, "close twice: EBADF");
	KT_CHECK((e = op(fdp, "/f/x", O_RDONLY, &fd)) == ENOTDIR, "ENOTDIR: %d", e);
	KT_CHECK((e = op(fdp, "/f", O_CREAT | O_EXCL, &fd)) == EEXIST,
	    "O_EXCL: %d", e);
	KT_CHECK((e = op(fdp, "/f", O_DIRECTORY, &fd)) == ENOTDIR,
	    "O_DIRECTORY on a file: %d", e);
	KT_CHECK((e = op(fdp, "/", O_WRONLY, &fd)) == EISDIR, "write a dir: %d", e);
	KT_CHECK((e = op(fdp, "/new/", O_CREAT, &fd)) == EISDIR,
	    "create with a slash: %d", e);
	KT_CHECK(kern_symlinkat(fdp, "loop", UIO_SYSSPACE, AT_FDCWD, "/loop",
	    UIO_SYSSPACE) == 0, "symlink");
	KT_CHECK((e = op(fdp, "/loop", O_RDONLY, &fd)) == ELOOP, "ELOOP: %d", e);
	KT_CHECK(kern_symlinkat(fdp, "f", UIO_SYSSPACE, AT_FDCWD, "/lf",
	    UIO_SYSSPACE) == 0, "symlink to f");
	KT_CHECK((e = op(fdp, "/lf", O_RDONLY | O_NOFOLLOW, &fd)) == ELOOP,
	    "O_NOFOLLOW on a link: %d", e);
	KT_CHECK((e = op(fdp, "/lf", O_CREAT | O_EXCL, &fd)) == EEXIST,
	    "O_EXCL on a link: %d", e);
	KT_CHECK(op(fdp, "/lf", O_RDONLY, &fd) == 0 && fd == 0, "through link");
	KT_CHECK((e = kern_read(fdp, 99, NULL)) == EBADF, "read fd 99: %d", e);
	fdfree(fdp);
	KT_NOTE_OK("ENOENT ENOTDIR EEXIST EISDIR ELOOP EBADF as expected");
}

KTEST(vfs_fd_emfile_at_limit)
{
	struct filedesc *fdp = scratch_fd();
	u_long files0 = M_FILE->ks_inuse;
	int fd = -1, i, e;

	KT_ASSERT(fdp != NULL, "no scratch tmpfs");
	KT_ASSERT(fdsetlimit(fdp, 8) == 0, "fdsetlimit");
	KT_ASSERT(op(fdp, "/f", O_CREAT | O_RDWR, &fd) == 0, "create");
	for (i = 1; i < 8; i++) {
		if (!KT_CHECK(kern_dup(fdp, 0, &fd) == 0 && fd == i,
		    "dup %d gave %d", i, fd))
			break;
	}
	KT_CHECK((e = kern_dup(fdp, 0, &fd)) == EMFILE, "9th: %d", e);
	KT_CHECK((e = op(fdp, "/f", O_RDONLY, &fd)) == EMFILE, "open 9th: %d", e);
	KT_CHECK((e = kern_dup2(fdp, 0, 8, 0, false, &fd)) == EBADF,
	    "dup2 to the limit: %d", e);
	KT_CHECK(kern_close(fdp, 3) == 0 && kern_dup(fdp, 0, &fd) == 0 && fd == 3,
	    "the lowest free fd is reused: %d", fd);
	KT_CHECK(M_FILE->ks_inuse == files0 + 1, "one struct file for all: %lu",
	    M_FILE->ks_inuse - files0);
	fdfree(fdp);
	KT_CHECK(M_FILE->ks_inuse == files0, "file freed with the table");
	KT_NOTE_OK("EMFILE at 8 descriptors, slot 3 reused");
}

KTEST(vfs_fd_rw_seek_dup)
{
	struct filedesc *fdp = scratch_fd(), *child;
	char buf[32];
	ssize_t n;
	off_t off;
	long ret;
	int fd, fd2, fd3, e;

	KT_ASSERT(fdp != NULL, "no scratch tmpfs");
	KT_ASSERT(op(fdp, "/f", O_CREAT | O_RDWR, &fd) == 0, "create");
	KT_CHECK(wr(fdp, fd, "hello world", 11, &n) == 0 && n == 11, "write");
	KT_CHECK(rd(fdp, fd, buf, sizeof(buf), &n) == 0 && n == 0,
	    "read at EOF: %zd", n);
	KT_CHECK(kern_lseek(fdp, fd, 6, SEEK_SET, &off) == 0 && off == 6, "seek");
	KT_CHECK(rd(fdp, fd, buf, 5, &n) == 0 && n == 5 &&
	    memcmp(buf, "world", 5) == 0, "read after seek");
	KT_CHECK(kern_lseek(fdp, fd, -5, SEEK_END, &off) == 0 && off == 6,
	    "SEEK_END: %jd", (intmax_t)off);
	KT_CHECK((e = kern_lseek(fdp, fd, -100, SEEK_CUR, &off)) == EINVAL,
	    "negative: %d", e);
	/* dup shares the offset; pread uses its own. */
	KT_CHECK(kern_dup(fdp, fd, &fd2) == 0, "dup");
	KT_CHECK(rd(fdp, fd2, buf, 2, &n) == 0 && memcmp(buf, "wo", 2) == 0,
	    "dup reads on from the shared offset");
	KT_CHECK(kern_lseek(fdp, fd, 0, SEEK_CUR, &off) == 0 && off == 8,
	    "offset moved for both: %jd", (intmax_t)off);
	{
		struct iovec iov;
		struct uio uio;

		uio_init_sys(&uio, &iov, buf, 5, 0, UIO_READ);
		KT_CHECK(kern_pread(fdp, fd, &uio) == 0 && uio.uio_resid == 0 &&
		    memcmp(buf, "hello", 5) == 0, "pread at 0");
		KT_CHECK(kern_lseek(fdp, fd, 0, SEEK_CUR, &off) == 0 && off == 8,
		    "pread left the offset");
	}
	/* O_APPEND writes at the end whatever the offset. */
	KT_CHECK(op(fdp, "/f", O_WRONLY | O_APPEND, &fd3) == 0, "append open");
	KT_CHECK(wr(fdp, fd3, "!", 1, &n) == 0, "append write");
	KT_CHECK(kern_fcntl(fdp, fd3, F_GETFL, 0, &ret) == 0 &&
	    ret == (O_WRONLY | O_APPEND), "F_GETFL %lx", ret);
	KT_CHECK(kern_lseek(fdp, fd, 0, SEEK_END, &off) == 0 && off == 12,
	    "size with the append: %jd", (intmax_t)off);
	/* Read-only and write-only descriptors. */
	KT_CHECK((e = rd(fdp, fd3, buf, 1, &n)) == EBADF, "read on O_WRONLY: %d", e);
	/* Close-on-exec: only the marked descriptor goes. */
	KT_CHECK(kern_fcntl(fdp, fd2, F_SETFD, FD_CLOEXEC, &ret) == 0, "SETFD");
	KT_CHECK(kern_fcntl(fdp, fd2, F_GETFD, 0, &ret) == 0 && ret == FD_CLOEXEC,
	    "GETFD");
	KT_CHECK(kern_dup2(fdp, fd, 10, UF_EXCLOSE, true, &e) == 0 && e == 10,
	    "dup3 with cloexec");
	KT_CHECK(kern_dup2(fdp, fd, fd, 0, true, &e) == EINVAL, "dup3 same fd");
	KT_CHECK(kern_dup2(fdp, fd, fd, 0, false, &e) == 0 && e == fd,
	    "dup2 same fd");
	/* fork's copy shares the open files (and their offsets). */
	child = fdcopy(fdp);
	fdcloseexec(child);
	KT_CHECK(kern_fcntl(child, fd2, F_GETFD, 0, &ret) == EBADF &&
	    kern_fcntl(child, 10, F_GETFD, 0, &ret) == EBADF,
	    "close-on-exec descriptors gone");
	KT_CHECK(kern_lseek(child, fd, 1, SEEK_SET, &off) == 0 &&
	    kern_lseek(fdp, fd, 0, SEEK_CUR, &off) == 0 && off == 1,
	    "the child's seek is the parent's");
	KT_CHECK(kern_fcntl(fdp, fd2, F_GETFD, 0, &ret) == 0, "parent keeps fd2");
	fdfree(child);
	/* O_TRUNC and ftruncate. */
	KT_CHECK(kern_ftruncate(fdp, fd3, 3) == 0, "ftruncate");
	KT_CHECK(kern_lseek(fdp, fd, 0, SEEK_END, &off) == 0 && off == 3, "3 bytes");
	KT_CHECK(kern_close(fdp, fd3) == 0, "close");
	KT_CHECK(op(fdp, "/f", O_RDWR | O_TRUNC, &fd3) == 0 &&
	    kern_lseek(fdp, fd3, 0, SEEK_END, &off) == 0 && off == 0, "O_TRUNC");
	fdfree(fdp);
	KT_NOTE_OK("offsets shared by dup and fork, pread, O_APPEND, cloexec");
}

KTEST(vfs_fd_namespace_calls)
{
	struct filedesc *fdp = scratch_fd();
	struct vattr va;
	char cwd[64], lnk[16];
	struct iovec iov;
	struct uio uio;
	int fd, e;

	KT_ASSERT(fdp != NULL, "no scratch tmpfs");
	KT_CHECK(kern_mkdirat(fdp, AT_FDCWD, "/a", UIO_SYSSPACE, 0755) == 0 &&
	    kern_mkdirat(fdp, AT_FDCWD, "/a/b", UIO_SYSSPACE, 0700) == 0, "mkdirs");
	KT_CHECK((e = kern_mkdirat(fdp, AT_FDCWD, "/a", UIO_SYSSPACE, 0755)) ==
	    EEXIST, "mkdir again: %d", e);
	KT_CHECK(kern_fstatat(fdp, AT_FDCWD, "/a/b", UIO_SYSSPACE, 0, &va) == 0 &&
	    va.va_mode == (S_IFDIR | 0700), "mode %o", va.va_mode);
	KT_CHECK(kern_chdir(fdp, "/a/b", UIO_SYSSPACE) == 0, "chdir");
	KT_CHECK(kern_getcwd(fdp, cwd, sizeof(cwd)) == 0 &&
	    strcmp(cwd, "/a/b") == 0, "getcwd '%s'", cwd);
	KT_CHECK(kern_getcwd(fdp, cwd, 4) == ERANGE, "getcwd short buffer");
	KT_CHECK(op(fdp, "rel", O_CREAT | O_WRONLY, &fd) == 0, "relative create");
	KT_CHECK(kern_fstatat(fdp, AT_FDCWD, "/a/b/rel", UIO_SYSSPACE, 0, &va) ==
	    0 && va.va_mode == (S_IFREG | 0644), "umask 022: %o", va.va_mode);
	KT_CHECK(kern_chdir(fdp, "rel", UIO_SYSSPACE) == ENOTDIR, "chdir a file");
	KT_CHECK(kern_renameat(fdp, AT_FDCWD, "rel", AT_FDCWD, "/moved",
	    UIO_SYSSPACE) == 0, "rename");
	KT_CHECK(kern_fstatat(fdp, AT_FDCWD, "rel", UIO_SYSSPACE, 0, &va) ==
	    ENOENT, "old name gone");
	KT_CHECK(kern_symlinkat(fdp, "/moved", UIO_SYSSPACE, AT_FDCWD, "ln",
	    UIO_SYSSPACE) == 0, "symlink");
	uio_init_sys(&uio, &iov, lnk, sizeof(lnk), 0, UIO_READ);
	KT_CHECK(kern_readlinkat(fdp, AT_FDCWD, "ln", UIO_SYSSPACE, &uio) == 0 &&
	    sizeof(lnk) - uio.uio_resid == 6 && memcmp(lnk, "/moved", 6) == 0,
	    "readlink");
	KT_CHECK(kern_fstatat(fdp, AT_FDCWD, "ln", UIO_SYSSPACE,
	    AT_SYMLINK_NOFOLLOW, &va) == 0 && S_ISLNK(va.va_mode), "lstat");
	KT_CHECK(kern_fstatat(fdp, fd, "", UIO_SYSSPACE, AT_EMPTY_PATH, &va) ==
	    0 && S_ISREG(va.va_mode), "AT_EMPTY_PATH: the descriptor's file");
	KT_CHECK((e = kern_unlinkat(fdp, AT_FDCWD, "/a", UIO_SYSSPACE,
	    AT_REMOVEDIR)) == ENOTEMPTY, "rmdir non-empty: %d", e);
	KT_CHECK((e = kern_unlinkat(fdp, AT_FDCWD, "/a", UIO_SYSSPACE, 0)) ==
	    EISDIR, "unlink a dir: %d", e);
	KT_CHECK((e = kern_unlinkat(fdp, AT_FDCWD, ".", UIO_SYSSPACE,
	    AT_REMOVEDIR)) == EINVAL, "rmdir .: %d", e);
	KT_CHECK(kern_unlinkat(fdp, AT_FDCWD, "ln", UIO_SYSSPACE, 0) == 0 &&
	    kern_unlinkat(fdp, AT_FDCWD, "/a/b", UIO_SYSSPACE, AT_REMOVEDIR) == 0,
	    "unlink, rmdir the cwd");
	KT_CHECK((e = kern_getcwd(fdp, cwd, sizeof(cwd))) == ENOENT,
	    "getcwd of a removed dir: %d", e);
	KT_CHECK((e = op(fdp, "x", O_CREAT, &fd)) == ENOENT,
	    "create in a removed cwd: %d", e);
	KT_CHECK(kern_chdir(fdp, "/", UIO_SYSSPACE) == 0 &&
	    kern_getcwd(fdp, cwd, sizeof(cwd)) == 0 && strcmp(cwd, "/") == 0,
	    "back at /: '%s'", cwd);
	fdfree(fdp);
	KT_NOTE_OK("mkdir/chdir/getcwd/rename/symlink/readlink/unlink/rmdir");
}
