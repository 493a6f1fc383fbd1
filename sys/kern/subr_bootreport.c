/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * boot.report=1 (see sys/bootreport.h).  The report runs in its own thread,
 * started by the last SYSINIT, so it comes after the "startup complete"
 * line, and with the scheduler running (providers may sleep).
 */
#include <sys/param.h>
#include <sys/bootreport.h>
#include <sys/bus.h>
#include <sys/kernel.h>
#include <sys/linker.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <x86/init.h>

SET_DECLARE(boot_report_set, struct boot_report);

static bool	boot_report;
TUNABLE_BOOL("boot.report", &boot_report,
    "after start-up print the device tree and the platform's report, then power off");

static void
devtree_print(device_t dev, int depth)
{
	device_t *kids;
	const char *desc = device_get_desc(dev);
	int n;

	printf("  %*s%s%s%s%s\n", depth * 2, "", device_get_nameunit(dev),
	    desc != NULL ? ": " : "", desc != NULL ? desc : "",
	    device_is_attached(dev) ? "" : " (not attached)");
	device_get_children(dev, &kids, &n);
	for (int i = 0; i < n; i++)
		devtree_print(kids[i], depth + 1);
	free(kids, M_TEMP);
}

static void
boot_report_one(void *entry, void *arg __unused)
{
	struct boot_report *br = entry;

	if (br->br_applies != NULL && !br->br_applies())
		return;
	printf("%s:\n", br->br_name);
	br->br_print();
}

static void
boot_report_run(void *arg __unused)
{
	struct boot_report **brp;

	printf("---- boot report ----\n");
	printf("devices:\n");
	if (root_bus != NULL)
		devtree_print(root_bus, 0);
	SET_FOREACH(brp, boot_report_set)
		boot_report_one(*brp, NULL);
	linker_foreach_entry("boot_report_set", boot_report_one, NULL);
	printf("---- end of boot report ----\n");
	power_ops.poweroff(0);
}

static void
boot_report_start(void *arg __unused)
{
	int error;

	if (!boot_report)
		return;
	error = kthread_add(boot_report_run, NULL, NULL, 0, "bootreport");
	if (error != 0)
		printf("boot.report: no thread (%d)\n", error);
}
SYSINIT(boot_report, SI_SUB_LAST, SI_ORDER_ANY, boot_report_start, NULL);
