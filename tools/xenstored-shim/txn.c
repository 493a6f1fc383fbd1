/*
 * Transactions.  Every change, even a plain WRITE, runs in a transaction:
 * an overlay of copied nodes keyed by path, each remembering the store
 * generation it saw (0 = absent).  Commit fails with EAGAIN if any node the
 * transaction touched has changed since, which gives per-node conflict
 * detection; otherwise the overlay replaces the store nodes, the change set
 * is journaled, and the collected watch events are handed to watch.c to be
 * sent after the reply.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

struct txn *
txn_new(struct conn *c, uint32_t id)
{
	struct txn *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->id = id;
	t->conn = c;
	return t;
}

static void
evrec_free_list(struct evrec *e)
{
	struct evrec *next;

	for (; e != NULL; e = next) {
		next = e->next;
		free(e->perms);
		free(e);
	}
}

void
txn_free(struct txn *t)
{
	if (t == NULL)
		return;
	ntab_free(&t->tab);
	evrec_free_list(t->events);
	free(t);
}

struct txn *
txn_find(struct conn *c, uint32_t id)
{
	struct txn *t;

	for (t = c->txns; t != NULL; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

/* Explicit transactions of unprivileged peers may touch a bounded set. */
static int
txn_room(struct txn *t)
{
	if (t->id != 0 && !t->conn->priv && t->tab.n >= xsd_quota.tx_nodes)
		return ENOSPC;
	return 0;
}

const struct node *
txn_get(struct txn *t, const char *path, int *err)
{
	struct node *e = ntab_find(&t->tab, path), *g, *r;

	*err = 0;
	if (e != NULL) {
		if (e->kind == NODE_DEL)
			return NULL;
		if (e->kind == NODE_SET)
			return e;
		return store_get(path);
	}
	g = store_get(path);
	if (t->id == 0)
		return g; /* implicit: nothing can intervene before commit */
	if ((*err = txn_room(t)) != 0)
		return NULL;
	r = node_new(path);
	if (r == NULL) {
		*err = ENOMEM;
		return NULL;
	}
	r->kind = NODE_READ;
	r->basegen = g != NULL ? g->gen : 0;
	if (ntab_insert(&t->tab, r) != 0) {
		node_free(r);
		*err = ENOMEM;
		return NULL;
	}
	return g;
}

struct node *
txn_modify(struct txn *t, const char *path, int *err)
{
	struct node *e = ntab_find(&t->tab, path), *g, *copy;

	*err = 0;
	if (e != NULL && e->kind == NODE_SET)
		return e;
	if (e != NULL && e->kind == NODE_DEL) {
		*err = ENOENT;
		return NULL;
	}
	g = store_get(path);
	if (g == NULL) {
		*err = ENOENT;
		return NULL;
	}
	if (e == NULL && (*err = txn_room(t)) != 0)
		return NULL;
	copy = node_dup(g);
	if (copy == NULL) {
		*err = ENOMEM;
		return NULL;
	}
	copy->kind = NODE_SET;
	copy->basegen = e != NULL ? e->basegen : g->gen;
	if (e != NULL)
		node_free(ntab_remove(&t->tab, path));
	if (ntab_insert(&t->tab, copy) != 0) {
		node_free(copy);
		*err = ENOMEM;
		return NULL;
	}
	return copy;
}

/* The caller has checked that path is absent in the transaction's view. */
int
txn_create(struct txn *t, const char *path, const struct node *parent,
    struct node **out)
{
	struct node *e = ntab_find(&t->tab, path), *g, *n, *pm;
	uint64_t basegen;
	int err;
	char *ppath;
	size_t pl;

	if (e != NULL) {
		basegen = e->basegen;
	} else {
		if ((err = txn_room(t)) != 0)
			return err;
		g = store_get(path);
		basegen = g != NULL ? g->gen : 0;
	}
	n = node_make(path, parent->perms, parent->nperms, NULL, 0);
	if (n == NULL)
		return ENOMEM;
	/* A new node belongs to its unprivileged creator. */
	if (!t->conn->priv && n->nperms > 0)
		n->perms[0].id = (uint16_t)t->conn->domid;
	n->kind = NODE_SET;
	n->basegen = basegen;

