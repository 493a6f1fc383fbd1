/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Applies the boot command line to every TUNABLE_* of the kernel.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/kernel.h>
#include <sys/linker_set.h>
#include <sys/systm.h>

SET_DECLARE(tunable_set, struct tunable);

int	cmdline_warnings;	/* problems found at boot, for tests */

static void
boot_warn(void *arg __unused, const char *msg)
{
	printf("WARNING: %s\n", msg);
}

static void
tunables_init(void *arg __unused)
{
	if (bootinfo.cmdline != NULL)
		strlcpy(kern_cmdline, bootinfo.cmdline, sizeof(kern_cmdline));
	printf("command line: \"%s\"\n", kern_cmdline);
	cmdline_warnings = cmdline_apply(kern_cmdline, SET_BEGIN(tunable_set),
	    (size_t)SET_COUNT(tunable_set), boot_warn, NULL);
}
SYSINIT(tunables, SI_SUB_TUNABLES, SI_ORDER_FIRST, tunables_init, NULL);

/*
 * A module's tunables (kld(4)) take their values from the boot command
 * line at load.  The other words of the line are the kernel's or other
 * modules': only a bad value for one of this module's is reported.
 */
static void
module_warn(void *arg, const char *msg)
{
	int *problems = arg;

	if (strstr_simple(msg, "unknown option") != NULL)
		return;
	printf("WARNING: %s\n", msg);
	(*problems)++;
}

int
tunables_apply(struct tunable *const *set, size_t n)
{
	int problems = 0;

	(void)cmdline_apply(kern_cmdline, set, n, module_warn, &problems);
	return (problems);
}
