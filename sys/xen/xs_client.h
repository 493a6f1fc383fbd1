/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Internals shared by the xenstore client files.
 */
#ifndef _XEN_XS_CLIENT_H_
#define _XEN_XS_CLIENT_H_

#include <sys/types.h>

#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/io/xs_wire.h>
#include <xen/xenstore.h>

struct xs_iov {
	const void	*base;
	size_t		len;
};

/* Sends one request and waits for its reply (see xenstore.h for errors). */
int	xs_talk(uint32_t type, xs_tx_t tx, const struct xs_iov *iov, u_int niov,
	    char **reply, size_t *len);
/* Starts the client on a mapped ring; called by the xenstore device. */
int	xs_attach_ring(struct xenstore_domain_interface *, evtchn_port_t);

#endif /* !_XEN_XS_CLIENT_H_ */
