/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * /dev/xen/xenbus (xenbus_dev(4)): xenstore for user space.
 */
#ifndef _DEV_XEN_XENBUS_DEV_H_
#define _DEV_XEN_XENBUS_DEV_H_

#include <sys/types.h>

struct cdevsw;

/* Makes the node once the xenstore client runs (idempotent). */
void	xenbus_dev_create(void);
/* The device's entry points, for the in-kernel tests. */
const struct cdevsw *xenbus_dev_cdevsw(void);
/* Watch events dropped from full read queues, over every open file. */
uint64_t xenbus_dev_events_dropped(void);

#endif /* !_DEV_XEN_XENBUS_DEV_H_ */
