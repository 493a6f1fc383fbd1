/* Unit tests of the pure pieces: paths, perms, framing, ring indexes,
 * and the connection core over an in-memory transport. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"
#include "xsd.h"

ATF_TC_WITHOUT_HEAD(path_rules);
ATF_TC_BODY(path_rules, tc)
{
	char out[XENSTORE_ABS_PATH_MAX + 1], longp[XENSTORE_ABS_PATH_MAX + 2];

	ATF_REQUIRE_EQ(path_check("/"), 0);
	ATF_REQUIRE_EQ(path_check("/a/b-c_d@e/09"), 0);
	ATF_REQUIRE_EQ(path_check(""), EINVAL);
	ATF_REQUIRE_EQ(path_check("a"), EINVAL);
	ATF_REQUIRE_EQ(path_check("/a/"), EINVAL);
	ATF_REQUIRE_EQ(path_check("/a//b"), EINVAL);
	ATF_REQUIRE_EQ(path_check("/a.b"), EINVAL);
	/* C xenstored's limit: XENSTORE_REL_PATH_MAX bytes, not counting
	 * a leading /local/domain/<id>/. */
	memset(longp, 'x', sizeof(longp));
	longp[0] = '/';
	longp[XENSTORE_REL_PATH_MAX] = '\0';
	ATF_REQUIRE_EQ(path_check(longp), 0);
	longp[XENSTORE_REL_PATH_MAX] = 'x';
	longp[XENSTORE_REL_PATH_MAX + 1] = '\0';
	ATF_REQUIRE_EQ(path_check(longp), EINVAL);
	memcpy(longp, "/local/domain/7/", 16);
	ATF_REQUIRE_EQ(path_check(longp), 0);
	ATF_REQUIRE_EQ(path_canon(7, "dev/x", out, sizeof(out)), 0);
	ATF_REQUIRE_STREQ(out, "/local/domain/7/dev/x");
	ATF_REQUIRE_EQ(path_canon(7, "/abs", out, sizeof(out)), 0);
	ATF_REQUIRE_STREQ(out, "/abs");
	ATF_REQUIRE_EQ(path_canon(7, "", out, sizeof(out)), EINVAL);
	ATF_REQUIRE(path_is_child("/a/b", "/a"));
	ATF_REQUIRE(path_is_child("/a", "/a"));
	ATF_REQUIRE(!path_is_child("/ab", "/a"));
	ATF_REQUIRE(path_is_child("/x", "/"));
	ATF_REQUIRE_EQ(path_parent_len("/a/b"), 2);
	ATF_REQUIRE_EQ(path_parent_len("/a"), 1);
	ATF_REQUIRE_STREQ(path_basename("/a/bc"), "bc");
}

ATF_TC_WITHOUT_HEAD(perms_logic);
ATF_TC_BODY(perms_logic, tc)
{
	struct xsd_perm p[3];
	char s[16];

	ATF_REQUIRE_EQ(perms_parse("b12", &p[0]), 0);
	ATF_REQUIRE_EQ(p[0].id, 12);
	ATF_REQUIRE_EQ(p[0].mode, XSD_PERM_READ | XSD_PERM_WRITE);
	ATF_REQUIRE_EQ(perms_parse("x1", &p[0]), EINVAL);
	ATF_REQUIRE_EQ(perms_parse("r", &p[0]), EINVAL);
	ATF_REQUIRE_EQ(perms_parse("r65536", &p[0]), EINVAL);
	ATF_REQUIRE_EQ(perms_parse("r-1", &p[0]), EINVAL);
	ATF_REQUIRE_EQ(perms_parse("w3", &p[0]), 0);
	ATF_REQUIRE_EQ(perms_format(&p[0], s, sizeof(s)), 0);
	ATF_REQUIRE_STREQ(s, "w3");
	/* owner 1, others read, dom 2 nothing, dom 3 write */
	perms_parse("r1", &p[0]);
	perms_parse("n2", &p[1]);
	perms_parse("w3", &p[2]);
	ATF_REQUIRE(perms_access(1, false, -1, p, 3) & XSD_PERM_OWNER);
	ATF_REQUIRE_EQ(perms_access(2, false, -1, p, 3), 0);
	ATF_REQUIRE_EQ(perms_access(3, false, -1, p, 3), XSD_PERM_WRITE);
	ATF_REQUIRE_EQ(perms_access(4, false, -1, p, 3), XSD_PERM_READ);
	ATF_REQUIRE(perms_access(4, true, -1, p, 3) & XSD_PERM_WRITE);
	/* A domain acting for domain 1 is treated as the owner. */
	ATF_REQUIRE(perms_access(9, false, 1, p, 3) & XSD_PERM_OWNER);
	ATF_REQUIRE_EQ(perms_access(9, false, 3, p, 3), XSD_PERM_WRITE);
}

