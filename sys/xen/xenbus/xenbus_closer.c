/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The frontend closer (xenbus_closer.h): protocol errors raised in event
 * handlers become XenbusStateClosing from a thread that may sleep.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <xen/xenbus/xenbus_closer.h>
#include <xen/xenbus/xenbusvar.h>

void
xenbus_closer_init(struct xenbus_closer *xc, device_t dev)
{
	memset(xc, 0, sizeof(*xc));
	xc->xc_dev = dev;
	mtx_init(&xc->xc_mtx, "xenbus closer", NULL, MTX_SPIN);
}

static void
xenbus_closer_loop(void *arg)
{
	struct xenbus_closer *xc = arg;

	mtx_lock_spin(&xc->xc_mtx);
	for (;;) {
		while (!xc->xc_pending && !xc->xc_stop)
			msleep(&xc->xc_pending, &xc->xc_mtx, "xbclose", 0);
		if (xc->xc_stop)
			break;
		xc->xc_pending = false;
		xc->xc_busy = true;
		mtx_unlock_spin(&xc->xc_mtx);
		device_printf(xc->xc_dev,
		    "protocol error from the other end: "
		    "disconnecting\n");
		(void)xenbus_set_state(xc->xc_dev, XenbusStateClosing);
		mtx_lock_spin(&xc->xc_mtx);
		xc->xc_busy = false;
	}
	xc->xc_exited = true;
	wakeup(&xc->xc_exited);
	mtx_unlock_spin(&xc->xc_mtx);
	kthread_exit();
}

int
xenbus_closer_start(struct xenbus_closer *xc)
{
	KASSERT(xc->xc_td == NULL,
	    ("%s: closer started twice", device_get_nameunit(xc->xc_dev)));
	return (kthread_add(xenbus_closer_loop, xc, &xc->xc_td, -1, "%s",
	    device_get_nameunit(xc->xc_dev)));
}

void
xenbus_closer_raise(struct xenbus_closer *xc)
{
	mtx_lock_spin(&xc->xc_mtx);
	xc->xc_pending = true;
	wakeup(&xc->xc_pending);
	mtx_unlock_spin(&xc->xc_mtx);
}

bool
xenbus_closer_pending(struct xenbus_closer *xc)
{
	bool pending;

	mtx_lock_spin(&xc->xc_mtx);
	pending = xc->xc_pending;
	mtx_unlock_spin(&xc->xc_mtx);
	return (pending);
}

int
xenbus_closer_stop(struct xenbus_closer *xc)
{
	mtx_lock_spin(&xc->xc_mtx);
	if (xc->xc_busy) {
		mtx_unlock_spin(&xc->xc_mtx);
		return (EBUSY);
	}
	xc->xc_stop = true;
	wakeup(&xc->xc_pending);
	while (xc->xc_td != NULL && !xc->xc_exited)
		msleep(&xc->xc_exited, &xc->xc_mtx, "xbcstop", 0);
	xc->xc_td = NULL;
	mtx_unlock_spin(&xc->xc_mtx);
	return (0);
}

void
xenbus_closer_fini(struct xenbus_closer *xc)
{
	KASSERT(xc->xc_td == NULL,
	    ("%s: closer thread still runs", device_get_nameunit(xc->xc_dev)));
	mtx_destroy(&xc->xc_mtx);
}
