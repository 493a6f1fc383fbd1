/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The PV clock as this CPU's record gives it, before the cross-CPU clamp of
 * xen_pvclock_ns(): for tests that check the records themselves.
 */
#ifndef _X86_XEN_XEN_PVCLOCK_RAW_H_
#define _X86_XEN_XEN_PVCLOCK_RAW_H_

#include <sys/types.h>

/* Nanoseconds of Xen system time from the calling CPU's record. */
uint64_t	xen_pvclock_raw_ns(void);

#endif /* !_X86_XEN_XEN_PVCLOCK_RAW_H_ */
