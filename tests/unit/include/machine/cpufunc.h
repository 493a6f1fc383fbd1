/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Hosted stand-ins: a unit test is one thread with no interrupts to take,
 * but the interrupt flag is modelled (hosted_rflags) so code that saves and
 * restores it can be checked.
 */
#ifndef _MACHINE_CPUFUNC_H_
#define _MACHINE_CPUFUNC_H_

#include <sys/types.h>

#define PSL_I		0x200

extern register_t	hosted_rflags;

static inline register_t read_rflags(void) { return (hosted_rflags); }
static inline void disable_intr(void) { hosted_rflags &= ~(register_t)PSL_I; }
static inline void enable_intr(void) { hosted_rflags |= PSL_I; }
static inline void halt(void) { }
static inline void sti_hlt(void) { enable_intr(); }
static inline void cpu_spinwait(void) { }

static inline register_t
intr_disable(void)
{
	register_t rf = hosted_rflags;

	disable_intr();
	return (rf);
}

static inline void
intr_restore(register_t rf)
{
	if (rf & PSL_I)
		enable_intr();
}

#endif /* !_MACHINE_CPUFUNC_H_ */
