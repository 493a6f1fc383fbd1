/*
 * Node store: one hash table keyed by absolute path.  Each node keeps its
 * child names in the wire format of a DIRECTORY reply, so listing is a copy
 * and nothing ever walks the tree recursively.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_path.h"
#include "xsd_tree.h"

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
ntab_find_h(const struct ntab *t, const char *p, size_t len, uint32_t h)
{
	struct node *n;

	if (t->nb == 0)
		return NULL;
	for (n = t->b[h & (t->nb - 1)]; n != NULL; n = n->hnext)
		if (n->hash == h && n->pathlen == len &&
		    memcmp(node_path(n), p, len) == 0)
			return n;
	return NULL;
}

struct node *
ntab_find(const struct ntab *t, const char *p)
{
	size_t len;

	if (t->n == 0)
		return NULL;
	len = strlen(p);
	return ntab_find_h(t, p, len, ntab_hash(p, len));
}

static int
ntab_grow(struct ntab *t)
{
	size_t nnb = t->nb ? t->nb * 2 : 8, i;
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
	if (!t->borrowed)
		free(t->b);
	t->borrowed = false;
	t->b = nb;
	t->nb = nnb;
	return 0;
}

/*
 * Chains average up to two nodes: the bucket array costs at most 8 bytes a
 * node, and each probe compares the stored hash before any path.
 */
int
ntab_insert(struct ntab *t, struct node *n)
{
	size_t slot;

	if (t->n + 1 > t->nb * 2 && ntab_grow(t) != 0 && t->nb == 0)
		return ENOMEM;
	slot = n->hash & (t->nb - 1);
	n->hnext = t->b[slot];
	t->b[slot] = n;
	t->n++;
	return 0;
}

struct node *
ntab_remove_h(struct ntab *t, const char *p, size_t len, uint32_t h)
{
	struct node **pp, *n;

	if (t->nb == 0)
		return NULL;
	for (pp = &t->b[h & (t->nb - 1)]; (n = *pp) != NULL; pp = &n->hnext) {
		if (n->hash == h && n->pathlen == len &&
		    memcmp(node_path(n), p, len) == 0) {
			*pp = n->hnext;
			t->n--;
			return n;
		}
	}
	return NULL;
}

struct node *
ntab_remove(struct ntab *t, const char *p)
{
	size_t len;

	if (t->n == 0)
		return NULL;
	len = strlen(p);
	return ntab_remove_h(t, p, len, ntab_hash(p, len));
}

void
ntab_swap(struct ntab *t, struct node *old, struct node *nw)
{
	struct node **pp;

	for (pp = &t->b[old->hash & (t->nb - 1)]; *pp != NULL;
	     pp = &(*pp)->hnext) {
		if (*pp == old) {
			nw->hnext = old->hnext;
			*pp = nw;
			old->hnext = NULL;
			return;
		}
	}
}

void
ntab_clear(struct ntab *t)
{
	size_t i;
	struct node *n, *next;

	/* Buckets after the last node are empty already. */
	for (i = 0; i < t->nb && t->n > 0; i++) {
		for (n = t->b[i]; n != NULL; n = next) {
			next = n->hnext;
			node_free(n);
			t->n--;
		}
		t->b[i] = NULL;
	}
}

void
ntab_free(struct ntab *t)
{
	ntab_clear(t);
	if (!t->borrowed)
		free(t->b);
	t->borrowed = false;
	t->b = NULL;
	t->nb = t->n = 0;
}

static struct node *
node_alloc(const char *path, size_t pl, uint32_t hash,
    const struct xsd_perm *p, uint32_t np, const void *v, size_t vlen)
{
	struct node *n;
	char *dst;

	if (pl > UINT16_MAX - 1 || vlen > UINT16_MAX || np > UINT16_MAX)
		return NULL;
	n = malloc(sizeof(*n) + np * sizeof(*p) + pl + 1 + vlen);
	if (n == NULL)
		return NULL;
	n->hnext = NULL;
	n->kids = NULL;
	n->gen = 0;
	n->basegen = 0;
	n->hash = hash;
	n->kidslen = 0;
	n->pathlen = (uint16_t)pl;
	n->vlen = (uint16_t)vlen;
	n->nperms = (uint16_t)np;
	n->kind = NODE_LIVE;
	if (np > 0)
		memcpy(n->perms, p, np * sizeof(*p));
	dst = (char *)(n->perms + np);
	memcpy(dst, path, pl);
	dst[pl] = '\0';
	if (vlen > 0)
		memcpy(dst + pl + 1, v, vlen);
	return n;
}

