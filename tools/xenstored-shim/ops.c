/*
 * Request handlers: one function per message type, each turning a parsed
 * request into exactly one reply (or an ERROR) on the requesting
 * connection.  Watch events caused by a request are sent after it returns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

#define ABSBUF (XENSTORE_ABS_PATH_MAX + 1)
#define MAXARGS (XENSTORE_PAYLOAD_MAX / 2 + 2)

struct req {
	struct conn *c;
	const struct xsd_sockmsg *h;
	const uint8_t *p;
	uint32_t len;
};

static void
reply(struct req *r, const void *p, size_t len)
{
	conn_queue_reply(r->c, r->h->type, r->h->req_id, r->h->tx_id, p, len);
}

static void
reply_str(struct req *r, const char *s)
{
	reply(r, s, strlen(s) + 1);
}

static unsigned
access_of(const struct conn *c, const struct node *n)
{
	return perms_access(c->domid, c->priv, c->target, n->perms, n->nperms);
}

/* One NUL-terminated argument, nothing after it. */
static int
one_arg(struct req *r, const char **a)
{
	size_t rl;

	if (proto_split(r->p, r->len, a, 1, 1, NULL, &rl) != 1 || rl != 0)
		return EINVAL;
	return 0;
}

static void
copy_parent(const char *path, char *out)
{
	size_t pl = path_parent_len(path);

	memcpy(out, path, pl);
	out[pl] = '\0';
}

/*
 * Finds a node through the transaction and checks access.  A missing node
 * is ENOENT only for a peer that may read its nearest ancestor; otherwise
 * EACCES, so that unreadable subtrees do not reveal what exists.
 */
static const struct node *
lookup(struct txn *t, const char *abs, unsigned need, int *err)
{
	const struct node *n = txn_get(t, abs, err), *a;
	char anc[ABSBUF];

	if (*err != 0)
		return NULL;
	if (n != NULL) {
		if ((access_of(t->conn, n) & need) != need) {
			*err = EACCES;
			return NULL;
		}
		return n;
	}
	*err = ENOENT;
	if (t->conn->priv)
		return NULL;
	snprintf(anc, sizeof(anc), "%s", abs);
	while (strcmp(anc, "/") != 0) {
		int e2;

		copy_parent(anc, anc);
		a = txn_get(t, anc, &e2);
		if (a != NULL) {
			if (!(access_of(t->conn, a) & XSD_PERM_READ))
				*err = EACCES;
			break;
		}
	}
	return NULL;
}

static int
txn_for(struct req *r, struct txn *tmp, struct txn **t)
{
	if (r->h->tx_id == 0) {
		memset(tmp, 0, sizeof(*tmp));
		tmp->conn = r->c;
		*t = tmp;
		return 0;
	}
	*t = txn_find(r->c, r->h->tx_id);
	return *t == NULL ? ENOENT : 0;
}

static void
txn_discard_tmp(struct txn *tmp)
{
	struct evrec *e, *next;

	ntab_free(&tmp->tab);
	for (e = tmp->events; e != NULL; e = next) {
		next = e->next;
		evrec_free(e);
	}
	tmp->events = NULL;
}

/* Ends a modifying request: commits an implicit transaction. */
static int
finish_change(struct txn *t, struct txn *tmp, int err)
{
	if (t != tmp) {
		if (err == ENOMEM)
			t->failed = true;
		return err;
	}
	if (err == 0)
		err = txn_commit(t);
	txn_discard_tmp(tmp);
	return err;
}

static int
quota_nodes_ok(struct txn *t, unsigned add, size_t mem)
{
	struct conn *c = t->conn;
	struct domacct *a;
	long have;

	if (c->priv)
		return 0;
	a = store_acct(c->domid, false);
	have = (long)(a != NULL ? a->nodes : 0) + t->node_delta;
	if (have + (long)add > (long)xsd_quota.nodes)
		return ENOSPC;
	if (a != NULL && a->memory + mem > xsd_quota.memory)
		return ENOSPC;
	return 0;
}

/*
 * Creates abs and any missing parents.  Write access is needed on the
 * nearest existing ancestor; quotas are checked before anything changes so
 * that a refused request leaves a transaction as it was.
 */
