/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The XenbusState machine (sys/xen/xenbus/xenbus_state.c) against tables
 * written out here from <xen/io/xenbus.h> and the peers' behaviour: every
 * (from, to) pair of our own state for both roles, every (ours, other) pair
 * of the reaction, the parser on what a peer may write, and whole
 * conversations (connect, close, the other end going away and coming back).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <xen/xenbus/xenbus_state.h>

#include "kunit.h"

#define U	XenbusStateUnknown
#define I	XenbusStateInitialising
#define W	XenbusStateInitWait
#define D	XenbusStateInitialised
#define C	XenbusStateConnected
#define G	XenbusStateClosing
#define X	XenbusStateClosed
#define R	XenbusStateReconfiguring
#define F	XenbusStateReconfigured
#define NSTATES	9

struct pair {
	XenbusState	from, to;
};

/* Legal changes of a frontend's own state, besides staying put and -> Closed. */
static const struct pair front_ok[] = {
	{ U, I }, { I, D }, { I, C }, { I, G }, { D, C }, { D, G }, { C, G },
	{ X, I },
};
/* The same for a backend. */
static const struct pair back_ok[] = {
	{ U, I }, { U, W }, { I, W }, { I, G }, { W, C }, { W, G }, { C, G },
	{ C, R }, { R, F }, { R, G }, { F, C }, { F, G }, { X, I }, { X, W },
};

static bool
in_table(const struct pair *t, size_t n, XenbusState from, XenbusState to)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].from == from && t[i].to == to)
			return (true);
	return (false);
}

static void
check_transitions(enum xenbus_role role, const struct pair *t, size_t n)
{
	u_int legal = 0;

	for (u_int f = 0; f < NSTATES; f++) {
		for (u_int to = 0; to < NSTATES; to++) {
			bool want = to != U &&
			    (f == to || to == X || in_table(t, n, f, to));
			bool got = xenbus_state_transition_ok(role, f, to);

			KU_ASSERT(got == want, "%s: %s -> %s: got %s, want %s",
			    role == XENBUS_FRONTEND ? "front" : "back",
			    xenbus_state_name(f), xenbus_state_name(to),
			    got ? "legal" : "illegal", want ? "legal" : "illegal");
			legal += got;
		}
		/* Out-of-range values are never legal, either side. */
		KU_ASSERT(!xenbus_state_transition_ok(role, f, 9) &&
		    !xenbus_state_transition_ok(role, 9, f) &&
		    !xenbus_state_transition_ok(role, f, (XenbusState)-1),
		    "undefined state accepted next to %u", f);
	}
	/* 8 self-changes (not Unknown) + 8 to Closed (from != Closed) + table. */
	KU_ASSERT(legal == 8 + 8 + n - (in_table(t, n, X, X) ? 1 : 0),
	    "%u legal transitions", legal);
}

KUNIT_TEST(xenbus_state_front_transitions)
{
	check_transitions(XENBUS_FRONTEND, front_ok, nitems(front_ok));
	/* The ones a frontend must never make. */
	KU_ASSERT(!xenbus_state_transition_ok(XENBUS_FRONTEND, I, W),
	    "front Initialising -> InitWait");
	KU_ASSERT(!xenbus_state_transition_ok(XENBUS_FRONTEND, G, C),
	    "front Closing -> Connected");
	KU_ASSERT(!xenbus_state_transition_ok(XENBUS_FRONTEND, C, I),
	    "front Connected -> Initialising");
}

KUNIT_TEST(xenbus_state_back_transitions)
{
	check_transitions(XENBUS_BACKEND, back_ok, nitems(back_ok));
	KU_ASSERT(!xenbus_state_transition_ok(XENBUS_BACKEND, I, D),
	    "back Initialising -> Initialised");
	KU_ASSERT(!xenbus_state_transition_ok(XENBUS_BACKEND, G, W),
	    "back Closing -> InitWait");
}

struct reaction {
	XenbusState		ours, other;
	enum xenbus_action	act;
};

