/* Quotas: Xen's defaults and the command-line overrides. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"

static struct xs_handle *
guest_home(struct xs_handle *dom0, unsigned domid)
{
	struct xs_permissions p = { domid, XS_PERM_NONE };
	char path[64];
	struct xs_handle *g;

	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	ATF_REQUIRE(xs_mkdir(dom0, XBT_NULL, path));
	ATF_REQUIRE(xs_set_permissions(dom0, XBT_NULL, path, &p, 1));
	g = xsd_open();
	xsd_restrict(g, domid);
	return g;
}

ATF_TC_WITHOUT_HEAD(nodes_quota);
ATF_TC_BODY(nodes_quota, tc)
{
	static const char *const args[] = { "--quota", "nodes=10", NULL };
	struct xsd_daemon d;
	struct xs_handle *dom0, *g;
	char path[32];
	int i;

	xsd_start(&d, tc, args);
	dom0 = xsd_open();
	g = guest_home(dom0, 5);
	/* The home node counts: 9 more fit. */
	for (i = 0; i < 9; i++) {
		snprintf(path, sizeof(path), "n%d", i);
		ATF_REQUIRE_MSG(xs_write(g, XBT_NULL, path, "x", 1),
		    "node %d: %s", i, strerror(errno));
	}
	ATF_REQUIRE(!xs_write(g, XBT_NULL, "one-too-many", "x", 1));
	ATF_REQUIRE_EQ(errno, ENOSPC);
	/* Implicit parents count too: nothing is half-created. */
	ATF_REQUIRE(xs_rm(g, XBT_NULL, "n0"));
	ATF_REQUIRE(!xs_write(g, XBT_NULL, "a/b", "x", 1));
	ATF_REQUIRE_EQ(errno, ENOSPC);
	ATF_REQUIRE(xs_read(g, XBT_NULL, "a", NULL) == NULL);
	ATF_REQUIRE(xs_write(g, XBT_NULL, "a", "x", 1));
	/* dom0 is not bound by it. */
	for (i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "/d0/%d", i);
		ATF_REQUIRE(xs_write(dom0, XBT_NULL, path, "x", 1));
	}
	xs_close(g);
	xs_close(dom0);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(node_size_default);