static int
create_path(struct txn *t, const char *abs, struct node **out)
{
	char anc[ABSBUF], cur[ABSBUF];
	const struct node *a = NULL;
	struct node *n;
	unsigned missing = 0;
	int err;
	size_t pos;

	snprintf(anc, sizeof(anc), "%s", abs);
	for (;;) {
		copy_parent(anc, anc);
		missing++;
		a = txn_get(t, anc, &err);
		if (err != 0)
			return err;
		if (a != NULL)
			break;
		if (strcmp(anc, "/") == 0)
			return ENOENT; /* no root: cannot happen */
	}
	if (!(access_of(t->conn, a) & XSD_PERM_WRITE))
		return EACCES;
	err = quota_nodes_ok(t, missing,
	    missing * (XSD_NODE_ACCT_HDR + strlen(abs) + 16));
	if (err != 0)
		return err;
	/* Create from the ancestor downwards. */
	pos = strlen(anc);
	if (strcmp(anc, "/") == 0)
		pos = 0;
	for (;;) {
		const char *slash = strchr(abs + pos + 1, '/');
		size_t end = slash != NULL ? (size_t)(slash - abs) : strlen(abs);

		memcpy(cur, abs, end);
		cur[end] = '\0';
		err = txn_create(t, cur, a, &n);
		if (err != 0)
			return err;
		a = n;
		if (slash == NULL)
			break;
		pos = end;
	}
	*out = n;
	return 0;
}

static int
check_size(const struct conn *c, size_t vlen, size_t kidslen)
{
	if (!c->priv && vlen + kidslen > xsd_quota.node_size)
		return ENOSPC;
	return 0;
}

/*
 * The node a read-only request names: its one argument as a path, seen
 * through the request's transaction, readable by the caller.  NULL and
 * *errp set on any failure.
 */
static const struct node *
read_target(struct req *r, struct txn *tmp, int *errp)
{
	const char *a;
	char abs[ABSBUF];
	struct txn *t;

	if ((*errp = one_arg(r, &a)) != 0 ||
	    (*errp = path_canon(r->c->domid, a, abs, sizeof(abs))) != 0 ||
	    (*errp = txn_for(r, tmp, &t)) != 0)
		return NULL;
	return lookup(t, abs, XSD_PERM_READ, errp);
}

static void
op_read(struct req *r)
{
	struct txn tmp;
	const struct node *n;
	int err;

	n = read_target(r, &tmp, &err);
	if (n == NULL)
		goto fail;
	reply(r, node_value(n), n->vlen);
	return;
fail:
	conn_queue_error(r->c, r->h, err);
}

static void
op_write(struct req *r, bool mkdir)
{
	const char *argv[1];
	const uint8_t *val = NULL;
	size_t vlen = 0;
	char abs[ABSBUF];
	struct txn tmp, *t;
	const struct node *n;
	struct node *m;
	int err;

	if (mkdir) {
		if ((err = one_arg(r, argv)) != 0)
			goto fail;
	} else if (proto_split(r->p, r->len, argv, 1, 1, &val, &vlen) != 1) {
		err = EINVAL;
		goto fail;
	}
	if ((err = path_canon(r->c->domid, argv[0], abs, sizeof(abs))) != 0 ||
	    (err = txn_for(r, &tmp, &t)) != 0)
		goto fail;
	n = txn_get(t, abs, &err);
	if (err != 0)
		goto done;
	if (n != NULL) {
		if (!(access_of(r->c, n) & XSD_PERM_WRITE)) {
			err = EACCES;
			goto done;
		}
		if (mkdir)
			goto done; /* exists: nothing changes, no event */
		if ((err = check_size(r->c, vlen, n->kidslen)) != 0)
			goto done;
		if (!r->c->priv) {
			struct domacct *acc = store_acct(n->perms[0].id, false);

			if (acc != NULL && vlen > n->vlen &&
			    acc->memory + (vlen - n->vlen) > xsd_quota.memory) {
				err = ENOSPC;
				goto done;
			}
		}
		m = txn_modify(t, abs, &err);
		if (m == NULL)
			goto done;
	} else {
		if ((err = check_size(r->c, vlen, 0)) != 0 ||
		    (err = create_path(t, abs, &m)) != 0)
			goto done;
	}
	if (!mkdir && (err = txn_rebuild(t, &m, m->perms, m->nperms, val,
			   vlen)) != 0)
		goto done;
	err = txn_add_event(t, abs, m, false);
done:
	err = finish_change(t, &tmp, err);
	if (err == 0) {
		reply_str(r, "OK");
		return;
	}
fail:
	conn_queue_error(r->c, r->h, err);
}

