/*
 * xenstub: an LD_PRELOAD stand-in for the few hypervisor calls a xenstored
 * makes, so that Debian's C xenstored and xenstored-shim both run on a host
 * without Xen and serve guest rings that xsdiff drives.
 *
 * Everything lives in the directory named by XENSTUB_DIR:
 *   ring-<domid>  a page-sized file: the "grant mapping" of that domain's
 *                 xenstore ring (ring-0 also stands for /proc/xen/xsd_kva)
 *   xsd_port      dom0's ring event channel, as /proc/xen/xsd_port
 *   evtchn        a FIFO: each 4-byte local port written to it is one
 *                 event for the daemon (xenevtchn_pending reads it)
 *   dead-<domid>  present: the domain is dying (xc_domain_getinfo)
 * Local ports are fixed so the driver knows them without asking:
 * VIRQ_DOM_EXC is XENSTUB_VIRQ_PORT, domain d's ring XENSTUB_PORT_BASE + d.
 *   notify-count  present: counts the daemon's notifications (uint64)
 *   notify-<port> a FIFO, present: gets a byte per notification of port
 * Notifications are otherwise dropped; xsdiff polls the rings.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>

#include "xenstub.h"

/* Any non-NULL pointer will do as a handle: the callers never look in. */
static int handle_token;

static const char *
stub_dir(void)
{
	const char *d = getenv("XENSTUB_DIR");

	return d != NULL ? d : ".";
}

