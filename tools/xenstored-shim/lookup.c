/*
 * Lookup and disclosure policy: which access a peer has to a node, and
 * which errno a failed lookup may reveal (C xenstored's rules).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "xsd_conn.h"
#include "xsd_path.h"
#include "xsd_perms.h"
#include "xsd_tree.h"
#include "xsd_txn.h"

unsigned
access_of(const struct conn *c, const struct node *n)
{
	return perms_access(c->domid, c->priv, c->target, n->perms, n->nperms);
}

void
copy_parent(const char *path, char *out)
{
	size_t pl = path_parent_len(path);

	memcpy(out, path, pl);
	out[pl] = '\0';
}

/*
 * The errno of a failed lookup, as C xenstored discloses it: the nearest
 * existing ancestor decides, ENOENT (or err) if it grants any of the
 * access asked for, else EACCES.  Every ancestor looked at counts as read
 * by the transaction, as in C xenstored.
 */
int
disclose(struct txn *t, const char *abs, unsigned need, int err)
{
	char anc[ABSBUF];
	const struct node *a;
	int e2;

	snprintf(anc, sizeof(anc), "%s", abs);
	while (strcmp(anc, "/") != 0) {
		copy_parent(anc, anc);
		a = txn_get(t, anc, &e2);
		if (e2 != 0)
			return e2;
		if (a != NULL)
			return (access_of(t->conn, a) & need) ? err : EACCES;
	}
	return err;
}

/* Finds a node through the transaction and checks access. */
const struct node *
lookup(struct txn *t, const char *abs, unsigned need, int *err)
{
	const struct node *n = txn_get(t, abs, err);

	if (*err != 0)
		return NULL;
	if (n != NULL && (access_of(t->conn, n) & need) == need)
		return n;
	*err = disclose(t, abs, need, n != NULL ? EACCES : ENOENT);
	return NULL;
}
