/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Writes to an unmapped address: the kernel must deliver SIGSEGV (no
 * handler: the process ends with that signal as its status).
 */
#include "nolibc.h"

/* Through a variable, so the compiler cannot see the bad address. */
static volatile long target = 0x10;

int
main(void)
{
	say("ufault: writing to 0x10\n");
	*(volatile int *)target = 1;
	say("ufault: still alive\n");
	return (0);
}
