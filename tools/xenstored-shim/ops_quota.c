/*
 * Quota arithmetic of a change: nodes and memory a domain owns, and the
 * size of one node as C xenstored measures it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "xsd_conn.h"
#include "xsd_quota.h"
#include "xsd_tree.h"
#include "xsd_txn.h"

int
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
 * The node-size quota, measured as C xenstored measures a node: a 24-byte
 * record header, 8 bytes a permission, the value and the child names; a
 * node that reaches the quota is refused.
 */
int
check_size(const struct conn *c, uint32_t nperms, size_t vlen,
    size_t kidslen)
{
	if (!c->priv && 24 + 8 * (size_t)nperms + vlen + kidslen >=
	    xsd_quota.node_size)
		return ENOSPC;
	return 0;
}
