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

#include "xsd_buf.h"
#include "xsd_conn.h"
#include "xsd_db.h"
#include "xsd_path.h"
#include "xsd_quota.h"
#include "xsd_tree.h"
#include "xsd_txn.h"
#include "xsd_watch.h"

static int add_event(struct txn *t, const char *path, const struct node *n,
    bool exact, const struct node *parent);

/*
 * Ended transactions are kept for reuse, a bounded number, with their
 * bucket array and order buffer when those stayed small: starting one
 * then allocates nothing.
 */
#define TXN_POOLMAX   32u
#define TXN_KEEP_NB   64u
#define TXN_KEEP_BUF  4096u
static struct txn *txn_pool;
static unsigned txn_npool;

struct txn *
txn_new(struct conn *c, uint32_t id)
{
	struct txn *t = txn_pool;
	struct ntab tab = { 0 };
	struct buf order = { 0 };

	if (t != NULL) {
		txn_pool = t->next;
		txn_npool--;
		tab = t->tab;
		order = t->order;
	} else if ((t = malloc(sizeof(*t))) == NULL) {
		return NULL;
	}
	memset(t, 0, sizeof(*t));
	t->tab = tab;
	t->order = order;
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
		evrec_free(e);
	}
}

void
txn_free(struct txn *t)
{
	if (t == NULL)
		return;
	evrec_free_list(t->events);
	t->events = NULL;
	if (txn_npool < TXN_POOLMAX && t->tab.nb <= TXN_KEEP_NB &&
	    !t->tab.borrowed && t->order.cap <= TXN_KEEP_BUF) {
		ntab_clear(&t->tab);
		t->order.len = 0;
		t->next = txn_pool;
		txn_pool = t;
		txn_npool++;
		return;
	}
	ntab_free(&t->tab);
	buf_free(&t->order);
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

/* Notes a path's first access (see struct txn's order). */
static int
txn_note(struct txn *t, const char *path)
{
	if (t->id == 0)
		return 0;
	return buf_addstr0(&t->order, path) != 0 ? ENOMEM : 0;
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
		/* NODE_READ: the copy taken at first access, or absent. */
		return e->basegen != 0 ? e : NULL;
	}
	g = store_get(path);
	if (t->id == 0)
		return g; /* implicit: nothing can intervene before commit */
	if ((*err = txn_room(t)) != 0)
		return NULL;
	/*
	 * The first access keeps a copy: later reads in the transaction see
	 * the node as it was then, whatever others commit meanwhile (commit
	 * then fails with EAGAIN).
	 */
	r = g != NULL ? node_dup(g) : node_new(path);
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
	if ((*err = txn_note(t, path)) != 0)
		return NULL;
	return g != NULL ? r : NULL;
}

/*
 * The overlay node of path, made writable: a copy of what the transaction
 * sees, with the same content (as == NULL) or with the permissions and
 * value as gives (one allocation, not a copy and then its rebuild).
 */
struct node_content {
	const struct xsd_perm *p;
	uint32_t np;
	const void *v;
	size_t vlen;
};

static struct node *
txn_cow(struct txn *t, const char *path, const struct node_content *as,
    int *err)
{
	struct node *e = ntab_find(&t->tab, path), *g, *copy;

	*err = 0;
	if (e != NULL && e->kind == NODE_SET) {
		if (as != NULL &&
		    (*err = txn_rebuild(t, &e, as->p, as->np, as->v,
			 as->vlen)) != 0)
			return NULL;
		return e;
	}
	if (e != NULL && e->kind == NODE_DEL) {
		*err = ENOENT;
		return NULL;
	}
	/* A node already read is changed as the transaction saw it. */
	g = e != NULL ? (e->basegen != 0 ? e : NULL) : store_get(path);
	if (g == NULL) {
		*err = ENOENT;
		return NULL;
	}
	if (e == NULL && (*err = txn_room(t)) != 0)
		return NULL;
	/* as may point into g (or e): build before freeing anything. */
	copy = as == NULL ? node_dup(g) :
			    node_make_from(g, as->p, as->np, as->v, as->vlen);
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
	if (e == NULL && (*err = txn_note(t, path)) != 0)
		return NULL;
	return copy;
}

