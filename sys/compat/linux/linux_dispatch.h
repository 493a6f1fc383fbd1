/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The dispatcher's entry, for the machine's system-call handler.
 */
#ifndef _COMPAT_LINUX_LINUX_DISPATCH_H_
#define _COMPAT_LINUX_LINUX_DISPATCH_H_

#include <sys/types.h>

struct thread;

/* Runs system call nr; 0 (with *rv), a kernel errno or EJUSTRETURN. */
int	linux_syscall_dispatch(struct thread *td, uint64_t nr,
	    const uint64_t args[6], int64_t *rv);

#endif /* !_COMPAT_LINUX_LINUX_DISPATCH_H_ */