static int
stub_path(char *out, size_t len, const char *name)
{
	int n = snprintf(out, len, "%s/%s", stub_dir(), name);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The kernel's xenbus files are redirected into the stub directory. */
static const char *
redirect(const char *path, char *buf, size_t len)
{
	if (strcmp(path, "/proc/xen/xsd_kva") == 0)
		return stub_path(buf, len, "ring-0") == 0 ? buf : path;
	if (strcmp(path, "/proc/xen/xsd_port") == 0)
		return stub_path(buf, len, "xsd_port") == 0 ? buf : path;
	return path;
}

typedef int (*open_fn)(const char *, int, ...);

static int
call_open(const char *sym, const char *path, int flags, mode_t mode)
{
	static open_fn real_open, real_open64;
	open_fn *slot = strcmp(sym, "open") == 0 ? &real_open : &real_open64;
	char buf[4096];

	if (*slot == NULL)
		*slot = (open_fn)dlsym(RTLD_NEXT, sym);
	if (*slot == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return (*slot)(redirect(path, buf, sizeof(buf)), flags, mode);
}

/* open and open64 alike: the mode is there only with O_CREAT. */
#define STUB_OPEN(name)                                              \
	int name(const char *path, int flags, ...)                   \
	{                                                            \
		va_list ap;                                          \
		mode_t mode = 0;                                     \
                                                                     \
		if (flags & O_CREAT) {                               \
			va_start(ap, flags);                         \
			mode = (mode_t)va_arg(ap, int);              \
			va_end(ap);                                  \
		}                                                    \
		return call_open(#name, path, flags, mode);          \
	}
STUB_OPEN(open)
STUB_OPEN(open64)

/*
 * Opening a library handle gives the token and closing it does nothing,
 * whichever library: the callers never look inside.
 */
#define STUB_HANDLE(type, openfn, closefn)                           \
	type *openfn(xentoollog_logger *l, unsigned f)               \
	{                                                            \
		(void)l;                                             \
		(void)f;                                             \
		return (type *)&handle_token;                        \
	}                                                            \
	int closefn(type *h)                                         \
	{                                                            \
		(void)h;                                             \
		return 0;                                            \
	}
STUB_HANDLE(xengnttab_handle, xengnttab_open, xengnttab_close)
STUB_HANDLE(xenforeignmemory_handle, xenforeignmemory_open,
    xenforeignmemory_close)

xc_interface *
xc_interface_open(xentoollog_logger *l, xentoollog_logger *dl, unsigned f)
{
	(void)l;
	(void)dl;
	(void)f;
	return (xc_interface *)&handle_token;
}

int
xc_interface_close(xc_interface *x)
{
	(void)x;
	return 0;
}

int
xc_domain_getinfo(xc_interface *x, uint32_t first, unsigned int max,
    xc_dominfo_t *info)
{
	char p[4096], name[32];

	(void)x;
	if (max < 1)
		return 0;
	memset(info, 0, sizeof(*info));
	info->domid = first;
	snprintf(name, sizeof(name), "dead-%u", first);
	if (stub_path(p, sizeof(p), name) == 0 && access(p, F_OK) == 0)
		info->dying = 1;
	return 1;
}

static void *
map_ring(uint32_t domid)
{
	char p[4096], name[32];
	void *m;
	int fd;

	snprintf(name, sizeof(name), "ring-%u", domid);
	if (stub_path(p, sizeof(p), name) != 0)
		return NULL;
	fd = call_open("open", p, O_RDWR, 0);
	if (fd < 0)
		return NULL;
	m = mmap(NULL, XC_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    0);
	close(fd);
	return m == MAP_FAILED ? NULL : m;
}

int
xengnttab_set_max_grants(xengnttab_handle *h, uint32_t n)
{
	(void)h;
	(void)n;
	return 0;
}

void *
xengnttab_map_grant_ref(xengnttab_handle *h, uint32_t domid, uint32_t ref,
    int prot)
{
	(void)h;
	(void)ref;
	(void)prot;
	return map_ring(domid);
}

int
xengnttab_unmap(xengnttab_handle *h, void *addr, uint32_t count)
{
	(void)h;
	return munmap(addr, (size_t)count * XC_PAGE_SIZE);
}

void *
xenforeignmemory_map(xenforeignmemory_handle *h, uint32_t dom, int prot,
    size_t pages, const xen_pfn_t arr[], int *err)
{
	(void)h;
	(void)prot;
	(void)arr;
	(void)err;
	return pages == 1 ? map_ring(dom) : NULL;
}

int
xenforeignmemory_unmap(xenforeignmemory_handle *h, void *addr, size_t pages)
{
	(void)h;
	return munmap(addr, pages * XC_PAGE_SIZE);
}

static int evtchn_fd = -1;

static xenevtchn_handle *
evtchn_open(void)
{
	char p[4096];

	if (evtchn_fd < 0) {
		if (stub_path(p, sizeof(p), "evtchn") != 0)
			return NULL;
		/* Read-write: the FIFO never reports end of file. */
		evtchn_fd = call_open("open", p, O_RDWR | O_NONBLOCK, 0);
		if (evtchn_fd < 0)
			return NULL;
	}
	return (xenevtchn_handle *)&handle_token;
}

xenevtchn_handle *
xenevtchn_open(xentoollog_logger *l, unsigned f)
{
	(void)l;
	(void)f;
	return evtchn_open();
}

xenevtchn_handle *
xenevtchn_fdopen(xentoollog_logger *l, int fd, unsigned f)
{
	(void)l;
	(void)fd;
	(void)f;
	return evtchn_open();
}

int
xenevtchn_close(xenevtchn_handle *h)
{
	(void)h;
	return 0;
}

int
xenevtchn_fd(xenevtchn_handle *h)
{
	(void)h;
	return evtchn_fd;
}

xenevtchn_port_or_error_t
xenevtchn_bind_virq(xenevtchn_handle *h, unsigned int virq)
{
	(void)h;
	(void)virq;
	return XENSTUB_VIRQ_PORT;
}

xenevtchn_port_or_error_t
xenevtchn_bind_interdomain(xenevtchn_handle *h, uint32_t domid,
    evtchn_port_t remote)
{
	(void)h;
	(void)remote;
	return (xenevtchn_port_or_error_t)(XENSTUB_PORT_BASE + domid);
}

int
xenevtchn_unbind(xenevtchn_handle *h, evtchn_port_t port)
{
	(void)h;
	(void)port;
	return 0;
}

/*
 * A notification from the daemon: counted in notify-count (a 64-bit
 * counter, if that file exists) and, for a driver that waits for them,
 * one byte into the FIFO notify-<port> if there is one; otherwise dropped
 * (xsdiff polls the rings).
 */
#define NOTIFY_PORTS 64

int
xenevtchn_notify(xenevtchn_handle *h, evtchn_port_t port)
{
	static volatile uint64_t *count;
	static bool count_tried;
	static struct {
		evtchn_port_t port;
		int fd;
	} fifo[NOTIFY_PORTS];
	static unsigned nfifo;
	char p[4096], name[32];
	unsigned i;
	void *m;
	int fd;

	(void)h;
	if (!count_tried) {
		count_tried = true;
		if (stub_path(p, sizeof(p), "notify-count") == 0 &&
		    (fd = call_open("open", p, O_RDWR, 0)) >= 0) {
			m = mmap(NULL, sizeof(*count), PROT_READ | PROT_WRITE,
			    MAP_SHARED, fd, 0);
			if (m != MAP_FAILED)
				count = m;
			close(fd);
		}
	}
	if (count != NULL)
		__atomic_add_fetch(count, 1, __ATOMIC_RELAXED);
	for (i = 0; i < nfifo && fifo[i].port != port; i++)
		;
	if (i == nfifo && nfifo < NOTIFY_PORTS) {
		snprintf(name, sizeof(name), "notify-%u", port);
		fifo[i].port = port;
		fifo[i].fd = stub_path(p, sizeof(p), name) == 0 ?
		    call_open("open", p, O_RDWR | O_NONBLOCK, 0) : -1;
		nfifo++;
	}
	/* A full FIFO already says "pending". */
	if (i < nfifo && fifo[i].fd >= 0)
		(void)!write(fifo[i].fd, "", 1);
	return 0;
}

/*
 * Like an event channel, a port is pending or not: what the FIFO holds is
 * read at once and each distinct port kept once; one is returned and the
 * others written back, so the FIFO stays short and readable while any is
 * pending.
 */
xenevtchn_port_or_error_t
xenevtchn_pending(xenevtchn_handle *h)
{
	uint32_t in[1024], uniq[64];
	ssize_t got;
	size_t n, i, j, nu = 0;

	(void)h;
	got = read(evtchn_fd, in, sizeof(in));
	if (got < (ssize_t)sizeof(in[0])) {
		errno = EAGAIN;
		return -1;
	}
	n = (size_t)got / sizeof(in[0]);
	for (i = 0; i < n; i++) {
		for (j = 0; j < nu && uniq[j] != in[i]; j++)
			;
		if (j == nu && nu < sizeof(uniq) / sizeof(uniq[0]))
			uniq[nu++] = in[i];
	}
	if (nu > 1)
		(void)!write(evtchn_fd, uniq + 1, (nu - 1) * sizeof(uniq[0]));
	return (xenevtchn_port_or_error_t)uniq[0];
}

int
xenevtchn_unmask(xenevtchn_handle *h, evtchn_port_t port)
{
	(void)h;
	(void)port;
	return 0;
}

/*
 * oxenstored's socket is at a path fixed at build time (it reads no
 * XENSTORED_RUNDIR): its directory becomes the stub directory.
 */
#define OXS_RUNDIR "/var/run/xenstored/"

int
bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	int (*real)(int, const struct sockaddr *, socklen_t) =
	    (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT,
		"bind");
	const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
	struct sockaddr_un moved;

	if (sa->sa_family != AF_UNIX || len <= offsetof(struct sockaddr_un,
	    sun_path) || strncmp(un->sun_path, OXS_RUNDIR,
	    strlen(OXS_RUNDIR)) != 0)
		return real(fd, sa, len);
	memset(&moved, 0, sizeof(moved));
	moved.sun_family = AF_UNIX;
	if (stub_path(moved.sun_path, sizeof(moved.sun_path),
		un->sun_path + strlen(OXS_RUNDIR)) != 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return real(fd, (const struct sockaddr *)&moved, sizeof(moved));
}

/*
 * oxenstored raises its open-file limit past the hard limit, which only
 * a process allowed to change hard limits may do (not in a container):
 * there, the hard limit itself.
 */
int
setrlimit(__rlimit_resource_t res, const struct rlimit *rl)
{
	int (*real)(__rlimit_resource_t, const struct rlimit *) =
	    (int (*)(__rlimit_resource_t, const struct rlimit *))dlsym(
		RTLD_NEXT, "setrlimit");
	struct rlimit cur, clamped;

	if (real(res, rl) == 0)
		return 0;
	if (errno != EPERM || res != RLIMIT_NOFILE || getrlimit(res, &cur) != 0)
		return -1;
	clamped.rlim_max = cur.rlim_max;
	clamped.rlim_cur = rl->rlim_cur < cur.rlim_max ? rl->rlim_cur :
							  cur.rlim_max;
	return real(res, &clamped);
}