static void
op_rm(struct req *r)
{
	const char *a;
	char abs[ABSBUF], parent[ABSBUF];
	struct txn tmp, *t;
	const struct node *n;
	int err;

	if ((err = one_arg(r, &a)) != 0 ||
	    (err = path_canon(r->c->domid, a, abs, sizeof(abs))) != 0 ||
	    (err = txn_for(r, &tmp, &t)) != 0)
		goto fail;
	if (strcmp(abs, "/") == 0) {
		err = EINVAL;
		goto done;
	}
	n = lookup(t, abs, XSD_PERM_WRITE, &err);
	if (n == NULL) {
		if (err == ENOENT) {
			/* Absent is fine, unless the parent is absent too. */
			copy_parent(abs, parent);
			if (txn_get(t, parent, &err) != NULL)
				err = 0;
			else if (err == 0)
				err = ENOENT;
		}
		goto done;
	}
	if ((err = txn_add_event(t, abs, n, true)) != 0)
		goto done;
	err = txn_remove(t, abs);
done:
	err = finish_change(t, &tmp, err);
	if (err == 0) {
		reply_str(r, "OK");
		return;
	}
fail:
	conn_queue_error(r->c, r->h, err);
}

static void
op_directory(struct req *r)
{
	struct txn tmp;
	const struct node *n;
	int err;

	n = read_target(r, &tmp, &err);
	if (n == NULL)
		goto fail;
	reply(r, n->kids != NULL ? n->kids : "", n->kidslen);
	return;
fail:
	conn_queue_error(r->c, r->h, err);
}

static void
op_directory_part(struct req *r)
{
	const char *argv[2];
	char abs[ABSBUF], out[XENSTORE_PAYLOAD_MAX + 1];
	struct txn tmp, *t;
	const struct node *n;
	uint32_t off;
	size_t rl, used, pos;
	int err, gl;

	if (proto_split(r->p, r->len, argv, 2, 2, NULL, &rl) != 2 || rl != 0 ||
	    proto_parse_u32(argv[1], 0xffffffffu, &off) != 0) {
		err = EINVAL;
		goto fail;
	}
	if ((err = path_canon(r->c->domid, argv[0], abs, sizeof(abs))) != 0 ||
	    (err = txn_for(r, &tmp, &t)) != 0)
		goto fail;
	n = lookup(t, abs, XSD_PERM_READ, &err);
	if (n == NULL)
		goto fail;
	/* The offset must start an entry of the list (or be its end). */
	if (off > n->kidslen || (off > 0 && n->kids[off - 1] != '\0')) {
		err = EINVAL;
		goto fail;
	}
	gl = snprintf(out, sizeof(out), "%llu", (unsigned long long)n->gen);
	used = (size_t)gl + 1;
	pos = off;
	while (pos < n->kidslen) {
		size_t kl = strlen(n->kids + pos) + 1;

		/* Keep one byte for the end marker. */
		if (used + kl + 1 > XENSTORE_PAYLOAD_MAX)
			break;
		memcpy(out + used, n->kids + pos, kl);
		used += kl;
		pos += kl;
	}
	if (pos == n->kidslen)
		out[used++] = '\0'; /* an empty name ends the list */
	reply(r, out, used);
	return;
fail:
	conn_queue_error(r->c, r->h, err);
}

static void
op_get_perms(struct req *r)
{
	char one[16];
	struct txn tmp;
	const struct node *n;
	struct buf b = { 0 };
	uint32_t i;
	int err;

	n = read_target(r, &tmp, &err);
	if (n == NULL)
		goto fail;
	for (i = 0; i < n->nperms; i++) {
		if (perms_format(&n->perms[i], one, sizeof(one)) != 0 ||
		    buf_addstr0(&b, one) != 0) {
			err = ENOMEM;
			buf_free(&b);
			goto fail;
		}
	}
	reply(r, b.p, b.len);
	buf_free(&b);
	return;
fail:
	conn_queue_error(r->c, r->h, err);
}

