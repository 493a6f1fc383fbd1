/*
 * Watches.  Committed changes are not announced at once: their events wait
 * in a pending list until the request that caused them queues its reply,
 * and go out just before it, in the order C xenstored sends them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_conn.h"
#include "xsd_log.h"
#include "xsd_path.h"
#include "xsd_perms.h"
#include "xsd_quota.h"
#include "xsd_special.h"
#include "xsd_tree.h"
#include "xsd_txn.h"
#include "xsd_watch.h"

static struct evrec *pending_head, **pending_tail = &pending_head;

/*
 * Event records of the usual size (a path and permissions within
 * EVREC_TAIL bytes) are kept for reuse, a bounded number of them, so that
 * a write allocates none.
 */
#define EVREC_TAIL    256u
#define EVREC_POOLMAX 64u
static struct evrec *evrec_pool;
static unsigned evrec_npool;

struct evrec *
evrec_new(const char *path, uint32_t np, uint32_t npp)
{
	size_t len = strlen(path) + 1, at, tail;
	struct evrec *e;

	/* The permissions after the path, aligned for their type. */
	at = (len + _Alignof(struct xsd_perm) - 1) &
	    ~(_Alignof(struct xsd_perm) - 1);
	tail = at + ((size_t)np + npp) * sizeof(struct xsd_perm);
	if (tail <= EVREC_TAIL && evrec_pool != NULL) {
		e = evrec_pool;
		evrec_pool = e->next;
		evrec_npool--;
	} else {
		e = malloc(sizeof(*e) + (tail <= EVREC_TAIL ? EVREC_TAIL : tail));
		if (e == NULL)
			return NULL;
	}
	memset(e, 0, sizeof(*e));
	e->pooled = tail <= EVREC_TAIL;
	memcpy(e->path, path, len);
	e->perms = (struct xsd_perm *)(void *)(e->path + at);
	e->pperms = e->perms + np;
	return e;
}

void
evrec_free(struct evrec *e)
{
	if (e == NULL)
		return;
	if (e->pooled && evrec_npool < EVREC_POOLMAX) {
		e->next = evrec_pool;
		evrec_pool = e;
		evrec_npool++;
		return;
	}
	free(e);
}

/*
 * Every watch is also in one hash table keyed by its path, so that a
 * change finds the watches on its path and on each of its ancestors
 * (a few lookups) instead of walking every watch of every connection.
 */
static struct watch **wtab;
static size_t wtab_nb, wtab_n;
static uint64_t watch_seq;

static int
windex_insert(struct watch *w)
{
	size_t i;

	if (wtab_n + 1 > wtab_nb) {
		size_t nnb = wtab_nb ? wtab_nb * 2 : 64;
		struct watch **nt = calloc(nnb, sizeof(*nt)), *x, *next;

		if (nt == NULL)
			return ENOMEM;
		for (i = 0; i < wtab_nb; i++) {
			for (x = wtab[i]; x != NULL; x = next) {
				next = x->hnext;
				x->hnext = nt[x->hash & (nnb - 1)];
				nt[x->hash & (nnb - 1)] = x;
			}
		}
		free(wtab);
		wtab = nt;
		wtab_nb = nnb;
	}
	i = w->hash & (wtab_nb - 1);
	w->hnext = wtab[i];
	wtab[i] = w;
	wtab_n++;
	return 0;
}

static void
windex_remove(struct watch *w)
{
	struct watch **pp;

	if (wtab_nb == 0)
		return;
	for (pp = &wtab[w->hash & (wtab_nb - 1)]; *pp != NULL;
	     pp = &(*pp)->hnext) {
		if (*pp == w) {
			*pp = w->hnext;
			wtab_n--;
			return;
		}
	}
}

static void
watch_free(struct watch *w)
{
	windex_remove(w);
	free(w->token);
	free(w->orig);
	free(w->abs);
	free(w);
}

void
watch_free_all(struct conn *c)
{
	struct watch *w, *next;

	for (w = c->watches; w != NULL; w = next) {
		next = w->next;
		watch_free(w);
	}
	c->watches = NULL;
	c->nwatches = 0;
}

