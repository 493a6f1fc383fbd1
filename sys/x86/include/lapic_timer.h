/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The local APIC event timer (native), for tests and diagnostics.
 */
#ifndef _X86_LAPIC_TIMER_H_
#define _X86_LAPIC_TIMER_H_

#include <sys/types.h>

struct eventtimer;

/* Timer interrupts taken on a CPU since boot. */
uint64_t	lapic_timer_intr_count(u_int cpu);
/* Calibrated frequency in Hz, 0 if the timer is not in use. */
uint64_t	lapic_timer_hz(void);
/* The registered event timer, or NULL. */
struct eventtimer *lapic_timer_et(void);

#endif /* !_X86_LAPIC_TIMER_H_ */
