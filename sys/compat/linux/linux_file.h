/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Helpers shared by the Linux file-system call handlers.
 */
#ifndef _COMPAT_LINUX_LINUX_FILE_H_
#define _COMPAT_LINUX_LINUX_FILE_H_

#include <sys/types.h>

struct filedesc;
struct thread;

/* Linux's MAX_RW_COUNT: one read or write moves at most this much. */
#define LINUX_MAX_RW	0x7ffff000L

/* The calling process's descriptor table, or NULL if it has none. */
struct filedesc *linux_fdp(struct thread *td);
/* fcntl's record-lock commands (linux_lockf.c). */
int	linux_fcntl_lock(struct thread *td, struct filedesc *fdp, int fd,
	    int cmd, uint64_t uarg);

#endif /* !_COMPAT_LINUX_LINUX_FILE_H_ */