ATF_TC_WITHOUT_HEAD(proto_helpers);
ATF_TC_BODY(proto_helpers, tc)
{
	const char *argv[4];
	const uint8_t *rest;
	size_t rl;
	struct xsd_sockmsg h = { XS_READ, 0, 0, XENSTORE_PAYLOAD_MAX };
	uint32_t v;

	ATF_REQUIRE_EQ(proto_split((const uint8_t *)"a\0bc\0tail", 9, argv, 1,
			   4, &rest, &rl),
	    2);
	ATF_REQUIRE_STREQ(argv[1], "bc");
	ATF_REQUIRE_EQ(rl, 4);
	ATF_REQUIRE_EQ(proto_split((const uint8_t *)"abc", 3, argv, 1, 4, NULL,
			   NULL),
	    -1);
	ATF_REQUIRE_EQ(proto_check_header(&h), 0);
	h.len++;
	ATF_REQUIRE_EQ(proto_check_header(&h), E2BIG);
	ATF_REQUIRE_STREQ(proto_errname(EACCES), "EACCES");
	ATF_REQUIRE_STREQ(proto_errname(E2BIG), "E2BIG");
	ATF_REQUIRE_STREQ(proto_errname(12345), "EINVAL");
	ATF_REQUIRE_EQ(proto_errnum("EAGAIN"), EAGAIN);
	ATF_REQUIRE_EQ(proto_parse_u32("4294967295", 0xffffffffu, &v), 0);
	ATF_REQUIRE_EQ(v, 0xffffffffu);
	ATF_REQUIRE_EQ(proto_parse_u32("4294967296", 0xffffffffu, &v), EINVAL);
	ATF_REQUIRE_EQ(proto_parse_u32("12a", 100, &v), EINVAL);
	ATF_REQUIRE_EQ(proto_parse_u32("", 100, &v), EINVAL);
}

ATF_TC_WITHOUT_HEAD(ring_wraparound);
ATF_TC_BODY(ring_wraparound, tc)
{
	static struct xenstore_domain_interface intf;
	struct ring_idx ix = { 0, 0 };
	char in[700], out[700];
	size_t i;
	long r;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (char)i;
	/* Indexes near 2^32 so that both the mask and the wrap are used. */
	ix.req_cons = 0xfffffe00u;
	intf.req_cons = ix.req_cons;
	for (i = 0; i < 700; i++)
		intf.req[MASK_XENSTORE_IDX(ix.req_cons + i)] = in[i];
	intf.req_prod = ix.req_cons + 700;
	ATF_REQUIRE(ring_has_input(&intf, &ix));
	r = ring_read(&intf, &ix, out, 300);
	ATF_REQUIRE_EQ(r, 300);
	r = ring_read(&intf, &ix, out + 300, 1000);
	ATF_REQUIRE_EQ(r, 400);
	ATF_REQUIRE(memcmp(in, out, 700) == 0);
	ATF_REQUIRE_EQ(intf.req_cons, 0xfffffe00u + 700);
	ATF_REQUIRE(!ring_has_input(&intf, &ix));
	ATF_REQUIRE_EQ(ring_read(&intf, &ix, out, 10), 0);

	/* Responses: the ring fills at exactly XENSTORE_RING_SIZE. */
	ix.rsp_prod = 0xffffff00u;
	intf.rsp_cons = ix.rsp_prod;
	ATF_REQUIRE_EQ(ring_write(&intf, &ix, in, 700), 700);
	ATF_REQUIRE_EQ(ring_write(&intf, &ix, in, 700), XENSTORE_RING_SIZE - 700);
	ATF_REQUIRE_EQ(ring_write(&intf, &ix, in, 1), 0);
	ATF_REQUIRE_EQ(intf.rsp_prod, 0xffffff00u + XENSTORE_RING_SIZE);
	for (i = 0; i < 700; i++)
		ATF_REQUIRE_EQ(intf.rsp[MASK_XENSTORE_IDX(0xffffff00u + i)],
		    in[i]);
	intf.rsp_cons += 100;
	ATF_REQUIRE_EQ(ring_write(&intf, &ix, in, 700), 100);
}

