/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A fake xenstore daemon on an in-memory ring page, and the event channel
 * between it and the client (evtchn_bind_existing/evtchn_notify stand-ins).
 * It runs when the client notifies it (a daemon on another CPU answering at
 * once) and when the hosted scheduler is idle.  Tests set its misbehaviour.
 */
#ifndef _FAKE_XSD_H_
#define _FAKE_XSD_H_

#include <sys/types.h>

#include <xen/xen.h>
#include <xen/io/xs_wire.h>

struct fxsd_config {
	bool		no_drain;	/* never consumes requests */
	bool		silent;		/* consumes requests, never replies */
	bool		hold_replies;	/* replies wait in the outbox */
	u_int		unknown_before;	/* replies with a wrong req_id first */
	bool		bad_header;	/* next reply's header has a bad length */
	u_int		flood;		/* unknown-token events to flood with */
	bool		react_to_notify; /* run on evtchn_notify (default on) */
};

struct fxsd_stats {
	uint64_t	requests;	/* whole requests seen */
	uint64_t	flood_sent;
	uint64_t	flood_max_burst; /* flood messages between reader yields */
	uint64_t	notifies;
};

extern struct xenstore_domain_interface	fxsd_page;
extern struct fxsd_config		fxsd_cfg;
extern struct fxsd_stats		fxsd_stats;
extern struct xsd_sockmsg		fxsd_last_req;	/* header of the last */

/* Memory, scheduler, daemon; then starts the client (xs_attach_ring). */
void	fxsd_start(void);
/* Runs the daemon once; true if it moved anything. */
bool	fxsd_step(void);
/* Queues a message to the client (written to the ring as space allows). */
void	fxsd_send(uint32_t type, uint32_t req_id, const void *body, size_t len);
/* Queues a watch event "path\0token\0". */
void	fxsd_send_event(const char *path, const char *token);
/* Raises the client's event channel. */
void	fxsd_kick(void);
/* Lets held replies go. */
void	fxsd_release(void);

#endif /* !_FAKE_XSD_H_ */
