/*
 * Node requests: READ, WRITE, MKDIR, RM, DIRECTORY, DIRECTORY_PART,
 * GET_PERMS, SET_PERMS.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "xsd_buf.h"
#include "xsd_path.h"
#include "xsd_perms.h"
#include "xsd_proto.h"
#include "xsd_quota.h"
#include "xsd_special.h"
#include "xsd_tree.h"
#include "xsd_txn.h"

/*
 * Creates abs and any missing parents.  Write access is needed on the
 * nearest existing ancestor; quotas are checked before anything changes so
 * that a refused request leaves a transaction as it was.
 */
static int
create_path(struct txn *t, const char *abs, size_t vlen, struct node **out)
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
	/* Every node written must fit: the new one with its value, those
	 * above it with their one child, the ancestor with the child it
	 * gains.  All inherit the ancestor's permissions. */
	if ((err = check_size(t->conn, a->nperms, vlen, 0)) != 0)
		return err;
	pos = strcmp(anc, "/") == 0 ? 1 : strlen(anc) + 1;
	if ((err = check_size(t->conn, a->nperms, a->vlen,
		 a->kidslen + strcspn(abs + pos, "/") + 1)) != 0)
		return err;
	for (; abs[pos] != '\0'; pos += strcspn(abs + pos, "/") + 1) {
		const char *next = strchr(abs + pos, '/');

		if (next == NULL)
			break;
		if ((err = check_size(t->conn, a->nperms, 0,
			 strcspn(next + 1, "/") + 1)) != 0)
			return err;
	}
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

int
op_read(struct req *r)
{
	struct txn tmp;
	const struct node *n;
	int err;

	n = read_target(r, &tmp, &err);
	if (n == NULL)
		goto fail;
	reply(r, node_value(n), n->vlen);
	return 0;
fail:
	return err;
}

static int
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
			err = disclose(t, abs, XSD_PERM_WRITE, EACCES);
			goto done;
		}
		if (mkdir)
			goto done; /* exists: nothing changes, no event */
		if ((err = check_size(r->c, n->nperms, vlen, n->kidslen)) != 0)
			goto done;
		if (!r->c->priv) {
			struct domacct *acc = store_acct(n->perms[0].id, false);

			if (acc != NULL && vlen > n->vlen &&
			    acc->memory + (vlen - n->vlen) > xsd_quota.memory) {
				err = ENOSPC;
				goto done;
			}
		}
		m = txn_set(t, abs, n->perms, n->nperms, val, vlen, &err);
		if (m == NULL)
			goto done;
	} else {
		/* Access first, as C xenstored checks it, then sizes. */
		err = disclose(t, abs, XSD_PERM_WRITE, ENOENT);
		if (err != ENOENT)
			goto done;
		if ((err = create_path(t, abs, vlen, &m)) != 0)
			goto done;
		if (!mkdir && (err = txn_rebuild(t, &m, m->perms, m->nperms,
				   val, vlen)) != 0)
			goto done;
	}
	err = txn_add_event(t, abs, m, false);
done:
	err = finish_change(t, &tmp, err);
	if (err == 0)
		reply_str(r, "OK");
fail:
	return err;
}

int
op_write_plain(struct req *r)
{
	return op_write(r, false);
}

int
op_mkdir(struct req *r)
{
	return op_write(r, true);
}

int
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
	n = lookup(t, abs, XSD_PERM_WRITE, &err);
	/* Access first, as C xenstored checks it. */
	if (n != NULL && strcmp(abs, "/") == 0) {
		err = EINVAL;
		goto done;
	}
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
	/* A transaction may see a node whose parent it sees gone (removed
	 * outside after it read the node): C xenstored says EINVAL. */
	copy_parent(abs, parent);
	if (txn_get(t, parent, &err) == NULL) {
		if (err == 0)
			err = EINVAL;
		goto done;
	}
	if ((err = txn_remove_events(t, abs)) != 0)
		goto done;
	err = txn_remove(t, abs);
done:
	err = finish_change(t, &tmp, err);
	if (err == 0)
		reply_str(r, "OK");
fail:
	return err;
}

int
op_directory(struct req *r)
{
	struct txn tmp;
	const struct node *n;
	int err;

	n = read_target(r, &tmp, &err);
	if (n == NULL)
		goto fail;
	reply(r, n->kids != NULL ? n->kids : "", n->kidslen);
	return 0;
fail:
	return err;
}

/*
 * One part of a long child list: the node's generation, then the names
 * from byte offset off, then an empty name if the list ends there.  As in
 * C xenstored, the offset is read with atoi() and need not start a name;
 * past the end gives an empty list.
 */
int
op_directory_part(struct req *r)
{
	const char *argv[2];
	char abs[ABSBUF], out[XENSTORE_PAYLOAD_MAX + 1];
	struct txn tmp, *t;
	const struct node *n;
	const char *end;
	size_t rl, used, len, maxlen, gl;
	uint32_t off;
	int err;

	if (proto_split(r->p, r->len, argv, 2, 2, NULL, &rl) != 2 || rl != 0) {
		err = EINVAL;
		goto fail;
	}
	if ((err = path_canon(r->c->domid, argv[0], abs, sizeof(abs))) != 0 ||
	    (err = txn_for(r, &tmp, &t)) != 0)
		goto fail;
	n = lookup(t, abs, XSD_PERM_READ, &err);
	if (n == NULL)
		goto fail;
	off = (uint32_t)atoi(argv[1]);
	gl = (size_t)snprintf(out, sizeof(out), "%llu",
		 (unsigned long long)n->gen) + 1;
	if (off >= n->kidslen) {
		out[gl] = '\0';
		reply(r, out, gl + 1);
		return 0;
	}
	/*
	 * The names that fit whole: up to the last NUL within room of the
	 * list's end (kids ends in a NUL), found in one backward scan
	 * rather than a strlen per name.  None if the first is too long.
	 */
	maxlen = XENSTORE_PAYLOAD_MAX - gl - 1;
	len = n->kidslen - off;
	if (len > maxlen)
		len = maxlen;
	end = memrchr(n->kids + off, '\0', len);
	len = end != NULL ? (size_t)(end - (n->kids + off)) + 1 : 0;
	memcpy(out + gl, n->kids + off, len);
	used = gl + len;
	if (off + len == n->kidslen)
		out[used++] = '\0'; /* an empty name ends the list */
	reply(r, out, used);
	return 0;
fail:
	return err;
}

int
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
	return 0;
fail:
	return err;
}

int
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
	/* C xenstored's order: the count, then the syntax. */
	if (!r->c->priv && (unsigned)(argc - 1) > xsd_quota.perms) {
		err = ENOSPC;
		goto fail;
	}
	for (i = 1; i < argc; i++)
		if (perms_parse(argv[i], &perms[i - 1]) != 0) {
			err = EINVAL;
			goto fail;
		}
	if (path_is_special(argv[0])) {
		err = special_set_perms(r->c, argv[0], perms,
		    (uint32_t)(argc - 1));
		if (err != 0)
			goto fail;
		reply_str(r, "OK");
		return 0;
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
	/* The event carries the old permissions: who could read the node
	 * before hears of the change (then who can now, as C xenstored). */
	if ((err = txn_add_event(t, abs, n, false)) != 0)
		goto done;
	m = txn_modify(t, abs, &err);
	if (m == NULL)
		goto done;
	err = txn_rebuild(t, &m, perms, (uint32_t)(argc - 1), node_value(m),
	    m->vlen);
done:
	err = finish_change(t, &tmp, err);
	if (err == 0)
		reply_str(r, "OK");
fail:
	return err;
}