/* Every (ours, other) pair that calls for something; all others: nothing. */
static const struct reaction front_react[] = {
	{ X, I, XENBUS_ACT_RECONNECT }, { X, W, XENBUS_ACT_RECONNECT },
	{ X, D, XENBUS_ACT_RECONNECT },
	{ I, W, XENBUS_ACT_INIT }, { I, D, XENBUS_ACT_INIT },
	{ I, C, XENBUS_ACT_INIT }, { D, C, XENBUS_ACT_CONNECT },
	{ I, G, XENBUS_ACT_CLOSE }, { W, G, XENBUS_ACT_CLOSE },
	{ D, G, XENBUS_ACT_CLOSE }, { C, G, XENBUS_ACT_CLOSE },
	{ R, G, XENBUS_ACT_CLOSE }, { F, G, XENBUS_ACT_CLOSE },
};
static const struct reaction back_react[] = {
	{ X, I, XENBUS_ACT_RECONNECT }, { X, W, XENBUS_ACT_RECONNECT },
	{ W, D, XENBUS_ACT_CONNECT }, { W, C, XENBUS_ACT_CONNECT },
	{ I, G, XENBUS_ACT_CLOSE }, { W, G, XENBUS_ACT_CLOSE },
	{ D, G, XENBUS_ACT_CLOSE }, { C, G, XENBUS_ACT_CLOSE },
	{ R, G, XENBUS_ACT_CLOSE }, { F, G, XENBUS_ACT_CLOSE },
};

static void
check_reactions(enum xenbus_role role, const struct reaction *t, size_t n)
{
	for (u_int o = 0; o < NSTATES; o++) {
		for (u_int p = 0; p < NSTATES; p++) {
			enum xenbus_action want = XENBUS_ACT_NONE, got;

			for (size_t i = 0; i < n; i++)
				if (t[i].ours == o && t[i].other == p)
					want = t[i].act;
			/* Other end closed or gone: close, unless already. */
			if ((p == X || p == U) && o != X && o != U)
				want = XENBUS_ACT_CLOSED;
			got = xenbus_state_action(role, o, p);
			KU_ASSERT(got == want, "%s ours %s other %s: got %s, want %s",
			    role == XENBUS_FRONTEND ? "front" : "back",
			    xenbus_state_name(o), xenbus_state_name(p),
			    xenbus_action_name(got), xenbus_action_name(want));
		}
	}
	KU_ASSERT(xenbus_state_action(role, C, 9) == XENBUS_ACT_NONE &&
	    xenbus_state_action(role, 9, G) == XENBUS_ACT_NONE,
	    "an undefined state caused an action");
}

KUNIT_TEST(xenbus_state_front_reactions)
{
	check_reactions(XENBUS_FRONTEND, front_react, nitems(front_react));
}

KUNIT_TEST(xenbus_state_back_reactions)
{
	check_reactions(XENBUS_BACKEND, back_react, nitems(back_react));
}

KUNIT_TEST(xenbus_state_parse_peer_values)
{
	static const struct {
		const char	*s;
		int		want;	/* -1: refused */
	} cases[] = {
		{ "0", 0 }, { "1", 1 }, { "4", 4 }, { "6", 6 }, { "8", 8 },
		{ "04", 4 }, { "0006", 6 }, { "9", -1 }, { "10", -1 },
		{ "00004", -1 }, { "", -1 }, { "-1", -1 }, { "+4", -1 },
		{ " 4", -1 }, { "4 ", -1 }, { "4\n", -1 }, { "0x4", -1 },
		{ "a", -1 }, { "4294967300", -1 },
	};

	for (size_t i = 0; i < nitems(cases); i++) {
		XenbusState st = (XenbusState)77;
		int error = xenbus_state_parse(cases[i].s, strlen(cases[i].s), &st);

		if (cases[i].want < 0)
			KU_ASSERT(error == EINVAL && st == (XenbusState)77,
			    "\"%s\": error %d state %d, want refused untouched",
			    cases[i].s, error, st);
		else
			KU_ASSERT(error == 0 && st == (XenbusState)cases[i].want,
			    "\"%s\": error %d state %d, want %d", cases[i].s,
			    error, st, cases[i].want);
	}
	/* The length is what counts, not a NUL: "45" cut to one byte is 4. */
	{
		XenbusState st;

		KU_ASSERT(xenbus_state_parse("45", 1, &st) == 0 && st == C,
		    "length not honoured");
	}
	KU_ASSERT(strcmp(xenbus_state_name(C), "Connected") == 0 &&
	    strcmp(xenbus_state_name(9), "invalid") == 0, "names");
}

