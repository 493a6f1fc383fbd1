/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The boot report: with "boot.report=1" on the command line the kernel,
 * once started, prints its device tree and what each registered provider
 * has to say about the machine, then powers off with status 0.  Platform
 * layers register providers with BOOT_REPORT() (a linker set), so the
 * generic code never names them.
 */
#ifndef _SYS_BOOTREPORT_H_
#define _SYS_BOOTREPORT_H_

#include <sys/linker_set.h>

struct boot_report {
	const char	*br_name;	/* heading printed above its output */
	bool		(*br_applies)(void);	/* NULL: always */
	void		(*br_print)(void);
};

#define BOOT_REPORT(sym, name, applies, fn)				\
	static struct boot_report sym = { name, applies, fn };		\
	DATA_SET(boot_report_set, sym)

#endif /* !_SYS_BOOTREPORT_H_ */
