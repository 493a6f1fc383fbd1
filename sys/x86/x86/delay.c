/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <x86/init.h>

void
DELAY(int usec)
{
	init_ops.early_delay(usec);
}
