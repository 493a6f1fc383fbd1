/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The XenbusState machine of <xen/io/xenbus.h> as pure functions, shared by
 * the frontend bus and the (later) backend bus: parsing a peer's state node,
 * which changes of our own state are legal, and what to do when the other
 * end's state changes.  No xenstore, no locks: hosted-tested as it is.
 */
#ifndef _XEN_XENBUS_XENBUS_STATE_H_
#define _XEN_XENBUS_XENBUS_STATE_H_

#include <sys/types.h>

#include <xen/io/xenbus.h>

/* Which end of the device we are. */
enum xenbus_role {
	XENBUS_FRONTEND,
	XENBUS_BACKEND,
};

/* The highest state <xen/io/xenbus.h> defines. */
#define XENBUS_STATE_MAX	XenbusStateReconfigured

/*
 * Parses a state node as a peer wrote it (len bytes, no NUL needed):
 * decimal digits only, at most a few of them, a defined state.  EINVAL
 * otherwise; *st is then untouched.
 */
int		xenbus_state_parse(const char *s, size_t len, XenbusState *st);
/* "Initialising", "Connected", ...; "invalid" for an undefined value. */
const char	*xenbus_state_name(XenbusState st);

/*
 * May an end in the given role switch its own state from 'from' to 'to'?
 * Writing the state it already has is legal (and a no-op); Unknown is never
 * written (it means "no node").
 */
bool		xenbus_state_transition_ok(enum xenbus_role role, XenbusState from,
		    XenbusState to);

/* What an end does when the other end's state changes. */
enum xenbus_action {
	XENBUS_ACT_NONE,	/* nothing */
	XENBUS_ACT_INIT,	/* frontend: the backend waits for our details:
				   publish them, go Initialised */
	XENBUS_ACT_CONNECT,	/* the other end is ready: connect, go Connected */
	XENBUS_ACT_CLOSE,	/* the other end closes: quiesce, go Closing, then
				   Closed */
	XENBUS_ACT_CLOSED,	/* the other end is closed or gone: go Closed */
	XENBUS_ACT_RECONNECT,	/* the other end came back after we closed:
				   start over (frontend Initialising, backend
				   InitWait) */
};

/*
 * The action for an end in 'role', itself in state 'ours', seeing the other
 * end in state 'other' (XenbusStateUnknown when the other end's node is gone).
 */
enum xenbus_action xenbus_state_action(enum xenbus_role role, XenbusState ours,
		    XenbusState other);
const char	*xenbus_action_name(enum xenbus_action act);

#endif /* !_XEN_XENBUS_XENBUS_STATE_H_ */
