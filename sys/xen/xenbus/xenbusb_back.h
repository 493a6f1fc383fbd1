/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The backend xenbus ("xenbusb_back", under xenstore): our domain as a
 * driver domain or dom0.  One child per backend/<type>/<frontid>/<devid>
 * directory the toolstack writes under our home, with the ivars of
 * xenbusvar.h (ROLE is XENBUS_BACKEND, NODE our directory, OTHEREND_* the
 * frontend).  A child's driver probes on its type, writes its features and
 * goes InitWait in attach (or later, from XENBUS_OTHEREND_CHANGED); it
 * connects when the frontend is Initialised or Connected and follows the
 * closing protocol.  A child without a driver stays Initialising (the
 * toolstack then gives up on it) and still follows Closing -> Closed.
 *
 * The hotplug work (no script runs for a driver domain's backends, and
 * there is no devd here): once a driver attaches the bus writes
 * hotplug-status = "connected"; once our state node says Closed and the
 * toolstack has set online to 0 (or the frontend's directory is gone), the
 * bus removes our directory: the toolstack leaves that to the driver domain
 * and waits for it (10 s) before it removes the frontend.  A directory the
 * toolstack removes detaches its child.
 *
 * Calls into drivers (probe, attach, XENBUS_OTHEREND_CHANGED, detach) run
 * in the xenstore watch thread with the bus lock held: they may sleep and
 * use xenstore, and xenbus_set_state() may be called from them.
 */
#ifndef _XEN_XENBUS_XENBUSB_BACK_H_
#define _XEN_XENBUS_XENBUSB_BACK_H_

#include <sys/types.h>
#include <sys/bus.h>

#include <xen/xenbus/xenbusvar.h>

struct xenbus_back_stats {
	uint64_t	scans;		/* enumerations of backend/ */
	uint64_t	events;		/* watch events on backend/ */
	uint64_t	added;		/* children created */
	uint64_t	removed;	/* children detached and deleted */
	uint64_t	refused;	/* entries ignored: bad name, no frontend, ... */
	uint64_t	otherend_events; /* frontend state changes delivered */
	uint64_t	bad_states;	/* frontend state nodes that did not parse */
	uint64_t	cleaned;	/* directories we removed after the close */
};

/* The backend bus of this domain (NULL if none attached). */
device_t xenbus_back_bus(void);
void	xenbus_back_get_stats(device_t bus, struct xenbus_back_stats *);
/* As xenbus_foreach_child(), for the backend bus. */
void	xenbus_back_foreach_child(device_t bus, void (*fn)(device_t, void *),
	    void *arg);
/* Enumerates again now (the backend/ watch does it on every change). */
void	xenbus_back_rescan(device_t bus);

#endif /* !_XEN_XENBUS_XENBUSB_BACK_H_ */