/*
 * The quota is per domain, as C xenstored 4.17 keeps it: the watches of
 * every connection acting as that domain.  It refuses a watch once the
 * count already exceeds the quota (it admits one over).
 */
static unsigned
domain_watches(uint32_t domid)
{
	const struct conn *o;
	unsigned n = 0;

	for (o = xsd_conns; o != NULL; o = o->next)
		if (!o->priv && o->domid == domid)
			n += o->nwatches;
	return n;
}

int
watch_add(struct conn *c, const char *path, const char *token)
{
	char abs[XENSTORE_ABS_PATH_MAX + 1];
	struct watch *w, **tail = &c->watches;
	int err;

	if (path_is_special(path)) {
		/* Any characters, as C xenstored takes them. */
		if (strlen(path) > XENSTORE_REL_PATH_MAX)
			return EINVAL;
		snprintf(abs, sizeof(abs), "%s", path);
	} else if ((err = path_canon(c->domid, path, abs, sizeof(abs))) != 0) {
		return err;
	}
	for (w = c->watches; w != NULL; w = w->next) {
		tail = &w->next;
		if (strcmp(w->abs, abs) == 0 && strcmp(w->token, token) == 0)
			return EEXIST;
	}
	if (!c->priv && domain_watches(c->domid) > xsd_quota.watches)
		return E2BIG;
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return ENOMEM;
	w->token = strdup(token);
	w->orig = strdup(path);
	w->abs = strdup(abs);
	w->relative = path[0] != '/' && !path_is_special(path);
	w->conn = c;
	w->seq = ++watch_seq;
	w->hash = ntab_hash(abs, strlen(abs));
	if (w->token == NULL || w->orig == NULL || w->abs == NULL) {
		watch_free(w);
		return ENOMEM;
	}
	if (windex_insert(w) != 0) {
		free(w->token);
		free(w->orig);
		free(w->abs);
		free(w);
		return ENOMEM;
	}
	*tail = w;
	c->nwatches++;
	return 0;
}

int
watch_del(struct conn *c, const char *path, const char *token)
{
	char abs[XENSTORE_ABS_PATH_MAX + 1];
	struct watch **pp, *w;
	int err;

	/* Not validated: a path no watch can have is simply not found. */
	if (path[0] == '/' || path_is_special(path))
		err = snprintf(abs, sizeof(abs), "%s", path);
	else
		err = snprintf(abs, sizeof(abs), "/local/domain/%u/%s",
		    c->domid, path);
	if (err < 0 || (size_t)err >= sizeof(abs))
		return ENOENT;
	for (pp = &c->watches; (w = *pp) != NULL; pp = &w->next) {
		if (strcmp(w->abs, abs) == 0 && strcmp(w->token, token) == 0) {
			*pp = w->next;
			watch_free(w);
			c->nwatches--;
			return 0;
		}
	}
	return ENOENT;
}

/* Reports path the way the watch was set: relative watches see relative. */
static void
watch_send(struct conn *c, const struct watch *w, const char *path)
{
	char prefix[40];
	size_t pl;

	if (w->relative) {
		pl = (size_t)snprintf(prefix, sizeof(prefix), "/local/domain/%u/",
		    c->domid);
		if (strncmp(path, prefix, pl) == 0 && path[pl] != '\0')
			path += pl;
	}
	conn_queue_event(c, path, w->token);
}

void
watch_fire_one(struct conn *c, struct watch *w)
{
	conn_queue_event(c, w->orig, w->token);
}

static bool
may_read(const struct conn *c, const struct xsd_perm *p, uint32_t n)
{
	return perms_access(c->domid, c->priv, c->target, p, n) &
	    XSD_PERM_READ;
}

/*
 * May c see an event about the node e names?  As C xenstored decides it:
 * read access by the permissions the change carries (for SET_PERMS the
 * old ones); else to the node as it is now; else to its parent.  A node
 * a transaction's commit removed (or first saw absent) is not looked at
 * again: no event then.
 */
