/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * flock(2) locks of vnode files (vfs_flock.c).
 */
#ifndef _KERN_VFS_FLOCK_H_
#define _KERN_VFS_FLOCK_H_

#include <sys/types.h>

struct file;

#define VN_FLOCK_SH	1
#define VN_FLOCK_EX	2
#define VN_FLOCK_UN	3

/* 0, EWOULDBLOCK (nowait and another file holds it) or EINTR. */
int	vn_flock(struct file *fp, int op, bool nowait);
/* fp's last close: its lock goes (a race with no count is harmless:
 * an open file being closed takes no new lock). */
void	vn_flock_close(struct file *fp);

#endif /* !_KERN_VFS_FLOCK_H_ */
