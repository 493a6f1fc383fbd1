/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Bad pointers to system calls: an unmapped user address, a kernel
 * address and a range running off the end of user space are each
 * -EFAULT (14), never a kernel fault; a good buffer still works after.
 * The exit status says which check failed (0: all passed).
 */
#include "nolibc.h"

#define EFAULT	14

int
main(void)
{
	static const char ok[] = "uefault: ok\n";

	if (sys3(__NR_write, 1, 0x1000, 8) != -EFAULT)
		return (1);
	if (sys3(__NR_write, 1, (long)0xffff800000000000UL, 8) != -EFAULT)
		return (2);
	if (sys3(__NR_write, 1, 0x7ffffffff000L - 4, 8) != -EFAULT)
		return (3);
	if (sys3(__NR_uname, 0x2000, 0, 0) != -EFAULT)
		return (4);
	if (sys3(__NR_write, 1, (long)ok, sizeof(ok) - 1) != sizeof(ok) - 1)
		return (5);
	return (0);
}
