/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The xenpv bus: the parent of Xen's top-level PV devices.  Children are
 * created in a fixed attach order; later ones may rely on earlier ones
 * (xenstore needs the console for its messages, control needs xenstore).
 */
#ifndef _XEN_XENPV_H_
#define _XEN_XENPV_H_

#include <sys/types.h>

#define XENPV_ORDER_CONSOLE	10
#define XENPV_ORDER_TIMER	20
#define XENPV_ORDER_XENSTORE	30
#define XENPV_ORDER_CONTROL	40
#define XENPV_ORDER_LATER	100	/* balloon, privcmd, ... */

/* VIRQ_TIMER events delivered to a CPU (for tests). */
uint64_t	xen_timer_events(u_int cpu);

/* PV console state (for tests). */
bool		xencons_attached(void);
/* Last shutdown request the control driver took ("" if none). */
const char	*xen_control_last_request(void);
uint64_t	xencons_dropped(void);

#endif /* !_XEN_XENPV_H_ */
