/*
 * Request dispatch: one table indexed by message type gives each request
 * its handler (ops_*.c), which turns it into exactly one reply; checks
 * common to all are made here, and here alone an error is sent.  Watch
 * events a request causes go out just before its reply.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "xsd_conn.h"
#include "xsd_dispatch.h"
#include "xsd_proto.h"
#include "xsd_txn.h"

void
reply(struct req *r, const void *p, size_t len)
{
	conn_queue_reply(r->c, r->h->type, r->h->req_id, r->h->tx_id, p, len);
}

void
reply_str(struct req *r, const char *s)
{
	reply(r, s, strlen(s) + 1);
}

/* One NUL-terminated argument, nothing after it. */
int
one_arg(struct req *r, const char **a)
{
	size_t rl;

	if (proto_split(r->p, r->len, a, 1, 1, NULL, &rl) != 1 || rl != 0)
		return EINVAL;
	return 0;
}

int
two_args(struct req *r, const char **argv)
{
	size_t rl;
	int n = proto_split(r->p, r->len, argv, 2, 2, NULL, &rl);

	/* libxenstore may send a trailing empty reserved string or not. */
	return n == 2 ? 0 : EINVAL;
}

int
parse_domid(const char *s, uint32_t *d)
{
	return proto_parse_u32(s, 0xffff, d);
}

/* Only the privileged (the toolstack) may send it. */
#define OP_PRIV 1u
/* The tx_id field is not looked at. */
#define OP_NOTID 2u

/*
 * One entry per message type: its name, its handler and what is checked
 * before the handler runs, in C xenstored's order: unknown types (and
 * replies sent as requests) get ENOSYS, privileged ones from others
 * EACCES, an unknown transaction ENOENT.
 */
static const struct op {
	const char *name;
	int (*fn)(struct req *r);
	unsigned flags;
} ops[XS_TYPE_COUNT] = {
	[XS_CONTROL] = { "CONTROL", op_control, OP_PRIV },
	[XS_DIRECTORY] = { "DIRECTORY", op_directory, 0 },
	[XS_READ] = { "READ", op_read, 0 },
	[XS_GET_PERMS] = { "GET_PERMS", op_get_perms, 0 },
	[XS_WATCH] = { "WATCH", op_watch, OP_NOTID },
	[XS_UNWATCH] = { "UNWATCH", op_unwatch, OP_NOTID },
	[XS_TRANSACTION_START] = { "TRANSACTION_START", op_tx_start, 0 },
	[XS_TRANSACTION_END] = { "TRANSACTION_END", op_tx_end, 0 },
	[XS_INTRODUCE] = { "INTRODUCE", op_introduce, OP_PRIV },
	[XS_RELEASE] = { "RELEASE", op_domid_cmd, OP_PRIV },
	[XS_GET_DOMAIN_PATH] = { "GET_DOMAIN_PATH", op_domid_cmd, 0 },
	[XS_WRITE] = { "WRITE", op_write_plain, 0 },
	[XS_MKDIR] = { "MKDIR", op_mkdir, 0 },
	[XS_RM] = { "RM", op_rm, 0 },
	[XS_SET_PERMS] = { "SET_PERMS", op_set_perms, 0 },
	[XS_WATCH_EVENT] = { "WATCH_EVENT", NULL, 0 },
	[XS_ERROR] = { "ERROR", NULL, 0 },
	[XS_IS_DOMAIN_INTRODUCED] = { "IS_DOMAIN_INTRODUCED", op_domid_cmd,
	    OP_PRIV },
	[XS_RESUME] = { "RESUME", op_domid_cmd, OP_PRIV },
	[XS_SET_TARGET] = { "SET_TARGET", op_set_target, OP_PRIV },
	[XS_RESET_WATCHES] = { "RESET_WATCHES", op_reset_watches, 0 },
	[XS_DIRECTORY_PART] = { "DIRECTORY_PART", op_directory_part, 0 },
};

const char *
proto_typename(uint32_t type)
{
	if (type < XS_TYPE_COUNT && ops[type].name != NULL)
		return ops[type].name;
	return "UNKNOWN";
}

void
ops_dispatch(struct conn *c, const struct xsd_sockmsg *h,
    const uint8_t *payload)
{
	struct req r = { c, h, payload, h->len };
	const struct op *op = h->type < XS_TYPE_COUNT ? &ops[h->type] : NULL;
	int err;

	if (op == NULL || op->fn == NULL)
		err = ENOSYS;
	else if ((op->flags & OP_PRIV) && !c->priv)
		err = EACCES;
	else if (!(op->flags & OP_NOTID) && h->tx_id != 0 &&
	    txn_find(c, h->tx_id) == NULL)
		err = ENOENT;
	else
		err = op->fn(&r);
	/* The one place a request's error is sent. */
	if (err != 0)
		conn_queue_error(c, h, err);
}
