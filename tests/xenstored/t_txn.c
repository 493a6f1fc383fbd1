/* Transactions: isolation, per-node conflicts, EAGAIN, aborts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"

static bool
has(struct xs_handle *h, xs_transaction_t t, const char *path,
    const char *want)
{
	unsigned len;
	char *v = xs_read(h, t, path, &len);
	bool ok = v != NULL && strcmp(v, want) == 0;

	free(v);
	return ok;
}

ATF_TC_WITHOUT_HEAD(isolation_and_commit);
ATF_TC_BODY(isolation_and_commit, tc)
{
	struct xsd_daemon d;
	struct xs_handle *a, *b;
	xs_transaction_t t;

	xsd_start(&d, tc, NULL);
	a = xsd_open();
	b = xsd_open();
	t = xs_transaction_start(a);
	ATF_REQUIRE(t != XBT_NULL);
	ATF_REQUIRE(xs_write(a, t, "/tx/k", "in-tx", 5));
	ATF_REQUIRE(has(a, t, "/tx/k", "in-tx"));
	ATF_REQUIRE(xs_read(b, XBT_NULL, "/tx/k", NULL) == NULL);
	ATF_REQUIRE_EQ(errno, ENOENT);
	ATF_REQUIRE(xs_transaction_end(a, t, false));
	ATF_REQUIRE(has(b, XBT_NULL, "/tx/k", "in-tx"));
	xs_close(a);
	xs_close(b);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(abort_discards);
ATF_TC_BODY(abort_discards, tc)
{
	struct xsd_daemon d;
	struct xs_handle *a;
	xs_transaction_t t;

	xsd_start(&d, tc, NULL);
	a = xsd_open();
	ATF_REQUIRE(xs_write(a, XBT_NULL, "/ab/keep", "1", 1));
	t = xs_transaction_start(a);
	ATF_REQUIRE(xs_write(a, t, "/ab/new", "x", 1));
	ATF_REQUIRE(xs_rm(a, t, "/ab/keep"));
	ATF_REQUIRE(xs_read(a, t, "/ab/keep", NULL) == NULL);
	ATF_REQUIRE(xs_transaction_end(a, t, true));
	ATF_REQUIRE(has(a, XBT_NULL, "/ab/keep", "1"));
	ATF_REQUIRE(xs_read(a, XBT_NULL, "/ab/new", NULL) == NULL);
	xs_close(a);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(conflict_eagain);
ATF_TC_BODY(conflict_eagain, tc)
{
	struct xsd_daemon d;
	struct xs_handle *a, *b;
	xs_transaction_t t;
	char *v;

	xsd_start(&d, tc, NULL);
	a = xsd_open();
	b = xsd_open();
	ATF_REQUIRE(xs_write(a, XBT_NULL, "/c/k", "0", 1));
	t = xs_transaction_start(a);
	v = xs_read(a, t, "/c/k", NULL);
	ATF_REQUIRE(v != NULL);
	free(v);
	/* Someone else changes what the transaction read. */
	ATF_REQUIRE(xs_write(b, XBT_NULL, "/c/k", "1", 1));
	ATF_REQUIRE(xs_write(a, t, "/c/out", "derived", 7));
	ATF_REQUIRE(!xs_transaction_end(a, t, false));
	ATF_REQUIRE_EQ(errno, EAGAIN);
	ATF_REQUIRE(xs_read(a, XBT_NULL, "/c/out", NULL) == NULL);
	ATF_REQUIRE(has(a, XBT_NULL, "/c/k", "1"));
	xs_close(a);
	xs_close(b);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(no_conflict_unrelated);
