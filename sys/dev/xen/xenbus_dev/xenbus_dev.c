/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * /dev/xen/xenbus: xenstore for user space on Linux's xenbus_dev ABI, which
 * Debian's libxenstore uses when no xenstored socket exists.  write() takes
 * xs_wire requests (a header and its payload, in as many writes as the
 * caller likes); read() returns the replies and watch events, framed the
 * same way, in the order they came.
 *
 * Per open file: the transactions it started (aborted on close) and its
 * watches (each an in-kernel watch carrying the caller's token; removed on
 * close).  Watch and unwatch are answered here; every other request goes to
 * the daemon through the kernel's client with the caller's req_id and
 * tx_id put back on the reply.  A tx_id the file did not start is ESRCH.
 *
 * Locks: xf_wlock (sleep) serialises requests and covers the watch and
 * transaction lists; xf_qlock (sleep) covers the read queue and its
 * selinfo.  xf_wlock may be held when taking xf_qlock, never the reverse.
 * Watch callbacks (the client's watch thread) take xf_qlock only.
 */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/conf.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/selinfo.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <xen/xenstore.h>
#include <xen/xs_client.h>

#include <dev/xen/xenbus_dev/xenbus_dev.h>
#include <dev/xen/xenbus_dev/xenbus_dev_msg.h>

MALLOC_DECLARE(M_XBDEV);

/* Per file, so one process cannot pin much kernel memory in the daemon. */
#define XBDEV_WATCHES_MAX	128
#define XBDEV_TX_MAX		32

struct xbdev_file;

struct xbdev_watch {
	struct xs_watch		xw_watch;	/* first: the callback's argument */
	struct xbdev_file	*xw_file;
	LIST_ENTRY(xbdev_watch)	xw_link;
	size_t			xw_tlen;	/* token and its NUL */
	char			*xw_path;
	char			xw_token[XBDEV_TOKEN_MAX];
};

struct xbdev_tx {
	LIST_ENTRY(xbdev_tx)	xt_link;
	uint32_t		xt_id;
};

struct xbdev_file {
	struct mtx		xf_wlock;
	struct mtx		xf_qlock;
	struct xbdev_req	xf_req;			/* xf_wlock */
	LIST_HEAD(, xbdev_watch) xf_watches;		/* xf_wlock */
	LIST_HEAD(, xbdev_tx)	xf_txs;			/* xf_wlock */
	u_int			xf_nwatches, xf_ntxs;	/* xf_wlock */
	struct xbdev_queue	xf_q;			/* xf_qlock */
	struct selinfo		xf_sel;			/* xf_qlock */
};

static struct {
	bool		made;
	uint64_t	events_dropped;	/* over every file, for tests */
} xbdev;

static const char *
xbdev_errname(int error)
{
	for (size_t i = 0; i < nitems(xsd_errors); i++) {
		if (xsd_errors[i].errnum == error)
			return (xsd_errors[i].errstring);
	}
	return ("EIO");
}

/*
 * Queues m for read() and wakes readers.  NULL (no memory, or an event too
 * long to frame, which only a rogue daemon sends) is counted as dropped.
 */
static void
xbdev_enqueue(struct xbdev_file *xf, struct xbdev_msg *m)
{
	u_int dropped;

	if (m == NULL) {
		__atomic_fetch_add(&xbdev.events_dropped, 1, __ATOMIC_RELAXED);
		return;
	}
	mtx_lock(&xf->xf_qlock);
	dropped = xbdev_queue_put(&xf->xf_q, m);
	wakeup(&xf->xf_q);
	selwakeup(&xf->xf_sel);
	mtx_unlock(&xf->xf_qlock);
	if (dropped > 0)
		__atomic_fetch_add(&xbdev.events_dropped, dropped,
		    __ATOMIC_RELAXED);
}

static void
xbdev_reply_error(struct xbdev_file *xf, const struct xsd_sockmsg *req,
    int error)
{
	const char *name = xbdev_errname(error);

	xbdev_enqueue(xf, xbdev_msg_new(false, XS_ERROR, req->req_id,
	    req->tx_id, name, strlen(name) + 1, NULL, 0, M_WAITOK));
}

static void
xbdev_reply_ok(struct xbdev_file *xf, const struct xsd_sockmsg *req)
{
	xbdev_enqueue(xf, xbdev_msg_new(false, req->type, req->req_id,
	    req->tx_id, "OK", 3, NULL, 0, M_WAITOK));
}

/* The client's watch thread: the event goes to the file with its token. */
static void
xbdev_watch_cb(struct xs_watch *w, const char *path)
{
	struct xbdev_watch *xw = (struct xbdev_watch *)w;
	size_t plen = strlen(path) + 1;

	xbdev_enqueue(xw->xw_file, xbdev_msg_new(true, XS_WATCH_EVENT, 0, 0,
	    path, plen, xw->xw_token, xw->xw_tlen, M_WAITOK));
}

static struct xbdev_watch *
xbdev_watch_find(struct xbdev_file *xf, const char *path, const char *token)
{
	struct xbdev_watch *xw;

	mtx_assert(&xf->xf_wlock, MA_OWNED);
	LIST_FOREACH(xw, &xf->xf_watches, xw_link) {
		if (strcmp(xw->xw_path, path) == 0 &&
		    strcmp(xw->xw_token, token) == 0)
			return (xw);
	}
	return (NULL);
}

static void
xbdev_watch_free(struct xbdev_watch *xw)
{
	free(xw->xw_path, M_XBDEV);
	free(xw, M_XBDEV);
}

static void
xbdev_do_watch(struct xbdev_file *xf, const struct xsd_sockmsg *req,
    const char *path, const char *token)
{
	struct xbdev_watch *xw;
	size_t plen = strlen(path) + 1;
	int error;

	mtx_assert(&xf->xf_wlock, MA_OWNED);
	if (xbdev_watch_find(xf, path, token) != NULL) {
		xbdev_reply_error(xf, req, EEXIST);
		return;
	}
	if (xf->xf_nwatches >= XBDEV_WATCHES_MAX) {
		xbdev_reply_error(xf, req, ENOSPC);
		return;
	}
	xw = malloc(sizeof(*xw), M_XBDEV, M_WAITOK | M_ZERO);
	xw->xw_path = malloc(plen, M_XBDEV, M_WAITOK);
	memcpy(xw->xw_path, path, plen);
	xw->xw_tlen = strlcpy(xw->xw_token, token, sizeof(xw->xw_token)) + 1;
	xw->xw_file = xf;
	xw->xw_watch.node = xw->xw_path;
	xw->xw_watch.callback = xbdev_watch_cb;
	xw->xw_watch.arg = xw;
	/* The file's queue bounds what reaches the reader; this, the rest. */
	xw->xw_watch.max_pending = XS_WATCH_MAX_PENDING;
	if ((error = xs_register_watch(&xw->xw_watch)) != 0) {
		xbdev_watch_free(xw);
		xbdev_reply_error(xf, req, error);
		return;
	}
	LIST_INSERT_HEAD(&xf->xf_watches, xw, xw_link);
	xf->xf_nwatches++;
	xbdev_reply_ok(xf, req);
}

static void
xbdev_unwatch(struct xbdev_file *xf, struct xbdev_watch *xw)
{
	mtx_assert(&xf->xf_wlock, MA_OWNED);
	LIST_REMOVE(xw, xw_link);
	KASSERT(xf->xf_nwatches > 0, ("xenbus_dev: watch count underflow"));
	xf->xf_nwatches--;
	/* Waits for a callback in progress: none runs after this. */
	xs_unregister_watch(&xw->xw_watch);
	xbdev_watch_free(xw);
}

static struct xbdev_tx *
xbdev_tx_find(struct xbdev_file *xf, uint32_t id)
{
	struct xbdev_tx *xt;

	mtx_assert(&xf->xf_wlock, MA_OWNED);
	LIST_FOREACH(xt, &xf->xf_txs, xt_link) {
		if (xt->xt_id == id)
			return (xt);
	}
	return (NULL);
}

static void
xbdev_tx_forget(struct xbdev_file *xf, struct xbdev_tx *xt)
{
	LIST_REMOVE(xt, xt_link);
	KASSERT(xf->xf_ntxs > 0, ("xenbus_dev: transaction count underflow"));
	xf->xf_ntxs--;
	free(xt, M_XBDEV);
}

/* A whole, checked request to the daemon; 0 or an errno for write(). */
static int
xbdev_forward(struct xbdev_file *xf)
{
	struct xsd_sockmsg *req = &xf->xf_req.hdr;
	struct xbdev_tx *xt = NULL;
	struct xs_iov iov;
	uint32_t rtype, id;
	char *body;
	size_t len;
	int error;

	mtx_assert(&xf->xf_wlock, MA_OWNED);
	if (req->type == XS_TRANSACTION_START) {
		if (req->tx_id != 0)
			return (EINVAL);
		if (xf->xf_ntxs >= XBDEV_TX_MAX) {
			xbdev_reply_error(xf, req, ENOSPC);
			return (0);
		}
	} else if (req->tx_id != 0 &&
	    (xt = xbdev_tx_find(xf, req->tx_id)) == NULL)
		return (ESRCH);
	iov.base = xf->xf_req.body;
	iov.len = req->len;
	error = xs_talk_raw(req->type, req->tx_id, &iov, 1, &rtype, &body,
	    &len);
	if (error != 0)
		return (error);
	if (req->type == XS_TRANSACTION_START && rtype == req->type &&
	    xbdev_parse_txid(body, len, &id) == 0) {
		xt = malloc(sizeof(*xt), M_XBDEV, M_WAITOK | M_ZERO);
		xt->xt_id = id;
		LIST_INSERT_HEAD(&xf->xf_txs, xt, xt_link);
		xf->xf_ntxs++;
	} else if (req->type == XS_TRANSACTION_END && xt != NULL)
		/* Committed, aborted or refused: the daemon has ended it. */
		xbdev_tx_forget(xf, xt);
	xbdev_enqueue(xf, xbdev_msg_new(false, rtype, req->req_id, req->tx_id,
	    body, len, NULL, 0, M_WAITOK));
	free(body, M_XENSTORE);
	return (0);
}

/* Handles the whole request in xf_req. */
static int
xbdev_request(struct xbdev_file *xf)
{
	struct xsd_sockmsg *req = &xf->xf_req.hdr;
	const char *path = NULL, *token = NULL;
	struct xbdev_watch *xw;
	int error;

	if ((error = xbdev_req_check(&xf->xf_req, &path, &token)) != 0)
		return (error);
	switch (req->type) {
	case XS_WATCH:
		xbdev_do_watch(xf, req, path, token);
		return (0);
	case XS_UNWATCH:
		if ((xw = xbdev_watch_find(xf, path, token)) == NULL) {
			xbdev_reply_error(xf, req, ENOENT);
			return (0);
		}
		xbdev_unwatch(xf, xw);
		xbdev_reply_ok(xf, req);
		return (0);
	default:
		return (xbdev_forward(xf));
	}
}

static int
xbdev_write(struct file *fp, struct uio *uio, int ioflag)
{
	struct xbdev_file *xf = fp->f_data;
	ssize_t start = uio->uio_resid;
	int error = 0;

	mtx_lock(&xf->xf_wlock);
	while (uio->uio_resid > 0) {
		size_t want;
		void *p;
		int r;

		/* Room for the reply before a new request is taken. */
		if (xf->xf_req.have == 0) {
			mtx_lock(&xf->xf_qlock);
			while (!xbdev_queue_reply_room(&xf->xf_q)) {
				if ((ioflag & IO_NDELAY) != 0)
					error = EAGAIN;
				else
					error = msleep_sig(&xf->xf_q.reply_bytes,
					    &xf->xf_qlock, "xbdevwr", 0);
				if (error != 0)
					break;
			}
			mtx_unlock(&xf->xf_qlock);
			if (error != 0)
				break;
		}
		p = xbdev_req_next(&xf->xf_req, &want);
		if ((size_t)uio->uio_resid < want)
			want = (size_t)uio->uio_resid;
		if ((error = uiomove(p, want, uio)) != 0)
			break;
		r = xbdev_req_advance(&xf->xf_req, want);
		if (r == 0)
			continue;
		if (r == 1) {
			error = xbdev_request(xf);
			xbdev_req_reset(&xf->xf_req);
		} else
			error = r;
		if (error != 0)
			break;
	}
	mtx_unlock(&xf->xf_wlock);
	/* Bytes taken count; an error only when none were. */
	if (uio->uio_resid != start && (error == EAGAIN || error == EINTR))
		error = 0;
	return (error);
}

static int
xbdev_read(struct file *fp, struct uio *uio, int ioflag)
{
	struct xbdev_file *xf = fp->f_data;
	int error = 0;

	mtx_lock(&xf->xf_qlock);
	while (xbdev_queue_empty(&xf->xf_q) && uio->uio_resid > 0) {
		if ((ioflag & IO_NDELAY) != 0) {
			error = EAGAIN;
			goto out;
		}
		if ((error = msleep_sig(&xf->xf_q, &xf->xf_qlock, "xbdevrd",
		    0)) != 0)
			goto out;
	}
	while (uio->uio_resid > 0) {
		void *p;
		size_t n;

		if ((p = xbdev_queue_peek(&xf->xf_q, &n)) == NULL)
			break;
		if ((size_t)uio->uio_resid < n)
			n = (size_t)uio->uio_resid;
		if ((error = uiomove(p, n, uio)) != 0)
			break;
		xbdev_queue_consume(&xf->xf_q, n);
	}
	wakeup(&xf->xf_q.reply_bytes);
out:
	mtx_unlock(&xf->xf_qlock);
	return (error);
}

static int
xbdev_poll(struct file *fp, int events, struct pollscan *ps)
{
	struct xbdev_file *xf = fp->f_data;
	int revents = 0;

	mtx_lock(&xf->xf_qlock);
	if (!xbdev_queue_empty(&xf->xf_q))
		revents |= events & (POLLIN | POLLRDNORM);
	if (xbdev_queue_reply_room(&xf->xf_q))
		revents |= events & (POLLOUT | POLLWRNORM);
	if (revents == 0 && ps != NULL)
		selrecord(ps, &xf->xf_sel);
	mtx_unlock(&xf->xf_qlock);
	return (revents);
}

static int
xbdev_open(struct cdev *dev, int oflags, struct file *fp)
{
	struct xbdev_file *xf;

	if (!xs_ready())
		return (ENXIO);
	xf = malloc(sizeof(*xf), M_XBDEV, M_WAITOK | M_ZERO);
	mtx_init(&xf->xf_wlock, "xbdevw", NULL, MTX_DEF);
	mtx_init(&xf->xf_qlock, "xbdevq", NULL, MTX_DEF);
	xbdev_req_reset(&xf->xf_req);
	LIST_INIT(&xf->xf_watches);
	LIST_INIT(&xf->xf_txs);
	xbdev_queue_init(&xf->xf_q);
	seldrain_init(&xf->xf_sel);
	fp->f_data = xf;
	return (0);
}

static int
xbdev_close(struct cdev *dev, struct file *fp)
{
	struct xbdev_file *xf = fp->f_data;
	struct xbdev_watch *xw;
	struct xbdev_tx *xt;

	mtx_lock(&xf->xf_wlock);
	while ((xw = LIST_FIRST(&xf->xf_watches)) != NULL)
		xbdev_unwatch(xf, xw);
	while ((xt = LIST_FIRST(&xf->xf_txs)) != NULL) {
		struct xs_iov iov = { "F", 2 };

		/* The daemon ends it whatever it answers. */
		(void)xs_talk(XS_TRANSACTION_END, xt->xt_id, &iov, 1, NULL,
		    NULL);
		xbdev_tx_forget(xf, xt);
	}
	KASSERT(xf->xf_nwatches == 0 && xf->xf_ntxs == 0,
	    ("xenbus_dev: %u watches, %u transactions left at close",
	    xf->xf_nwatches, xf->xf_ntxs));
	mtx_unlock(&xf->xf_wlock);
	mtx_lock(&xf->xf_qlock);
	xbdev_queue_flush(&xf->xf_q);
	seldrain(&xf->xf_sel);
	mtx_unlock(&xf->xf_qlock);
	mtx_destroy(&xf->xf_qlock);
	mtx_destroy(&xf->xf_wlock);
	free(xf, M_XBDEV);
	return (0);
}

static const struct cdevsw xbdev_cdevsw = {
	.d_name = "xenbus",
	.d_open = xbdev_open,
	.d_close = xbdev_close,
	.d_fread = xbdev_read,
	.d_fwrite = xbdev_write,
	.d_fpoll = xbdev_poll,
};

const struct cdevsw *
xenbus_dev_cdevsw(void)
{
	return (&xbdev_cdevsw);
}

uint64_t
xenbus_dev_events_dropped(void)
{
	return (__atomic_load_n(&xbdev.events_dropped, __ATOMIC_RELAXED));
}

/* Linux's node is a misc device (major 10); its minor is dynamic there. */
#define XBDEV_RDEV	makedev(10, 62)

void
xenbus_dev_create(void)
{
	if (xbdev.made)
		return;
	xbdev.made = true;
	(void)make_dev(&xbdev_cdevsw, XBDEV_RDEV, 0600, "xen/xenbus");
}
