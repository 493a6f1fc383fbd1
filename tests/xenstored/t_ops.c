/* Every request type over the socket, through libxenstore and raw frames. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"

static char *
rd(struct xs_handle *h, const char *path, unsigned *len)
{
	return xs_read(h, XBT_NULL, path, len);
}

static void
expect_value(struct xs_handle *h, const char *path, const char *want)
{
	unsigned len;
	char *v = rd(h, path, &len);

	ATF_REQUIRE_MSG(v != NULL, "read %s: %s", path, strerror(errno));
	ATF_REQUIRE_EQ_MSG(len, strlen(want), "%s: length %u", path, len);
	ATF_REQUIRE_STREQ(v, want);
	free(v);
}

static void
expect_errno(struct xs_handle *h, const char *path, int err)
{
	unsigned len;
	char *v = rd(h, path, &len);

	ATF_REQUIRE_MSG(v == NULL, "read %s unexpectedly worked", path);
	ATF_REQUIRE_EQ_MSG(errno, err, "%s: errno %d, want %d", path, errno,
	    err);
}

/* Sends a raw request and requires an ERROR reply naming err. */
static void
raw_expect_error(int fd, uint32_t type, uint32_t tx, const void *p,
    size_t len, const char *err)
{
	char out[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t t = raw_call(fd, type, tx, p, len, out, sizeof(out), NULL);

	ATF_REQUIRE_EQ_MSG(t, XS_ERROR, "type %u: got %u, want ERROR %s", type,
	    t, err);
	ATF_REQUIRE_STREQ(out, err);
}

ATF_TC_WITHOUT_HEAD(read_write);
ATF_TC_BODY(read_write, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	static const char bin[] = { 'a', 0, 'b', 0, 0, 'c' };
	unsigned len;
	char *v;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/t/k", "v1", 2));
	expect_value(h, "/t/k", "v1");
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/t/k", "longer value", 12));
	expect_value(h, "/t/k", "longer value");
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/t/empty", "", 0));
	expect_value(h, "/t/empty", "");
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/t/bin", bin, sizeof(bin)));
	v = rd(h, "/t/bin", &len);
	ATF_REQUIRE(v != NULL);
	ATF_REQUIRE_EQ(len, sizeof(bin));
	ATF_REQUIRE(memcmp(v, bin, sizeof(bin)) == 0);
	free(v);
	expect_errno(h, "/t/missing", ENOENT);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(implicit_parents_and_mkdir);
ATF_TC_BODY(implicit_parents_and_mkdir, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	char **dir;
	unsigned n;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/p/q/r/s", "deep", 4));
	expect_value(h, "/p", "");
	expect_value(h, "/p/q/r", "");
	dir = xs_directory(h, XBT_NULL, "/p/q", &n);
	ATF_REQUIRE(dir != NULL);
	ATF_REQUIRE_EQ(n, 1);
	ATF_REQUIRE_STREQ(dir[0], "r");
	free(dir);
	/* MKDIR keeps an existing value and creates what is missing. */
	ATF_REQUIRE(xs_mkdir(h, XBT_NULL, "/p/q/r/s"));
	expect_value(h, "/p/q/r/s", "deep");
	ATF_REQUIRE(xs_mkdir(h, XBT_NULL, "/m/n"));
	expect_value(h, "/m/n", "");
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(rm_recursive);
ATF_TC_BODY(rm_recursive, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	char **dir;
	unsigned n;
	char path[64];
	int i, fd;
	char out[64];

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	for (i = 0; i < 50; i++) {
		snprintf(path, sizeof(path), "/r/a/%d/x/y", i);
		ATF_REQUIRE(xs_write(h, XBT_NULL, path, "1", 1));
	}
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/r/b", "keep", 4));
	ATF_REQUIRE(xs_rm(h, XBT_NULL, "/r/a"));
	expect_errno(h, "/r/a", ENOENT);
	expect_errno(h, "/r/a/7/x/y", ENOENT);
	expect_value(h, "/r/b", "keep");
	dir = xs_directory(h, XBT_NULL, "/r", &n);
	ATF_REQUIRE(dir != NULL);
	ATF_REQUIRE_EQ(n, 1);
	free(dir);
	/* Absent node with a parent: fine.  Absent parent: ENOENT. */
	ATF_REQUIRE(xs_rm(h, XBT_NULL, "/r/nothing"));
	ATF_REQUIRE(!xs_rm(h, XBT_NULL, "/r/no/thing"));
	ATF_REQUIRE_EQ(errno, ENOENT);
	/* The root cannot go. */
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	raw_expect_error(fd, XS_RM, 0, "/", 2, "EINVAL");
	expect_value(h, "/r/b", "keep");
	(void)out;
	close(fd);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(directory_part_big);
ATF_TC_BODY(directory_part_big, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	char **dir, path[128], out[XENSTORE_PAYLOAD_MAX + 1];
	unsigned n, i;
	int fd;
	bool seen[300];
	xs_transaction_t t;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	/* 300 names of 40+ bytes: a listing of over 12 KiB. */
	t = xs_transaction_start(h);
	ATF_REQUIRE(t != XBT_NULL);
	for (i = 0; i < 300; i++) {
		snprintf(path, sizeof(path),
		    "/big/child-with-a-rather-long-name-%04u", i);
		ATF_REQUIRE(xs_write(h, t, path, "x", 1));
	}
	ATF_REQUIRE(xs_transaction_end(h, t, false));
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	raw_expect_error(fd, XS_DIRECTORY, 0, "/big", 5, "E2BIG");
	/* libxenstore falls back to DIRECTORY_PART after E2BIG. */
	dir = xs_directory(h, XBT_NULL, "/big", &n);
	ATF_REQUIRE_MSG(dir != NULL, "xs_directory: %s", strerror(errno));
	ATF_REQUIRE_EQ(n, 300);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < n; i++) {
		unsigned k;

		ATF_REQUIRE(sscanf(dir[i], "child-with-a-rather-long-name-%u",
				&k) == 1 && k < 300);
		ATF_REQUIRE(!seen[k]);
		seen[k] = true;
	}
	free(dir);
	/* As C xenstored 4.17: an offset past the end gives an empty list
	 * (the generation, then one empty name). */
	{
		uint32_t ol;
		char req[16];

		memcpy(req, "/big\0" "999999\0", 12);
		ATF_REQUIRE_EQ(raw_call(fd, XS_DIRECTORY_PART, 0, req, 12, out,
				   sizeof(out), &ol),
		    XS_DIRECTORY_PART);
		ATF_REQUIRE(ol >= 3 && out[ol - 1] == '\0' &&
		    out[ol - 2] == '\0');
		ATF_REQUIRE_EQ(strlen(out) + 2, ol);
	}
	close(fd);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(directory_part_small);
ATF_TC_BODY(directory_part_small, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	char out[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t len, glen;
	int fd;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/s/a", "", 0));
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/s/bb", "", 0));
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(raw_call(fd, XS_DIRECTORY_PART, 0, "/s\0" "0", 5, out,
			   sizeof(out), &len),
	    XS_DIRECTORY_PART);
	/* <gen>\0 a\0 bb\0 \0 */
	glen = (uint32_t)strlen(out) + 1;
	ATF_REQUIRE(glen > 1);
	ATF_REQUIRE_EQ(len, glen + 2 + 3 + 1);
	ATF_REQUIRE(memcmp(out + glen, "a\0bb\0\0", 6) == 0);
	/* From the second entry. */
	ATF_REQUIRE_EQ(raw_call(fd, XS_DIRECTORY_PART, 0, "/s\0" "2", 5, out,
			   sizeof(out), &len),
	    XS_DIRECTORY_PART);
	ATF_REQUIRE_EQ(len, glen + 3 + 1);
	close(fd);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(relative_paths);
ATF_TC_BODY(relative_paths, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	char *p;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	ATF_REQUIRE(xs_write(h, XBT_NULL, "rel/k", "r", 1));
	expect_value(h, "/local/domain/0/rel/k", "r");
	p = xs_get_domain_path(h, 7);
	ATF_REQUIRE(p != NULL);
	ATF_REQUIRE_STREQ(p, "/local/domain/7");
	free(p);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(invalid_paths);
ATF_TC_BODY(invalid_paths, tc)
{
	static const char *const bad[] = { "/a//b", "/a/", "/a b", "/a\xc3",
		"/a.b", "", NULL };
	struct xsd_daemon d;
	struct xs_handle *h;
	char longp[3100];
	int i, fd;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	for (i = 0; bad[i] != NULL; i++) {
		errno = 0;
		ATF_REQUIRE_MSG(!xs_write(h, XBT_NULL, bad[i], "x", 1),
		    "write to '%s' worked", bad[i]);
		ATF_REQUIRE_EQ_MSG(errno, EINVAL, "'%s': errno %d", bad[i],
		    errno);
	}
	/* Over XENSTORE_ABS_PATH_MAX. */
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	raw_expect_error(fd, XS_READ, 0, longp, sizeof(longp), "EINVAL");
	close(fd);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(perms_get_set);
ATF_TC_BODY(perms_get_set, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	struct xs_permissions set[3] = {
		{ 3, XS_PERM_NONE }, { 5, XS_PERM_READ },
		{ 9, XS_PERM_READ | XS_PERM_WRITE },
	}, *got;
	unsigned n;
	int fd;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/perm/node", "v", 1));
	got = xs_get_permissions(h, XBT_NULL, "/perm/node", &n);
	ATF_REQUIRE(got != NULL);
	ATF_REQUIRE_EQ(n, 1);
	ATF_REQUIRE_EQ(got[0].id, 0);
	ATF_REQUIRE_EQ(got[0].perms, XS_PERM_NONE);
	free(got);
	ATF_REQUIRE(xs_set_permissions(h, XBT_NULL, "/perm/node", set, 3));
	got = xs_get_permissions(h, XBT_NULL, "/perm/node", &n);
	ATF_REQUIRE(got != NULL);
	ATF_REQUIRE_EQ(n, 3);
	ATF_REQUIRE_EQ(got[0].id, 3);
	ATF_REQUIRE_EQ(got[1].id, 5);
	ATF_REQUIRE_EQ(got[1].perms, XS_PERM_READ);
	ATF_REQUIRE_EQ(got[2].perms, XS_PERM_READ | XS_PERM_WRITE);
	free(got);
	/* Children created later inherit the parent's permissions. */
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/perm/node/kid", "k", 1));
	got = xs_get_permissions(h, XBT_NULL, "/perm/node/kid", &n);
	ATF_REQUIRE(got != NULL && n == 3 && got[0].id == 3);
	free(got);
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	raw_expect_error(fd, XS_SET_PERMS, 0, "/perm/node\0x5", 14, "EINVAL");
	raw_expect_error(fd, XS_SET_PERMS, 0, "/perm/node\0r", 13, "EINVAL");
	raw_expect_error(fd, XS_SET_PERMS, 0, "/perm/node\0", 11, "EINVAL");
	raw_expect_error(fd, XS_SET_PERMS, 0, "/perm/node\0r99999", 18,
	    "EINVAL");
	raw_expect_error(fd, XS_GET_PERMS, 0, "/perm/none", 11, "ENOENT");
	close(fd);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(domain_requests);
ATF_TC_BODY(domain_requests, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	char out[64];
	int fd;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	ATF_REQUIRE(xs_is_domain_introduced(h, 0));
	ATF_REQUIRE(!xs_is_domain_introduced(h, 4));
	ATF_REQUIRE(xs_introduce_domain(h, 4, 1234, 7));
	ATF_REQUIRE(xs_is_domain_introduced(h, 4));
	ATF_REQUIRE(xs_resume_domain(h, 4));
	ATF_REQUIRE(xs_set_target(h, 5, 4));
	ATF_REQUIRE(xs_release_domain(h, 4));
	ATF_REQUIRE(!xs_is_domain_introduced(h, 4));
	ATF_REQUIRE(!xs_release_domain(h, 4));
	ATF_REQUIRE_EQ(errno, ENOENT);
	ATF_REQUIRE(!xs_resume_domain(h, 4));
	ATF_REQUIRE_EQ(errno, ENOENT);
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	raw_expect_error(fd, XS_INTRODUCE, 0, "0\0" "1\0" "2", 6, "EINVAL");
	raw_expect_error(fd, XS_INTRODUCE, 0, "x\0" "1\0" "2", 6, "EINVAL");
	raw_expect_error(fd, XS_INTRODUCE, 0, "3\0" "1", 4, "EINVAL");
	raw_expect_error(fd, XS_RELEASE, 0, "0", 2, "EINVAL");
	/* C xenstored reads this id with atoi(): "abc" is domain 0. */
	ATF_REQUIRE_EQ(raw_call(fd, XS_GET_DOMAIN_PATH, 0, "abc", 4, out,
			   sizeof(out), NULL),
	    XS_GET_DOMAIN_PATH);
	ATF_REQUIRE_STREQ(out, "/local/domain/0");
	raw_expect_error(fd, XS_SET_TARGET, 0, "5", 2, "EINVAL");
	close(fd);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(control);
ATF_TC_BODY(control, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	char *r;

	xsd_start(&d, tc, NULL);
	h = xsd_open();
	r = xs_control_command(h, "help", NULL, 0);
	ATF_REQUIRE(r != NULL);
	ATF_REQUIRE(strstr(r, "restrict") != NULL);
	free(r);
	r = xs_control_command(h, "print", "hello-from-test", 16);
	ATF_REQUIRE(r != NULL);
	free(r);
	ATF_REQUIRE(xsd_log_has(&d, "hello-from-test"));
	r = xs_control_command(h, "no-such-command", NULL, 0);
	ATF_REQUIRE(r == NULL);
	ATF_REQUIRE_EQ(errno, EINVAL);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

/*
 * The control commands against C xenstored 4.17's replies, captured from
 * it under xenstub (the type, then the payload with its NUL).
 */
static void
ctl_expect(int fd, const char *const *args, uint32_t type, const char *want)
{
	char p[256], out[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t t, len;
	size_t n = raw_args(p, sizeof(p), args);

	t = raw_call(fd, XS_CONTROL, 0, p, n, out, sizeof(out), &len);
	ATF_CHECK_EQ_MSG(t, type, "%s: type %u", args[0], t);
	ATF_CHECK_MSG(len == strlen(want) + 1 && memcmp(out, want, len) == 0,
	    "%s %s: got '%.*s'", args[0], args[1] != NULL ? args[1] : "",
	    (int)len, out);
}

ATF_TC_WITHOUT_HEAD(control_as_c);
ATF_TC_BODY(control_as_c, tc)
{
	static const char *const soft[] = { "quota-soft", NULL };
	static const char *const set_tx[] = { "quota", "set", "transactions",
		"3", NULL };
	static const char *const set_0[] = { "quota", "set", "nodes", "0",
		NULL };
	static const char *const set_5x[] = { "quota", "set", "nodes", "5x",
		NULL };
	static const char *const set_bad[] = { "quota", "set", "bogus", "3",
		NULL };
	static const char *const set_short[] = { "quota", "set", "nodes",
		NULL };
	static const char *const soft_nodes[] = { "quota-soft", "set",
		"nodes", "3", NULL };
	static const char *const dom_gone[] = { "quota", "5", NULL };
	static const char *const dom_two[] = { "quota", "0", "1", NULL };
	static const char *const check_x[] = { "check", "x", NULL };
	static const char *const print0[] = { "print", NULL };
	static const char *const print2[] = { "print", "a", "b", NULL };
	static const char *const log_x[] = { "log", "x", NULL };
	static const char *const help_x[] = { "help", "x", NULL };
	static const char *const memrep[] = { "memreport", NULL };
	static const char *const lu[] = { "live-update", NULL };
	struct xsd_daemon d;
	int fd;

	xsd_start(&d, tc, NULL);
	fd = raw_connect(d.sock);
	ctl_expect(fd, soft, XS_CONTROL,
	    "Quota settings:\nmemory           :  2097152 Total Xenstore "
	    "memory per domain (warning level)\n");
	ctl_expect(fd, set_tx, XS_CONTROL, "OK");
	ctl_expect(fd, set_0, XS_ERROR, "EINVAL");
	ctl_expect(fd, set_5x, XS_CONTROL, "OK");
	ctl_expect(fd, set_bad, XS_ERROR, "EINVAL");
	ctl_expect(fd, set_short, XS_ERROR, "EINVAL");
	ctl_expect(fd, soft_nodes, XS_ERROR, "EINVAL");
	ctl_expect(fd, dom_gone, XS_ERROR, "ENOENT");
	ctl_expect(fd, dom_two, XS_ERROR, "EINVAL");
	ctl_expect(fd, check_x, XS_ERROR, "EINVAL");
	ctl_expect(fd, print0, XS_ERROR, "EINVAL");
	ctl_expect(fd, print2, XS_ERROR, "EINVAL");
	ctl_expect(fd, log_x, XS_ERROR, "EINVAL");
	ctl_expect(fd, help_x, XS_ERROR, "EINVAL");
	ctl_expect(fd, memrep, XS_ERROR, "EINVAL");
	ctl_expect(fd, lu, XS_ERROR, "EINVAL");
	close(fd);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(every_type_answered);
ATF_TC_BODY(every_type_answered, tc)
{
	struct xsd_daemon d;
	char out[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t t, type;
	int fd;

	xsd_start(&d, tc, NULL);
	fd = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0);
	/* An empty payload: every type gets a reply of its own type or an
	 * ERROR, never silence, and the connection stays usable. */
	for (type = 0; type < XS_TYPE_COUNT + 3; type++) {
		if (type == XS_TRANSACTION_START || type == XS_RESET_WATCHES)
			continue; /* these succeed and change state */
		t = raw_call(fd, type, 0, "", 0, out, sizeof(out), NULL);
		ATF_REQUIRE_MSG(t == type || t == XS_ERROR, "type %u -> %u",
		    type, t);
		/* ENOSYS: not a request type (C xenstored's answer). */
		if (t == XS_ERROR)
			ATF_REQUIRE_MSG(strcmp(out, "EINVAL") == 0 ||
				strcmp(out, "ENOENT") == 0 ||
				strcmp(out, "ENOSYS") == 0,
			    "type %u: %s", type, out);
	}
	raw_expect_error(fd, XS_WATCH_EVENT, 0, "/a\0t", 5, "ENOSYS");
	raw_expect_error(fd, XS_ERROR, 0, "EINVAL", 7, "ENOSYS");
	raw_expect_error(fd, 9999, 0, "", 0, "ENOSYS");
	ATF_REQUIRE_EQ(raw_call(fd, XS_READ, 0, "/", 2, out, sizeof(out), NULL),
	    XS_READ);
	close(fd);
	xsd_kill(&d, SIGKILL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, read_write);
	ATF_TP_ADD_TC(tp, implicit_parents_and_mkdir);
	ATF_TP_ADD_TC(tp, rm_recursive);
	ATF_TP_ADD_TC(tp, directory_part_big);
	ATF_TP_ADD_TC(tp, directory_part_small);
	ATF_TP_ADD_TC(tp, relative_paths);
	ATF_TP_ADD_TC(tp, invalid_paths);
	ATF_TP_ADD_TC(tp, perms_get_set);
	ATF_TP_ADD_TC(tp, domain_requests);
	ATF_TP_ADD_TC(tp, control);
	ATF_TP_ADD_TC(tp, control_as_c);
	ATF_TP_ADD_TC(tp, every_type_answered);
	return atf_no_error();
}
