/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linux stat calls (stat, lstat, fstat, newfstatat, statx), access and
 * readlink.  Attributes come from the vnode (struct vattr) and are laid
 * out as <asm/stat.h> and <linux/stat.h> say.  There are no credentials
 * yet: everyone is root, so access() only checks that the file exists and,
 * for X_OK, that some execute bit is set (or it is a directory).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/filedesc.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

/* <asm/stat.h> names a padding field __unused, our cdefs.h attribute. */
#pragma push_macro("__unused")
#undef __unused
#include <asm/stat.h>
#pragma pop_macro("__unused")
#include <asm/unistd_64.h>

#include <compat/linux/linux_file.h>
#include <compat/linux/linux_syscall.h>

/* Where st_dev says a file lives: a made-up device per mount (0:fsid). */
#define LINUX_DEV(fsid)	((uint64_t)(fsid))

static void
linux_vattr_to_stat(const struct vattr *va, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = LINUX_DEV(va->va_fsid);
	st->st_ino = va->va_ino;
	st->st_nlink = va->va_nlink;
	st->st_mode = va->va_mode;
	st->st_uid = va->va_uid;
	st->st_gid = va->va_gid;
	st->st_rdev = va->va_rdev;
	st->st_size = va->va_size;
	st->st_blksize = va->va_blksize != 0 ? va->va_blksize : PAGE_SIZE;
	st->st_blocks = (va->va_bytes + 511) / 512;
	st->st_atime = (unsigned long)va->va_atime.tv_sec;
	st->st_atime_nsec = (unsigned long)va->va_atime.tv_nsec;
	st->st_mtime = (unsigned long)va->va_mtime.tv_sec;
	st->st_mtime_nsec = (unsigned long)va->va_mtime.tv_nsec;
	st->st_ctime = (unsigned long)va->va_ctime.tv_sec;
	st->st_ctime_nsec = (unsigned long)va->va_ctime.tv_nsec;
}

static int
linux_stat_out(const struct vattr *va, uint64_t ust)
{
	struct stat st;

	linux_vattr_to_stat(va, &st);
	return (copyout(&st, (void *)(uintptr_t)ust, sizeof(st)));
}

static int
linux_fstatat_common(struct thread *td, int dirfd, uint64_t upath,
    uint64_t ust, int flags)
{
	struct filedesc *fdp = linux_fdp(td);
	struct vattr va;
	int error;

	if (fdp == NULL)
		return (EBADF);
	if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
	    AT_STATX_SYNC_TYPE)) != 0)
		return (EINVAL);
	error = kern_fstatat(fdp, dirfd, (const char *)(uintptr_t)upath,
	    UIO_USERSPACE, flags, &va);
	if (error == 0)
		error = linux_stat_out(&va, ust);
	return (error);
}

LINUX_SYSCALL(__NR_stat, stat);
int
linux_sys_stat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_fstatat_common(td, AT_FDCWD, args[0], args[1], 0));
}

LINUX_SYSCALL(__NR_lstat, lstat);
int
linux_sys_lstat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_fstatat_common(td, AT_FDCWD, args[0], args[1],
	    AT_SYMLINK_NOFOLLOW));
}

LINUX_SYSCALL(__NR_newfstatat, newfstatat);
int
linux_sys_newfstatat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_fstatat_common(td, (int)args[0], args[1], args[2],
	    (int)args[3]));
}

LINUX_SYSCALL(__NR_fstat, fstat);
int
linux_sys_fstat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	struct vattr va;
	int error;

	if (fdp == NULL)
		return (EBADF);
	error = kern_fstat(fdp, (int)args[0], &va);
	if (error == 0)
		error = linux_stat_out(&va, args[1]);
	return (error);
}

static void
linux_ts(struct statx_timestamp *t, const struct ktimespec *ts)
{
	t->tv_sec = ts->tv_sec;
	t->tv_nsec = (uint32_t)ts->tv_nsec;
}

