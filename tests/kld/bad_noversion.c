/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A module without MODULE_VERSION: kld(4) refuses it (a module has a
 * name and a version) and never runs it.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/systm.h>

static void
bad_noversion_init(void *arg __unused)
{
	panic("bad_noversion: a refused module ran");
}
SYSINIT(bad_noversion, SI_SUB_DRIVERS, SI_ORDER_ANY, bad_noversion_init,
    NULL);
