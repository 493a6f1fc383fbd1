/*
 * Guest ring transport: maps a domain's xenstore page (grant table first,
 * foreign mapping as fallback), binds its event channel, and watches
 * VIRQ_DOM_EXC to notice domains that shut down or die.  The index checks
 * live in ring.c; this file only glues them to the hypervisor libraries.
 * Used unless --no-domains; exercised in the Xen lab.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>
#include <xen/grant_table.h>

#include "xsd_conn.h"
#include "xsd_domain.h"
#include "xsd_log.h"
#include "xsd_ring.h"
#include "xsd_watch.h"

/* How a ring page is mapped, hence how it is unmapped. */
enum ring_map { MAP_GNTTAB, MAP_FOREIGN, MAP_LOCAL };

struct ringconn {
	struct domain *d; /* NULL once the domain record is gone */
	uint32_t domid;
	volatile struct xenstore_domain_interface *intf;
	struct ring_idx ix;
	evtchn_port_t lport;
	enum ring_map how;
	/* Indexes moved this loop turn: the peer hears of it once, at the
	 * turn's end (rd_end_turn), whatever the number of requests read
	 * and replies written. */
	bool notify;
};

static xenevtchn_handle *xce;
static xengnttab_handle *xgt;
static xenforeignmemory_handle *xfm;
static xc_interface *xch;
static evtchn_port_t virq_port;
static uint32_t self_domid;

static void
ring_bad(struct ringconn *rc, const char *what)
{
	xsd_log("dom %u: %s, disconnecting it", rc->domid, what);
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
		rc->notify = true;
	return r;
}

static long
rd_write(struct conn *c, const void *p, size_t n)
{
	struct ringconn *rc = c->tp;
	long r = ring_write(rc->intf, &rc->ix, p, n);

	if (r < 0)
		ring_bad(rc, "bad response ring consumer index");
	else if (r > 0)
		rc->notify = true;
	return r;
}

static bool
rd_pending(struct conn *c)
{
	struct ringconn *rc = c->tp;

	return ring_has_input(rc->intf, &rc->ix);
}

static void
ring_unmap(enum ring_map how, void *page)
{
	switch (how) {
	case MAP_GNTTAB:
		xengnttab_unmap(xgt, page, 1);
		break;
	case MAP_FOREIGN:
		xenforeignmemory_unmap(xfm, page, 1);
		break;
	case MAP_LOCAL:
		munmap(page, XC_PAGE_SIZE);
		break;
	}
}

/*
 * Our own domain's ring (the xenstore page of the dom0 kernel, when
 * xenstored runs in dom0): the kernel offers it as /proc/xen/xsd_kva
 * and names its event channel in /proc/xen/xsd_port.
 */