static bool
watch_permitted(const struct conn *c, const struct evrec *e)
{
	const struct node *parent, *n;
	char pp[XENSTORE_ABS_PATH_MAX + 1];
	size_t pl;

	if (!e->unseen &&
	    (e->nperms == 0 || may_read(c, e->perms, e->nperms)))
		return true;
	n = store_get(e->path);
	if (n == NULL && e->at_commit)
		return false;
	if (n != NULL && may_read(c, n->perms, n->nperms))
		return true;
	if (e->has_parent)
		return e->npperms == 0 || may_read(c, e->pperms, e->npperms);
	pl = path_parent_len(e->path);
	if (pl >= sizeof(pp))
		return false;
	memcpy(pp, e->path, pl);
	pp[pl] = '\0';
	parent = store_get(pp);
	return parent != NULL && may_read(c, parent->perms, parent->nperms);
}

/* The watches a change fires, gathered from the index (grown, kept). */
static struct watch **hits;
static size_t nhits, hits_cap;

static void
hits_add(struct watch *w)
{
	struct watch **nh;

	if (nhits == hits_cap) {
		size_t nc = hits_cap ? hits_cap * 2 : 64;

		nh = realloc(hits, nc * sizeof(*nh));
		if (nh == NULL) {
			xsd_log("out of memory: watch event lost");
			return;
		}
		hits = nh;
		hits_cap = nc;
	}
	hits[nhits++] = w;
}

/* Watches set exactly on p[0..len). */
static void
hits_on(const char *p, size_t len)
{
	uint32_t h = ntab_hash(p, len);
	struct watch *w;

	if (wtab_nb == 0)
		return;
	for (w = wtab[h & (wtab_nb - 1)]; w != NULL; w = w->hnext)
		if (w->hash == h && strncmp(w->abs, p, len) == 0 &&
		    w->abs[len] == '\0')
			hits_add(w);
}

/* Per connection, in the order its watches were set. */
static int
hit_cmp(const void *a, const void *b)
{
	const struct watch *x = *(struct watch *const *)a;
	const struct watch *y = *(struct watch *const *)b;

	if (x->conn->id != y->conn->id)
		return x->conn->id < y->conn->id ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
watch_fire(const struct evrec *e)
{
	struct conn *c;
	size_t i, j, len;
	bool special = path_is_special(e->path), ok;

	nhits = 0;
	len = strlen(e->path);
	if (special || e->exact) {
		hits_on(e->path, len);
	} else {
		/* The path itself and each ancestor, the root included. */
		hits_on("/", 1);
		for (i = 1; i < len; i++)
			if (e->path[i] == '/')
				hits_on(e->path, i);
		if (len > 1)
			hits_on(e->path, len);
	}
	if (nhits > 1)
		qsort(hits, nhits, sizeof(*hits), hit_cmp);
	for (i = 0; i < nhits; i = j) {
		c = hits[i]->conn;
		for (j = i + 1; j < nhits && hits[j]->conn == c; j++)
			;
		if (c->dead)
			continue;
		/* Special events go to those their permissions let read. */
		ok = special ? special_may_read(c, e->path) :
			       watch_permitted(c, e);
		for (; ok && i < j; i++) {
			if (special)
				conn_queue_event(c, hits[i]->orig,
				    hits[i]->token);
			else
				watch_send(c, hits[i], e->path);
		}
	}
	nhits = 0;
}

void
watch_defer(struct evrec *list)
{
	while (list != NULL) {
		struct evrec *next = list->next;

		list->next = NULL;
		*pending_tail = list;
		pending_tail = &list->next;
		list = next;
	}
}

void
watch_defer_special(const char *name)
{
	struct evrec *e = evrec_new(name, 0, 0);

	if (e == NULL) {
		xsd_log("out of memory: %s event lost", name);
		return;
	}
	watch_defer(e);
}

void
watch_flush_pending(void)
{
	struct evrec *e, *next;

	e = pending_head;
	pending_head = NULL;
	pending_tail = &pending_head;
	for (; e != NULL; e = next) {
		next = e->next;
		watch_fire(e);
		evrec_free(e);
	}
}