struct node *
node_make(const char *path, const struct xsd_perm *p, uint32_t np,
    const void *v, size_t vlen)
{
	size_t pl = strlen(path);

	return node_alloc(path, pl, ntab_hash(path, pl), p, np, v, vlen);
}

struct node *
node_new(const char *path)
{
	return node_make(path, NULL, 0, NULL, 0);
}

void
node_free(struct node *n)
{
	if (n == NULL)
		return;
	free(n->kids);
	free(n);
}

/*
 * Child lists are allocated in size classes (steps of about 1.25x): a list
 * grows without a realloc per child, and the blocks freed as copies are
 * replaced fit the next copies, so the heap does not fragment.  The block
 * of a list always holds at least kids_cap(kidslen) bytes.
 */
static size_t
kids_cap(size_t len)
{
	size_t c = 32;

	while (c < len)
		c += c >= 128 ? (c / 4 + 15) & ~(size_t)15 : 16;
	return c;
}

int
node_copy_kids(struct node *n, const struct node *src)
{
	char *k = NULL;

	if (src->kidslen > 0) {
		k = malloc(kids_cap(src->kidslen));
		if (k == NULL)
			return ENOMEM;
		memcpy(k, src->kids, src->kidslen);
	}
	free(n->kids);
	n->kids = k;
	n->kidslen = src->kidslen;
	return 0;
}

struct node *
node_make_from(const struct node *src, const struct xsd_perm *p, uint32_t np,
    const void *v, size_t vlen)
{
	struct node *n = node_alloc(node_path(src), src->pathlen, src->hash,
	    p, np, v, vlen);

	if (n == NULL)
		return NULL;
	n->gen = src->gen;
	if (node_copy_kids(n, src) != 0) {
		node_free(n);
		return NULL;
	}
	return n;
}

struct node *
node_dup(const struct node *src)
{
	struct node *n = node_make_from(src, src->perms, src->nperms,
	    node_value(src), src->vlen);

	if (n != NULL) {
		n->basegen = src->basegen;
		n->kind = src->kind;
	}
	return n;
}

struct node *
node_rebuild(struct node *src, const struct xsd_perm *p, uint32_t np,
    const void *v, size_t vlen)
{
	struct node *n = node_alloc(node_path(src), src->pathlen, src->hash,
	    p, np, v, vlen);

	if (n == NULL)
		return NULL;
	n->gen = src->gen;
	n->basegen = src->basegen;
	n->kind = src->kind;
	n->kids = src->kids;
	n->kidslen = src->kidslen;
	free(src);
	return n;
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
	if (kid_find(n, name) != NULL)
		return 0;
	return node_append_kid(n, name);
}

int
node_append_kid(struct node *n, const char *name)
{
	size_t nl = strlen(name) + 1;
	char *nk;

	nk = n->kids;
	if (nk == NULL || n->kidslen + nl > kids_cap(n->kidslen)) {
		nk = realloc(n->kids, kids_cap(n->kidslen + nl));
		if (nk == NULL)
			return ENOMEM;
	}
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
	return XSD_NODE_ACCT_HDR + n->pathlen + 1 + n->vlen + n->kidslen +
	    n->nperms * XSD_NODE_ACCT_PERM;
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

struct node *
store_get_h(const char *path, size_t len, uint32_t h)
{
	return ntab_find_h(&xsd_store.tab, path, len, h);
}

void
store_put(struct node *n)
{
	struct node *old = ntab_find_h(&xsd_store.tab, node_path(n),
	    n->pathlen, n->hash);

	n->kind = NODE_LIVE;
	n->basegen = 0;
	if (old != NULL) {
		/* Same path, same bucket: replace in place. */
		ntab_swap(&xsd_store.tab, old, n);
		acct_adjust(old, -1);
		node_free(old);
		acct_adjust(n, 1);
		return;
	}
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
	/* What C xenstored starts with. */
	static const char *const base[] = { "/", "/tool", "/tool/xenstored" };
	struct xsd_perm p = { 0, XSD_PERM_NONE };
	size_t i;
	struct node *n;

	for (i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		n = node_make(base[i], &p, 1, NULL, 0);
		if (n == NULL)
			return ENOMEM;
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
