/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A frontend's closer: the thread that takes a device to Closing after the
 * backend broke the protocol.  The error is found in an event handler,
 * which may not sleep or use xenstore; xenbus_closer_raise() only sets a
 * flag under a spin lock and the closer thread does the state change.
 *
 * xenbus_closer_init() readies the lock and flags (ktests that play the
 * device stop there); xenbus_closer_start() adds the thread, named after
 * the device.  xenbus_closer_stop() joins it and returns EBUSY, leaving it
 * running, while the thread is changing the state: that waits for the bus
 * lock a detaching caller holds.  xenbus_closer_fini() releases the lock of
 * a closer that has no thread (never started, or stopped), once the event
 * handlers that raise it are gone.
 */
#ifndef _XEN_XENBUS_XENBUS_CLOSER_H_
#define _XEN_XENBUS_XENBUS_CLOSER_H_

#include <sys/types.h>
#include <sys/bus.h>
#include <sys/mutex.h>

struct thread;

struct xenbus_closer {
	struct mtx xc_mtx; /* spin: the flags below */
	device_t xc_dev;
	struct thread *xc_td;
	bool xc_pending; /* a protocol error wants Closing */
	bool xc_stop;
	bool xc_busy; /* the thread is setting the state */
	bool xc_exited;
};

void xenbus_closer_init(struct xenbus_closer *xc, device_t dev);
int xenbus_closer_start(struct xenbus_closer *xc);
void xenbus_closer_raise(struct xenbus_closer *xc);
bool xenbus_closer_pending(struct xenbus_closer *xc);
int xenbus_closer_stop(struct xenbus_closer *xc);
void xenbus_closer_fini(struct xenbus_closer *xc);

#endif /* !_XEN_XENBUS_XENBUS_CLOSER_H_ */
