/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * /dev/xen/xenbus against the real daemon, through the device's entry
 * points on a file of our own (the user-space path is the domu-xsutils
 * lab scenario).  The reference is the kernel's xenstore client: what the
 * device wrote, the client reads, and the reverse.
 */
#include <sys/param.h>
#include <sys/conf.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <xen/xen_ktest.h>
#include <xen/xenstore.h>

#include <dev/xen/xenbus_dev/xenbus_dev.h>
#include <dev/xen/xenbus_dev/xenbus_dev_msg.h>

static int
xbdt_close(struct file *fp)
{
	return (xenbus_dev_cdevsw()->d_close(NULL, fp));
}

static const struct fileops xbdt_fileops = { .fo_close = xbdt_close };

static struct file *
xbdt_open(void)
{
	struct file *fp = falloc_noinstall();

	finit(fp, FREAD | FWRITE, DTYPE_VNODE, NULL, &xbdt_fileops);
	if (xenbus_dev_cdevsw()->d_open(NULL, O_RDWR, fp) != 0) {
		fp->f_ops = &(const struct fileops){ 0 };
		fdrop(fp);
		return (NULL);
	}
	return (fp);
}

static int
xbdt_write(struct file *fp, const void *buf, size_t len, size_t *done)
{
	struct iovec iov;
	struct uio uio;
	int error;

	uio_init_sys(&uio, &iov, (void *)(uintptr_t)buf, len, 0, UIO_WRITE);
	error = xenbus_dev_cdevsw()->d_fwrite(fp, &uio, 0);
	if (done != NULL)
		*done = len - (size_t)uio.uio_resid;
	return (error);
}

/* Sends one framed request, header and body in two writes. */
static int
xbdt_send(struct file *fp, uint32_t type, uint32_t req_id, uint32_t tx_id,
    const void *body, size_t len)
{
	struct xsd_sockmsg h = { type, req_id, tx_id, (uint32_t)len };
	int error;

	/* A header split in the middle, as any caller may. */
	if ((error = xbdt_write(fp, &h, 5, NULL)) != 0 ||
	    (error = xbdt_write(fp, (char *)&h + 5, sizeof(h) - 5, NULL)) != 0)
		return (error);
	return (len == 0 ? 0 : xbdt_write(fp, body, len, NULL));
}

/* Waits (bounded) until the file is readable. */
static bool
xbdt_wait_readable(struct file *fp, int ms)
{
	static int chan;

	for (int i = 0; i < ms / 10; i++) {
		if (xenbus_dev_cdevsw()->d_fpoll(fp, POLLIN, NULL) & POLLIN)
			return (true);
		(void)tsleep(&chan, "xbdtw", mstosbt(10));
	}
	return (false);
}

/* Reads one message: its header, then its body (NUL-terminated in buf). */
static int
xbdt_recv(struct file *fp, struct xsd_sockmsg *h, char *buf, size_t cap,
    int ioflag)
{
	struct iovec iov;
	struct uio uio;
	int error;

	uio_init_sys(&uio, &iov, h, sizeof(*h), 0, UIO_READ);
	if ((error = xenbus_dev_cdevsw()->d_fread(fp, &uio, ioflag)) != 0)
		return (error);
	if (uio.uio_resid != 0 || h->len >= cap)
		return (EPROTO);
	uio_init_sys(&uio, &iov, buf, h->len, 0, UIO_READ);
	if ((error = xenbus_dev_cdevsw()->d_fread(fp, &uio, ioflag)) != 0)
		return (error);
	if (uio.uio_resid != 0)
		return (EPROTO);
	buf[h->len] = '\0';
	return (0);
}

#define REQUIRE_XS() do {						\
	KT_REQUIRE_XEN();						\
	if (!xs_ready())						\
		KT_SKIP("no xenstore in this domain");			\
} while (0)

