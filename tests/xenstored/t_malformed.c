/* Malformed input: answered with errors, or that peer alone is dropped. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"

static char out[XENSTORE_PAYLOAD_MAX + 1];

static void
still_serves(const struct xsd_daemon *d)
{
	int fd = raw_connect(d->sock);

	ATF_REQUIRE_MSG(fd >= 0, "daemon no longer accepts connections");
	ATF_REQUIRE_EQ(raw_call(fd, XS_READ, 0, "/", 2, out, sizeof(out), NULL),
	    XS_READ);
	close(fd);
}

ATF_TC_WITHOUT_HEAD(oversized_frame_disconnects);
ATF_TC_BODY(oversized_frame_disconnects, tc)
{
	struct xsd_daemon d;
	struct xsd_sockmsg h = { XS_WRITE, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
	int bad, good;

	xsd_start(&d, tc, NULL);
	good = raw_connect(d.sock);
	bad = raw_connect(d.sock);
	ATF_REQUIRE(good >= 0 && bad >= 0);
	ATF_REQUIRE(write(bad, &h, sizeof(h)) == sizeof(h));
	ATF_REQUIRE_MSG(raw_closed(bad, 5000), "oversized frame not dropped");
	/* Others are unaffected, before and after. */
	ATF_REQUIRE_EQ(raw_call(good, XS_WRITE, 0, "/ok\0v", 5, out,
			   sizeof(out), NULL),
	    XS_WRITE);
	still_serves(&d);
	h.len = 0xffffffffu;
	bad = raw_connect(d.sock);
	ATF_REQUIRE(write(bad, &h, sizeof(h)) == sizeof(h));
	ATF_REQUIRE(raw_closed(bad, 5000));
	close(bad);
	close(good);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(max_payload_accepted);
