/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * fork1(): what the Linux clone family asks for, in the kernel's terms.
 */
#ifndef _KERN_KERN_FORK_PRIV_H_
#define _KERN_KERN_FORK_PRIV_H_

#include <sys/types.h>

#define FORK_THREAD		0x0001	/* a thread of the caller's process */
#define FORK_FILES		0x0002	/* share the file table */
#define FORK_SETTLS		0x0004
#define FORK_PARENT_SETTID	0x0008
#define FORK_CHILD_SETTID	0x0010
#define FORK_CHILD_CLEARTID	0x0020

struct fork_args {
	int		fa_flags;
	int		fa_exitsig;	/* to the parent at exit */
	uint64_t	fa_stack;	/* child's %rsp, 0: the caller's */
	uint64_t	fa_tls;
	uint64_t	fa_parent_tid;	/* user addresses */
	uint64_t	fa_child_tid;
};

struct thread;
/* Starts the child; *pidp is its pid (or thread id). */
int	fork1(struct thread *td, const struct fork_args *fa, pid_t *pidp);

#endif /* !_KERN_KERN_FORK_PRIV_H_ */