static void
op_set_perms(struct req *r)
{
	const char *argv[MAXARGS];
	struct xsd_perm perms[MAXARGS];
	char abs[ABSBUF];
	struct txn tmp, *t;
	const struct node *n;
	struct node *m;
	int err, argc, i;
	size_t rl;

	argc = proto_split(r->p, r->len, argv, 2, MAXARGS, NULL, &rl);
	if (argc < 2 || rl != 0) {
		err = EINVAL;
		goto fail;
	}
	for (i = 1; i < argc; i++)
		if (perms_parse(argv[i], &perms[i - 1]) != 0) {
			err = EINVAL;
			goto fail;
		}
	if (!r->c->priv && (unsigned)(argc - 1) > xsd_quota.perms) {
		err = ENOSPC;
		goto fail;
	}
	if ((err = path_canon(r->c->domid, argv[0], abs, sizeof(abs))) != 0 ||
	    (err = txn_for(r, &tmp, &t)) != 0)
		goto fail;
	n = lookup(t, abs, XSD_PERM_WRITE | XSD_PERM_OWNER, &err);
	if (n == NULL)
		goto done;
	/* Giving a node away would dodge the owner's quota. */
	if (!r->c->priv && n->nperms > 0 && perms[0].id != n->perms[0].id) {
		err = EPERM;
		goto done;
	}
	m = txn_modify(t, abs, &err);
	if (m == NULL)
		goto done;
	if ((err = txn_rebuild(t, &m, perms, (uint32_t)(argc - 1),
		 node_value(m), m->vlen)) != 0)
		goto done;
	err = txn_add_event(t, abs, m, false);
done:
	err = finish_change(t, &tmp, err);
	if (err == 0) {
		reply_str(r, "OK");
		return;
	}
fail:
	conn_queue_error(r->c, r->h, err);
}

static int
two_args(struct req *r, const char **argv)
{
	size_t rl;
	int n = proto_split(r->p, r->len, argv, 2, 2, NULL, &rl);

	/* libxenstore may send a trailing empty reserved string or not. */
	return n == 2 ? 0 : EINVAL;
}

static void
op_watch(struct req *r)
{
	const char *argv[2];
	int err;

	if ((err = two_args(r, argv)) != 0 ||
	    (err = watch_add(r->c, argv[0], argv[1])) != 0) {
		conn_queue_error(r->c, r->h, err);
		return;
	}
	reply_str(r, "OK");
	{
		struct watch *w;

		for (w = r->c->watches; w->next != NULL; w = w->next)
			;
		/* A new watch fires once, right after its reply. */
		watch_fire_one(r->c, w);
	}
}

static void
op_unwatch(struct req *r)
{
	const char *argv[2];
	int err;

	if ((err = two_args(r, argv)) != 0 ||
	    (err = watch_del(r->c, argv[0], argv[1])) != 0) {
		conn_queue_error(r->c, r->h, err);
		return;
	}
	reply_str(r, "OK");
}

static void
drop_txns(struct conn *c)
{
	struct txn *t, *next;

	for (t = c->txns; t != NULL; t = next) {
		next = t->next;
		txn_free(t);
	}
	c->txns = NULL;
	c->ntxns = 0;
}

static void
op_reset_watches(struct req *r)
{
	watch_free_all(r->c);
	drop_txns(r->c);
	reply_str(r, "OK");
}