ATF_TC_BODY(max_payload_accepted, tc)
{
	struct xsd_daemon d;
	char p[XENSTORE_PAYLOAD_MAX];
	int fd;

	xsd_start(&d, tc, NULL);
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	/* Exactly 4096 bytes: a path and a value filling the frame. */
	memcpy(p, "/max", 5);
	memset(p + 5, 'v', sizeof(p) - 5);
	ATF_REQUIRE_EQ(raw_call(fd, XS_WRITE, 0, p, sizeof(p), out, sizeof(out),
			   NULL),
	    XS_WRITE);
	ATF_REQUIRE_EQ(raw_call(fd, XS_READ, 0, "/max", 5, out, sizeof(out),
			   NULL),
	    XS_READ);
	close(fd);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(missing_nuls);
ATF_TC_BODY(missing_nuls, tc)
{
	static const uint32_t types[] = { XS_READ, XS_MKDIR, XS_RM,
		XS_DIRECTORY, XS_GET_PERMS, XS_WRITE, XS_SET_PERMS, XS_WATCH,
		XS_UNWATCH, XS_TRANSACTION_END, XS_GET_DOMAIN_PATH, XS_RELEASE,
		XS_IS_DOMAIN_INTRODUCED, XS_INTRODUCE, XS_SET_TARGET,
		XS_DIRECTORY_PART, XS_RESUME, XS_CONTROL };
	struct xsd_daemon d;
	size_t i;
	uint32_t t;
	int fd;

	xsd_start(&d, tc, NULL);
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		t = raw_call(fd, types[i], 0, "/no-nul", 7, out, sizeof(out),
		    NULL);
		ATF_REQUIRE_EQ_MSG(t, XS_ERROR, "type %u accepted", types[i]);
		ATF_REQUIRE_MSG(strcmp(out, "EINVAL") == 0 ||
			strcmp(out, "ENOENT") == 0,
		    "type %u: %s", types[i], out);
	}
	still_serves(&d);
	close(fd);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(unknown_types);
ATF_TC_BODY(unknown_types, tc)
{
	struct xsd_daemon d;
	uint32_t t, types[] = { XS_TYPE_COUNT, 100, 0xffff, 0xffffffffu,
		XS_WATCH_EVENT, XS_ERROR, XS_SET_TARGET + 1 };
	size_t i;
	int fd;

	xsd_start(&d, tc, NULL);
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		t = raw_call(fd, types[i], 0, "x", 2, out, sizeof(out), NULL);
		ATF_REQUIRE_EQ(t, XS_ERROR);
		/* As C xenstored 4.17 answers them. */
		ATF_REQUIRE_STREQ(out, "ENOSYS");
	}
	close(fd);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(split_frames);
ATF_TC_BODY(split_frames, tc)
{
	struct xsd_daemon d;
	struct xsd_sockmsg h = { XS_WRITE, 77, 0, 9 };
	char frame[sizeof(h) + 9];
	struct timespec ts = { 0, 2000000 };
	size_t i;
	int fd;

	xsd_start(&d, tc, NULL);
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	memcpy(frame, &h, sizeof(h));
	memcpy(frame + sizeof(h), "/split\0ab", 9);
	/* One byte at a time: partial reads must be assembled. */
	for (i = 0; i < sizeof(frame); i++) {
		ATF_REQUIRE(write(fd, frame + i, 1) == 1);
		nanosleep(&ts, NULL);
	}
	ATF_REQUIRE(raw_recv(fd, &h, out, sizeof(out), 5000));
	ATF_REQUIRE_EQ(h.type, XS_WRITE);
	ATF_REQUIRE_EQ(h.req_id, 77);
	ATF_REQUIRE_EQ(raw_call(fd, XS_READ, 0, "/split", 7, out, sizeof(out),
			   NULL),
	    XS_READ);
	ATF_REQUIRE_STREQ(out, "ab");
	close(fd);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(abandoned_partial_frames);
ATF_TC_BODY(abandoned_partial_frames, tc)
{
	struct xsd_daemon d;
	struct xsd_sockmsg h = { XS_WRITE, 1, 0, 100 };
	int i, fd;

	xsd_start(&d, tc, NULL);
	for (i = 0; i < 50; i++) {
		fd = raw_connect(d.sock);
		ATF_REQUIRE(fd >= 0);
		/* Half a header, or a header and part of the payload. */
		if (i % 2)
			ATF_REQUIRE(write(fd, &h, 7) == 7);
		else {
			ATF_REQUIRE(write(fd, &h, sizeof(h)) == sizeof(h));
			ATF_REQUIRE(write(fd, "/abc", 4) == 4);
		}
		close(fd);
	}
	still_serves(&d);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(pipelined_flood);
ATF_TC_BODY(pipelined_flood, tc)
{
	/* 500 requests sent before reading any reply: the daemon applies
	 * backpressure but answers every one, in order. */
	struct xsd_daemon d;
	struct xsd_sockmsg h;
	int fd, i;
	static const char *const args[] = { "--outstanding", "5", NULL };
	char p[64];
	size_t n;

	xsd_start(&d, tc, args);
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	if (fork() == 0) {
		for (i = 0; i < 500; i++) {
			n = (size_t)snprintf(p, sizeof(p), "/flood/%d%cv", i,
			    0);
			raw_send(fd, XS_WRITE, (uint32_t)i, 0, p, n + 1);
		}
		_exit(0);
	}
	for (i = 0; i < 500; i++) {
		ATF_REQUIRE(raw_recv(fd, &h, out, sizeof(out), 10000));
		ATF_REQUIRE_EQ(h.type, XS_WRITE);
		ATF_REQUIRE_EQ(h.req_id, (uint32_t)i);
	}
	still_serves(&d);
	close(fd);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(reply_over_limit_is_e2big);
ATF_TC_BODY(reply_over_limit_is_e2big, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	char path[64];
	int i, fd;
	uint32_t t;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), "/e2/name-of-twenty-four-%03d", i);
		ATF_REQUIRE(xs_write(h, XBT_NULL, path, "", 0));
	}
	fd = raw_connect(d.sock);
	t = raw_call(fd, XS_DIRECTORY, 0, "/e2", 4, out, sizeof(out), NULL);
	ATF_REQUIRE_EQ(t, XS_ERROR);
	ATF_REQUIRE_STREQ(out, "E2BIG");
	close(fd);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, oversized_frame_disconnects);
	ATF_TP_ADD_TC(tp, max_payload_accepted);
	ATF_TP_ADD_TC(tp, missing_nuls);
	ATF_TP_ADD_TC(tp, unknown_types);
	ATF_TP_ADD_TC(tp, split_frames);
	ATF_TP_ADD_TC(tp, abandoned_partial_frames);
	ATF_TP_ADD_TC(tp, pipelined_flood);
	ATF_TP_ADD_TC(tp, reply_over_limit_is_e2big);
	return atf_no_error();
}