struct node *
txn_modify(struct txn *t, const char *path, int *err)
{
	return txn_cow(t, path, NULL, err);
}

struct node *
txn_set(struct txn *t, const char *path, const struct xsd_perm *p,
    uint32_t np, const void *v, size_t vlen, int *err)
{
	const struct node_content as = { p, np, v, vlen };

	return txn_cow(t, path, &as, err);
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
	if (e == NULL && (err = txn_note(t, path)) != 0)
		return err;
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
	return txn_note(t, path);
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

/*
 * The events of a removal, in C xenstored's order: every node of the
 * subtree, children before their parent (depth first, in child order);
 * the nodes below the root fire only watches set on themselves.  An
 * explicit stack of (path, next child offset): no recursion on peer data.
 */
int
txn_remove_events(struct txn *t, const char *root)
{
	struct frame {
		size_t start; /* of its path in paths */
		uint32_t next; /* offset of the next child to visit */
	} *st = NULL, *f;
	struct buf paths = { 0 };
	size_t depth = 0, cap = 0;
	const struct node *n;
	const char *cur;
	int err = 0;

	st = malloc(16 * sizeof(*st));
	if (st == NULL || buf_addstr0(&paths, root) != 0)
		goto nomem;
	cap = 16;
	st[0].start = 0;
	st[0].next = 0;
	depth = 1;
	for (;;) {
		f = &st[depth - 1];
		cur = (const char *)paths.p + f->start;
		n = txn_get(t, cur, &err);
		if (err != 0)
			goto out;
		if (n != NULL && f->next < n->kidslen) {
			const char *kid = n->kids + f->next;
			size_t start = paths.len;

			f->next += (uint32_t)strlen(kid) + 1;
			/* Room first: cur points into paths. */
			if (buf_reserve(&paths, strlen(cur) + strlen(kid) +
				3) != 0)
				goto nomem;
			cur = (const char *)paths.p + f->start;
			if ((strcmp(cur, "/") == 0 ?
				    buf_printf(&paths, "/%s", kid) :
				    buf_printf(&paths, "%s/%s", cur, kid)) !=
				    0 ||
			    buf_add(&paths, "", 1) != 0)
				goto nomem;
			if (depth == cap) {
				size_t nc = cap * 2;
				struct frame *ns = realloc(st,
				    nc * sizeof(*ns));

				if (ns == NULL)
					goto nomem;
				st = ns;
				cap = nc;
			}
			st[depth].start = start;
			st[depth].next = 0;
			depth++;
			continue;
		}
		/*
		 * All children done: the node's own event, then pop it.  A
		 * node below the root keeps its parent's permissions as the
		 * walk saw them: the parent goes too (C xenstored judges
		 * the event by it).
		 */
		if (n != NULL) {
			const struct node *up = NULL;
			int e2 = 0;

			if (depth > 1)
				up = txn_get(t, (const char *)paths.p +
					st[depth - 2].start, &e2);
			if (e2 != 0 ||
			    (err = add_event(t, cur, n, depth > 1, up)) != 0) {
				err = e2 != 0 ? e2 : err;
				goto out;
			}
		}
		paths.len = f->start;
		if (--depth == 0)
			break;
	}
	goto out;
nomem:
	err = ENOMEM;
out:
	free(st);
	buf_free(&paths);
	return err;
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

static int
add_event(struct txn *t, const char *path, const struct node *n,
    bool exact, const struct node *parent)
{
	struct evrec *e, **tail = &t->events;
	uint32_t np = n != NULL ? n->nperms : 0;
	uint32_t npp = parent != NULL ? parent->nperms : 0;

	for (e = t->events; e != NULL; e = e->next) {
		tail = &e->next;
		if (strcmp(e->path, path) == 0) {
			e->exact = e->exact && exact;
			return 0;
		}
	}
	e = evrec_new(path, np, npp);
	if (e == NULL)
		return ENOMEM;
	e->exact = exact;
	e->has_parent = parent != NULL;
	e->nperms = np;
	e->npperms = npp;
	if (np > 0)
		memcpy(e->perms, n->perms, np * sizeof(*e->perms));
	if (npp > 0)
		memcpy(e->pperms, parent->perms, npp * sizeof(*e->pperms));
	*tail = e;
	return 0;
}

int
txn_add_event(struct txn *t, const char *path, const struct node *n,
    bool exact)
{
	return add_event(t, path, n, exact, NULL);
}

/* Puts the events in the order their nodes were first accessed. */
static void
txn_order_events(struct txn *t)
{
	struct evrec *sorted = NULL, **tail = &sorted, **pp, *e;
	size_t pos;

	for (pos = 0; pos < t->order.len && t->events != NULL;
	     pos += strlen((char *)t->order.p + pos) + 1) {
		for (pp = &t->events; (e = *pp) != NULL; pp = &e->next) {
			if (strcmp(e->path, (char *)t->order.p + pos) == 0) {
				*pp = e->next;
				e->next = NULL;
				*tail = e;
				tail = &e->next;
				break;
			}
		}
	}
	*tail = t->events; /* none should be left */
	t->events = sorted;
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
	if (t->id != 0) {
		struct evrec *ev;

		for (ev = t->events; ev != NULL; ev = ev->next) {
			e = ntab_find(&t->tab, ev->path);
			ev->at_commit = true;
			ev->unseen = e != NULL && e->basegen == 0;
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
	if (t->id != 0)
		txn_order_events(t);
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

/*
 * XSA-419: the nodes a released domain owns are removed with everything
 * below them, so that a later domain with the same id finds none of them.
 * The tree is walked as C xenstored walks it (from the root, parents
 * before children, in child order), stopping at each owned node, and the
 * removals are one committed change set with their watch events.
 */
int
txn_remove_owned(uint32_t domid)
{
	/* The daemon itself removes them: as domain 0, bound by nothing. */
	static struct conn self = { .priv = true, .target = -1 };
	struct txn tmp;
	struct buf todo = { 0 }, found = { 0 };
	size_t pos;
	int err = 0;

	memset(&tmp, 0, sizeof(tmp));
	tmp.conn = &self;
	/* Depth first with an explicit list: children are pushed in
	 * reverse so that they come out in child order. */
	if (buf_addstr0(&todo, "/") != 0)
		return ENOMEM;
	while (err == 0 && todo.len > 0) {
		const struct node *n;
		char *cur;
		size_t start = todo.len - 1;
		const char *k;

		while (start > 0 && todo.p[start - 1] != '\0')
			start--;
		cur = strdup((const char *)todo.p + start);
		todo.len = start;
		if (cur == NULL) {
			err = ENOMEM;
			break;
		}
		n = store_get(cur);
		if (n != NULL && n->nperms > 0 && n->perms[0].id == domid &&
		    strcmp(cur, "/") != 0) {
			if (buf_addstr0(&found, cur) != 0)
				err = ENOMEM;
			free(cur);
			continue;
		}
		for (k = n != NULL && n->kids != NULL ? n->kids + n->kidslen : NULL;
		     err == 0 && k != NULL && k > n->kids;) {
			const char *name = k - 1;

			while (name > n->kids && name[-1] != '\0')
				name--;
			if ((strcmp(cur, "/") == 0 ?
				    buf_printf(&todo, "/%s", name) :
				    buf_printf(&todo, "%s/%s", cur, name)) != 0 ||
			    buf_add(&todo, "", 1) != 0)
				err = ENOMEM;
			k = name;
		}
		free(cur);
	}
	for (pos = 0; err == 0 && pos < found.len;
	     pos += strlen((char *)found.p + pos) + 1) {
		const char *path = (const char *)found.p + pos;

		if ((err = txn_remove_events(&tmp, path)) == 0)
			err = txn_remove(&tmp, path);
	}
	if (err == 0 && tmp.tab.n > 0)
		err = txn_commit(&tmp);
	ntab_free(&tmp.tab);
	evrec_free_list(tmp.events);
	buf_free(&todo);
	buf_free(&found);
	return err;
}