ATF_TC_WITHOUT_HEAD(ring_bad_indexes);
ATF_TC_BODY(ring_bad_indexes, tc)
{
	static struct xenstore_domain_interface intf;
	struct ring_idx ix = { 100, 100 };
	char buf[64];

	/* Producer more than a ring ahead of our consumer. */
	intf.req_prod = 100 + XENSTORE_RING_SIZE + 1;
	ATF_REQUIRE_EQ(ring_read(&intf, &ix, buf, sizeof(buf)), -1);
	/* Producer behind our consumer (huge unsigned distance). */
	intf.req_prod = 50;
	ATF_REQUIRE_EQ(ring_read(&intf, &ix, buf, sizeof(buf)), -1);
	ATF_REQUIRE_EQ(ix.req_cons, 100); /* nothing consumed */
	/* Exactly a full ring is legal. */
	intf.req_prod = 100 + XENSTORE_RING_SIZE;
	ATF_REQUIRE_EQ(ring_read(&intf, &ix, buf, sizeof(buf)), 64);
	/* Consumer of responses ahead of what we produced. */
	intf.rsp_cons = 200;
	ATF_REQUIRE_EQ(ring_write(&intf, &ix, buf, 8), -1);
	intf.rsp_cons = 100 - XENSTORE_RING_SIZE - 1;
	ATF_REQUIRE_EQ(ring_write(&intf, &ix, buf, 8), -1);
	ATF_REQUIRE_EQ(ix.rsp_prod, 100);
}

/* ---- connection core over an in-memory transport ---- */

static struct buf sink;
static bool blocked;

static long
mem_read(struct conn *c, void *p, size_t n)
{
	(void)c;
	(void)p;
	(void)n;
	return 0;
}

static long
mem_write(struct conn *c, const void *p, size_t n)
{
	(void)c;
	if (blocked)
		return 0;
	buf_add(&sink, p, n);
	return (long)n;
}

static const struct transport_ops mem_ops = { "mem", mem_read, mem_write,
	NULL, NULL, NULL, NULL };

static void
feed(struct conn *c, uint32_t type, uint32_t req, const void *p, size_t len)
{
	struct xsd_sockmsg h = { type, req, 0, (uint32_t)len };

	conn_feed(c, (const uint8_t *)&h, sizeof(h));
	conn_feed(c, p, len);
	watch_flush_pending();
}

static void
setup(void)
{
	quota_defaults(&xsd_quota);
	ATF_REQUIRE_EQ(store_init(), 0);
	buf_free(&sink);
	blocked = false;
}

