/* Permissions as seen by an unprivileged domain (CONTROL restrict). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"

static void
setp(struct xs_handle *h, const char *path, const char *spec)
{
	struct xs_permissions p[8];
	unsigned n = 0;
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		ATF_REQUIRE(xs_strings_to_perms(&p[n], 1, tok));
		n++;
	}
	ATF_REQUIRE_MSG(xs_set_permissions(h, XBT_NULL, path, p, n),
	    "set %s on %s: %s", spec, path, strerror(errno));
}

static int
read_err(struct xs_handle *h, const char *path)
{
	char *v = xs_read(h, XBT_NULL, path, NULL);

	if (v != NULL) {
		free(v);
		return 0;
	}
	return errno;
}

ATF_TC_WITHOUT_HEAD(read_write_access);
ATF_TC_BODY(read_write_access, tc)
{
	struct xsd_daemon d;
	struct xs_handle *dom0, *g;

	xsd_start(&d, tc, NULL);
	dom0 = xsd_open();
	g = xsd_open();
	xsd_restrict(g, 5);
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/p/secret", "s", 1));
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/p/pub", "p", 1));
	setp(dom0, "/p", "n0,r5");
	setp(dom0, "/p/pub", "r0");
	ATF_REQUIRE_EQ(read_err(g, "/p/secret"), EACCES);
	ATF_REQUIRE_EQ(read_err(g, "/p/pub"), 0);
	/* Absent under a readable parent: ENOENT; under an unreadable one:
	 * EACCES, so existence does not leak. */
	ATF_REQUIRE_EQ(read_err(g, "/p/none"), ENOENT);
	ATF_REQUIRE_EQ(read_err(g, "/p/secret/none"), EACCES);
	ATF_REQUIRE(!xs_write(g, XBT_NULL, "/p/pub", "x", 1));
	ATF_REQUIRE_EQ(errno, EACCES);
	ATF_REQUIRE(!xs_rm(g, XBT_NULL, "/p/pub"));
	ATF_REQUIRE_EQ(errno, EACCES);
	ATF_REQUIRE(!xs_write(g, XBT_NULL, "/p/new", "x", 1));
	ATF_REQUIRE_EQ(errno, EACCES);
	/* Write permission on the parent allows creating children, which
	 * the creator then owns. */
	setp(dom0, "/p", "n0,b5");
	ATF_REQUIRE(xs_write(g, XBT_NULL, "/p/new/deeper", "x", 1));
	{
		struct xs_permissions *got;
		unsigned n;

		got = xs_get_permissions(g, XBT_NULL, "/p/new/deeper", &n);
		ATF_REQUIRE(got != NULL);
		ATF_REQUIRE_EQ(got[0].id, 5);
		free(got);
	}
	xs_close(g);
	xs_close(dom0);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(set_perms_rules);
