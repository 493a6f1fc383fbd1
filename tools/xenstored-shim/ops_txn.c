/* TRANSACTION_START and TRANSACTION_END. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "xsd_conn.h"
#include "xsd_quota.h"
#include "xsd_txn.h"

int
op_tx_start(struct req *r)
{
	struct conn *c = r->c;
	struct txn *t;
	char id[16];
	uint32_t i;

	if (r->h->tx_id != 0)
		return EBUSY;
	/* As C xenstored 4.17 counts: refused once the connection already
	 * has more open than the quota (it admits one over). */
	if (!c->priv && c->ntxns > xsd_quota.transactions)
		return ENOSPC;
	/* Ids are per connection; skip 0 and ids still in use. */
	for (i = 0; i < 0x10000; i++) {
		if (c->next_txid == 0)
			c->next_txid = 1;
		if (txn_find(c, c->next_txid) == NULL)
			break;
		c->next_txid++;
	}
	t = txn_new(c, c->next_txid++);
	if (t == NULL)
		return ENOMEM;
	t->next = c->txns;
	c->txns = t;
	c->ntxns++;
	snprintf(id, sizeof(id), "%u", t->id);
	reply_str(r, id);
	return 0;
}

int
op_tx_end(struct req *r)
{
	struct conn *c = r->c;
	struct txn **pp, *t;
	const char *a;
	int err;

	if (one_arg(r, &a) != 0 || (strcmp(a, "T") != 0 && strcmp(a, "F") != 0))
		return EINVAL;
	for (pp = &c->txns; (t = *pp) != NULL; pp = &t->next)
		if (t->id == r->h->tx_id && r->h->tx_id != 0)
			break;
	if (t == NULL)
		return ENOENT;
	*pp = t->next;
	c->ntxns--;
	err = 0;
	if (a[0] == 'T')
		err = t->failed ? ENOMEM : txn_commit(t);
	txn_free(t);
	if (err == 0)
		reply_str(r, "OK");
	return err;
}
