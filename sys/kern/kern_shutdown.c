/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * panic(): report, let an in-kernel test recover if one is running on this
 * thread, otherwise stop the other CPUs and power off with a failure status.
 */
#include <sys/param.h>
#include <sys/cons.h>
#include <sys/ktest.h>
#include <sys/linker.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/shutdown_report.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>

#include <x86/init.h>

const char	*panicstr;
static char	panicbuf[256];

/* Set by the ktest runner: called with the message; does not return if it recovers. */
void	(*panic_recover_hook)(const char *msg);

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panicbuf, sizeof(panicbuf), fmt, ap);
	va_end(ap);

	/* Last words of a dying kernel go to every console it ever had. */
	if (!ktest_recovers_panic())
		cons_emergency();
	printf("panic: %s\n", panicbuf);
	if (panic_recover_hook != NULL)
		panic_recover_hook(panicbuf);

	disable_intr();
	panicstr = panicbuf;
	printf("cpu%u: stopping\n", curcpu);
	db_backtrace((uint64_t)__builtin_frame_address(0), 16);
	cpu_stop_others();
	power_ops.poweroff(2);
}

SET_DECLARE(shutdown_report_set, struct shutdown_report);

static void
shutdown_report_one(void *entry, void *arg __unused)
{
	((struct shutdown_report *)entry)->sr_print();
}

void
shutdown_reports_print(void)
{
	struct shutdown_report **srp;

	SET_FOREACH(srp, shutdown_report_set)
		(*srp)->sr_print();
	linker_foreach_entry("shutdown_report_set", shutdown_report_one, NULL);
}

/*
 * Orderly stops requested by a driver (e.g. the toolstack asking a guest to
 * shut down): the drivers' last reports, then leave through the machine's
 * power hooks.
 */
void
kern_poweroff(int status)
{
	shutdown_reports_print();
	printf("system power-off requested (status %d)\n", status);
	power_ops.poweroff(status);
}

void
kern_reboot(void)
{
	shutdown_reports_print();
	printf("system reboot requested\n");
	power_ops.reboot();
}