LINUX_SYSCALL(__NR_statx, statx);
int
linux_sys_statx(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	int flags = (int)args[2];
	struct statx stx;
	struct vattr va;
	int error;

	if (fdp == NULL)
		return (EBADF);
	if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
	    AT_STATX_SYNC_TYPE)) != 0 || (args[3] & STATX__RESERVED) != 0)
		return (EINVAL);
	error = kern_fstatat(fdp, (int)args[0], (const char *)(uintptr_t)args[1],
	    UIO_USERSPACE, flags, &va);
	if (error != 0)
		return (error);
	memset(&stx, 0, sizeof(stx));
	/* Whatever was asked, the basic set is what there is. */
	stx.stx_mask = STATX_BASIC_STATS;
	stx.stx_blksize = va.va_blksize != 0 ? va.va_blksize : PAGE_SIZE;
	stx.stx_nlink = va.va_nlink;
	stx.stx_uid = va.va_uid;
	stx.stx_gid = va.va_gid;
	stx.stx_mode = (uint16_t)va.va_mode;
	stx.stx_ino = va.va_ino;
	stx.stx_size = (uint64_t)va.va_size;
	stx.stx_blocks = (va.va_bytes + 511) / 512;
	linux_ts(&stx.stx_atime, &va.va_atime);
	linux_ts(&stx.stx_ctime, &va.va_ctime);
	linux_ts(&stx.stx_mtime, &va.va_mtime);
	/* The kernel's rdev is Linux's dev_t encoding (sys/conf.h). */
	stx.stx_rdev_major = (uint32_t)((va.va_rdev >> 8) & 0xfff);
	stx.stx_rdev_minor = (uint32_t)((va.va_rdev & 0xff) |
	    ((va.va_rdev >> 12) & 0xfff00));
	stx.stx_dev_minor = (uint32_t)va.va_fsid;
	return (copyout(&stx, (void *)(uintptr_t)args[4], sizeof(stx)));
}

static int
linux_access_common(struct thread *td, int dirfd, uint64_t upath,
    uint64_t amode, int flags)
{
	struct filedesc *fdp = linux_fdp(td);
	struct vattr va;
	int error;

	if (fdp == NULL)
		return (ENOENT);
	/* F_OK 0, X_OK 1, W_OK 2, R_OK 4. */
	if ((amode & ~(uint64_t)7) != 0 ||
	    (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH)) != 0)
		return (EINVAL);
	error = kern_fstatat(fdp, dirfd, (const char *)(uintptr_t)upath,
	    UIO_USERSPACE, flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH), &va);
	if (error != 0)
		return (error);
	if ((amode & 1) != 0 && !S_ISDIR(va.va_mode) &&
	    (va.va_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0)
		return (EACCES);
	return (0);
}

LINUX_SYSCALL(__NR_access, access);
int
linux_sys_access(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_access_common(td, AT_FDCWD, args[0], args[1], 0));
}

LINUX_SYSCALL(__NR_faccessat, faccessat);
int
linux_sys_faccessat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_access_common(td, (int)args[0], args[1], args[2], 0));
}

LINUX_SYSCALL(__NR_faccessat2, faccessat2);
int
linux_sys_faccessat2(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_access_common(td, (int)args[0], args[1], args[2],
	    (int)args[3]));
}

static int
linux_readlink_common(struct thread *td, int dirfd, uint64_t upath,
    uint64_t ubuf, uint64_t len, int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	struct iovec iov;
	struct uio uio;
	int error;

	if (fdp == NULL)
		return (ENOENT);
	if ((int64_t)len <= 0)
		return (EINVAL);
	if (len > PATH_MAX)
		len = PATH_MAX;
	iov.iov_base = (void *)(uintptr_t)ubuf;
	iov.iov_len = len;
	error = uio_setup(&uio, &iov, 1, 0, UIO_USERSPACE, UIO_READ, td);
	if (error == 0)
		error = kern_readlinkat(fdp, dirfd,
		    (const char *)(uintptr_t)upath, UIO_USERSPACE, &uio);
	if (error == 0)
		*rv = (int64_t)len - uio.uio_resid;
	return (error);
}

LINUX_SYSCALL(__NR_readlink, readlink);
int
linux_sys_readlink(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_readlink_common(td, AT_FDCWD, args[0], args[1], args[2],
	    rv));
}

LINUX_SYSCALL(__NR_readlinkat, readlinkat);
int
linux_sys_readlinkat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_readlink_common(td, (int)args[0], args[1], args[2],
	    args[3], rv));
}
