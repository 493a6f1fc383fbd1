/*
 * libFuzzer target over the message parser, the request handlers and the
 * ring transport.  The first byte picks the mode:
 *  even: a byte stream cut into chunks fed to two connections (dom0 and an
 *        unprivileged domain), as frames would arrive from peers;
 *  odd:  a shared ring page with peer-chosen indexes, read and written
 *        with the ring functions, whose output then feeds a connection.
 * Invariants are checked with __builtin_trap so the fuzzer reports them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

static long
sink_read(struct conn *c, void *p, size_t n)
{
	(void)c;
	(void)p;
	(void)n;
	return 0;
}

static long
sink_write(struct conn *c, const void *p, size_t n)
{
	(void)c;
	(void)p;
	/* Accept part of it sometimes, to exercise partial writes. */
	return (long)(n > 7 ? n / 2 : n);
}

static const struct transport_ops sink_ops = { "fuzz", sink_read, sink_write,
	NULL, NULL, NULL };

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xsd_quiet = 1;
	quota_defaults(&xsd_quota);
	xsd_quota.nodes = 50;
	xsd_quota.watch_events = 64;
	return 0;
}

static void
check_conn(const struct conn *c)
{
	const struct outmsg *m;
	unsigned ev = 0, rep = 0;

	for (m = c->out_head; m != NULL; m = m->next) {
		const struct xsd_sockmsg *h = (const void *)m->data;

		if (h->len > XENSTORE_PAYLOAD_MAX ||
		    m->len != XSD_HDR_LEN + h->len)
			__builtin_trap();
		if (m->is_event)
			ev++;
		else
			rep++;
	}
	if (ev != c->out_events || rep != c->out_replies)
		__builtin_trap();
}

static void
run_stream(const uint8_t *data, size_t size)
{
	struct conn *c[2];
	size_t pos = 0;

	c[0] = conn_new(&sink_ops, NULL, -1, 0);
	c[1] = conn_new(&sink_ops, NULL, -1, 0);
	if (c[0] == NULL || c[1] == NULL)
		__builtin_trap();
	c[1]->domid = 5;
	c[1]->priv = false;
	c[1]->can_restrict = false;
	while (pos + 2 <= size) {
		unsigned which = data[pos] & 1;
		size_t n = data[pos + 1] + ((size_t)(data[pos] >> 1) << 8);

		pos += 2;
		if (n > size - pos)
			n = size - pos;
		if (!c[which]->dead)
			conn_feed(c[which], data + pos, n);
		pos += n;
		check_conn(c[0]);
		check_conn(c[1]);
		if (data[pos - 1 < size ? pos - 1 : 0] & 0x80) {
			conn_flush_output(c[0]);
			conn_flush_output(c[1]);
		}
	}
	conn_destroy(c[0]);
	conn_destroy(c[1]);
}

static void
run_ring(const uint8_t *data, size_t size)
{
	static struct xenstore_domain_interface intf;
	struct ring_idx ix;
	uint8_t buf[XENSTORE_RING_SIZE * 2];
	struct conn *c;
	size_t pos = 17;
	long r;

	if (size < pos)
		return;
	memcpy(&ix.req_cons, data + 1, 4);
	memcpy(&ix.rsp_prod, data + 5, 4);
	memcpy((void *)&intf.req_prod, data + 9, 4);
	memcpy((void *)&intf.rsp_cons, data + 13, 4);
	memset(intf.req, 0, sizeof(intf.req));
	memcpy(intf.req, data + pos,
	    size - pos < sizeof(intf.req) ? size - pos : sizeof(intf.req));
	c = conn_new(&sink_ops, NULL, -1, 0);
	if (c == NULL)
		__builtin_trap();
	for (int round = 0; round < 4; round++) {
		XENSTORE_RING_IDX before = ix.req_cons, prod = intf.req_prod;
		size_t want = (size_t)data[round % 4 + 1] * 5 + 1;

		r = ring_read(&intf, &ix, buf, want);
		if (r < 0) {
			/* Refused: nothing consumed, and only for a bad index. */
			if (ix.req_cons != before ||
			    (XENSTORE_RING_IDX)(prod - before) <=
				XENSTORE_RING_SIZE)
				__builtin_trap();
			break;
		}
		if ((size_t)r > want || r > XENSTORE_RING_SIZE ||
		    ix.req_cons != before + (XENSTORE_RING_IDX)r ||
		    intf.req_cons != ix.req_cons)
			__builtin_trap();
		conn_feed(c, buf, (size_t)r);
		check_conn(c);
		/* Replies go back through the response ring. */
		while (c->out_head != NULL && !c->dead) {
			XENSTORE_RING_IDX p0 = ix.rsp_prod;
			const struct outmsg *m = c->out_head;

			r = ring_write(&intf, &ix, m->data, m->len);
			if (r < 0) {
				if (ix.rsp_prod != p0)
					__builtin_trap();
				break;
			}
			if ((XENSTORE_RING_IDX)(ix.rsp_prod - intf.rsp_cons) >
			    XENSTORE_RING_SIZE)
				__builtin_trap();
			if (r == 0)
				break;
			/* The peer consumes everything. */
			intf.rsp_cons = ix.rsp_prod;
			conn_flush_output(c);
		}
	}
	conn_destroy(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (store_init() != 0)
		return 0;
	if (data[0] & 1)
		run_ring(data, size);
	else
		run_stream(data + 1, size - 1);
	watch_flush_pending();
	conn_reap_dead();
	while (xsd_conns != NULL)
		conn_destroy(xsd_conns);
	domain_fini();
	store_fini();
	xsd_store.gen = 0;
	xsd_store.seq = 0;
	return 0;
}
