/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linux name-space calls: mkdir, rmdir, unlink, rename, link, symlink,
 * chdir, fchdir, getcwd, chmod, and the owner and time calls (accepted:
 * without credentials every file is root's, and times are not settable).
 * Paths stay in user memory: namei copies them in (UIO_USERSPACE).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/filedesc.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <asm/unistd_64.h>

#include <compat/linux/linux_file.h>
#include <compat/linux/linux_syscall.h>

MALLOC_DECLARE(M_LFILE);

#define UPATH(a)	((const char *)(uintptr_t)(a))

LINUX_SYSCALL(__NR_mkdir, mkdir);
int
linux_sys_mkdir(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? ENOENT : kern_mkdirat(fdp, AT_FDCWD,
	    UPATH(args[0]), UIO_USERSPACE, (uint32_t)args[1]));
}

LINUX_SYSCALL(__NR_mkdirat, mkdirat);
int
linux_sys_mkdirat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? ENOENT : kern_mkdirat(fdp, (int)args[0],
	    UPATH(args[1]), UIO_USERSPACE, (uint32_t)args[2]));
}

LINUX_SYSCALL(__NR_mknod, mknod);
int
linux_sys_mknod(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? ENOENT : kern_mknodat(fdp, AT_FDCWD,
	    UPATH(args[0]), UIO_USERSPACE, (uint32_t)args[1]));
}

/* The device number (args[3]) only matters for devices, which are EPERM. */
LINUX_SYSCALL(__NR_mknodat, mknodat);
int
linux_sys_mknodat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? ENOENT : kern_mknodat(fdp, (int)args[0],
	    UPATH(args[1]), UIO_USERSPACE, (uint32_t)args[2]));
}

LINUX_SYSCALL(__NR_rmdir, rmdir);
int
linux_sys_rmdir(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? ENOENT : kern_unlinkat(fdp, AT_FDCWD,
	    UPATH(args[0]), UIO_USERSPACE, AT_REMOVEDIR));
}

LINUX_SYSCALL(__NR_unlink, unlink);
int
linux_sys_unlink(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? ENOENT : kern_unlinkat(fdp, AT_FDCWD,
	    UPATH(args[0]), UIO_USERSPACE, 0));
}

LINUX_SYSCALL(__NR_unlinkat, unlinkat);
int
linux_sys_unlinkat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	if ((args[2] & ~(uint64_t)AT_REMOVEDIR) != 0)
		return (EINVAL);
	return (fdp == NULL ? ENOENT : kern_unlinkat(fdp, (int)args[0],
	    UPATH(args[1]), UIO_USERSPACE, (int)args[2]));
}

LINUX_SYSCALL(__NR_rename, rename);
int
linux_sys_rename(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? ENOENT : kern_renameat(fdp, AT_FDCWD,
	    UPATH(args[0]), AT_FDCWD, UPATH(args[1]), UIO_USERSPACE));
}

LINUX_SYSCALL(__NR_renameat, renameat);
int
linux_sys_renameat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? ENOENT : kern_renameat(fdp, (int)args[0],
	    UPATH(args[1]), (int)args[2], UPATH(args[3]), UIO_USERSPACE));
}

LINUX_SYSCALL(__NR_renameat2, renameat2);
int
linux_sys_renameat2(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	/* RENAME_NOREPLACE, EXCHANGE, WHITEOUT: not yet. */
	if (args[4] != 0)
		return (EINVAL);
	return (linux_sys_renameat(td, args, rv));
}

LINUX_SYSCALL(__NR_link, link);
int
linux_sys_link(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? ENOENT : kern_linkat(fdp, AT_FDCWD,
	    UPATH(args[0]), AT_FDCWD, UPATH(args[1]), UIO_USERSPACE, 0));
}

LINUX_SYSCALL(__NR_linkat, linkat);
int
linux_sys_linkat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	if ((args[4] & ~(uint64_t)AT_SYMLINK_FOLLOW) != 0)
		return (EINVAL);
	return (fdp == NULL ? ENOENT : kern_linkat(fdp, (int)args[0],
	    UPATH(args[1]), (int)args[2], UPATH(args[3]), UIO_USERSPACE,
	    (int)args[4]));
}

