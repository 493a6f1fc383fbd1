/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Checks of xenstore messages from the daemon, as pure functions: the
 * client copies a header or body out of the ring once, then validates the
 * copy here.
 */
#ifndef _XEN_XS_MSG_H_
#define _XEN_XS_MSG_H_

#include <sys/types.h>

#include <xen/xen.h>
#include <xen/io/xs_wire.h>

/* 0 if the header may start a reply or event, else EPROTO/EMSGSIZE. */
int	xs_msg_header_check(const struct xsd_sockmsg *);
/*
 * Splits a WATCH_EVENT body ("path\0token\0") in place; 0 and pointers into
 * body, or EPROTO if either string is missing its NUL or the path is empty.
 */
int	xs_msg_watch_event(const char *body, size_t len, const char **path,
	    const char **token);
/* Maps an XS_ERROR body (an error name) to an errno value (EIO if unknown). */
int	xs_msg_error(const char *body, size_t len);

#endif /* !_XEN_XS_MSG_H_ */
