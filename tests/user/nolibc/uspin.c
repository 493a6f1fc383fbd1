/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Spins in user mode and never makes a system call: only preemption
 * takes the CPU back (and a signal ends it).
 */
#include "nolibc.h"

int
main(void)
{
	volatile unsigned long n = 0;

	for (;;)
		n++;
	return (0);
}
