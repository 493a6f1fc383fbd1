/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Byte-range (fcntl) locks of vnode files (vfs_lockf.c).
 */
#ifndef _KERN_VFS_LOCKF_H_
#define _KERN_VFS_LOCKF_H_

#include <sys/types.h>

struct file;
struct filedesc;
struct vnode;

#define LF_UNLCK	0
#define LF_RDLCK	1
#define LF_WRLCK	2
#define LF_END		INT64_MAX	/* a range "to the end of the file" */

/*
 * A lock's owner: a descriptor table (POSIX locks: the process, or the
 * threads sharing the table) or an open file (OFD locks); pid is what
 * F_GETLK reports (-1 for OFD locks).
 */
struct lf_owner {
	const void	*lo_id;
	bool		lo_ofd;
	pid_t		lo_pid;
};

/*
 * Sets (LF_RDLCK/LF_WRLCK) or clears (LF_UNLCK) [start, end] for owner:
 * 0, EAGAIN (nowait and another owner's lock is in the way) or EINTR.
 */
int	vn_lockf_set(struct vnode *vp, const struct lf_owner *owner, int type,
	    off_t start, off_t end, bool nowait);
/*
 * The first lock of another owner in the way of type on [*start, *end]:
 * its type, range and pid there; *type LF_UNLCK if none.
 */
void	vn_lockf_get(struct vnode *vp, const struct lf_owner *owner, int *type,
	    off_t *start, off_t *end, pid_t *pid);
/* Drops every lock of owner id on vp (a descriptor closed, a file's end). */
void	vn_lockf_release(struct vnode *vp, const void *id);
/* A descriptor of fdp for fp goes: fdp's POSIX locks on its vnode go. */
void	fd_lockf_drop(struct filedesc *fdp, struct file *fp);

#endif /* !_KERN_VFS_LOCKF_H_ */
