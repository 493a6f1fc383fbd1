/* Watch requests: WATCH, UNWATCH, RESET_WATCHES. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "xsd_conn.h"
#include "xsd_txn.h"
#include "xsd_watch.h"

int
op_watch(struct req *r)
{
	const char *argv[2];
	int err;

	if ((err = two_args(r, argv)) != 0 ||
	    (err = watch_add(r->c, argv[0], argv[1])) != 0)
		return err;
	reply_str(r, "OK");
	{
		struct watch *w;

		for (w = r->c->watches; w->next != NULL; w = w->next)
			;
		/* A new watch fires once, right after its reply. */
		watch_fire_one(r->c, w);
	}
	return 0;
}

int
op_unwatch(struct req *r)
{
	const char *argv[2];
	int err;

	if ((err = two_args(r, argv)) != 0 ||
	    (err = watch_del(r->c, argv[0], argv[1])) != 0)
		return err;
	reply_str(r, "OK");
	return 0;
}

static void
drop_txns(struct conn *c)
{
	struct txn *t, *next;

	for (t = c->txns; t != NULL; t = next) {
		next = t->next;
		txn_free(t);
	}
	c->txns = NULL;
	c->ntxns = 0;
}

int
op_reset_watches(struct req *r)
{
	watch_free_all(r->c);
	drop_txns(r->c);
	reply_str(r, "OK");
	return 0;
}
