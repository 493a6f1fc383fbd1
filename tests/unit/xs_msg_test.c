/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Validation of xenstore messages from the daemon (sys/xen/xs_msg.c).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <xen/xs_msg.h>

#include "kunit.h"

KUNIT_TEST(xs_msg_header_limits)
{
	struct xsd_sockmsg h = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX };

	KU_ASSERT(xs_msg_header_check(&h) == 0, "maximal payload refused");
	h.len = XENSTORE_PAYLOAD_MAX + 1;
	KU_ASSERT(xs_msg_header_check(&h) == EMSGSIZE, "oversized payload taken");
	h.len = 0xffffffff;
	KU_ASSERT(xs_msg_header_check(&h) == EMSGSIZE, "huge payload taken");
	h.len = 4;
	h.type = XS_TYPE_COUNT;
	KU_ASSERT(xs_msg_header_check(&h) == EPROTO, "unknown type taken");
	h.type = XS_WATCH_EVENT;
	KU_ASSERT(xs_msg_header_check(&h) == 0, "watch event refused");
}

KUNIT_TEST(xs_msg_watch_event_split)
{
	static const char good[] = "/local/domain/1/x\0tok\0";
	const char *path = NULL, *token = NULL;

	KU_ASSERT(xs_msg_watch_event(good, sizeof(good) - 1, &path, &token) == 0,
	    "well-formed event refused");
	KU_ASSERT(strcmp(path, "/local/domain/1/x") == 0 &&
	    strcmp(token, "tok") == 0, "split wrong: %s %s", path, token);
	/* The token's NUL missing: the daemon must not make us read past it. */
	KU_ASSERT(xs_msg_watch_event(good, sizeof(good) - 2, &path, &token) ==
	    EPROTO, "unterminated token taken");
	KU_ASSERT(xs_msg_watch_event("abc", 3, &path, &token) == EPROTO,
	    "event without a NUL taken");
	KU_ASSERT(xs_msg_watch_event("\0tok\0", 5, &path, &token) == EPROTO,
	    "empty path taken");
	KU_ASSERT(xs_msg_watch_event("p\0", 2, &path, &token) == EPROTO,
	    "event without a token taken");
}

KUNIT_TEST(xs_msg_error_names)
{
	KU_ASSERT(xs_msg_error("EAGAIN", 7) == EAGAIN, "EAGAIN with NUL");
	KU_ASSERT(xs_msg_error("EAGAIN", 6) == EAGAIN, "EAGAIN without NUL");
	KU_ASSERT(xs_msg_error("ENOENT", 7) == ENOENT, "ENOENT");
	KU_ASSERT(xs_msg_error("EACCES", 7) == EACCES, "EACCES");
	KU_ASSERT(xs_msg_error("EAGAINX", 8) == EIO, "a longer name matched");
	KU_ASSERT(xs_msg_error("EAG", 3) == EIO, "a prefix matched");
	KU_ASSERT(xs_msg_error("", 0) == EIO, "an empty name matched");
}
