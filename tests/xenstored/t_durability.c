/* --db: acknowledged writes survive kill -9; damaged files keep a prefix. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"

static const char *const db_args[] = { "--db", "store.db", NULL };

ATF_TC_WITHOUT_HEAD(kill9_write_loop);
ATF_TC_BODY(kill9_write_loop, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	int pfd[2], i, last = -1;
	pid_t writer;
	char path[64], val[64];
	FILE *acks;
	struct timespec start, now;

	xsd_start(&d, tc, db_args);
	ATF_REQUIRE(pipe(pfd) == 0);
	writer = fork();
	ATF_REQUIRE(writer >= 0);
	if (writer == 0) {
		/* Reports each write only after its reply arrived. */
		struct xs_handle *w = xs_open(XS_OPEN_SOCKETONLY);

		close(pfd[0]);
		for (i = 0; w != NULL; i++) {
			snprintf(path, sizeof(path), "/dur/k%d", i);
			snprintf(val, sizeof(val), "value-%d", i);
			if (!xs_write(w, XBT_NULL, path, val, strlen(val)))
				break;
			if (dprintf(pfd[1], "%d\n", i) < 0)
				break;
		}
		_exit(0);
	}
	close(pfd[1]);
	acks = fdopen(pfd[0], "r");
	ATF_REQUIRE(acks != NULL);
	clock_gettime(CLOCK_MONOTONIC, &start);
	/* Kill after a while, in the middle of the loop. */
	for (;;) {
		ATF_REQUIRE(fscanf(acks, "%d", &last) == 1);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (last >= 200 && now.tv_sec - start.tv_sec >= 1)
			break;
		if (now.tv_sec - start.tv_sec >= 20)
			break;
	}
	xsd_kill(&d, SIGKILL);
	/* Drain acknowledgements that raced with the kill. */
	while (fscanf(acks, "%d", &i) == 1)
		last = i;
	fclose(acks);
	waitpid(writer, NULL, 0);
	ATF_REQUIRE(last >= 0);

	xsd_start(&d, tc, db_args);
	h = xsd_open();
	for (i = 0; i <= last; i++) {
		char *v;

		snprintf(path, sizeof(path), "/dur/k%d", i);
		snprintf(val, sizeof(val), "value-%d", i);
		v = xs_read(h, XBT_NULL, path, NULL);
		ATF_REQUIRE_MSG(v != NULL, "acknowledged write %d of %d lost",
		    i, last);
		ATF_REQUIRE_STREQ(v, val);
		free(v);
	}
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(restart_keeps_everything);
ATF_TC_BODY(restart_keeps_everything, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	struct xs_permissions p[2] = { { 4, XS_PERM_NONE }, { 6, XS_PERM_READ } },
			      *got;
	static const char bin[] = { 0, 1, 2, '"', '\\', 0x7f, (char)0xff };
	unsigned n, len;
	char *v;

	xsd_start(&d, tc, db_args);
	h = xsd_open();
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/keep/bin", bin, sizeof(bin)));
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/keep/text", "a \"q\"", 5));
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/gone/x", "1", 1));
	ATF_REQUIRE(xs_rm(h, XBT_NULL, "/gone"));
	ATF_REQUIRE(xs_set_permissions(h, XBT_NULL, "/keep/text", p, 2));
	xs_close(h);
	/* Once with a clean stop (snapshot), once with kill -9 (journal). */
	xsd_kill(&d, SIGTERM);
	xsd_start(&d, tc, db_args);
	h = xsd_open();
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/keep/later", "L", 1));
	xs_close(h);
	xsd_kill(&d, SIGKILL);
	xsd_start(&d, tc, db_args);
	h = xsd_open();
	v = xs_read(h, XBT_NULL, "/keep/bin", &len);
	ATF_REQUIRE(v != NULL && len == sizeof(bin));
	ATF_REQUIRE(memcmp(v, bin, len) == 0);
	free(v);
	v = xs_read(h, XBT_NULL, "/keep/text", NULL);
	ATF_REQUIRE_STREQ(v, "a \"q\"");
	free(v);
	v = xs_read(h, XBT_NULL, "/keep/later", NULL);
	ATF_REQUIRE_STREQ(v, "L");
	free(v);
	ATF_REQUIRE(xs_read(h, XBT_NULL, "/gone", NULL) == NULL);
	got = xs_get_permissions(h, XBT_NULL, "/keep/text", &n);
	ATF_REQUIRE(got != NULL && n == 2 && got[0].id == 4 &&
	    got[1].id == 6 && got[1].perms == XS_PERM_READ);
	free(got);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

static void
truncate_by(const char *path, off_t cut)
{
	struct stat st;

	ATF_REQUIRE(stat(path, &st) == 0);
	ATF_REQUIRE(st.st_size > cut);
	ATF_REQUIRE(truncate(path, st.st_size - cut) == 0);
}