static void
op_tx_start(struct req *r)
{
	struct conn *c = r->c;
	struct txn *t;
	char id[16];
	uint32_t i;

	if (r->h->tx_id != 0) {
		conn_queue_error(c, r->h, EBUSY);
		return;
	}
	if (!c->priv && c->ntxns >= xsd_quota.transactions) {
		conn_queue_error(c, r->h, ENOSPC);
		return;
	}
	/* Ids are per connection; skip 0 and ids still in use. */
	for (i = 0; i < 0x10000; i++) {
		if (c->next_txid == 0)
			c->next_txid = 1;
		if (txn_find(c, c->next_txid) == NULL)
			break;
		c->next_txid++;
	}
	t = txn_new(c, c->next_txid++);
	if (t == NULL) {
		conn_queue_error(c, r->h, ENOMEM);
		return;
	}
	t->next = c->txns;
	c->txns = t;
	c->ntxns++;
	snprintf(id, sizeof(id), "%u", t->id);
	reply_str(r, id);
}

static void
op_tx_end(struct req *r)
{
	struct conn *c = r->c;
	struct txn **pp, *t;
	const char *a;
	int err;

	if (one_arg(r, &a) != 0 || (strcmp(a, "T") != 0 && strcmp(a, "F") != 0)) {
		conn_queue_error(c, r->h, EINVAL);
		return;
	}
	for (pp = &c->txns; (t = *pp) != NULL; pp = &t->next)
		if (t->id == r->h->tx_id && r->h->tx_id != 0)
			break;
	if (t == NULL) {
		conn_queue_error(c, r->h, ENOENT);
		return;
	}
	*pp = t->next;
	c->ntxns--;
	err = 0;
	if (a[0] == 'T')
		err = t->failed ? ENOMEM : txn_commit(t);
	txn_free(t);
	if (err != 0)
		conn_queue_error(c, r->h, err);
	else
		reply_str(r, "OK");
}

static int
parse_domid(const char *s, uint32_t *d)
{
	return proto_parse_u32(s, 0xffff, d);
}

static void
op_introduce(struct req *r)
{
	const char *argv[3];
	uint32_t domid, port;
	unsigned long long mfn;
	char *end;
	int err;

	if (!r->c->priv) {
		err = EACCES;
		goto fail;
	}
	if (proto_split(r->p, r->len, argv, 3, 3, NULL, NULL) != 3 ||
	    parse_domid(argv[0], &domid) != 0 || domid == 0 ||
	    domid > XSD_DOMID_MAX ||
	    proto_parse_u32(argv[2], 0xffffffffu, &port) != 0) {
		err = EINVAL;
		goto fail;
	}
	errno = 0;
	mfn = strtoull(argv[1], &end, 10);
	if (errno != 0 || end == argv[1] || *end != '\0') {
		err = EINVAL;
		goto fail;
	}
	if ((err = domain_introduce(domid, (unsigned long)mfn, port)) != 0)
		goto fail;
	reply_str(r, "OK");
	return;
fail:
	conn_queue_error(r->c, r->h, err);
}

static void
op_domid_cmd(struct req *r)
{
	const char *a;
	uint32_t domid;
	struct domain *d;
	int err = 0;
	char path[40];

	if (one_arg(r, &a) != 0 || parse_domid(a, &domid) != 0) {
		conn_queue_error(r->c, r->h, EINVAL);
		return;
	}
	switch (r->h->type) {
	case XS_GET_DOMAIN_PATH:
		snprintf(path, sizeof(path), "/local/domain/%u", domid);
		reply_str(r, path);
		return;
	case XS_IS_DOMAIN_INTRODUCED:
		if (!r->c->priv) {
			err = EACCES;
			break;
		}
		d = domain_find(domid);
		reply_str(r, domid == 0 || (d != NULL && d->introduced) ? "T" :
									  "F");
		return;
	case XS_RELEASE:
		if (!r->c->priv)
			err = EACCES;
		else if (domid == 0)
			err = EINVAL;
		else
			err = domain_release(domid);
		break;
	case XS_RESUME:
		if (!r->c->priv) {
			err = EACCES;
			break;
		}
		d = domain_find(domid);
		if (d == NULL || !d->introduced)
			err = ENOENT;
		else
			d->released_sent = false;
		break;
	default:
		err = EINVAL;
	}
	if (err != 0)
		conn_queue_error(r->c, r->h, err);
	else
		reply_str(r, "OK");
}

