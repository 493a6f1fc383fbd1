/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Last words before an orderly power-off or reboot (kern_poweroff(),
 * kern_reboot(); not a panic): drivers register a function with
 * SHUTDOWN_REPORT() (a linker set) that prints their counters, so a run
 * that ends by powering off (iotool=, a benchmark) leaves them in its log.
 * The functions run in no set order, on the calling thread, and must not
 * sleep.
 */
#ifndef _SYS_SHUTDOWN_REPORT_H_
#define _SYS_SHUTDOWN_REPORT_H_

#include <sys/linker_set.h>

struct shutdown_report {
	const char	*sr_name;
	void		(*sr_print)(void);
};

#define SHUTDOWN_REPORT(sym, fn)					\
	static struct shutdown_report sym = { #sym, fn };		\
	DATA_SET(shutdown_report_set, sym)

/*
 * Runs every registered report now: at power-off and reboot, and when an
 * iotool run stalls (its bios stop completing), so the log shows the
 * drivers' state at that moment.
 */
void	shutdown_reports_print(void);

#endif /* !_SYS_SHUTDOWN_REPORT_H_ */
