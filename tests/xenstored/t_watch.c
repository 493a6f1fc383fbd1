/* Watches: first firing, ordering against replies, matching rules. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"

static char out[XENSTORE_PAYLOAD_MAX + 1];

/* Next event on a raw connection: requires one within the timeout. */
static void
expect_event(int fd, const char *path, const char *token)
{
	struct xsd_sockmsg h;

	ATF_REQUIRE_MSG(raw_recv(fd, &h, out, sizeof(out), 5000),
	    "no event for %s", path);
	ATF_REQUIRE_EQ_MSG(h.type, XS_WATCH_EVENT, "got type %u", h.type);
	ATF_REQUIRE_EQ(h.req_id, 0);
	ATF_REQUIRE_STREQ(out, path);
	ATF_REQUIRE_STREQ(out + strlen(out) + 1, token);
}

static void
expect_nothing(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };

	ATF_REQUIRE_EQ_MSG(poll(&p, 1, 200), 0, "unexpected message");
}

static void
expect_reply(int fd, uint32_t type, uint32_t req)
{
	struct xsd_sockmsg h;

	ATF_REQUIRE(raw_recv(fd, &h, out, sizeof(out), 5000));
	ATF_REQUIRE_EQ_MSG(h.type, type, "got type %u (%s), want %u", h.type,
	    out, type);
	ATF_REQUIRE_EQ(h.req_id, req);
}

static void
raw_watch(int fd, const char *path, const char *token, uint32_t req)
{
	char p[256];
	size_t n = (size_t)snprintf(p, sizeof(p), "%s%c%s", path, 0, token) + 1;

	raw_send(fd, XS_WATCH, req, 0, p, n);
	expect_reply(fd, XS_WATCH, req);
}

static void
raw_write(int fd, const char *path, const char *val, uint32_t req)
{
	char p[256];
	size_t n = (size_t)snprintf(p, sizeof(p), "%s%c%s", path, 0, val);

	raw_send(fd, XS_WRITE, req, 0, p, n);
}