ATF_TC_BODY(no_conflict_unrelated, tc)
{
	struct xsd_daemon d;
	struct xs_handle *a, *b;
	xs_transaction_t t;

	xsd_start(&d, tc, NULL);
	a = xsd_open();
	b = xsd_open();
	ATF_REQUIRE(xs_write(a, XBT_NULL, "/n/x", "0", 1));
	ATF_REQUIRE(xs_write(a, XBT_NULL, "/n/y", "0", 1));
	t = xs_transaction_start(a);
	ATF_REQUIRE(has(a, t, "/n/x", "0"));
	ATF_REQUIRE(xs_write(a, t, "/n/x", "a", 1));
	/* A change to another existing node does not conflict. */
	ATF_REQUIRE(xs_write(b, XBT_NULL, "/n/y", "b", 1));
	ATF_REQUIRE(xs_transaction_end(a, t, false));
	ATF_REQUIRE(has(a, XBT_NULL, "/n/x", "a"));
	ATF_REQUIRE(has(a, XBT_NULL, "/n/y", "b"));
	xs_close(a);
	xs_close(b);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(conflict_on_delete);
ATF_TC_BODY(conflict_on_delete, tc)
{
	struct xsd_daemon d;
	struct xs_handle *a, *b;
	xs_transaction_t t;

	xsd_start(&d, tc, NULL);
	a = xsd_open();
	b = xsd_open();
	ATF_REQUIRE(xs_write(a, XBT_NULL, "/del/sub/k", "0", 1));
	t = xs_transaction_start(a);
	ATF_REQUIRE(xs_write(a, t, "/del/sub/k", "1", 1));
	ATF_REQUIRE(xs_rm(b, XBT_NULL, "/del/sub"));
	ATF_REQUIRE(!xs_transaction_end(a, t, false));
	ATF_REQUIRE_EQ(errno, EAGAIN);
	ATF_REQUIRE(xs_read(a, XBT_NULL, "/del/sub/k", NULL) == NULL);
	xs_close(a);
	xs_close(b);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(events_on_commit_only);
ATF_TC_BODY(events_on_commit_only, tc)
{
	struct xsd_daemon d;
	struct xs_handle *a, *w;
	xs_transaction_t t;
	char **ev;
	unsigned n;

	xsd_start(&d, tc, NULL);
	a = xsd_open();
	w = xsd_open();
	ATF_REQUIRE(xs_watch(w, "/ev", "t"));
	ev = xs_read_watch(w, &n);
	ATF_REQUIRE(ev != NULL);
	free(ev);
	t = xs_transaction_start(a);
	ATF_REQUIRE(xs_write(a, t, "/ev/k", "1", 1));
	ev = xs_check_watch(w);
	ATF_REQUIRE_MSG(ev == NULL, "event before commit");
	ATF_REQUIRE(xs_transaction_end(a, t, false));
	ev = xs_read_watch(w, &n);
	ATF_REQUIRE(ev != NULL);
	ATF_REQUIRE_STREQ(ev[XS_WATCH_PATH], "/ev/k");
	free(ev);
	xs_close(a);
	xs_close(w);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(bad_tx_ids);
ATF_TC_BODY(bad_tx_ids, tc)
{
	struct xsd_daemon d;
	char out[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t t, id;
	int fd, fd2;

	xsd_start(&d, tc, NULL);
	fd = raw_connect(d.sock);
	fd2 = raw_connect(d.sock);
	ATF_REQUIRE(fd >= 0 && fd2 >= 0);
	t = raw_call(fd, XS_READ, 4242, "/", 2, out, sizeof(out), NULL);
	ATF_REQUIRE_EQ(t, XS_ERROR);
	ATF_REQUIRE_STREQ(out, "ENOENT");
	t = raw_call(fd, XS_TRANSACTION_END, 4242, "T", 2, out, sizeof(out),
	    NULL);
	ATF_REQUIRE_EQ(t, XS_ERROR);
	ATF_REQUIRE_STREQ(out, "ENOENT");
	t = raw_call(fd, XS_TRANSACTION_START, 0, "", 1, out, sizeof(out), NULL);
	ATF_REQUIRE_EQ(t, XS_TRANSACTION_START);
	id = (uint32_t)strtoul(out, NULL, 10);
	ATF_REQUIRE(id != 0);
	/* Nested start: EBUSY.  Another connection's id: ENOENT. */
	t = raw_call(fd, XS_TRANSACTION_START, id, "", 1, out, sizeof(out),
	    NULL);
	ATF_REQUIRE_EQ(t, XS_ERROR);
	ATF_REQUIRE_STREQ(out, "EBUSY");
	t = raw_call(fd2, XS_READ, id, "/", 2, out, sizeof(out), NULL);
	ATF_REQUIRE_EQ(t, XS_ERROR);
	ATF_REQUIRE_STREQ(out, "ENOENT");
	t = raw_call(fd, XS_TRANSACTION_END, id, "X", 2, out, sizeof(out), NULL);
	ATF_REQUIRE_EQ(t, XS_ERROR);
	ATF_REQUIRE_STREQ(out, "EINVAL");
	t = raw_call(fd, XS_TRANSACTION_END, id, "F", 2, out, sizeof(out), NULL);
	ATF_REQUIRE_EQ(t, XS_TRANSACTION_END);
	t = raw_call(fd, XS_TRANSACTION_END, id, "F", 2, out, sizeof(out), NULL);
	ATF_REQUIRE_EQ(t, XS_ERROR);
	close(fd);
	close(fd2);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(concurrent_counter);
ATF_TC_BODY(concurrent_counter, tc)
{
	/* Two clients increment one counter with retry loops: no update may
	 * be lost, which only holds if conflicts are detected. */
	struct xsd_daemon d;
	struct xs_handle *h[2];
	int i, k, retries = 0;
	char buf[32], *v;
	xs_transaction_t t[2];

	xsd_start(&d, tc, NULL);
	h[0] = xsd_open();
	h[1] = xsd_open();
	ATF_REQUIRE(xs_write(h[0], XBT_NULL, "/cnt", "0", 1));
	for (i = 0; i < 100; i++) {
		/* Interleave: both read, both write, both commit. */
		long val[2];

		for (k = 0; k < 2; k++) {
			t[k] = xs_transaction_start(h[k]);
			v = xs_read(h[k], t[k], "/cnt", NULL);
			ATF_REQUIRE(v != NULL);
			val[k] = strtol(v, NULL, 10);
			free(v);
		}
		for (k = 0; k < 2; k++) {
			snprintf(buf, sizeof(buf), "%ld", val[k] + 1);
			ATF_REQUIRE(xs_write(h[k], t[k], "/cnt", buf,
			    strlen(buf)));
		}
		ATF_REQUIRE(xs_transaction_end(h[0], t[0], false));
		if (!xs_transaction_end(h[1], t[1], false)) {
			ATF_REQUIRE_EQ(errno, EAGAIN);
			retries++;
			t[1] = xs_transaction_start(h[1]);
			v = xs_read(h[1], t[1], "/cnt", NULL);
			snprintf(buf, sizeof(buf), "%ld", strtol(v, NULL, 10) + 1);
			free(v);
			ATF_REQUIRE(xs_write(h[1], t[1], "/cnt", buf,
			    strlen(buf)));
			ATF_REQUIRE(xs_transaction_end(h[1], t[1], false));
		}
	}
	ATF_REQUIRE_EQ(retries, 100);
	v = xs_read(h[0], XBT_NULL, "/cnt", NULL);
	ATF_REQUIRE_STREQ(v, "200");
	free(v);
	xs_close(h[0]);
	xs_close(h[1]);
	xsd_kill(&d, SIGKILL);
}

/*
 * Issue 14: a node read in a transaction keeps the value (and child list)
 * the transaction first saw, whatever another connection commits; the
 * commit then fails with EAGAIN.  Reference: C xenstored 4.17.
 */
ATF_TC_WITHOUT_HEAD(stable_view);
ATF_TC_BODY(stable_view, tc)
{
	struct xsd_daemon d;
	struct xs_handle *a, *b;
	xs_transaction_t t;
	char **dir;
	unsigned n;

	xsd_start(&d, tc, NULL);
	a = xsd_open();
	b = xsd_open();
	ATF_REQUIRE(xs_write(b, XBT_NULL, "/sv/k", "old", 3));
	t = xs_transaction_start(a);
	ATF_REQUIRE(t != XBT_NULL);
	ATF_REQUIRE(has(a, t, "/sv/k", "old"));
	dir = xs_directory(a, t, "/sv", &n);
	ATF_REQUIRE(dir != NULL && n == 1);
	free(dir);
	ATF_REQUIRE(xs_write(b, XBT_NULL, "/sv/k", "new", 3));
	ATF_REQUIRE(xs_write(b, XBT_NULL, "/sv/other", "x", 1));
	/* Still the first view, for the value and for the listing. */
	ATF_REQUIRE(has(a, t, "/sv/k", "old"));
	dir = xs_directory(a, t, "/sv", &n);
	ATF_REQUIRE(dir != NULL);
	ATF_REQUIRE_EQ_MSG(n, 1, "listing changed inside the transaction");
	free(dir);
	ATF_REQUIRE(has(b, XBT_NULL, "/sv/k", "new"));
	ATF_REQUIRE(!xs_transaction_end(a, t, false));
	ATF_REQUIRE_EQ(errno, EAGAIN);
	xs_close(a);
	xs_close(b);
	xsd_kill(&d, SIGKILL);
}

/* A parent looked at to decide a missing node's errno is read too: a
 * change to it fails the commit, as in C xenstored. */
ATF_TC_WITHOUT_HEAD(ancestor_read_counts);
ATF_TC_BODY(ancestor_read_counts, tc)
{
	struct xsd_daemon d;
	struct xs_handle *a, *b;
	xs_transaction_t t;

	xsd_start(&d, tc, NULL);
	a = xsd_open();
	b = xsd_open();
	ATF_REQUIRE(xs_write(b, XBT_NULL, "/an/p", "v1", 2));
	t = xs_transaction_start(a);
	ATF_REQUIRE(xs_read(a, t, "/an/p/missing", NULL) == NULL);
	ATF_REQUIRE(xs_write(b, XBT_NULL, "/an/p", "v2", 2));
	ATF_REQUIRE(has(a, t, "/an/p", "v1"));
	ATF_REQUIRE(xs_write(a, t, "/an/q", "x", 1));
	ATF_REQUIRE(!xs_transaction_end(a, t, false));
	ATF_REQUIRE_EQ(errno, EAGAIN);
	xs_close(a);
	xs_close(b);
	xsd_kill(&d, SIGKILL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, stable_view);
	ATF_TP_ADD_TC(tp, ancestor_read_counts);
	ATF_TP_ADD_TC(tp, isolation_and_commit);
	ATF_TP_ADD_TC(tp, abort_discards);
	ATF_TP_ADD_TC(tp, conflict_eagain);
	ATF_TP_ADD_TC(tp, no_conflict_unrelated);
	ATF_TP_ADD_TC(tp, conflict_on_delete);
	ATF_TP_ADD_TC(tp, events_on_commit_only);
	ATF_TP_ADD_TC(tp, bad_tx_ids);
	ATF_TP_ADD_TC(tp, concurrent_counter);
	return atf_no_error();
}