static void
op_set_target(struct req *r)
{
	const char *argv[2];
	uint32_t domid, target;
	size_t rl;
	int err;

	if (!r->c->priv) {
		err = EACCES;
		goto fail;
	}
	if (proto_split(r->p, r->len, argv, 2, 2, NULL, &rl) != 2 ||
	    parse_domid(argv[0], &domid) != 0 ||
	    parse_domid(argv[1], &target) != 0 || domid == 0) {
		err = EINVAL;
		goto fail;
	}
	if ((err = domain_set_target(domid, target)) != 0)
		goto fail;
	reply_str(r, "OK");
	return;
fail:
	conn_queue_error(r->c, r->h, err);
}

static void
op_control(struct req *r)
{
	const char *argv[4];
	int argc;
	uint32_t domid;
	struct conn *c = r->c;

	if (!c->priv) {
		conn_queue_error(c, r->h, EACCES);
		return;
	}
	argc = proto_split(r->p, r->len, argv, 1, 4, NULL, NULL);
	if (argc < 1) {
		conn_queue_error(c, r->h, EINVAL);
		return;
	}
	if (strcmp(argv[0], "help") == 0) {
		static const char help[] =
		    "check\nhelp\nlog on|off\nprint <text>\n"
		    "restrict <domid>\nsnapshot\n";

		reply(r, help, sizeof(help));
	} else if (strcmp(argv[0], "check") == 0) {
		reply_str(r, "OK");
	} else if (strcmp(argv[0], "print") == 0 && argc >= 2) {
		xsd_log("print: %s", argv[1]);
		reply_str(r, "OK");
	} else if (strcmp(argv[0], "log") == 0 && argc >= 2) {
		xsd_verbose = strcmp(argv[1], "on") == 0;
		reply_str(r, "OK");
	} else if (strcmp(argv[0], "snapshot") == 0) {
		int err = db_enabled() ? db_snapshot() : ENOENT;

		if (err != 0)
			conn_queue_error(c, r->h, err);
		else
			reply_str(r, "OK");
	} else if (strcmp(argv[0], "restrict") == 0 && argc >= 2 &&
	    c->can_restrict && parse_domid(argv[1], &domid) == 0 &&
	    domid != 0 && domid <= XSD_DOMID_MAX) {
		/*
		 * Makes a socket connection act as an unprivileged domain,
		 * for good: the way tests (and tools) check what a guest
		 * could do, without a hypervisor.
		 */
		reply_str(r, "OK");
		c->domid = domid;
		c->priv = false;
		c->can_restrict = false;
		c->target = domain_target(domid);
	} else {
		conn_queue_error(c, r->h, EINVAL);
	}
}

void
ops_dispatch(struct conn *c, const struct xsd_sockmsg *h,
    const uint8_t *payload)
{
	struct req r = { c, h, payload, h->len };

	switch (h->type) {
	case XS_READ:
		op_read(&r);
		break;
	case XS_WRITE:
		op_write(&r, false);
		break;
	case XS_MKDIR:
		op_write(&r, true);
		break;
	case XS_RM:
		op_rm(&r);
		break;
	case XS_DIRECTORY:
		op_directory(&r);
		break;
	case XS_DIRECTORY_PART:
		op_directory_part(&r);
		break;
	case XS_GET_PERMS:
		op_get_perms(&r);
		break;
	case XS_SET_PERMS:
		op_set_perms(&r);
		break;
	case XS_WATCH:
		op_watch(&r);
		break;
	case XS_UNWATCH:
		op_unwatch(&r);
		break;
	case XS_RESET_WATCHES:
		op_reset_watches(&r);
		break;
	case XS_TRANSACTION_START:
		op_tx_start(&r);
		break;
	case XS_TRANSACTION_END:
		op_tx_end(&r);
		break;
	case XS_INTRODUCE:
		op_introduce(&r);
		break;
	case XS_RELEASE:
	case XS_RESUME:
	case XS_GET_DOMAIN_PATH:
	case XS_IS_DOMAIN_INTRODUCED:
		op_domid_cmd(&r);
		break;
	case XS_SET_TARGET:
		op_set_target(&r);
		break;
	case XS_CONTROL:
		op_control(&r);
		break;
	default:
		/* WATCH_EVENT, ERROR and unknown types are not requests. */
		conn_queue_error(c, h, EINVAL);
		break;
	}
}
