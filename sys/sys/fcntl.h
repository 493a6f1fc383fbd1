/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Open flags, *at() flags, fcntl commands and lseek whences.  The kernel
 * uses Linux's values (the uapi headers), the ABI its user space speaks,
 * so the system-call layer passes them through after checking them.
 */
#ifndef _SYS_FCNTL_H_
#define _SYS_FCNTL_H_

#include <asm-generic/fcntl.h>
#include <linux/fcntl.h>
#include <linux/fs.h>

/* The open flags kern_openat understands; others are ignored. */
#define O_KNOWN		(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | \
			    O_APPEND | O_NONBLOCK | O_DIRECTORY | O_NOFOLLOW | \
			    O_CLOEXEC | O_PATH)

#endif /* !_SYS_FCNTL_H_ */