ATF_TC_BODY(set_perms_rules, tc)
{
	struct xsd_daemon d;
	struct xs_handle *dom0, *g;
	struct xs_permissions p[2];

	xsd_start(&d, tc, NULL);
	dom0 = xsd_open();
	g = xsd_open();
	xsd_restrict(g, 5);
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/sp/mine", "", 0));
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/sp/theirs", "", 0));
	setp(dom0, "/sp/mine", "n5");
	setp(dom0, "/sp/theirs", "b0");
	/* Owner may change the access list but not give the node away. */
	ATF_REQUIRE(xs_strings_to_perms(&p[0], 1, "r5"));
	ATF_REQUIRE(xs_strings_to_perms(&p[1], 1, "b7"));
	ATF_REQUIRE(xs_set_permissions(g, XBT_NULL, "/sp/mine", p, 2));
	ATF_REQUIRE(xs_strings_to_perms(&p[0], 1, "n9"));
	ATF_REQUIRE(!xs_set_permissions(g, XBT_NULL, "/sp/mine", p, 1));
	ATF_REQUIRE_EQ(errno, EPERM);
	/* Read-write access is not ownership. */
	ATF_REQUIRE(xs_strings_to_perms(&p[0], 1, "b0"));
	ATF_REQUIRE(!xs_set_permissions(g, XBT_NULL, "/sp/theirs", p, 1));
	ATF_REQUIRE_EQ(errno, EACCES);
	xs_close(g);
	xs_close(dom0);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(privileged_requests);
ATF_TC_BODY(privileged_requests, tc)
{
	struct xsd_daemon d;
	struct xs_handle *g;
	char *r;

	xsd_start(&d, tc, NULL);
	g = xsd_open();
	xsd_restrict(g, 5);
	ATF_REQUIRE(!xs_introduce_domain(g, 9, 1, 1));
	ATF_REQUIRE_EQ(errno, EACCES);
	ATF_REQUIRE(!xs_release_domain(g, 9));
	ATF_REQUIRE_EQ(errno, EACCES);
	ATF_REQUIRE(!xs_set_target(g, 9, 5));
	ATF_REQUIRE_EQ(errno, EACCES);
	ATF_REQUIRE(!xs_resume_domain(g, 9));
	ATF_REQUIRE_EQ(errno, EACCES);
	r = xs_control_command(g, "restrict", "0", 2);
	ATF_REQUIRE(r == NULL);
	ATF_REQUIRE_EQ(errno, EACCES);
	/* GET_DOMAIN_PATH is open to all. */
	r = xs_get_domain_path(g, 5);
	ATF_REQUIRE_STREQ(r, "/local/domain/5");
	free(r);
	xs_close(g);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(set_target);
ATF_TC_BODY(set_target, tc)
{
	struct xsd_daemon d;
	struct xs_handle *dom0, *dm;

	xsd_start(&d, tc, NULL);
	dom0 = xsd_open();
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/local/domain/5/dev", "x", 1));
	setp(dom0, "/local/domain/5/dev", "n5");
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/granted", "g", 1));
	setp(dom0, "/granted", "n0,r5");
	/* Domain 6 (a device model) acts for domain 5. */
	dm = xsd_open();
	xsd_restrict(dm, 6);
	ATF_REQUIRE_EQ(read_err(dm, "/local/domain/5/dev"), EACCES);
	ATF_REQUIRE(xs_set_target(dom0, 6, 5));
	ATF_REQUIRE_EQ(read_err(dm, "/local/domain/5/dev"), 0);
	ATF_REQUIRE(xs_write(dm, XBT_NULL, "/local/domain/5/dev", "y", 1));
	ATF_REQUIRE_EQ(read_err(dm, "/granted"), 0);
	xs_close(dm);
	xs_close(dom0);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(relative_to_own_home);
ATF_TC_BODY(relative_to_own_home, tc)
{
	struct xsd_daemon d;
	struct xs_handle *dom0, *g;
	char *v;

	xsd_start(&d, tc, NULL);
	dom0 = xsd_open();
	ATF_REQUIRE(xs_mkdir(dom0, XBT_NULL, "/local/domain/5"));
	setp(dom0, "/local/domain/5", "n5");
	g = xsd_open();
	xsd_restrict(g, 5);
	ATF_REQUIRE(xs_write(g, XBT_NULL, "data/k", "v", 1));
	v = xs_read(dom0, XBT_NULL, "/local/domain/5/data/k", NULL);
	ATF_REQUIRE_STREQ(v, "v");
	free(v);
	xs_close(g);
	xs_close(dom0);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(events_filtered_by_read_access);
ATF_TC_BODY(events_filtered_by_read_access, tc)
{
	struct xsd_daemon d;
	struct xs_handle *dom0, *g;
	char **ev;
	unsigned n;

	xsd_start(&d, tc, NULL);
	dom0 = xsd_open();
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/f/open", "", 0));
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/f/closed", "", 0));
	setp(dom0, "/f", "n0,r5");
	setp(dom0, "/f/open", "n0,r5");
	setp(dom0, "/f/closed", "n0");
	g = xsd_open();
	xsd_restrict(g, 5);
	ATF_REQUIRE(xs_watch(g, "/f", "t"));
	ev = xs_read_watch(g, &n);
	ATF_REQUIRE(ev != NULL);
	free(ev);
	/* As C xenstored: an unreadable node's event still reaches a
	 * watcher that may read its parent; /g/closed's does not. */
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/g/closed", "", 0));
	setp(dom0, "/g", "n0");
	setp(dom0, "/g/closed", "n0");
	ATF_REQUIRE(xs_watch(g, "/g", "u"));
	ev = xs_read_watch(g, &n);
	ATF_REQUIRE(ev != NULL);
	free(ev);
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/g/closed", "1", 1));
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/f/closed", "1", 1));
	ev = xs_read_watch(g, &n);
	ATF_REQUIRE(ev != NULL);
	ATF_REQUIRE_STREQ(ev[XS_WATCH_PATH], "/f/closed");
	free(ev);
	xs_close(g);
	xs_close(dom0);
	xsd_kill(&d, SIGKILL);
}

/*
 * XSA-322: after RELEASE, a new domain given the same domid must not
 * inherit what the old one was granted: its entries are dropped, and
 * nodes it owned pass to dom0.
 */
static char *
perms_str(struct xs_handle *h, const char *path)
{
	struct xs_permissions *p;
	unsigned n, i;
	char *out = calloc(1, 256), one[32];

	ATF_REQUIRE(out != NULL);
	p = xs_get_permissions(h, XBT_NULL, path, &n);
	ATF_REQUIRE_MSG(p != NULL, "get perms of %s: %s", path,
	    strerror(errno));
	for (i = 0; i < n; i++) {
		snprintf(one, sizeof(one), "%c%u",
		    "nrwb"[p[i].perms & (XS_PERM_READ | XS_PERM_WRITE)],
		    p[i].id);
		if (i > 0)
			strcat(out, ",");
		strcat(out, one);
	}
	free(p);
	return out;
}

ATF_TC_WITHOUT_HEAD(release_revokes_perms);
ATF_TC_BODY(release_revokes_perms, tc)
{
	/* Owned nodes would go (XSA-419): keep them to see them passed on. */
	static const char *const args[] = { "--keep-orphans", NULL };
	struct xsd_daemon d;
	struct xs_handle *dom0, *g;
	char *s;

	xsd_start(&d, tc, args);
	dom0 = xsd_open();
	ATF_REQUIRE(xs_introduce_domain(dom0, 5, 1234, 7));
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/tool/shared", "s", 1));
	setp(dom0, "/tool/shared", "n0,b5,r6");
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/tool/owned", "o", 1));
	setp(dom0, "/tool/owned", "r5,w6");
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/tool/other", "x", 1));
	setp(dom0, "/tool/other", "n0,r6");
	g = xsd_open();
	xsd_restrict(g, 5);
	ATF_REQUIRE_EQ(read_err(g, "/tool/shared"), 0);
	ATF_REQUIRE_EQ(read_err(g, "/tool/owned"), 0);
	xs_close(g);

	ATF_REQUIRE(xs_release_domain(dom0, 5));
	s = perms_str(dom0, "/tool/shared");
	ATF_REQUIRE_STREQ(s, "n0,r6");
	free(s);
	s = perms_str(dom0, "/tool/owned");
	ATF_REQUIRE_STREQ(s, "r0,w6");
	free(s);
	s = perms_str(dom0, "/tool/other");
	ATF_REQUIRE_STREQ(s, "n0,r6");
	free(s);

	/* A new domain 5 gets nothing of the old one's rights. */
	ATF_REQUIRE(xs_introduce_domain(dom0, 5, 1234, 7));
	g = xsd_open();
	xsd_restrict(g, 5);
	ATF_REQUIRE_EQ(read_err(g, "/tool/shared"), EACCES);
	ATF_REQUIRE(!xs_write(g, XBT_NULL, "/tool/shared", "x", 1));
	ATF_REQUIRE_EQ(errno, EACCES);
	/* /tool/owned now gives everyone (domain 5 too) read access only. */
	ATF_REQUIRE_EQ(read_err(g, "/tool/owned"), 0);
	ATF_REQUIRE(!xs_write(g, XBT_NULL, "/tool/owned", "x", 1));
	ATF_REQUIRE_EQ(errno, EACCES);
	xs_close(g);
	xs_close(dom0);
	xsd_kill(&d, SIGKILL);
}

/*
 * XSA-419: the nodes a released domain owns go, with everything below
 * them (C xenstored does this unless --keep-orphans); nodes it only has
 * access to stay.  Each removed node fires its watches.
 */
ATF_TC_WITHOUT_HEAD(release_removes_owned);
ATF_TC_BODY(release_removes_owned, tc)
{
	struct xsd_daemon d;
	struct xs_handle *dom0, *w;
	char *s, **ev;
	unsigned n;
	char **dir;

	xsd_start(&d, tc, NULL);
	dom0 = xsd_open();
	ATF_REQUIRE(xs_introduce_domain(dom0, 5, 1234, 7));
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/local/domain/5/dev/x", "1", 1));
	setp(dom0, "/local/domain/5", "n5");
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/vm/5/sub/leaf", "v", 1));
	setp(dom0, "/vm/5/sub", "b5");
	/* Below an owned node, a node of someone else goes with it. */
	setp(dom0, "/vm/5/sub/leaf", "n0");
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/vm/5/kept", "k", 1));
	setp(dom0, "/vm/5/kept", "n0,r5");
	w = xsd_open();
	ATF_REQUIRE(xs_watch(w, "/vm/5/sub/leaf", "leaf"));
	ev = xs_read_watch(w, &n);
	ATF_REQUIRE(ev != NULL);
	free(ev);

	ATF_REQUIRE(xs_release_domain(dom0, 5));
	ATF_REQUIRE(xs_read(dom0, XBT_NULL, "/local/domain/5", NULL) == NULL);
	ATF_REQUIRE_EQ(errno, ENOENT);
	ATF_REQUIRE(xs_read(dom0, XBT_NULL, "/vm/5/sub", NULL) == NULL);
	ATF_REQUIRE_EQ(errno, ENOENT);
	dir = xs_directory(dom0, XBT_NULL, "/vm/5", &n);
	ATF_REQUIRE(dir != NULL);
	ATF_REQUIRE_EQ(n, 1);
	ATF_REQUIRE_STREQ(dir[0], "kept");
	free(dir);
	s = perms_str(dom0, "/vm/5/kept");
	ATF_REQUIRE_STREQ(s, "n0");
	free(s);
	ev = xs_read_watch(w, &n);
	ATF_REQUIRE(ev != NULL);
	ATF_REQUIRE_STREQ(ev[XS_WATCH_PATH], "/vm/5/sub/leaf");
	free(ev);
	xs_close(w);
	xs_close(dom0);
	xsd_kill(&d, SIGKILL);
}

/* With --keep-orphans they stay, owned by domain 0. */
ATF_TC_WITHOUT_HEAD(release_keep_orphans);
ATF_TC_BODY(release_keep_orphans, tc)
{
	static const char *const args[] = { "--keep-orphans", NULL };
	struct xsd_daemon d;
	struct xs_handle *dom0;
	char *s;

	xsd_start(&d, tc, args);
	dom0 = xsd_open();
	ATF_REQUIRE(xs_introduce_domain(dom0, 5, 1234, 7));
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/local/domain/5/dev", "1", 1));
	setp(dom0, "/local/domain/5", "n5");
	setp(dom0, "/local/domain/5/dev", "r5");
	ATF_REQUIRE(xs_release_domain(dom0, 5));
	s = perms_str(dom0, "/local/domain/5");
	ATF_REQUIRE_STREQ(s, "n0");
	free(s);
	s = perms_str(dom0, "/local/domain/5/dev");
	ATF_REQUIRE_STREQ(s, "r0");
	free(s);
	xs_close(dom0);
	xsd_kill(&d, SIGKILL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, release_removes_owned);
	ATF_TP_ADD_TC(tp, release_keep_orphans);
	ATF_TP_ADD_TC(tp, release_revokes_perms);
	ATF_TP_ADD_TC(tp, read_write_access);
	ATF_TP_ADD_TC(tp, set_perms_rules);
	ATF_TP_ADD_TC(tp, privileged_requests);
	ATF_TP_ADD_TC(tp, set_target);
	ATF_TP_ADD_TC(tp, relative_to_own_home);
	ATF_TP_ADD_TC(tp, events_filtered_by_read_access);
	return atf_no_error();
}