KTEST(xenbus_dev_requests)
{
	static const char wr[] = "data/xbdev/a\0hello";	/* no final NUL */
	static const char rd[] = "data/xbdev/missing";
	struct xsd_sockmsg h;
	struct file *fp;
	char buf[128], *val = NULL;
	size_t len = 0;
	int error;

	REQUIRE_XS();
	fp = xbdt_open();
	KT_ASSERT(fp != NULL, "open failed");
	error = xbdt_send(fp, XS_WRITE, 11, 0, wr, sizeof(wr) - 1);
	KT_CHECK(error == 0, "write request: %d", error);
	error = xbdt_recv(fp, &h, buf, sizeof(buf), IO_NDELAY);
	KT_CHECK(error == 0 && h.type == XS_WRITE && h.req_id == 11 &&
	    h.tx_id == 0 && h.len == 3 && strcmp(buf, "OK") == 0,
	    "write reply: %d type %u req %u len %u", error, h.type, h.req_id,
	    h.len);
	error = xs_read(XST_NIL, "data/xbdev", "a", &val, &len);
	KT_CHECK(error == 0 && len == 5 && strcmp(val, "hello") == 0,
	    "the client reads %d '%s'", error, error == 0 ? val : "");
	free(val, M_XENSTORE);

	error = xbdt_send(fp, XS_READ, 12, 0, rd, sizeof(rd));
	KT_CHECK(error == 0, "read request: %d", error);
	error = xbdt_recv(fp, &h, buf, sizeof(buf), IO_NDELAY);
	KT_CHECK(error == 0 && h.type == XS_ERROR && h.req_id == 12 &&
	    strcmp(buf, "ENOENT") == 0, "missing node: %d type %u '%s'", error,
	    h.type, buf);
	error = xbdt_recv(fp, &h, buf, sizeof(buf), IO_NDELAY);
	KT_CHECK(error == EAGAIN, "empty non-blocking read gave %d", error);
	KT_CHECK(xenbus_dev_cdevsw()->d_fpoll(fp, POLLIN | POLLOUT, NULL) ==
	    POLLOUT, "poll of an empty file");

	/* Refused at write(): types of the daemon's, strangers' transactions. */
	error = xbdt_send(fp, XS_WATCH_EVENT, 13, 0, "a\0b", 4);
	KT_CHECK(error == EINVAL, "WATCH_EVENT from user space gave %d", error);
	error = xbdt_send(fp, XS_READ, 14, 999, rd, sizeof(rd));
	KT_CHECK(error == ESRCH, "unknown transaction gave %d", error);
	h = (struct xsd_sockmsg){ XS_READ, 15, 0, XENSTORE_PAYLOAD_MAX + 1 };
	error = xbdt_write(fp, &h, sizeof(h), NULL);
	KT_CHECK(error == EINVAL, "oversized payload gave %d", error);
	/* After each refusal the stream starts afresh. */
	error = xbdt_send(fp, XS_READ, 16, 0, "data/xbdev/a", 13);
	KT_CHECK(error == 0, "request after refusals: %d", error);
	error = xbdt_recv(fp, &h, buf, sizeof(buf), IO_NDELAY);
	KT_CHECK(error == 0 && h.type == XS_READ && h.req_id == 16 &&
	    h.len == 5 && memcmp(buf, "hello", 5) == 0,
	    "read after refusals: %d type %u", error, h.type);
	fdrop(fp);
	(void)xs_rm(XST_NIL, "data", "xbdev");
	KT_NOTE_OK("replies, errors and refusals framed as sent");
}

