/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Kernel (BSD) errno to Linux errno.  The table is generated at build time
 * from sys/errno.h and Linux's <asm-generic/errno*.h>, matching names
 * (linux_errno_map.h), so a new kernel errno maps itself; the two BSD-only
 * ones are mapped by hand.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <compat/linux/linux_syscall.h>

#include <linux_errno_map.h>

int
linux_errno(int error)
{
	if (error == 0)
		return (0);
	if (error == EFTYPE)
		return (LINUX_ENOEXEC);
	if (error == ENOATTR)
		return (LINUX_ENODATA);
	if (error > 0 && error < (int)nitems(linux_errno_table) &&
	    linux_errno_table[error] != 0)
		return (linux_errno_table[error]);
	return (LINUX_EIO);
}
