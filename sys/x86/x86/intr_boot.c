/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Interrupt bring-up of the boot processor: the local interrupt controller
 * first in SI_SUB_INTR, interrupts enabled last, once every vector the
 * subsystem installs (spurious, timer, IPIs) has its handler.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/intr.h>

#include <x86/apicvar.h>

/* A spurious interrupt is not in service: it must not be acknowledged. */
static void
spurious_intr(struct trapframe *tf __unused, void *arg __unused)
{
}

static void
intr_boot_apic(void *arg __unused)
{
	apic_ops.init();
	if (intr_setup_vector(IDT_SPURIOUS, spurious_intr, NULL) != 0)
		panic("cannot install the spurious vector");
}
SYSINIT(intr_boot_apic, SI_SUB_INTR, SI_ORDER_FIRST, intr_boot_apic, NULL);

static void
intr_boot_enable(void *arg __unused)
{
	enable_intr();
}
SYSINIT(intr_boot_enable, SI_SUB_INTR, SI_ORDER_ANY, intr_boot_enable, NULL);
