/*
 * Node store: one hash table keyed by absolute path.  Each node keeps its
 * child names in the wire format of a DIRECTORY reply, so listing is a copy
 * and nothing ever walks the tree recursively.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

struct store xsd_store;

uint32_t
ntab_hash(const char *p, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (uint8_t)p[i];
		h *= 16777619u;
	}
	return h;
}

struct node *
ntab_find(const struct ntab *t, const char *p)
{
	size_t len = strlen(p);
	uint32_t h;
	struct node *n;

	if (t->nb == 0)
		return NULL;
	h = ntab_hash(p, len);
	for (n = t->b[h & (t->nb - 1)]; n != NULL; n = n->hnext)
		if (n->hash == h && n->pathlen == len &&
		    memcmp(n->path, p, len) == 0)
			return n;
	return NULL;
}

static int
ntab_grow(struct ntab *t)
{
	size_t nnb = t->nb ? t->nb * 2 : 64, i;
	struct node **nb = calloc(nnb, sizeof(*nb));
	struct node *n, *next;

	if (nb == NULL)
		return ENOMEM;
	for (i = 0; i < t->nb; i++) {
		for (n = t->b[i]; n != NULL; n = next) {
			next = n->hnext;
			n->hnext = nb[n->hash & (nnb - 1)];
			nb[n->hash & (nnb - 1)] = n;
		}
	}
	free(t->b);
	t->b = nb;
	t->nb = nnb;
	return 0;
}

int
ntab_insert(struct ntab *t, struct node *n)
{
	size_t slot;

	if ((t->n + 1) * 4 > t->nb * 3 && ntab_grow(t) != 0 && t->nb == 0)
		return ENOMEM;
	n->hash = ntab_hash(n->path, n->pathlen);
	slot = n->hash & (t->nb - 1);
	n->hnext = t->b[slot];
	t->b[slot] = n;
	t->n++;
	return 0;
}

struct node *
ntab_remove(struct ntab *t, const char *p)
{
	size_t len = strlen(p);
	uint32_t h;
	struct node **pp, *n;

	if (t->nb == 0)
		return NULL;
	h = ntab_hash(p, len);
	for (pp = &t->b[h & (t->nb - 1)]; (n = *pp) != NULL; pp = &n->hnext) {
		if (n->hash == h && n->pathlen == len &&
		    memcmp(n->path, p, len) == 0) {
			*pp = n->hnext;
			t->n--;
			return n;
		}
	}
	return NULL;
}

void
ntab_free(struct ntab *t)
{
	size_t i;
	struct node *n, *next;

	for (i = 0; i < t->nb; i++) {
		for (n = t->b[i]; n != NULL; n = next) {
			next = n->hnext;
			node_free(n);
		}
	}
	free(t->b);
	t->b = NULL;
	t->nb = t->n = 0;
}

struct node *
node_new(const char *path)
{
	struct node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return NULL;
	n->pathlen = (uint32_t)strlen(path);
	n->path = strdup(path);
	if (n->path == NULL) {
		free(n);
		return NULL;
	}
	return n;
}

void
node_free(struct node *n)
{
	if (n == NULL)
		return;
	free(n->path);
	free(n->value);
	free(n->perms);
	free(n->kids);
	free(n);
}

struct node *
node_dup(const struct node *src)
{
	struct node *n = node_new(src->path);

	if (n == NULL)
		return NULL;
	n->gen = src->gen;
	n->basegen = src->basegen;
	n->kind = src->kind;
	if (node_set_value(n, src->value, src->vlen) != 0 ||
	    node_set_perms(n, src->perms, src->nperms) != 0)
		goto fail;
	if (src->kidslen > 0) {
		n->kids = malloc(src->kidslen);
		if (n->kids == NULL)
			goto fail;
		memcpy(n->kids, src->kids, src->kidslen);
		n->kidslen = src->kidslen;
	}
	return n;
fail:
	node_free(n);
	return NULL;
}

int
node_set_value(struct node *n, const void *v, size_t len)
{
	uint8_t *nv = NULL;

	if (len > 0) {
		nv = malloc(len);
		if (nv == NULL)
			return ENOMEM;
		memcpy(nv, v, len);
	}
	free(n->value);
	n->value = nv;
	n->vlen = (uint32_t)len;
	return 0;
}

int
node_set_perms(struct node *n, const struct xsd_perm *p, uint32_t np)
{
	struct xsd_perm *pp = NULL;

	if (np > 0) {
		pp = calloc(np, sizeof(*pp));
		if (pp == NULL)
			return ENOMEM;
		memcpy(pp, p, np * sizeof(*pp));
	}
	free(n->perms);
	n->perms = pp;
	n->nperms = np;
	return 0;
}

static const char *
kid_find(const struct node *n, const char *name)
{
	const char *k = n->kids, *end;
	size_t nl = strlen(name) + 1;

	if (k == NULL)
		return NULL;
	end = k + n->kidslen;
	while (k < end) {
		size_t kl = strlen(k) + 1;

		if (kl == nl && memcmp(k, name, nl) == 0)
			return k;
		k += kl;
	}
	return NULL;
}

bool
node_has_kid(const struct node *n, const char *name)
{
	return kid_find(n, name) != NULL;
}

int
node_add_kid(struct node *n, const char *name)
{
	size_t nl = strlen(name) + 1;
	char *nk;

	if (kid_find(n, name) != NULL)
		return 0;
	nk = realloc(n->kids, n->kidslen + nl);
	if (nk == NULL)
		return ENOMEM;
	memcpy(nk + n->kidslen, name, nl);
	n->kids = nk;
	n->kidslen += (uint32_t)nl;
	return 0;
}

void
node_del_kid(struct node *n, const char *name)
{
	char *k = (char *)kid_find(n, name);
	size_t kl, after;

	if (k == NULL)
		return;
	kl = strlen(k) + 1;
	after = (size_t)(n->kids + n->kidslen - (k + kl));
	memmove(k, k + kl, after);
	n->kidslen -= (uint32_t)kl;
}

size_t
node_size(const struct node *n)
{
	return n->vlen + n->kidslen;
}

size_t
node_memory(const struct node *n)
{
	return sizeof(*n) + n->pathlen + 1 + n->vlen + n->kidslen +
	    n->nperms * sizeof(struct xsd_perm);
}

struct domacct *
store_acct(uint32_t domid, bool create)
{
	struct domacct *a;

	for (a = xsd_store.acct; a != NULL; a = a->next)
		if (a->domid == domid)
			return a;
	if (!create)
		return NULL;
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return NULL;
	a->domid = domid;
	a->next = xsd_store.acct;
	xsd_store.acct = a;
	return a;
}

static void
acct_adjust(const struct node *n, int sign)
{
	struct domacct *a;
	size_t mem;

	if (n->nperms == 0)
		return;
	a = store_acct(n->perms[0].id, sign > 0);
	if (a == NULL)
		return; /* accounting is best effort under memory pressure */
	mem = node_memory(n);
	if (sign > 0) {
		a->nodes++;
		a->memory += mem;
	} else {
		a->nodes = a->nodes > 0 ? a->nodes - 1 : 0;
		a->memory = a->memory > mem ? a->memory - mem : 0;
	}
}

