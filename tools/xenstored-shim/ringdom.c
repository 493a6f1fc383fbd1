/*
 * Guest ring transport: maps a domain's xenstore page (grant table first,
 * foreign mapping as fallback), binds its event channel, and watches
 * VIRQ_DOM_EXC to notice domains that shut down or die.  The index checks
 * live in ring.c; this file only glues them to the hypervisor libraries.
 * Used unless --no-domains; exercised in the Xen lab.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>
#include <xen/grant_table.h>

#include "xsd.h"

struct ringconn {
	struct domain *d;
	volatile struct xenstore_domain_interface *intf;
	struct ring_idx ix;
	evtchn_port_t lport;
	bool via_gnttab;
};

static xenevtchn_handle *xce;
static xengnttab_handle *xgt;
static xenforeignmemory_handle *xfm;
static xc_interface *xch;
static evtchn_port_t virq_port;

static void
ring_bad(struct ringconn *rc, const char *what)
{
	xsd_log("dom %u: %s, disconnecting it", rc->d->domid, what);
	rc->intf->error = XENSTORE_ERROR_RINGIDX;
}

static long
rd_read(struct conn *c, void *p, size_t n)
{
	struct ringconn *rc = c->tp;
	long r = ring_read(rc->intf, &rc->ix, p, n);

	if (r < 0)
		ring_bad(rc, "bad request ring producer index");
	else if (r > 0)
		xenevtchn_notify(xce, rc->lport);
	return r;
}

static long
rd_write(struct conn *c, const void *p, size_t n)
{
	struct ringconn *rc = c->tp;
	long r = ring_write(rc->intf, &rc->ix, p, n);

	if (r < 0)
		ring_bad(rc, "bad response ring consumer index");
	return r;
}

static void
rd_kick(struct conn *c)
{
	struct ringconn *rc = c->tp;

	xenevtchn_notify(xce, rc->lport);
}

static bool
rd_pending(struct conn *c)
{
	struct ringconn *rc = c->tp;

	return ring_has_input(rc->intf, &rc->ix);
}

static void
rd_destroy(struct conn *c)
{
	struct ringconn *rc = c->tp;

	if (rc == NULL)
		return;
	xenevtchn_unbind(xce, rc->lport);
	if (rc->via_gnttab)
		xengnttab_unmap(xgt, (void *)rc->intf, 1);
	else
		xenforeignmemory_unmap(xfm, (void *)rc->intf, 1);
	if (rc->d != NULL) {
		rc->d->ring = NULL;
		rc->d->conn = NULL;
	}
	free(rc);
	c->tp = NULL;
}

static const struct transport_ops ring_ops = {
	.name = "ring",
	.read = rd_read,
	.write = rd_write,
	.destroy = rd_destroy,
	.kick = rd_kick,
	.pending = rd_pending,
};

static int
rd_attach(struct domain *d, unsigned long mfn, uint32_t port)
{
	struct ringconn *rc = calloc(1, sizeof(*rc));
	xen_pfn_t pfn = mfn;
	void *page;
	xenevtchn_port_or_error_t lp;

	if (rc == NULL)
		return ENOMEM;
	page = xengnttab_map_grant_ref(xgt, d->domid, GNTTAB_RESERVED_XENSTORE,
	    PROT_READ | PROT_WRITE);
	rc->via_gnttab = page != NULL;
	if (page == NULL)
		page = xenforeignmemory_map(xfm, d->domid,
		    PROT_READ | PROT_WRITE, 1, &pfn, NULL);
	if (page == NULL) {
		free(rc);
		return EINVAL;
	}
	rc->intf = page;
	lp = xenevtchn_bind_interdomain(xce, d->domid, port);
	if (lp < 0) {
		if (rc->via_gnttab)
			xengnttab_unmap(xgt, page, 1);
		else
			xenforeignmemory_unmap(xfm, page, 1);
		free(rc);
		return EINVAL;
	}
	rc->lport = (evtchn_port_t)lp;
	rc->d = d;
	/* The guest may have used the ring already (e.g. after kexec). */
	rc->ix.req_cons = rc->intf->req_cons;
	rc->ix.rsp_prod = rc->intf->rsp_prod;
	rc->intf->server_features = XENSTORE_SERVER_FEATURE_ERROR;
	d->conn = conn_new(&ring_ops, rc, -1, d->domid);
	if (d->conn == NULL) {
		xenevtchn_unbind(xce, rc->lport);
		if (rc->via_gnttab)
			xengnttab_unmap(xgt, page, 1);
		else
			xenforeignmemory_unmap(xfm, page, 1);
		free(rc);
		return ENOMEM;
	}
	d->conn->target = d->target;
	d->ring = rc;
	return 0;
}

static void
rd_detach(struct domain *d)
{
	if (d->conn != NULL)
		d->conn->dead = true;
}

static int
rd_poll_fd(void)
{
	return xenevtchn_fd(xce);
}

static void
rd_check_domains(void)
{
	struct domain *d, *next;
	xc_dominfo_t info;

	for (d = xsd_domains; d != NULL; d = next) {
		next = d->next;
		if (!d->introduced)
			continue;
		if (xc_domain_getinfo(xch, d->domid, 1, &info) != 1 ||
		    info.domid != d->domid || info.dying) {
			domain_release(d->domid);
			continue;
		}
		if ((info.shutdown || info.crashed) && !d->released_sent) {
			d->released_sent = true;
			watch_defer_special("@releaseDomain");
		}
	}
	watch_flush_pending();
}

static void
rd_handle(void)
{
	xenevtchn_port_or_error_t port = xenevtchn_pending(xce);
	struct domain *d;

	if (port < 0)
		return;
	xenevtchn_unmask(xce, (evtchn_port_t)port);
	if ((evtchn_port_t)port == virq_port) {
		rd_check_domains();
		return;
	}
	for (d = xsd_domains; d != NULL; d = d->next) {
		struct ringconn *rc = d->ring;

		if (rc != NULL && rc->lport == (evtchn_port_t)port &&
		    d->conn != NULL && !d->conn->dead) {
			conn_handle_input(d->conn);
			break;
		}
	}
}

static const struct ring_backend backend = {
	.attach = rd_attach,
	.detach = rd_detach,
	.poll_fd = rd_poll_fd,
	.handle = rd_handle,
};

const struct ring_backend *
ringdom_backend(void)
{
	xenevtchn_port_or_error_t vp;

	xce = xenevtchn_open(NULL, 0);
	xgt = xengnttab_open(NULL, 0);
	xfm = xenforeignmemory_open(NULL, 0);
	xch = xc_interface_open(NULL, NULL, 0);
	if (xce == NULL || xch == NULL || (xgt == NULL && xfm == NULL))
		return NULL;
	vp = xenevtchn_bind_virq(xce, VIRQ_DOM_EXC);
	if (vp < 0)
		return NULL;
	virq_port = (evtchn_port_t)vp;
	return &backend;
}