/*
 * A frontend driven only by xenbus_state_action(), as the bus drives a
 * driver-less child: each action is carried out by the states it implies.
 * Returns the frontend's state after seeing 'other'.
 */
static XenbusState
front_sees(XenbusState ours, XenbusState other)
{
	static const XenbusState after[] = {
		[XENBUS_ACT_INIT] = XenbusStateInitialised,
		[XENBUS_ACT_CONNECT] = XenbusStateConnected,
		[XENBUS_ACT_CLOSED] = XenbusStateClosed,
		[XENBUS_ACT_RECONNECT] = XenbusStateInitialising,
	};
	enum xenbus_action act = xenbus_state_action(XENBUS_FRONTEND, ours, other);
	XenbusState next;

	if (act == XENBUS_ACT_NONE)
		return (ours);
	if (act == XENBUS_ACT_CLOSE) {
		KU_ASSERT(xenbus_state_transition_ok(XENBUS_FRONTEND, ours, G) &&
		    xenbus_state_transition_ok(XENBUS_FRONTEND, G, X),
		    "close from %s not legal", xenbus_state_name(ours));
		return (X);
	}
	next = after[act];
	KU_ASSERT(xenbus_state_transition_ok(XENBUS_FRONTEND, ours, next),
	    "action %s: %s -> %s not legal", xenbus_action_name(act),
	    xenbus_state_name(ours), xenbus_state_name(next));
	/* A reconnect starts over: the backend's state is seen again. */
	if (act == XENBUS_ACT_RECONNECT)
		return (front_sees(next, other));
	return (next);
}

KUNIT_TEST(xenbus_state_front_conversation)
{
	/* What Linux blkback does: InitWait, Connected, then unplug, replug. */
	static const struct {
		XenbusState	backend, front_after;
	} steps[] = {
		{ I, I }, { W, D }, { C, C },	/* connect */
		{ C, C },			/* a repeated event changes nothing */
		{ G, X }, { X, X },		/* block-detach: backend closes */
		{ U, X },			/* backend node removed */
		{ I, I }, { W, D }, { C, C },	/* backend back: reconnect */
		{ U, X },			/* backend vanishes while connected */
		{ W, D }, { C, C },		/* ... and returns in InitWait */
	};
	XenbusState front = I;

	for (size_t i = 0; i < nitems(steps); i++) {
		front = front_sees(front, steps[i].backend);
		KU_ASSERT(front == steps[i].front_after,
		    "step %zu: backend %s: front %s, want %s", i,
		    xenbus_state_name(steps[i].backend), xenbus_state_name(front),
		    xenbus_state_name(steps[i].front_after));
	}
}

KUNIT_TEST(xenbus_state_back_conversation)
{
	/* A backend in InitWait: the frontend connects, closes, comes back. */
	XenbusState back = W;

	KU_ASSERT(xenbus_state_action(XENBUS_BACKEND, back, I) == XENBUS_ACT_NONE,
	    "frontend still Initialising");
	KU_ASSERT(xenbus_state_action(XENBUS_BACKEND, back, D) ==
	    XENBUS_ACT_CONNECT, "frontend Initialised");
	back = C;
	KU_ASSERT(xenbus_state_action(XENBUS_BACKEND, back, G) == XENBUS_ACT_CLOSE,
	    "frontend Closing");
	back = X;
	KU_ASSERT(xenbus_state_action(XENBUS_BACKEND, back, X) == XENBUS_ACT_NONE,
	    "both closed");
	KU_ASSERT(xenbus_state_action(XENBUS_BACKEND, back, I) ==
	    XENBUS_ACT_RECONNECT, "frontend back");
	KU_ASSERT(xenbus_state_transition_ok(XENBUS_BACKEND, back, W),
	    "back Closed -> InitWait");
}