KTEST(xenbus_dev_transaction_aborted_on_close)
{
	static const char wr[] = "data/xbdev-tx/t\0in-tx";
	struct xsd_sockmsg h;
	struct file *fp;
	char buf[64];
	uint32_t tx = 0;
	int error;

	REQUIRE_XS();
	(void)xs_rm(XST_NIL, "data", "xbdev-tx");
	fp = xbdt_open();
	KT_ASSERT(fp != NULL, "open failed");
	error = xbdt_send(fp, XS_TRANSACTION_START, 1, 0, "", 1);
	KT_CHECK(error == 0, "start: %d", error);
	error = xbdt_recv(fp, &h, buf, sizeof(buf), IO_NDELAY);
	KT_CHECK(error == 0 && h.type == XS_TRANSACTION_START &&
	    xbdev_parse_txid(buf, h.len, &tx) == 0,
	    "start reply: %d type %u '%s'", error, h.type, buf);
	error = xbdt_send(fp, XS_WRITE, 2, tx, wr, sizeof(wr) - 1);
	KT_CHECK(error == 0, "write in transaction %u: %d", tx, error);
	error = xbdt_recv(fp, &h, buf, sizeof(buf), IO_NDELAY);
	KT_CHECK(error == 0 && h.type == XS_WRITE && h.tx_id == tx,
	    "write reply: %d type %u tx %u '%s'", error, h.type, h.tx_id, buf);
	/* Closed without XS_TRANSACTION_END: the write must not land. */
	fdrop(fp);
	error = xs_read(XST_NIL, "data/xbdev-tx", "t", NULL, NULL);
	KT_CHECK(error == ENOENT, "node of the open transaction: %d", error);
	KT_NOTE_OK("transaction %u", tx);
}

KTEST(xenbus_dev_watch)
{
	static const char w[] = "data/xbdev-w\0tok1";
	struct xs_stats before, after;
	struct xsd_sockmsg h;
	struct file *fp;
	char buf[128];
	bool fired = false, initial = false;
	int error;

	REQUIRE_XS();
	(void)xs_write(XST_NIL, "data", "xbdev-w", "0");
	fp = xbdt_open();
	KT_ASSERT(fp != NULL, "open failed");
	error = xbdt_send(fp, XS_WATCH, 5, 0, w, sizeof(w));
	KT_CHECK(error == 0, "watch: %d", error);
	error = xbdt_send(fp, XS_WATCH, 6, 0, w, sizeof(w));
	KT_CHECK(error == 0, "watch again: %d", error);
	/* The replies and the daemon's first event, in whatever order. */
	for (int n = 0; n < 3 && xbdt_wait_readable(fp, 5000); n++) {
		error = xbdt_recv(fp, &h, buf, sizeof(buf), 0);
		KT_CHECK(error == 0, "read %d: %d", n, error);
		if (h.type == XS_WATCH_EVENT)
			initial = strcmp(buf, "data/xbdev-w") == 0 &&
			    strcmp(buf + strlen(buf) + 1, "tok1") == 0;
		else if (h.req_id == 5)
			KT_CHECK(h.type == XS_WATCH && strcmp(buf, "OK") == 0,
			    "watch reply type %u '%s'", h.type, buf);
		else
			KT_CHECK(h.req_id == 6 && h.type == XS_ERROR &&
			    strcmp(buf, "EEXIST") == 0,
			    "second watch: req %u type %u '%s'", h.req_id,
			    h.type, buf);
	}
	KT_CHECK(initial, "no initial event with path and token");
	error = xs_write(XST_NIL, "data", "xbdev-w", "1");
	KT_CHECK(error == 0, "client write: %d", error);
	if (xbdt_wait_readable(fp, 5000)) {
		error = xbdt_recv(fp, &h, buf, sizeof(buf), 0);
		fired = error == 0 && h.type == XS_WATCH_EVENT &&
		    strcmp(buf, "data/xbdev-w") == 0;
	}
	KT_CHECK(fired, "no event for the client's write");
	fdrop(fp);
	/* Closed: the daemon has no watch for the token any more. */
	xs_get_stats(&before);
	error = xs_write(XST_NIL, "data", "xbdev-w", "2");
	KT_CHECK(error == 0, "client write after close: %d", error);
	(void)xs_read(XST_NIL, "data", "xbdev-w", NULL, NULL);
	xs_get_stats(&after);
	KT_CHECK(after.watch_dropped == before.watch_dropped &&
	    after.watch_events == before.watch_events,
	    "an event came after close (%ju dropped, %ju queued)",
	    (uintmax_t)(after.watch_dropped - before.watch_dropped),
	    (uintmax_t)(after.watch_events - before.watch_events));
	(void)xs_rm(XST_NIL, "data", "xbdev-w");
	KT_NOTE_OK("initial and written events with the token, none after close");
}
