/*
 * Domain records: which domains are introduced, their targets, and the
 * @introduceDomain / @releaseDomain announcements.  The ring transport is
 * reached only through xsd_ring_backend; under --no-domains it is NULL and
 * an introduced domain is a record without a connection.
 */
#include <errno.h>
#include <stdlib.h>

#include "xsd_conn.h"
#include "xsd_domain.h"
#include "xsd_log.h"
#include "xsd_special.h"
#include "xsd_txn.h"
#include "xsd_watch.h"

struct domain *xsd_domains;
bool xsd_keep_orphans;
const struct ring_backend *xsd_ring_backend;

struct domain *
domain_find(uint32_t domid)
{
	struct domain *d;

	for (d = xsd_domains; d != NULL; d = d->next)
		if (d->domid == domid)
			return d;
	return NULL;
}

static struct domain *
domain_get(uint32_t domid)
{
	struct domain *d = domain_find(domid);

	if (d != NULL)
		return d;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	d->domid = domid;
	d->target = -1;
	d->next = xsd_domains;
	xsd_domains = d;
	return d;
}

static void
domain_forget(struct domain *d)
{
	struct domain **pp;

	for (pp = &xsd_domains; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			free(d);
			return;
		}
	}
}

int
domain_introduce(uint32_t domid, unsigned long mfn, uint32_t port)
{
	struct domain *d = domain_get(domid);
	int err;

	if (d == NULL)
		return ENOMEM;
	/*
	 * Introduced again (after kexec, say): as C xenstored, the
	 * connection loses its watches, transactions and pending messages
	 * and the ring starts again from index 0.  No @introduceDomain.
	 */
	if (d->introduced) {
		if (d->conn != NULL)
			conn_reset(d->conn);
		if (xsd_ring_backend != NULL && xsd_ring_backend->reset != NULL)
			xsd_ring_backend->reset(d);
		return 0;
	}
	if (xsd_ring_backend != NULL) {
		err = xsd_ring_backend->attach(d, mfn, port);
		if (err != 0) {
			if (d->target < 0)
				domain_forget(d);
			return err;
		}
	}
	d->introduced = true;
	d->released_sent = false;
	watch_defer_special("@introduceDomain");
	return 0;
}

int
domain_release(uint32_t domid)
{
	struct domain *d = domain_find(domid);

	if (d == NULL || !d->introduced)
		return ENOENT;
	if (xsd_ring_backend != NULL && d->conn != NULL)
		xsd_ring_backend->detach(d);
	d->introduced = false;
	/* XSA-419: a later domain with this id must not find its nodes. */
	if (!xsd_keep_orphans && txn_remove_owned(domid) != 0)
		xsd_log("release of domain %u: cannot remove its nodes "
			"(out of memory)", domid);
	/* XSA-322: the domid may be reused; its grants must not be. */
	if (txn_revoke_domid(domid) != 0)
		xsd_log("release of domain %u: cannot revoke its permissions "
			"(out of memory)", domid);
	special_forget_domid(domid);
	watch_defer_special("@releaseDomain");
	domain_forget(d);
	return 0;
}

int
domain_set_target(uint32_t domid, uint32_t target)
{
	struct domain *d = domain_get(domid);
	struct conn *c;

	if (d == NULL)
		return ENOMEM;
	d->target = (int32_t)target;
	for (c = xsd_conns; c != NULL; c = c->next)
		if (!c->priv && c->domid == domid)
			c->target = (int32_t)target;
	return 0;
}

int32_t
domain_target(uint32_t domid)
{
	struct domain *d = domain_find(domid);

	return d != NULL ? d->target : -1;
}

void
domain_conn_gone(struct conn *c)
{
	struct domain *d;

	for (d = xsd_domains; d != NULL; d = d->next) {
		if (d->conn == c) {
			d->conn = NULL;
			return;
		}
	}
}

void
domain_fini(void)
{
	struct domain *d;

	while ((d = xsd_domains) != NULL) {
		xsd_domains = d->next;
		free(d);
	}
}
