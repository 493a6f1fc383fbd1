/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Built with -fpic: the access to a kernel variable goes through the GOT
 * (R_X86_64_REX_GOTPCRELX), which kld(4) refuses by name.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/linker.h>
#include <sys/systm.h>

MODULE_VERSION(bad_reloc, 1);

static void
bad_reloc_init(void *arg __unused)
{
	panic("bad_reloc: a refused module ran (%d)", bootverbose);
}
SYSINIT(bad_reloc, SI_SUB_DRIVERS, SI_ORDER_ANY, bad_reloc_init, NULL);