ATF_TC_WITHOUT_HEAD(fires_once_after_reply);
ATF_TC_BODY(fires_once_after_reply, tc)
{
	struct xsd_daemon d;
	int fd;

	xsd_start(&d, tc, NULL);
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	/* The WATCH reply comes first, then exactly one initial event. */
	raw_watch(fd, "/w/a", "tok1", 1);
	expect_event(fd, "/w/a", "tok1");
	expect_nothing(fd);
	close(fd);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(event_after_reply);
ATF_TC_BODY(event_after_reply, tc)
{
	struct xsd_daemon d;
	int fd, other;

	xsd_start(&d, tc, NULL);
	fd = raw_connect(d.sock);
	other = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0 && other >= 0);
	raw_watch(fd, "/w", "t", 1);
	expect_event(fd, "/w", "t");
	/* Our own write: the event it caused, then the reply (C
	 * xenstored's order). */
	raw_write(fd, "/w/x", "1", 2);
	expect_event(fd, "/w/x", "t");
	expect_reply(fd, XS_WRITE, 2);
	/* Three writes pipelined: each event precedes its reply. */
	raw_write(fd, "/w/y", "1", 3);
	raw_write(fd, "/w/z", "1", 4);
	raw_write(fd, "/elsewhere", "1", 5);
	expect_event(fd, "/w/y", "t");
	expect_reply(fd, XS_WRITE, 3);
	expect_event(fd, "/w/z", "t");
	expect_reply(fd, XS_WRITE, 4);
	expect_reply(fd, XS_WRITE, 5);
	expect_nothing(fd);
	/* Another connection's change. */
	raw_write(other, "/w/o", "1", 9);
	expect_reply(other, XS_WRITE, 9);
	expect_event(fd, "/w/o", "t");
	close(fd);
	close(other);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(matching_rules);
ATF_TC_BODY(matching_rules, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	int fd;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/m/a/b/c", "1", 1));
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	raw_watch(fd, "/m/a/b/c", "deep", 1);
	expect_event(fd, "/m/a/b/c", "deep");
	/* A sibling whose name shares a prefix does not match. */
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/m/a/b/cc", "1", 1));
	expect_nothing(fd);
	/* Removing an ancestor reports the watched path itself. */
	ATF_REQUIRE(xs_rm(h, XBT_NULL, "/m/a"));
	expect_event(fd, "/m/a/b/c", "deep");
	expect_nothing(fd);
	/* Permission change fires too. */
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/m/a/b/c", "1", 1));
	expect_event(fd, "/m/a/b/c", "deep");
	{
		struct xs_permissions p = { 0, XS_PERM_READ };

		ATF_REQUIRE(xs_set_permissions(h, XBT_NULL, "/m/a/b/c", &p, 1));
	}
	expect_event(fd, "/m/a/b/c", "deep");
	close(fd);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(relative_watch);
ATF_TC_BODY(relative_watch, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	int fd;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	raw_watch(fd, "dev", "rel", 1);
	expect_event(fd, "dev", "rel");
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/local/domain/0/dev/vif", "1", 1));
	expect_event(fd, "dev/vif", "rel");
	close(fd);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(unwatch_and_errors);
ATF_TC_BODY(unwatch_and_errors, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	int fd;
	uint32_t t;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	raw_watch(fd, "/u", "a", 1);
	expect_event(fd, "/u", "a");
	/* Same path and token twice: EEXIST. */
	t = raw_call(fd, XS_WATCH, 0, "/u\0a", 5, out, sizeof(out), NULL);
	ATF_REQUIRE_EQ(t, XS_ERROR);
	ATF_REQUIRE_STREQ(out, "EEXIST");
	t = raw_call(fd, XS_UNWATCH, 0, "/u\0a", 5, out, sizeof(out), NULL);
	ATF_REQUIRE_EQ(t, XS_UNWATCH);
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/u/x", "1", 1));
	expect_nothing(fd);
	t = raw_call(fd, XS_UNWATCH, 0, "/u\0a", 5, out, sizeof(out), NULL);
	ATF_REQUIRE_EQ(t, XS_ERROR);
	ATF_REQUIRE_STREQ(out, "ENOENT");
	t = raw_call(fd, XS_WATCH, 0, "/bad//path\0a", 13, out, sizeof(out),
	    NULL);
	ATF_REQUIRE_EQ(t, XS_ERROR);
	ATF_REQUIRE_STREQ(out, "EINVAL");
	t = raw_call(fd, XS_WATCH, 0, "/no-token", 10, out, sizeof(out), NULL);
	ATF_REQUIRE_EQ(t, XS_ERROR);
	ATF_REQUIRE_STREQ(out, "EINVAL");
	close(fd);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(reset_watches);
ATF_TC_BODY(reset_watches, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	int fd;
	uint32_t t;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	raw_watch(fd, "/r", "a", 1);
	expect_event(fd, "/r", "a");
	t = raw_call(fd, XS_RESET_WATCHES, 0, "", 1, out, sizeof(out), NULL);
	ATF_REQUIRE_EQ(t, XS_RESET_WATCHES);
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/r/x", "1", 1));
	expect_nothing(fd);
	close(fd);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(special_watches);
ATF_TC_BODY(special_watches, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	int fd;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	raw_watch(fd, "@introduceDomain", "in", 1);
	expect_event(fd, "@introduceDomain", "in");
	raw_watch(fd, "@releaseDomain", "out", 2);
	expect_event(fd, "@releaseDomain", "out");
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/any", "1", 1));
	expect_nothing(fd);
	ATF_REQUIRE(xs_introduce_domain(h, 3, 100, 4));
	expect_event(fd, "@introduceDomain", "in");
	expect_nothing(fd);
	ATF_REQUIRE(xs_release_domain(h, 3));
	expect_event(fd, "@releaseDomain", "out");
	expect_nothing(fd);
	close(fd);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(libxenstore_watch);
ATF_TC_BODY(libxenstore_watch, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h, *w;
	char **ev;
	unsigned n;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	w = xsd_open();
	ATF_REQUIRE(xs_watch(w, "/lx", "tk"));
	ev = xs_read_watch(w, &n);
	ATF_REQUIRE(ev != NULL);
	ATF_REQUIRE_STREQ(ev[XS_WATCH_PATH], "/lx");
	ATF_REQUIRE_STREQ(ev[XS_WATCH_TOKEN], "tk");
	free(ev);
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/lx/1", "v", 1));
	ev = xs_read_watch(w, &n);
	ATF_REQUIRE(ev != NULL);
	ATF_REQUIRE_STREQ(ev[XS_WATCH_PATH], "/lx/1");
	free(ev);
	ATF_REQUIRE(xs_unwatch(w, "/lx", "tk"));
	xs_close(w);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

/*
 * A removal announces every node of the subtree, children before parents
 * in child order; below the removed node only watches on the node itself
 * fire, so a watch on a path that did not exist hears nothing.  Reference:
 * C xenstored 4.17 (the differential test found the difference).
 */
ATF_TC_WITHOUT_HEAD(rm_events_per_node);
ATF_TC_BODY(rm_events_per_node, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	int fd;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/q/a/x", "1", 1));
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/q/b", "1", 1));
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	raw_watch(fd, "/q", "top", 1);
	expect_event(fd, "/q", "top");
	raw_watch(fd, "/q/a/x", "leaf", 2);
	expect_event(fd, "/q/a/x", "leaf");
	raw_watch(fd, "/q/none", "absent", 3);
	expect_event(fd, "/q/none", "absent");
	ATF_REQUIRE(xs_rm(h, XBT_NULL, "/q"));
	/* /q/a/x, /q/a, /q/b, then /q: only exact watches below /q. */
	expect_event(fd, "/q/a/x", "leaf");
	expect_event(fd, "/q", "top");
	expect_nothing(fd);
	close(fd);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rm_events_per_node);
	ATF_TP_ADD_TC(tp, fires_once_after_reply);
	ATF_TP_ADD_TC(tp, event_after_reply);
	ATF_TP_ADD_TC(tp, matching_rules);
	ATF_TP_ADD_TC(tp, relative_watch);
	ATF_TP_ADD_TC(tp, unwatch_and_errors);
	ATF_TP_ADD_TC(tp, reset_watches);
	ATF_TP_ADD_TC(tp, special_watches);
	ATF_TP_ADD_TC(tp, libxenstore_watch);
	return atf_no_error();
}