ATF_TC_WITHOUT_HEAD(conn_framing_bytewise);
ATF_TC_BODY(conn_framing_bytewise, tc)
{
	struct conn *c;
	struct xsd_sockmsg h = { XS_WRITE, 9, 0, 6 };
	uint8_t frame[sizeof(h) + 6];
	size_t i;

	setup();
	c = conn_new(&mem_ops, NULL, -1, 0);
	memcpy(frame, &h, sizeof(h));
	memcpy(frame + sizeof(h), "/k\0val", 6);
	for (i = 0; i < sizeof(frame); i++)
		ATF_REQUIRE_EQ(conn_feed(c, frame + i, 1), 1);
	conn_flush_output(c);
	ATF_REQUIRE_EQ(sink.len, sizeof(h) + 3);
	memcpy(&h, sink.p, sizeof(h));
	ATF_REQUIRE_EQ(h.type, XS_WRITE);
	ATF_REQUIRE_EQ(h.req_id, 9);
	ATF_REQUIRE(memcmp(sink.p + sizeof(h), "OK", 3) == 0);
	ATF_REQUIRE(store_get("/k") != NULL);
	/* An oversized header kills the connection. */
	h.len = XENSTORE_PAYLOAD_MAX + 1;
	conn_feed(c, (const uint8_t *)&h, sizeof(h));
	ATF_REQUIRE(c->dead);
	conn_destroy(c);
	store_fini();
}

ATF_TC_WITHOUT_HEAD(events_deduplicated_and_bounded);
ATF_TC_BODY(events_deduplicated_and_bounded, tc)
{
	struct conn *w, *c;
	char p[64];
	int i;

	setup();
	xsd_quota.watch_events = 10;
	w = conn_new(&mem_ops, NULL, -1, 0);
	c = conn_new(&mem_ops, NULL, -1, 0);
	blocked = true; /* the watcher never reads */
	feed(w, XS_WATCH, 1, "/d\0tok", 7);
	ATF_REQUIRE_EQ(w->out_events, 1);
	/* The same change five times: one queued event. */
	for (i = 0; i < 5; i++)
		feed(c, XS_WRITE, 2, "/d/same\0v", 9);
	ATF_REQUIRE_EQ(w->out_events, 2);
	/* Distinct events stop at the bound (XSA-349). */
	for (i = 0; i < 50; i++) {
		size_t n = (size_t)snprintf(p, sizeof(p), "/d/n%d%cv", i, 0);

		feed(c, XS_WRITE, 3, p, n + 1);
	}
	ATF_REQUIRE_EQ(w->out_events, 10);
	ATF_REQUIRE(!w->dead);
	/* Unread past the timeout: the watcher is dropped, not others. */
	conn_check_timeouts(time(NULL) + xsd_quota.event_timeout + 2);
	ATF_REQUIRE(w->dead);
	ATF_REQUIRE(!c->dead);
	conn_reap_dead();
	conn_destroy(c);
	store_fini();
}

ATF_TC_WITHOUT_HEAD(outstanding_backpressure);
ATF_TC_BODY(outstanding_backpressure, tc)
{
	struct conn *c;
	struct xsd_sockmsg h = { XS_READ, 0, 0, 2 };
	uint8_t frame[sizeof(h) + 2];
	int i;
	size_t used;

	setup();
	xsd_quota.outstanding = 3;
	blocked = true;
	c = conn_new(&mem_ops, NULL, -1, 0);
	memcpy(frame, &h, sizeof(h));
	memcpy(frame + sizeof(h), "/", 2);
	for (i = 0; i < 3; i++)
		ATF_REQUIRE_EQ(conn_feed(c, frame, sizeof(frame)), sizeof(frame));
	ATF_REQUIRE(!conn_wants_input(c));
	used = conn_feed(c, frame, sizeof(frame));
	ATF_REQUIRE_EQ(used, 0);
	blocked = false;
	conn_flush_output(c);
	ATF_REQUIRE(conn_wants_input(c));
	conn_destroy(c);
	store_fini();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, path_rules);
	ATF_TP_ADD_TC(tp, perms_logic);
	ATF_TP_ADD_TC(tp, proto_helpers);
	ATF_TP_ADD_TC(tp, ring_wraparound);
	ATF_TP_ADD_TC(tp, ring_bad_indexes);
	ATF_TP_ADD_TC(tp, conn_framing_bytewise);
	ATF_TP_ADD_TC(tp, events_deduplicated_and_bounded);
	ATF_TP_ADD_TC(tp, outstanding_backpressure);
	return atf_no_error();
}