	pl = path_parent_len(path);
	ppath = malloc(pl + 1);
	if (ppath == NULL) {
		node_free(n);
		return ENOMEM;
	}
	memcpy(ppath, path, pl);
	ppath[pl] = '\0';
	pm = txn_modify(t, ppath, &err);
	free(ppath);
	if (pm == NULL || (err = node_add_kid(pm, path_basename(path))) != 0) {
		node_free(n);
		return err != 0 ? err : ENOENT;
	}
	if (e != NULL)
		node_free(ntab_remove(&t->tab, path));
	if (ntab_insert(&t->tab, n) != 0) {
		node_free(n);
		return ENOMEM;
	}
	if (n->nperms > 0 && n->perms[0].id == t->conn->domid)
		t->node_delta++;
	*out = n;
	return 0;
}

/* Marks one node deleted in the overlay; returns its children to visit. */
static int
txn_mark_del(struct txn *t, const char *path, struct buf *work)
{
	struct node *e = ntab_find(&t->tab, path), *g, *d;
	const char *k, *end;
	int err;

	if (e != NULL && e->kind == NODE_DEL)
		return 0;
	if (e != NULL && e->kind == NODE_SET) {
		g = e;
	} else {
		g = store_get(path);
		if (g == NULL)
			return 0;
	}
	/* Queue children as full paths before the node is emptied. */
	k = g->kids;
	end = k != NULL ? k + g->kidslen : NULL;
	for (; k != NULL && k < end; k += strlen(k) + 1) {
		if (strcmp(path, "/") == 0)
			err = buf_printf(work, "/%s", k);
		else
			err = buf_printf(work, "%s/%s", path, k);
		if (err != 0 || buf_add(work, "", 1) != 0)
			return ENOMEM;
	}
	if (g->nperms > 0 && g->perms[0].id == t->conn->domid)
		t->node_delta--;
	if (e != NULL) {
		/* Reuse the entry; its basegen stays what was first seen. */
		e->kind = NODE_DEL;
		e->vlen = 0;
		free(e->kids);
		e->kids = NULL;
		e->kidslen = 0;
		return 0;
	}
	if ((err = txn_room(t)) != 0)
		return err;
	d = node_new(path);
	if (d == NULL)
		return ENOMEM;
	d->kind = NODE_DEL;
	d->basegen = g->gen;
	if (ntab_insert(&t->tab, d) != 0) {
		node_free(d);
		return ENOMEM;
	}
	return 0;
}

int
txn_remove(struct txn *t, const char *path)
{
	struct buf work = { 0 };
	size_t pos = 0, pl;
	int err;
	char *ppath;
	struct node *pm;

	/* Breadth-first over an explicit list: no recursion on peer data. */
	if (buf_addstr0(&work, path) != 0)
		return ENOMEM;
	while (pos < work.len) {
		/* Copy: the list may move when it grows. */
		char *cur = strdup((const char *)work.p + pos);

		if (cur == NULL) {
			buf_free(&work);
			return ENOMEM;
		}
		pos += strlen(cur) + 1;
		err = txn_mark_del(t, cur, &work);
		free(cur);
		if (err != 0) {
			buf_free(&work);
			return err;
		}
	}
	buf_free(&work);
	if (strcmp(path, "/") == 0)
		return 0;
	pl = path_parent_len(path);
	ppath = malloc(pl + 1);
	if (ppath == NULL)
		return ENOMEM;
	memcpy(ppath, path, pl);
	ppath[pl] = '\0';
	pm = txn_modify(t, ppath, &err);
	free(ppath);
	if (pm == NULL)
		return err;
	node_del_kid(pm, path_basename(path));
	return 0;
}

/* Gives the overlay node *mp other permissions and a value. */
int
txn_rebuild(struct txn *t, struct node **mp, const struct xsd_perm *p,
    uint32_t np, const void *v, size_t vlen)
{
	struct node *old = *mp, *next = old->hnext, *nw, **pp;

	/* Find old's link first: node_rebuild frees it. */
	for (pp = &t->tab.b[old->hash & (t->tab.nb - 1)]; *pp != old;
	     pp = &(*pp)->hnext)
		;
	nw = node_rebuild(old, p, np, v, vlen);
	if (nw == NULL)
		return ENOMEM;
	nw->hnext = next;
	*pp = nw;
	*mp = nw;
	return 0;
}

