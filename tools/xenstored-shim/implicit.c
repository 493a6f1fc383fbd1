/*
 * Implicit transactions: a request outside a transaction runs in a
 * temporary one, committed when the request ends, so that every change
 * reaches the store through txn_commit().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "xsd_tree.h"
#include "xsd_txn.h"
#include "xsd_watch.h"

int
txn_for(struct req *r, struct txn *tmp, struct txn **t)
{
	/* Implicit transactions never overlap: one bucket array serves
	 * them all, and a plain request allocates no table. */
	static struct node *buckets[8];

	if (r->h->tx_id == 0) {
		memset(tmp, 0, sizeof(*tmp));
		memset(buckets, 0, sizeof(buckets));
		tmp->tab.b = buckets;
		tmp->tab.nb = sizeof(buckets) / sizeof(buckets[0]);
		tmp->tab.borrowed = true;
		tmp->conn = r->c;
		*t = tmp;
		return 0;
	}
	*t = txn_find(r->c, r->h->tx_id);
	return *t == NULL ? ENOENT : 0;
}

static void
txn_discard_tmp(struct txn *tmp)
{
	struct evrec *e, *next;

	ntab_free(&tmp->tab);
	for (e = tmp->events; e != NULL; e = next) {
		next = e->next;
		evrec_free(e);
	}
	tmp->events = NULL;
}

/* Ends a modifying request: commits an implicit transaction. */
int
finish_change(struct txn *t, struct txn *tmp, int err)
{
	if (t != tmp) {
		if (err == ENOMEM)
			t->failed = true;
		return err;
	}
	if (err == 0)
		err = txn_commit(t);
	txn_discard_tmp(tmp);
	return err;
}
