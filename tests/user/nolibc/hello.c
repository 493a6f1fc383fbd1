/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The first user program: one write(2), then exit status 7 (so a test
 * can tell our status from a default 0).
 */
#include "nolibc.h"

int
main(void)
{
	static const char msg[] = "hello from user mode\n";

	if (sys3(__NR_write, 1, (long)msg, sizeof(msg) - 1) != sizeof(msg) - 1)
		return (1);
	return (7);
}