static void *
map_local_ring(uint32_t *port)
{
	char buf[32];
	unsigned long p;
	char *end;
	ssize_t n;
	void *page;
	int fd;

	fd = open("/proc/xen/xsd_port", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	errno = 0;
	p = strtoul(buf, &end, 10);
	if (errno != 0 || end == buf || p == 0 || p > 0xffffffffUL)
		return NULL;
	fd = open("/proc/xen/xsd_kva", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	page = mmap(NULL, XC_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	close(fd);
	if (page == MAP_FAILED)
		return NULL;
	*port = (uint32_t)p;
	return page;
}

static void
rd_destroy(struct conn *c)
{
	struct ringconn *rc = c->tp;

	if (rc == NULL)
		return;
	xenevtchn_unbind(xce, rc->lport);
	ring_unmap(rc->how, (void *)rc->intf);
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
	.kick = NULL, /* rd_end_turn */
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
	page = NULL;
	if (d->domid == self_domid) {
		/* Our own kernel's ring: the caller's mfn and port are
		 * not used, the kernel tells us both. */
		page = map_local_ring(&port);
		rc->how = MAP_LOCAL;
	} else {
		if (xgt != NULL)
			page = xengnttab_map_grant_ref(xgt, d->domid,
			    GNTTAB_RESERVED_XENSTORE, PROT_READ | PROT_WRITE);
		rc->how = MAP_GNTTAB;
		if (page == NULL && xfm != NULL) {
			page = xenforeignmemory_map(xfm, d->domid,
			    PROT_READ | PROT_WRITE, 1, &pfn, NULL);
			rc->how = MAP_FOREIGN;
		}
	}
	if (page == NULL) {
		/* The mapping's errno, as C xenstored replies. */
		int err = errno != 0 ? errno : EINVAL;

		xsd_log("dom %u: cannot map its xenstore ring: %s", d->domid,
		    strerror(err));
		free(rc);
		return err;
	}
	rc->intf = page;
	lp = xenevtchn_bind_interdomain(xce, d->domid, port);
	if (lp < 0) {
		xsd_log("dom %u: cannot bind its event channel %u: %s",
		    d->domid, port, strerror(errno));
		ring_unmap(rc->how, page);
		free(rc);
		return EINVAL;
	}
	rc->lport = (evtchn_port_t)lp;
	rc->d = d;
	rc->domid = d->domid;
	/* The guest may have used the ring already (e.g. after kexec). */
	rc->ix.req_cons = rc->intf->req_cons;
	rc->ix.rsp_prod = rc->intf->rsp_prod;
	rc->intf->server_features = XENSTORE_SERVER_FEATURE_ERROR;
	d->conn = conn_new(&ring_ops, rc, -1, d->domid);
	if (d->conn == NULL) {
		xenevtchn_unbind(xce, rc->lport);
		ring_unmap(rc->how, page);
		free(rc);
		return ENOMEM;
	}
	d->conn->target = d->target;
	d->ring = rc;
	/* A peer that wrote before we were there is waiting for a kick
	 * (the dom0 kernel's xenbus waits for one to probe). */
	xenevtchn_notify(xce, rc->lport);
	return 0;
}

/*
 * The domain record goes away now (domain_release frees it); the
 * connection is reaped at the end of this loop turn, and unmaps then.
 */
static void
rd_detach(struct domain *d)
{
	struct ringconn *rc = d->ring;

	if (rc != NULL)
		rc->d = NULL;
	if (d->conn != NULL)
		conn_kill(d->conn);
	d->ring = NULL;
	d->conn = NULL;
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

/*
 * Every port pending at this wake-up (the fd is non-blocking), so that a
 * wake-up serves all the guests that notified, not one of them; bounded
 * so that a storm of events cannot hold the loop.
 */
#define PORTS_PER_TURN 256

static void
rd_handle(void)
{
	xenevtchn_port_or_error_t port;
	struct domain *d;
	bool dom_exc = false;
	int i;

	for (i = 0; i < PORTS_PER_TURN; i++) {
		port = xenevtchn_pending(xce);
		if (port < 0)
			break;
		xenevtchn_unmask(xce, (evtchn_port_t)port);
		if ((evtchn_port_t)port == virq_port) {
			dom_exc = true;
			continue;
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
	if (dom_exc)
		rd_check_domains();
}

/* One notification per ring whose indexes moved this turn. */
static void
rd_end_turn(void)
{
	struct domain *d;

	for (d = xsd_domains; d != NULL; d = d->next) {
		struct ringconn *rc = d->ring;

		if (rc != NULL && rc->notify) {
			rc->notify = false;
			xenevtchn_notify(xce, rc->lport);
		}
	}
}

static void
rd_reset(struct domain *d)
{
	struct ringconn *rc = d->ring;

	if (rc == NULL)
		return;
	rc->intf->req_cons = rc->intf->req_prod = 0;
	rc->intf->rsp_cons = rc->intf->rsp_prod = 0;
	__sync_synchronize();
	rc->ix.req_cons = 0;
	rc->ix.rsp_prod = 0;
}

static const struct ring_backend backend = {
	.attach = rd_attach,
	.detach = rd_detach,
	.poll_fd = rd_poll_fd,
	.handle = rd_handle,
	.end_turn = rd_end_turn,
	.reset = rd_reset,
};

const struct ring_backend *
ringdom_backend(void)
{
	xenevtchn_port_or_error_t vp;
	int fl;

	xce = xenevtchn_open(NULL, 0);
	xgt = xengnttab_open(NULL, 0);
	xfm = xenforeignmemory_open(NULL, 0);
	xch = xc_interface_open(NULL, NULL, 0);
	if (xce == NULL || xch == NULL || (xgt == NULL && xfm == NULL))
		return NULL;
	vp = xenevtchn_bind_virq(xce, VIRQ_DOM_EXC);
	if (vp < 0)
		return NULL;
	/* rd_handle reads ports until none is pending. */
	fl = fcntl(xenevtchn_fd(xce), F_GETFL);
	if (fl < 0 || fcntl(xenevtchn_fd(xce), F_SETFL, fl | O_NONBLOCK) != 0)
		return NULL;
	virq_port = (evtchn_port_t)vp;
	return &backend;
}