ATF_TC_WITHOUT_HEAD(truncated_journal_keeps_prefix);
ATF_TC_BODY(truncated_journal_keeps_prefix, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	char path[32], *v;
	int i;

	xsd_start(&d, tc, db_args);
	h = xsd_open();
	for (i = 0; i < 10; i++) {
		snprintf(path, sizeof(path), "/j/%d", i);
		ATF_REQUIRE(xs_write(h, XBT_NULL, path, "v", 1));
	}
	xs_close(h);
	xsd_kill(&d, SIGKILL);
	/* Tear the last record, as a crash mid-write would. */
	truncate_by("store.db.journal", 7);
	xsd_start(&d, tc, db_args);
	ATF_REQUIRE(xsd_log_has(&d, "store.db.journal: line 10"));
	h = xsd_open();
	for (i = 0; i < 9; i++) {
		snprintf(path, sizeof(path), "/j/%d", i);
		v = xs_read(h, XBT_NULL, path, NULL);
		ATF_REQUIRE_MSG(v != NULL, "%s lost", path);
		free(v);
	}
	ATF_REQUIRE(xs_read(h, XBT_NULL, "/j/9", NULL) == NULL);
	ATF_REQUIRE(access("store.db.journal.corrupt", F_OK) == 0);
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(corrupt_snapshot_keeps_prefix);
ATF_TC_BODY(corrupt_snapshot_keeps_prefix, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	FILE *f;
	char line[4096];
	long off = 0;
	int lineno = 0, fd;

	xsd_start(&d, tc, db_args);
	h = xsd_open();
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/s/a", "1", 1));
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/s/b", "2", 1));
	xs_close(h);
	xsd_kill(&d, SIGTERM);
	/* Flip a byte inside the third line of the snapshot. */
	f = fopen("store.db", "r");
	ATF_REQUIRE(f != NULL);
	while (fgets(line, sizeof(line), f) != NULL && ++lineno < 3)
		off = ftell(f);
	fclose(f);
	fd = open("store.db", O_WRONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE(pwrite(fd, "Z", 1, off + 12) == 1);
	close(fd);
	xsd_start(&d, tc, db_args);
	ATF_REQUIRE(xsd_log_has(&d, "store.db: line 3: checksum mismatch"));
	h = xsd_open();
	/* The daemon runs and serves what it kept. */
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/after", "ok", 2));
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

ATF_TC_WITHOUT_HEAD(garbage_db_file);
ATF_TC_BODY(garbage_db_file, tc)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	FILE *f = fopen("store.db", "w");

	ATF_REQUIRE(f != NULL);
	fputs("this is not a database\n", f);
	fclose(f);
	xsd_start(&d, tc, db_args);
	ATF_REQUIRE(xsd_log_has(&d, "store.db: line 1"));
	h = xsd_open();
	ATF_REQUIRE(xs_write(h, XBT_NULL, "/x", "1", 1));
	xs_close(h);
	xsd_kill(&d, SIGKILL);
}

/* n nodes in dirs directories (one transaction, one sync). */
static void
fill_db(const atf_tc_t *tc, int n, int dirs)
{
	struct xsd_daemon d;
	struct xs_handle *h;
	xs_transaction_t t;
	char path[64];
	int i;

	xsd_start(&d, tc, db_args);
	h = xsd_open();
	t = xs_transaction_start(h);
	ATF_REQUIRE(t != XBT_NULL);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/f/d%d/n%d", i % dirs, i);
		ATF_REQUIRE(xs_write(h, t, path, "v", 1));
	}
	ATF_REQUIRE(xs_transaction_end(h, t, false));
	xs_close(h);
	xsd_kill(&d, SIGTERM);
}

/* The daemon's CPU time to start on ./store.db, until it accepts. */
static double
startup_cpu(const atf_tc_t *tc)
{
	struct xsd_daemon d;
	unsigned long long ns = 0;
	char p[64];
	FILE *f;

	xsd_start(&d, tc, db_args);
	snprintf(p, sizeof(p), "/proc/%ld/schedstat", (long)d.pid);
	f = fopen(p, "r");
	ATF_REQUIRE(f != NULL);
	ATF_REQUIRE(fscanf(f, "%llu", &ns) == 1);
	fclose(f);
	xsd_kill(&d, SIGKILL);
	return (double)ns / 1e9;
}

/* Loading grows with the nodes, not with the square of a directory's
 * children: 10000 children of one node load about as fast as 10000
 * spread over 100 directories. */
ATF_TC_WITHOUT_HEAD(startup_linear_in_children);
ATF_TC_BODY(startup_linear_in_children, tc)
{
	double spread, one;

	fill_db(tc, 10000, 100);
	spread = startup_cpu(tc);
	unlink("store.db");
	unlink("store.db.journal");
	fill_db(tc, 10000, 1);
	one = startup_cpu(tc);
	ATF_CHECK_MSG(one < spread * 3 + 0.02,
	    "start-up CPU: %.0f ms with one directory of 10000, %.0f ms "
	    "with 100 of 100", one * 1e3, spread * 1e3);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, kill9_write_loop);
	ATF_TP_ADD_TC(tp, restart_keeps_everything);
	ATF_TP_ADD_TC(tp, truncated_journal_keeps_prefix);
	ATF_TP_ADD_TC(tp, corrupt_snapshot_keeps_prefix);
	ATF_TP_ADD_TC(tp, garbage_db_file);
	ATF_TP_ADD_TC(tp, startup_linear_in_children);
	return atf_no_error();
}
