/* nodes and the store (tree.c) */
#ifndef XSD_TREE_H
#define XSD_TREE_H

#include "xsd_types.h"

/*
 * A node is one allocation: this header, then its permissions, its
 * absolute path (NUL-terminated) and its value.  Only the child list,
 * which grows and shrinks, lives apart.  Changing the value or the
 * permissions builds a new node (node_rebuild); nodes inside a table are
 * swapped in place (ntab_swap).
 */
struct node {
	struct node *hnext;
	char *kids; /* NUL-terminated child names, concatenated */
	uint64_t gen; /* store generation of the last change */
	/* Transaction overlay entries only: */
	uint64_t basegen; /* generation seen by the transaction, 0 = absent */
	uint32_t hash;	  /* ntab_hash of the path */
	uint32_t kidslen;
	uint16_t pathlen;
	uint16_t vlen;
	uint16_t nperms;
	uint8_t kind; /* NODE_LIVE, or overlay: NODE_READ, NODE_SET, NODE_DEL */
	struct xsd_perm perms[]; /* then path[pathlen + 1], value[vlen] */
};
enum { NODE_LIVE, NODE_READ, NODE_SET, NODE_DEL };

static inline const char *
node_path(const struct node *n)
{
	return (const char *)(n->perms + n->nperms);
}

static inline const uint8_t *
node_value(const struct node *n)
{
	return (const uint8_t *)node_path(n) + n->pathlen + 1;
}

/*
 * Memory quota measure of a node: fixed at the figures of the original
 * layout (an 88-byte header, 8 bytes a permission) so that a quota admits
 * the same data whatever the in-memory representation.
 */
#define XSD_NODE_ACCT_HDR  88u
#define XSD_NODE_ACCT_PERM 8u

struct ntab {
	struct node **b;
	size_t nb, n;
	bool borrowed; /* b is the caller's array: never freed here */
};
uint32_t ntab_hash(const char *p, size_t len);
struct node *ntab_find(const struct ntab *t, const char *p);
struct node *ntab_find_h(const struct ntab *t, const char *p, size_t len,
    uint32_t h);
int ntab_insert(struct ntab *t, struct node *n); /* path must be unique */
struct node *ntab_remove(struct ntab *t, const char *p);
struct node *ntab_remove_h(struct ntab *t, const char *p, size_t len,
    uint32_t h);
/* Puts nw (same path) in old's place; old is not freed. */
void ntab_swap(struct ntab *t, struct node *old, struct node *nw);
void ntab_free(struct ntab *t); /* frees the nodes too */
/* Frees the nodes, keeps the (emptied) bucket array. */
void ntab_clear(struct ntab *t);

/* Node sizes beyond what a uint16_t holds are refused (EINVAL/NULL). */
struct node *node_make(const char *path, const struct xsd_perm *p,
    uint32_t np, const void *v, size_t vlen);
struct node *node_new(const char *path);
/* A node of src's path and children with other permissions and value. */
struct node *node_make_from(const struct node *src, const struct xsd_perm *p,
    uint32_t np, const void *v, size_t vlen);
struct node *node_dup(const struct node *n);
/*
 * A copy of n with other permissions and value; n's child list moves to
 * the copy and n is freed.  NULL (n untouched) without memory.
 */
struct node *node_rebuild(struct node *n, const struct xsd_perm *p,
    uint32_t np, const void *v, size_t vlen);
void node_free(struct node *n);
int node_copy_kids(struct node *n, const struct node *from);
int node_add_kid(struct node *n, const char *name);
/* As node_add_kid, for a name known not to be there (no search). */
int node_append_kid(struct node *n, const char *name);
bool node_has_kid(const struct node *n, const char *name);
void node_del_kid(struct node *n, const char *name);
size_t node_size(const struct node *n);	 /* quota measure */
size_t node_memory(const struct node *n); /* accounting measure */

struct domacct {
	uint32_t domid;
	unsigned nodes;
	size_t memory;
	struct domacct *next;
};

struct store {
	struct ntab tab;
	uint64_t gen;
	uint64_t seq; /* committed change sets, persisted */
	struct domacct *acct;
};
extern struct store xsd_store;
int store_init(void);
void store_fini(void);
struct node *store_get(const char *path);
struct node *store_get_h(const char *path, size_t len, uint32_t h);
/* Installs (replacing) or removes a node, keeping accounting. */
void store_put(struct node *n);
void store_del(const char *path);
struct domacct *store_acct(uint32_t domid, bool create);

#endif
