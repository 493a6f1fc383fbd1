/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The XenbusState rules (see xenbus_state.h).  The frontend and backend
 * halves follow what the peers we talk to do: a frontend publishes its
 * details when the backend reaches InitWait and connects when the backend
 * is Connected; a backend connects when the frontend is Initialised or
 * Connected; either end answers Closing with Closing then Closed, and starts
 * over when the other end comes back after both closed.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <xen/xenbus/xenbus_state.h>

/* Longer than any state's digits with leading zeros a peer might write. */
#define XENBUS_STATE_DIGITS_MAX	4

int
xenbus_state_parse(const char *s, size_t len, XenbusState *st)
{
	u_int v = 0;

	if (len == 0 || len > XENBUS_STATE_DIGITS_MAX)
		return (EINVAL);
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (EINVAL);
		v = v * 10 + (u_int)(s[i] - '0');
	}
	if (v > XENBUS_STATE_MAX)
		return (EINVAL);
	*st = (XenbusState)v;
	return (0);
}

const char *
xenbus_state_name(XenbusState st)
{
	static const char *const names[] = {
		[XenbusStateUnknown] = "Unknown",
		[XenbusStateInitialising] = "Initialising",
		[XenbusStateInitWait] = "InitWait",
		[XenbusStateInitialised] = "Initialised",
		[XenbusStateConnected] = "Connected",
		[XenbusStateClosing] = "Closing",
		[XenbusStateClosed] = "Closed",
		[XenbusStateReconfiguring] = "Reconfiguring",
		[XenbusStateReconfigured] = "Reconfigured",
	};

	if ((u_int)st >= nitems(names))
		return ("invalid");
	return (names[st]);
}

const char *
xenbus_action_name(enum xenbus_action act)
{
	switch (act) {
	case XENBUS_ACT_NONE:
		return ("none");
	case XENBUS_ACT_INIT:
		return ("init");
	case XENBUS_ACT_CONNECT:
		return ("connect");
	case XENBUS_ACT_CLOSE:
		return ("close");
	case XENBUS_ACT_CLOSED:
		return ("closed");
	case XENBUS_ACT_RECONNECT:
		return ("reconnect");
	}
	return ("invalid");
}

static bool
xenbus_state_defined(XenbusState st)
{
	return ((u_int)st <= XENBUS_STATE_MAX);
}

bool
xenbus_state_transition_ok(enum xenbus_role role, XenbusState from,
    XenbusState to)
{
	bool front = role == XENBUS_FRONTEND;

	if (!xenbus_state_defined(from) || !xenbus_state_defined(to) ||
	    to == XenbusStateUnknown)
		return (false);
	if (from == to)
		return (true);
	/* Closed ends every state (a failed setup closes without Closing). */
	if (to == XenbusStateClosed)
		return (true);
	switch (from) {
	case XenbusStateUnknown:
		return (to == XenbusStateInitialising ||
		    (!front && to == XenbusStateInitWait));
	case XenbusStateInitialising:
		if (to == XenbusStateClosing)
			return (true);
		if (front)
			return (to == XenbusStateInitialised ||
			    to == XenbusStateConnected);
		return (to == XenbusStateInitWait);
	case XenbusStateInitWait:
		/* Only backends wait for the other end's details. */
		return (!front && (to == XenbusStateConnected ||
		    to == XenbusStateClosing));
	case XenbusStateInitialised:
		return (front && (to == XenbusStateConnected ||
		    to == XenbusStateClosing));
	case XenbusStateConnected:
		return (to == XenbusStateClosing ||
		    (!front && to == XenbusStateReconfiguring));
	case XenbusStateClosing:
		/* Only Closed (above) follows Closing. */
		return (false);
	case XenbusStateClosed:
		/* Starting over after the other end came back. */
		return (to == XenbusStateInitialising ||
		    (!front && to == XenbusStateInitWait));
	case XenbusStateReconfiguring:
		return (!front && (to == XenbusStateReconfigured ||
		    to == XenbusStateClosing));
	case XenbusStateReconfigured:
		return (!front && (to == XenbusStateConnected ||
		    to == XenbusStateClosing));
	}
	return (false);
}

/* Both ends: the other end closing, closed or gone. */
static enum xenbus_action
xenbus_closing_action(XenbusState ours, XenbusState other)
{
	switch (other) {
	case XenbusStateClosing:
		if (ours == XenbusStateClosing || ours == XenbusStateClosed ||
		    ours == XenbusStateUnknown)
			return (XENBUS_ACT_NONE);
		return (XENBUS_ACT_CLOSE);
	case XenbusStateClosed:
	case XenbusStateUnknown:
		if (ours == XenbusStateClosed || ours == XenbusStateUnknown)
			return (XENBUS_ACT_NONE);
		return (XENBUS_ACT_CLOSED);
	default:
		return (XENBUS_ACT_NONE);
	}
}

static enum xenbus_action
xenbus_front_action(XenbusState ours, XenbusState other)
{
	switch (other) {
	case XenbusStateInitialising:
		return (ours == XenbusStateClosed ? XENBUS_ACT_RECONNECT :
		    XENBUS_ACT_NONE);
	case XenbusStateInitWait:
	case XenbusStateInitialised:
		if (ours == XenbusStateClosed)
			return (XENBUS_ACT_RECONNECT);
		return (ours == XenbusStateInitialising ? XENBUS_ACT_INIT :
		    XENBUS_ACT_NONE);
	case XenbusStateConnected:
		if (ours == XenbusStateInitialising)
			return (XENBUS_ACT_INIT);
		return (ours == XenbusStateInitialised ? XENBUS_ACT_CONNECT :
		    XENBUS_ACT_NONE);
	default:
		return (xenbus_closing_action(ours, other));
	}
}

static enum xenbus_action
xenbus_back_action(XenbusState ours, XenbusState other)
{
	switch (other) {
	case XenbusStateInitialising:
	case XenbusStateInitWait:
		return (ours == XenbusStateClosed ? XENBUS_ACT_RECONNECT :
		    XENBUS_ACT_NONE);
	case XenbusStateInitialised:
	case XenbusStateConnected:
		return (ours == XenbusStateInitWait ? XENBUS_ACT_CONNECT :
		    XENBUS_ACT_NONE);
	default:
		return (xenbus_closing_action(ours, other));
	}
}

enum xenbus_action
xenbus_state_action(enum xenbus_role role, XenbusState ours, XenbusState other)
{
	if (!xenbus_state_defined(ours) || !xenbus_state_defined(other))
		return (XENBUS_ACT_NONE);
	if (role == XENBUS_FRONTEND)
		return (xenbus_front_action(ours, other));
	return (xenbus_back_action(ours, other));
}
