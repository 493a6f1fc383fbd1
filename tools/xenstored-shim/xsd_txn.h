/* transactions (txn.c) */
#ifndef XSD_TXN_H
#define XSD_TXN_H

#include "xsd_types.h"
#include "xsd_buf.h"
#include "xsd_tree.h"

/*
 * One allocation holds the record, its path and both permission lists
 * (evrec_new); records of the usual size are reused (watch.c).
 */
struct evrec {
	struct evrec *next;
	bool pooled; /* of the reusable size */
	/* Only watches on path itself fire, not those on its parents (C
	 * xenstored's "exact" events: nodes below a removed one). */
	bool exact;
	/* Fired by an explicit transaction's commit: C xenstored then
	 * judges it by the permissions the transaction first saw (none if
	 * it first saw the node absent), else by the node as it is after
	 * the commit, dropping it if the node is gone. */
	bool at_commit;
	bool unseen;
	uint32_t nperms;
	struct xsd_perm *perms; /* perms of the node when it changed */
	/* A removal below the removed root: its parent's perms then. */
	bool has_parent;
	uint32_t npperms;
	struct xsd_perm *pperms;
	char path[];
};

struct txn {
	struct txn *next;
	uint32_t id;
	struct conn *conn;
	struct ntab tab;
	struct evrec *events;
	/* Explicit transactions: the paths in the order first accessed,
	 * the order C xenstored fires their events in at commit. */
	struct buf order;
	long node_delta; /* nodes created minus removed, owned by conn */
	bool failed;	 /* a quota or allocation failure inside */
};
struct txn *txn_new(struct conn *c, uint32_t id);
void txn_free(struct txn *t);
struct txn *txn_find(struct conn *c, uint32_t id);
/* Lookup through the transaction; records what was seen. */
const struct node *txn_get(struct txn *t, const char *path, int *err);
/* Copy-on-write node for modification; creates it if create. */
struct node *txn_modify(struct txn *t, const char *path, int *err);
int txn_create(struct txn *t, const char *path, const struct node *parent,
    struct node **out);
int txn_remove(struct txn *t, const char *path);
/* The watch events of removing path: each node of its subtree. */
int txn_remove_events(struct txn *t, const char *path);
/* txn_modify and txn_rebuild in one: the overlay node of path with other
 * permissions and value, built in one allocation. */
struct node *txn_set(struct txn *t, const char *path, const struct xsd_perm *p,
    uint32_t np, const void *v, size_t vlen, int *err);
/* Replaces the overlay node *mp (from txn_modify/txn_create). */
int txn_rebuild(struct txn *t, struct node **mp, const struct xsd_perm *p,
    uint32_t np, const void *v, size_t vlen);
/* A non-exact event for a path replaces an exact one, not the reverse. */
int txn_add_event(struct txn *t, const char *path, const struct node *n,
    bool exact);
/* Returns 0 or EAGAIN; on success changes are live, events sent, journaled. */
int txn_commit(struct txn *t);
/* XSA-322: drops or hands to dom0 every permission naming domid. */
int txn_revoke_domid(uint32_t domid);
/* XSA-419: removes every node domid owns, with its subtree. */
int txn_remove_owned(uint32_t domid);

#endif
