/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A module that needs a kernel version this kernel is not (2 or 3; it is
 * 1): kld(4) refuses it by its MODULE_DEPEND and never runs it.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/linker.h>
#include <sys/systm.h>

MODULE_VERSION(bad_depend, 1);
MODULE_DEPEND(bad_depend, kernel, 2, 3);

static void
bad_depend_init(void *arg __unused)
{
	panic("bad_depend: a refused module ran");
}
SYSINIT(bad_depend, SI_SUB_DRIVERS, SI_ORDER_ANY, bad_depend_init, NULL);
