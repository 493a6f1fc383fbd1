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
/*
 * The same, reply as the daemon sent it: *type may be XS_ERROR (its body an
 * error name) or any other type; only transport errors are returned.
 */
int	xs_talk_raw(uint32_t type, xs_tx_t tx, const struct xs_iov *iov,
	    u_int niov, uint32_t *type_out, char **reply, size_t *len);
/* Starts the client on a mapped ring; called by the xenstore device. */
int	xs_attach_ring(struct xenstore_domain_interface *, evtchn_port_t);

#endif /* !_XEN_XS_CLIENT_H_ */
