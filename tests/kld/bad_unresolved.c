/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A module that needs a symbol the kernel does not have: kld(4) must
 * refuse it, naming kld_no_such_symbol, and never run its SYSINIT.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/linker.h>
#include <sys/systm.h>

MODULE_VERSION(bad_unresolved, 1);

extern int	kld_no_such_symbol(void);

static void
bad_unresolved_init(void *arg __unused)
{
	panic("bad_unresolved: a refused module ran (%d)",
	    kld_no_such_symbol());
}
SYSINIT(bad_unresolved, SI_SUB_DRIVERS, SI_ORDER_ANY, bad_unresolved_init,
    NULL);
