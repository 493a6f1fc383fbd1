/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Hosted stand-ins: a unit test is one thread with no interrupts to mask.
 */
#ifndef _MACHINE_CPUFUNC_H_
#define _MACHINE_CPUFUNC_H_

#include <sys/types.h>

#define PSL_I		0x200

static inline register_t read_rflags(void) { return (PSL_I); }
static inline void disable_intr(void) { }
static inline void enable_intr(void) { }
static inline void halt(void) { }
static inline void sti_hlt(void) { }
static inline void cpu_spinwait(void) { }
static inline register_t intr_disable(void) { return (PSL_I); }
static inline void intr_restore(register_t rf __unused) { }

#endif /* !_MACHINE_CPUFUNC_H_ */
