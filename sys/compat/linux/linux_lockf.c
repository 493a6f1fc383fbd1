/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * fcntl's record locks: F_GETLK, F_SETLK, F_SETLKW (POSIX locks, owned by
 * the descriptor table) and F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW (owned
 * by the open file), on files of the file system (vfs_lockf.c).  The range
 * comes from struct flock as Linux reads it: l_whence SEEK_SET, SEEK_CUR
 * or SEEK_END, a negative l_len for the bytes before l_start, 0 for "to
 * the end".  Other files (pipes, sockets, devices) take the calls and
 * lock nothing.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <compat/linux/linux_file.h>
#include <kern/vfs_lockf.h>

#define LINUX_SEEK_SET	0
#define LINUX_SEEK_CUR	1
#define LINUX_SEEK_END	2


/* struct flock's range as [*startp, *endp] on fp; EINVAL or EOVERFLOW. */
static int
flock_range(struct file *fp, const struct flock *fl, off_t *startp,
    off_t *endp)
{
	struct vattr va;
	off_t base, start, end;
	int error;

	switch (fl->l_whence) {
	case LINUX_SEEK_SET:
		base = 0;
		break;
	case LINUX_SEEK_CUR:
		mtx_lock(&fp->f_offmtx);
		base = fp->f_offset;
		mtx_unlock(&fp->f_offmtx);
		break;
	case LINUX_SEEK_END:
		if ((error = vn_getattr(fp->f_vnode, &va)) != 0)
			return (error);
		base = va.va_size;
		break;
	default:
		return (EINVAL);
	}
	if (__builtin_add_overflow(base, fl->l_start, &start))
		return (EOVERFLOW);
	if (fl->l_len > 0) {
		if (__builtin_add_overflow(start, fl->l_len - 1, &end))
			return (EOVERFLOW);
	} else if (fl->l_len < 0) {
		end = start - 1;
		if (__builtin_add_overflow(start, fl->l_len, &start))
			return (EINVAL);
	} else
		end = LF_END;
	if (start < 0)
		return (EINVAL);
	*startp = start;
	*endp = end;
	return (0);
}

int
linux_fcntl_lock(struct thread *td, struct filedesc *fdp, int fd, int cmd,
    uint64_t uarg)
{
	struct flock fl;
	struct lf_owner owner;
	struct file *fp;
	off_t start, end;
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK ||
	    cmd == F_OFD_SETLKW;
	bool get = cmd == F_GETLK || cmd == F_OFD_GETLK;
	int error, type;

	if ((error = fget(fdp, fd, &fp)) != 0)
		return (error);
	if ((error = copyin((void *)uarg, &fl, sizeof(fl))) != 0)
		goto out;
	switch (fl.l_type) {
	case F_RDLCK:
		type = LF_RDLCK;
		break;
	case F_WRLCK:
		type = LF_WRLCK;
		break;
	case F_UNLCK:
		type = LF_UNLCK;
		break;
	default:
		error = EINVAL;
		goto out;
	}
	/* OFD locks want l_pid 0; a query for "unlocked" is meaningless. */
	if ((ofd && fl.l_pid != 0) || (get && type == LF_UNLCK)) {
		error = EINVAL;
		goto out;
	}
	if (fp->f_type != DTYPE_VNODE) {
		if (get) {
			fl.l_type = F_UNLCK;
			error = copyout(&fl, (void *)uarg, sizeof(fl));
		}
		goto out;
	}
	if (!get && ((type == LF_RDLCK && (fp->f_flag & FREAD) == 0) ||
	    (type == LF_WRLCK && (fp->f_flag & FWRITE) == 0))) {
		error = EBADF;
		goto out;
	}
	if ((error = flock_range(fp, &fl, &start, &end)) != 0)
		goto out;
	owner.lo_id = ofd ? (const void *)fp : (const void *)fdp;
	owner.lo_ofd = ofd;
	owner.lo_pid = td->td_proc->p_pid;
	if (get) {
		pid_t pid = 0;

		vn_lockf_get(fp->f_vnode, &owner, &type, &start, &end, &pid);
		fl.l_type = (short)(type == LF_RDLCK ? F_RDLCK : type ==
		    LF_WRLCK ? F_WRLCK : F_UNLCK);
		if (type != LF_UNLCK) {
			fl.l_whence = LINUX_SEEK_SET;
			fl.l_start = start;
			fl.l_len = end == LF_END ? 0 : end - start + 1;
			fl.l_pid = pid;
		}
		error = copyout(&fl, (void *)uarg, sizeof(fl));
		goto out;
	}
	error = vn_lockf_set(fp->f_vnode, &owner, type, start, end,
	    cmd == F_SETLK || cmd == F_OFD_SETLK);
out:
	fdrop(fp);
	return (error);
}