LINUX_SYSCALL(__NR_symlink, symlink);
int
linux_sys_symlink(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? ENOENT : kern_symlinkat(fdp, UPATH(args[0]),
	    UIO_USERSPACE, AT_FDCWD, UPATH(args[1]), UIO_USERSPACE));
}

LINUX_SYSCALL(__NR_symlinkat, symlinkat);
int
linux_sys_symlinkat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? ENOENT : kern_symlinkat(fdp, UPATH(args[0]),
	    UIO_USERSPACE, (int)args[1], UPATH(args[2]), UIO_USERSPACE));
}

LINUX_SYSCALL(__NR_chdir, chdir);
int
linux_sys_chdir(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? ENOENT : kern_chdir(fdp, UPATH(args[0]),
	    UIO_USERSPACE));
}

LINUX_SYSCALL(__NR_fchdir, fchdir);
int
linux_sys_fchdir(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? EBADF : kern_fchdir(fdp, (int)args[0]));
}

LINUX_SYSCALL(__NR_getcwd, getcwd);
int
linux_sys_getcwd(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	size_t len = args[1] > PATH_MAX ? PATH_MAX : (size_t)args[1];
	char *buf;
	int error;

	if (fdp == NULL)
		return (ENOENT);
	if (len == 0)
		return (args[0] == 0 ? EINVAL : ERANGE);
	buf = malloc(len, M_LFILE, M_WAITOK);
	error = kern_getcwd(fdp, buf, len);
	if (error == 0) {
		size_t n = strlen(buf) + 1;

		error = copyout(buf, (void *)(uintptr_t)args[0], n);
		*rv = (int64_t)n;	/* the length with the NUL, as Linux */
	}
	free(buf, M_LFILE);
	return (error);
}

LINUX_SYSCALL(__NR_chmod, chmod);
int
linux_sys_chmod(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? ENOENT : kern_fchmodat(fdp, AT_FDCWD,
	    UPATH(args[0]), UIO_USERSPACE, (uint32_t)args[1], 0));
}

LINUX_SYSCALL(__NR_fchmodat, fchmodat);
int
linux_sys_fchmodat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? ENOENT : kern_fchmodat(fdp, (int)args[0],
	    UPATH(args[1]), UIO_USERSPACE, (uint32_t)args[2], 0));
}

LINUX_SYSCALL(__NR_fchmod, fchmod);
int
linux_sys_fchmod(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);

	return (fdp == NULL ? EBADF : kern_fchmod(fdp, (int)args[0],
	    (uint32_t)args[1]));
}

/* The file must exist; its owner stays root (no credentials yet). */
static int
linux_exists(struct thread *td, int dirfd, uint64_t upath, int flags)
{
	struct filedesc *fdp = linux_fdp(td);
	struct vattr va;

	if (fdp == NULL)
		return (ENOENT);
	return (kern_fstatat(fdp, dirfd, UPATH(upath), UIO_USERSPACE,
	    flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH), &va));
}

LINUX_SYSCALL(__NR_chown, chown);
int
linux_sys_chown(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_exists(td, AT_FDCWD, args[0], 0));
}

LINUX_SYSCALL(__NR_lchown, lchown);
int
linux_sys_lchown(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_exists(td, AT_FDCWD, args[0], AT_SYMLINK_NOFOLLOW));
}

LINUX_SYSCALL(__NR_fchownat, fchownat);
int
linux_sys_fchownat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_exists(td, (int)args[0], args[1], (int)args[4]));
}

LINUX_SYSCALL(__NR_fchown, fchown);
int
linux_sys_fchown(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct filedesc *fdp = linux_fdp(td);
	struct vattr va;

	return (fdp == NULL ? EBADF : kern_fstat(fdp, (int)args[0], &va));
}

LINUX_SYSCALL(__NR_utimensat, utimensat);
int
linux_sys_utimensat(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	/* A NULL path means the descriptor itself (futimens). */
	if (args[1] == 0) {
		struct filedesc *fdp = linux_fdp(td);
		struct vattr va;

		return (fdp == NULL ? EBADF : kern_fstat(fdp, (int)args[0], &va));
	}
	return (linux_exists(td, (int)args[0], args[1], (int)args[3]));
}