struct node *
store_get(const char *path)
{
	return ntab_find(&xsd_store.tab, path);
}

void
store_put(struct node *n)
{
	struct node *old = ntab_remove(&xsd_store.tab, n->path);

	if (old != NULL) {
		acct_adjust(old, -1);
		node_free(old);
	}
	n->kind = NODE_LIVE;
	n->basegen = 0;
	acct_adjust(n, 1);
	/* Cannot fail: the table only grows on insert when memory allows. */
	if (ntab_insert(&xsd_store.tab, n) != 0) {
		acct_adjust(n, -1);
		node_free(n);
	}
}

void
store_del(const char *path)
{
	struct node *old = ntab_remove(&xsd_store.tab, path);

	if (old != NULL) {
		acct_adjust(old, -1);
		node_free(old);
	}
}

int
store_init(void)
{
	static const char *const base[] = { "/", "/local", "/local/domain",
		"/tool" };
	struct xsd_perm p = { 0, XSD_PERM_NONE };
	size_t i;
	struct node *n;

	for (i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		n = node_new(base[i]);
		if (n == NULL || node_set_perms(n, &p, 1) != 0) {
			node_free(n);
			return ENOMEM;
		}
		if (i > 0) {
			struct node *parent;
			char pp[32];
			size_t pl = path_parent_len(base[i]);

			memcpy(pp, base[i], pl);
			pp[pl] = '\0';
			parent = store_get(pp);
			if (parent == NULL ||
			    node_add_kid(parent, path_basename(base[i])) != 0) {
				node_free(n);
				return ENOMEM;
			}
		}
		n->gen = ++xsd_store.gen;
		store_put(n);
	}
	return 0;
}

void
store_fini(void)
{
	struct domacct *a, *next;

	ntab_free(&xsd_store.tab);
	for (a = xsd_store.acct; a != NULL; a = next) {
		next = a->next;
		free(a);
	}
	xsd_store.acct = NULL;
}