int
txn_add_event(struct txn *t, const char *path, const struct node *n,
    bool recursive)
{
	struct evrec *e, **tail = &t->events;
	size_t len = strlen(path);

	for (e = t->events; e != NULL; e = e->next) {
		tail = &e->next;
		if (strcmp(e->path, path) == 0) {
			e->recursive = e->recursive || recursive;
			return 0;
		}
	}
	e = calloc(1, sizeof(*e) + len + 1);
	if (e == NULL)
		return ENOMEM;
	memcpy(e->path, path, len + 1);
	e->recursive = recursive;
	if (n != NULL && n->nperms > 0) {
		e->perms = calloc(n->nperms, sizeof(*e->perms));
		if (e->perms == NULL) {
			free(e);
			return ENOMEM;
		}
		memcpy(e->perms, n->perms, n->nperms * sizeof(*e->perms));
		e->nperms = n->nperms;
	}
	*tail = e;
	return 0;
}

int
txn_commit(struct txn *t)
{
	size_t i;
	struct node *e, *next, *g;
	uint64_t cur, gen;
	bool changed = false;

	for (i = 0; i < t->tab.nb; i++) {
		for (e = t->tab.b[i]; e != NULL; e = e->hnext) {
			g = store_get_h(node_path(e), e->pathlen, e->hash);
			cur = g != NULL ? g->gen : 0;
			if (cur != e->basegen)
				return EAGAIN;
		}
	}
	gen = xsd_store.gen + 1;
	for (i = 0; i < t->tab.nb; i++) {
		for (e = t->tab.b[i]; e != NULL; e = next) {
			next = e->hnext;
			if (e->kind == NODE_SET) {
				e->gen = gen;
				db_log_set(e);
				t->tab.b[i] = next;
				t->tab.n--;
				e->hnext = NULL;
				store_put(e);
				changed = true;
				continue;
			}
			if (e->kind == NODE_DEL) {
				if (store_get_h(node_path(e), e->pathlen,
					e->hash) != NULL) {
					db_log_del(node_path(e));
					store_del(node_path(e));
					changed = true;
				}
			}
			t->tab.b[i] = next;
			t->tab.n--;
			node_free(e);
		}
	}
	if (changed) {
		xsd_store.gen = gen;
		xsd_store.seq++;
		db_log_end();
	}
	watch_defer(t->events);
	t->events = NULL;
	return 0;
}

/*
 * XSA-322: a released domain's id may be given to a new domain, which must
 * not inherit rights granted to the old one.  Every node naming domid gets
 * new permissions: an owner entry passes to dom0 (keeping the access it
 * gives everyone else), any other entry for domid is dropped.  One
 * committed change set, journaled like any other; no watch events.
 */
int
txn_revoke_domid(uint32_t domid)
{
	struct txn tmp;
	struct buf paths = { 0 };
	struct xsd_perm *np = NULL;
	size_t i, pos;
	struct node *n, *m;
	uint32_t k, cnt;
	int err = 0;

	memset(&tmp, 0, sizeof(tmp));
	/* Collect first: the store must not change under the walk. */
	for (i = 0; i < xsd_store.tab.nb; i++) {
		for (n = xsd_store.tab.b[i]; n != NULL; n = n->hnext) {
			for (k = 0; k < n->nperms; k++)
				if (n->perms[k].id == domid)
					break;
			if (k < n->nperms &&
			    buf_add(&paths, node_path(n), n->pathlen + 1u) != 0)
				err = ENOMEM;
		}
	}
	for (pos = 0; err == 0 && pos < paths.len;
	     pos += strlen((char *)paths.p + pos) + 1) {
		m = txn_modify(&tmp, (const char *)paths.p + pos, &err);
		if (m == NULL)
			break;
		free(np);
		np = malloc(m->nperms * sizeof(*np));
		if (np == NULL) {
			err = ENOMEM;
			break;
		}
		np[0] = m->perms[0];
		if (np[0].id == domid)
			np[0].id = 0;
		for (cnt = 1, k = 1; k < m->nperms; k++)
			if (m->perms[k].id != domid)
				np[cnt++] = m->perms[k];
		err = txn_rebuild(&tmp, &m, np, cnt, node_value(m), m->vlen);
	}
	if (err == 0 && tmp.tab.n > 0)
		err = txn_commit(&tmp);
	ntab_free(&tmp.tab);
	free(np);
	buf_free(&paths);
	return err;
}
