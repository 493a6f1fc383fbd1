/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Native power-off and reset.  Power-off writes QEMU's isa-debug-exit port
 * (0xf4) so a test boot ends with an exit code telling pass or fail; on other
 * machines the write is harmless and the CPU halts.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include <x86/init.h>

#define DEBUG_EXIT_PORT	0xf4

static void __dead2
native_poweroff(int status)
{
	printf("powering off (status %d)\n", status);
	disable_intr();
	/* QEMU exits with (value << 1) | 1: 1 means success, 3+ failure. */
	outl(DEBUG_EXIT_PORT, status == 0 ? 0 : (uint32_t)status);
	for (;;)
		halt();
}

static void __dead2
native_reboot(void)
{
	printf("rebooting\n");
	disable_intr();
	outb(0x64, 0xfe);	/* keyboard controller reset */
	for (;;)
		halt();
}

struct power_ops power_ops = {
	.poweroff = native_poweroff,
	.reboot = native_reboot,
};