ATF_TC_BODY(node_size_default, tc)
{
	struct xsd_daemon d;
	struct xs_handle *dom0, *g;
	char big[2100];

	xsd_start(&d, tc, NULL);
	dom0 = xsd_open();
	g = guest_home(dom0, 5);
	memset(big, 'z', sizeof(big));
	/* C xenstored's measure: 24 bytes of header and 8 a permission
	 * count, and a node must stay below the quota: one permission
	 * leaves 2015 bytes of value. */
	ATF_REQUIRE(xs_write(g, XBT_NULL, "ok", big, 2015));
	ATF_REQUIRE(!xs_write(g, XBT_NULL, "big", big, 2016));
	ATF_REQUIRE_EQ(errno, ENOSPC);
	ATF_REQUIRE(xs_write(dom0, XBT_NULL, "/big", big, sizeof(big)));
	xs_close(g);
	xs_close(dom0);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(watches_quota);
ATF_TC_BODY(watches_quota, tc)
{
	static const char *const args[] = { "--watch-nb", "3", NULL };
	struct xsd_daemon d;
	struct xs_handle *dom0, *g;
	char tok[8];
	int i;

	xsd_start(&d, tc, args);
	dom0 = xsd_open();
	g = guest_home(dom0, 5);
	/* C xenstored 4.17 refuses once a domain has more than the quota:
	 * the fourth of three is still admitted. */
	for (i = 0; i < 4; i++) {
		snprintf(tok, sizeof(tok), "t%d", i);
		ATF_REQUIRE(xs_watch(g, "/local/domain/5", tok));
	}
	ATF_REQUIRE(!xs_watch(g, "/local/domain/5", "t4"));
	ATF_REQUIRE_EQ(errno, E2BIG);
	ATF_REQUIRE(xs_unwatch(g, "/local/domain/5", "t0"));
	ATF_REQUIRE(xs_watch(g, "/local/domain/5", "t4"));
	xs_close(g);
	xs_close(dom0);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(watches_default_128);
ATF_TC_BODY(watches_default_128, tc)
{
	struct xsd_daemon d;
	struct xs_handle *dom0;
	char tok[8], out[64];
	int i, fd;
	uint32_t t;

	xsd_start(&d, tc, NULL);
	dom0 = xsd_open();
	ATF_REQUIRE(xs_mkdir(dom0, XBT_NULL, "/local/domain/5"));
	xs_close(dom0);
	fd = raw_connect(d.sock);
	t = raw_call(fd, XS_CONTROL, 0, "restrict\0" "5", 11, out, sizeof(out),
	    NULL);
	ATF_REQUIRE_EQ(t, XS_CONTROL);
	/* One over the quota is admitted, as by C xenstored 4.17. */
	for (i = 0; i <= 129; i++) {
		char p[64];
		size_t n = (size_t)snprintf(p, sizeof(p), "@w%c%d", 0, i) + 1;

		snprintf(tok, sizeof(tok), "%d", i);
		t = raw_call(fd, XS_WATCH, 0, p, n, out, sizeof(out), NULL);
		if (i < 129)
			ATF_REQUIRE_EQ_MSG(t, XS_WATCH, "watch %d: %s", i, out);
		else {
			ATF_REQUIRE_EQ(t, XS_ERROR);
			ATF_REQUIRE_STREQ(out, "E2BIG");
		}
	}
	close(fd);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(transactions_quota);
ATF_TC_BODY(transactions_quota, tc)
{
	static const char *const args[] = { "--transaction", "2", NULL };
	struct xsd_daemon d;
	struct xs_handle *dom0, *g;
	xs_transaction_t t1, t2, t3, t4;

	xsd_start(&d, tc, args);
	dom0 = xsd_open();
	g = guest_home(dom0, 5);
	/* C xenstored 4.17 admits one over the quota: three of two. */
	t1 = xs_transaction_start(g);
	t2 = xs_transaction_start(g);
	t3 = xs_transaction_start(g);
	ATF_REQUIRE(t1 != XBT_NULL && t2 != XBT_NULL && t3 != XBT_NULL);
	ATF_REQUIRE(t1 != t2 && t2 != t3 && t1 != t3);
	t4 = xs_transaction_start(g);
	ATF_REQUIRE(t4 == XBT_NULL);
	ATF_REQUIRE_EQ(errno, ENOSPC);
	ATF_REQUIRE(xs_transaction_end(g, t1, true));
	t4 = xs_transaction_start(g);
	ATF_REQUIRE(t4 != XBT_NULL);
	xs_close(g);
	xs_close(dom0);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(perms_quota);
ATF_TC_BODY(perms_quota, tc)
{
	struct xsd_daemon d;
	struct xs_handle *dom0, *g;
	struct xs_permissions p[6];
	int i;

	xsd_start(&d, tc, NULL);
	dom0 = xsd_open();
	g = guest_home(dom0, 5);
	ATF_REQUIRE(xs_write(g, XBT_NULL, "node", "", 0));
	for (i = 0; i < 6; i++) {
		p[i].id = (unsigned)(i == 0 ? 5 : 10 + i);
		p[i].perms = XS_PERM_READ;
	}
	ATF_REQUIRE(xs_set_permissions(g, XBT_NULL, "node", p, 5));
	ATF_REQUIRE(!xs_set_permissions(g, XBT_NULL, "node", p, 6));
	ATF_REQUIRE_EQ(errno, ENOSPC);
	ATF_REQUIRE(xs_set_permissions(dom0, XBT_NULL,
	    "/local/domain/5/node", p, 6));
	xs_close(g);
	xs_close(dom0);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(memory_quota);
ATF_TC_BODY(memory_quota, tc)
{
	static const char *const args[] = { "--memory", "8192", NULL };
	struct xsd_daemon d;
	struct xs_handle *dom0, *g;
	char val[1000], path[32];
	int i;
	bool refused = false;

	xsd_start(&d, tc, args);
	dom0 = xsd_open();
	g = guest_home(dom0, 5);
	memset(val, 'm', sizeof(val));
	for (i = 0; i < 20 && !refused; i++) {
		snprintf(path, sizeof(path), "m%d", i);
		if (!xs_write(g, XBT_NULL, path, val, sizeof(val))) {
			ATF_REQUIRE_EQ(errno, ENOSPC);
			refused = true;
		}
	}
	ATF_REQUIRE_MSG(refused, "20 KB written under an 8 KB quota");
	ATF_REQUIRE(i >= 5);
	xs_close(g);
	xs_close(dom0);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(bad_quota_options);
ATF_TC_BODY(bad_quota_options, tc)
{
	/* Checked by t_cli too; here: the default run rejects nothing. */
	struct xsd_daemon d;
	static const char *const args[] = { "--quota", "outstanding=3",
		"--quota", "watch-events=10", "--timeout", "watch-event=5",
		NULL };

	xsd_start(&d, tc, args);
	xsd_kill(&d, SIGKILL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, nodes_quota);
	ATF_TP_ADD_TC(tp, node_size_default);
	ATF_TP_ADD_TC(tp, watches_quota);
	ATF_TP_ADD_TC(tp, watches_default_128);
	ATF_TP_ADD_TC(tp, transactions_quota);
	ATF_TP_ADD_TC(tp, perms_quota);
	ATF_TP_ADD_TC(tp, memory_quota);
	ATF_TP_ADD_TC(tp, bad_quota_options);
	return atf_no_error();
}
