/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * AF_UNIX stream sockets (see sys/unpcb.h).
 *
 * One sleep mutex, unp_mtx, covers every socket's state, buffers, the
 * peer links and the vnode's v_socket: local sockets are few and their
 * operations short, and one lock makes connect, close and the data path
 * race-free without lock ordering.  A socket's receive ring holds what
 * its peer wrote; readers sleep on &unp->unp_rcv, writers on the peer's
 * &unp_rcv too (for room), accept on &unp->unp_acceptq.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/selinfo.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/unpcb.h>
#include <sys/vnode.h>

MALLOC_DEFINE(M_UNP, "unp", "local sockets");

enum unp_state { UNP_NEW, UNP_LISTENING, UNP_CONNECTED, UNP_DISCONNECTED };

struct unpcb {
	enum unp_state		unp_state;
	struct unpcb		*unp_peer;
	/* Receive ring: what the peer wrote. */
	char			*unp_buf;
	size_t			unp_head;
	size_t			unp_cnt;
	const void		*unp_rcv;	/* sleep channel (== &unp_cnt) */
	bool			unp_rcvshut;	/* no more data will come */
	bool			unp_sndshut;	/* we write no more */
	/* Listening: connections not accepted yet. */
	TAILQ_HEAD(, unpcb)	unp_acceptq;
	TAILQ_ENTRY(unpcb)	unp_qlink;
	struct unpcb		*unp_listener;	/* queued on it */
	int			unp_qlen;
	int			unp_backlog;
	struct vnode		*unp_vnode;	/* bound to */
	char			unp_path[UNP_PATH_MAX];
	uint64_t		unp_ino;
	struct selinfo		unp_sel;
	/* Files in flight to this socket, in stream order. */
	struct unp_rights	*unp_rights;
	uint64_t		unp_rdpos;	/* bytes ever read */
};

static struct mtx unp_mtx;
static uint64_t unp_nextino = 1;
static int unp_inflight;		/* files in every unp_rights; unp_mtx */

static void
unp_init(void *arg)
{
	mtx_init(&unp_mtx, "unp", NULL, MTX_DEF);
}
SYSINIT(unp_init, SI_SUB_LOCK, SI_ORDER_ANY, unp_init, NULL);

static struct unpcb *
unp_alloc(void)
{
	struct unpcb *unp;

	unp = malloc(sizeof(*unp), M_UNP, M_WAITOK | M_ZERO);
	unp->unp_buf = malloc(UNP_BUFSIZE, M_UNP, M_WAITOK);
	unp->unp_rcv = &unp->unp_cnt;
	TAILQ_INIT(&unp->unp_acceptq);
	seldrain_init(&unp->unp_sel);
	mtx_lock(&unp_mtx);
	unp->unp_ino = unp_nextino++;
	mtx_unlock(&unp_mtx);
	return (unp);
}

static void
unp_wake(struct unpcb *unp)
{
	mtx_assert(&unp_mtx, MA_OWNED);
	wakeup(unp->unp_rcv);
	wakeup(&unp->unp_acceptq);
	selwakeup(&unp->unp_sel);
}

/* Cuts unp from its peer: each sees end of file (and EPIPE on writes). */
static void
unp_disconnect(struct unpcb *unp)
{
	struct unpcb *peer = unp->unp_peer;

	mtx_assert(&unp_mtx, MA_OWNED);
	if (peer != NULL) {
		peer->unp_peer = NULL;
		peer->unp_rcvshut = true;
		peer->unp_state = UNP_DISCONNECTED;
		unp_wake(peer);
	}
	unp->unp_peer = NULL;
	unp->unp_state = UNP_DISCONNECTED;
	unp_wake(unp);
}

static void
unp_connect2(struct unpcb *a, struct unpcb *b)
{
	mtx_assert(&unp_mtx, MA_OWNED);
	a->unp_peer = b;
	b->unp_peer = a;
	a->unp_state = b->unp_state = UNP_CONNECTED;
}

/*
 * Connections never accepted are closed with their listener: they move
 * to the caller's list (unp_acceptq), freed once unp_mtx is dropped.
 */
static void
unp_detach_locked(struct unpcb *unp)
{
	struct unpcb *q;

	mtx_assert(&unp_mtx, MA_OWNED);
	unp_disconnect(unp);
	TAILQ_FOREACH(q, &unp->unp_acceptq, unp_qlink) {
		q->unp_listener = NULL;
		unp_disconnect(q);
	}
	if (unp->unp_vnode != NULL)
		unp->unp_vnode->v_socket = NULL;
}

struct unp_rights *
unp_rights_alloc(int nfds)
{
	struct unp_rights *r;

	KASSERT(nfds > 0 && nfds <= UNP_RIGHTS_MAX, ("unp_rights_alloc(%d)",
	    nfds));
	r = malloc(sizeof(*r) + (size_t)nfds * sizeof(r->ur_files[0]), M_UNP,
	    M_WAITOK | M_ZERO);
	return (r);
}

void
unp_rights_free(struct unp_rights *r)
{
	for (int i = 0; i < r->ur_nfds; i++)
		(void)fdrop(r->ur_files[i]);
	free(r, M_UNP);
}

/* Files that were in flight to unp, off its queue; unp_mtx held. */
static struct unp_rights *
unp_rights_take_all(struct unpcb *unp)
{
	struct unp_rights *r = unp->unp_rights;

	mtx_assert(&unp_mtx, MA_OWNED);
	for (struct unp_rights *q = r; q != NULL; q = q->ur_next)
		unp_inflight -= q->ur_nfds;
	unp->unp_rights = NULL;
	return (r);
}

/* Frees unp and what was in flight to it; unp_mtx not held. */
static void
unp_free(struct unpcb *unp)
{
	struct unp_rights *r, *next;
	struct unpcb *q;

	while ((q = TAILQ_FIRST(&unp->unp_acceptq)) != NULL) {
		TAILQ_REMOVE(&unp->unp_acceptq, q, unp_qlink);
		unp_free(q);
	}
	mtx_lock(&unp_mtx);
	r = unp_rights_take_all(unp);
	mtx_unlock(&unp_mtx);
	/* Not under unp_mtx: a file's last close may take it. */
	for (; r != NULL; r = next) {
		next = r->ur_next;
		unp_rights_free(r);
	}
	seldrain(&unp->unp_sel);
	free(unp->unp_buf, M_UNP);
	free(unp, M_UNP);
}

int
unp_recv(struct file *fp, struct uio *uio, int flags,
    struct unp_rights **rightsp)
{
	struct unpcb *unp = fp->f_data;
	struct unp_rights *r;
	uint64_t stop = UINT64_MAX;
	int error = 0;

	*rightsp = NULL;
	mtx_lock(&unp_mtx);
	if (unp->unp_state == UNP_NEW || unp->unp_state == UNP_LISTENING) {
		mtx_unlock(&unp_mtx);
		return (ENOTCONN);
	}
	while (unp->unp_cnt == 0) {
		if (unp->unp_rcvshut || uio->uio_resid == 0)
			goto out;
		if ((fp->f_flag & FNONBLOCK) != 0 || (flags & IO_NDELAY) != 0) {
			error = EAGAIN;
			goto out;
		}
		error = msleep_sig(unp->unp_rcv, &unp_mtx, "unprd", 0);
		if (error != 0)
			goto out;
	}
	while (unp->unp_cnt > 0 && uio->uio_resid > 0 &&
	    unp->unp_rdpos < stop) {
		size_t n = unp->unp_cnt;

		/*
		 * Files riding with the next byte: this read takes them and
		 * ends with their write's bytes; one set of files a read.
		 */
		r = unp->unp_rights;
		if (r != NULL && r->ur_pos == unp->unp_rdpos) {
			if (*rightsp != NULL)
				break;
			unp->unp_rights = r->ur_next;
			r->ur_next = NULL;
			unp_inflight -= r->ur_nfds;
			*rightsp = r;
			stop = r->ur_pos + MAX(r->ur_len, 1);
			r = unp->unp_rights;
		}
		if (r != NULL && r->ur_pos < stop)
			stop = r->ur_pos;	/* the next files' byte */
		if (n > UNP_BUFSIZE - unp->unp_head)
			n = UNP_BUFSIZE - unp->unp_head;
		if ((size_t)uio->uio_resid < n)
			n = (size_t)uio->uio_resid;
		if (n > stop - unp->unp_rdpos)
			n = (size_t)(stop - unp->unp_rdpos);
		error = uiomove(unp->unp_buf + unp->unp_head, n, uio);
		if (error != 0)
			break;
		unp->unp_head = (unp->unp_head + n) % UNP_BUFSIZE;
		unp->unp_cnt -= n;
		unp->unp_rdpos += n;
	}
	/* Room for the peer's writer. */
	wakeup(unp->unp_rcv);
	if (unp->unp_peer != NULL)
		selwakeup(&unp->unp_peer->unp_sel);
out:
	mtx_unlock(&unp_mtx);
	return (error);
}

/* A plain read takes files as recvmsg with no room for them: closed. */
static int
soo_read(struct file *fp, struct uio *uio, int flags)
{
	struct unp_rights *r;
	int error;

	error = unp_recv(fp, uio, flags, &r);
	if (r != NULL)
		unp_rights_free(r);
	return (error);
}

/* Whether r may travel: no local socket among its files. */
static int
unp_rights_check(const struct unp_rights *r)
{
	for (int i = 0; i < r->ur_nfds; i++) {
		if (r->ur_files[i]->f_type == DTYPE_SOCKET)
			return (EOPNOTSUPP);
	}
	return (0);
}

int
unp_send(struct file *fp, struct uio *uio, int flags,
    struct unp_rights **rightsp)
{
	struct unpcb *unp = fp->f_data, *peer;
	struct unp_rights *r = rightsp != NULL ? *rightsp : NULL, **tailp;
	ssize_t start = uio->uio_resid;
	int error = 0;

	if (r != NULL && (error = unp_rights_check(r)) != 0)
		return (error);
	mtx_lock(&unp_mtx);
	if (r != NULL && unp_inflight + r->ur_nfds > UNP_INFLIGHT_MAX) {
		mtx_unlock(&unp_mtx);
		return (ETOOMANYREFS);
	}
	if (unp->unp_state == UNP_NEW || unp->unp_state == UNP_LISTENING) {
		mtx_unlock(&unp_mtx);
		return (ENOTCONN);
	}
	while (uio->uio_resid > 0) {
		size_t room, tail, n;

		peer = unp->unp_peer;
		if (unp->unp_sndshut || peer == NULL || peer->unp_rcvshut) {
			error = EPIPE;
			break;
		}
		room = UNP_BUFSIZE - peer->unp_cnt;
		if (room == 0) {
			if ((fp->f_flag & FNONBLOCK) != 0 ||
			    (flags & IO_NDELAY) != 0) {
				error = EAGAIN;
				break;
			}
			error = msleep_sig(peer->unp_rcv, &unp_mtx, "unpwr", 0);
			if (error != 0)
				break;
			continue;
		}
		tail = (peer->unp_head + peer->unp_cnt) % UNP_BUFSIZE;
		n = room;
		if (n > UNP_BUFSIZE - tail)
			n = UNP_BUFSIZE - tail;
		if ((size_t)uio->uio_resid < n)
			n = (size_t)uio->uio_resid;
		error = uiomove(peer->unp_buf + tail, n, uio);
		if (error != 0)
			break;
		if (r != NULL) {
			/* The files go with this write's first byte. */
			r->ur_pos = peer->unp_rdpos + peer->unp_cnt;
			r->ur_len = (uint64_t)start;
			r->ur_next = NULL;
			for (tailp = &peer->unp_rights; *tailp != NULL;
			    tailp = &(*tailp)->ur_next)
				;
			*tailp = r;
			unp_inflight += r->ur_nfds;
			*rightsp = r = NULL;
		}
		peer->unp_cnt += n;
		unp_wake(peer);
	}
	mtx_unlock(&unp_mtx);
	if (uio->uio_resid < start && error != EFAULT)
		error = 0;
	return (error);
}

static int
soo_write(struct file *fp, struct uio *uio, int flags)
{
	return (unp_send(fp, uio, flags, NULL));
}

static int
soo_ioctl(struct file *fp, u_long cmd, void *data, struct thread *td)
{
	return (ENOTTY);
}

static int
soo_poll(struct file *fp, int events, struct pollscan *ps)
{
	struct unpcb *unp = fp->f_data, *peer;
	int rev = 0;

	mtx_lock(&unp_mtx);
	peer = unp->unp_peer;
	if (unp->unp_state == UNP_LISTENING) {
		if (!TAILQ_EMPTY(&unp->unp_acceptq))
			rev |= events & (POLLIN | POLLRDNORM);
	} else if (unp->unp_state != UNP_NEW) {
		if (unp->unp_cnt > 0 || unp->unp_rcvshut)
			rev |= events & (POLLIN | POLLRDNORM);
		if (peer != NULL && !unp->unp_sndshut &&
		    peer->unp_cnt < UNP_BUFSIZE)
			rev |= events & (POLLOUT | POLLWRNORM);
		if (unp->unp_state == UNP_DISCONNECTED)
			rev |= POLLHUP;
	} else
		rev |= POLLOUT & events;	/* Linux: unconnected is writable */
	/*
	 * Only on our own selinfo: the peer may go while we wait, and it
	 * wakes ours for everything that concerns us (data, room, close).
	 */
	if (rev == 0)
		selrecord(ps, &unp->unp_sel);
	mtx_unlock(&unp_mtx);
	return (rev);
}

static int
soo_stat(struct file *fp, struct vattr *vap)
{
	struct unpcb *unp = fp->f_data;

	vap->va_type = VSOCK;
	vap->va_mode = S_IFSOCK | 0777;
	vap->va_nlink = 1;
	vap->va_ino = unp->unp_ino;
	vap->va_blksize = PAGE_SIZE;
	return (0);
}

static int
soo_close(struct file *fp)
{
	struct unpcb *unp = fp->f_data;
	struct vnode *vp;

	mtx_lock(&unp_mtx);
	unp_detach_locked(unp);
	vp = unp->unp_vnode;
	unp->unp_vnode = NULL;
	mtx_unlock(&unp_mtx);
	if (vp != NULL)
		vrele(vp);
	unp_free(unp);
	return (0);
}

static const struct fileops unpops = {
	.fo_read = soo_read,
	.fo_write = soo_write,
	.fo_ioctl = soo_ioctl,
	.fo_poll = soo_poll,
	.fo_stat = soo_stat,
	.fo_close = soo_close,
	.fo_seekable = false,
};

static int
unp_install(struct filedesc *fdp, struct unpcb *unp, int oflags, int *fdout)
{
	struct file *fp = falloc_noinstall();
	int error;

	finit(fp, FREAD | FWRITE | ((oflags & O_NONBLOCK) != 0 ? FNONBLOCK : 0),
	    DTYPE_SOCKET, unp, &unpops);
	error = finstall(fdp, fp, 0, (oflags & O_CLOEXEC) != 0 ? UF_EXCLOSE : 0,
	    fdout);
	/* On failure this was the only reference: the socket goes with it. */
	fdrop(fp);
	return (error);
}

/* fd's socket, referenced through its file (fdrop(*fpp) when done). */
static int
unp_get(struct filedesc *fdp, int fd, struct file **fpp, struct unpcb **unpp)
{
	int error = fget(fdp, fd, fpp);

	if (error != 0)
		return (error);
	if ((*fpp)->f_type != DTYPE_SOCKET) {
		fdrop(*fpp);
		return (ENOTSOCK);
	}
	*unpp = (*fpp)->f_data;
	return (0);
}

int
kern_unix_socket(struct filedesc *fdp, int oflags, int *fdout)
{
	return (unp_install(fdp, unp_alloc(), oflags, fdout));
}

int
kern_unix_socketpair(struct filedesc *fdp, int oflags, int fds[2])
{
	struct unpcb *a = unp_alloc(), *b = unp_alloc();
	int error;

	mtx_lock(&unp_mtx);
	unp_connect2(a, b);
	mtx_unlock(&unp_mtx);
	error = unp_install(fdp, a, oflags, &fds[0]);
	if (error != 0) {
		mtx_lock(&unp_mtx);
		b->unp_peer = NULL;
		mtx_unlock(&unp_mtx);
		unp_free(b);
		return (error);
	}
	error = unp_install(fdp, b, oflags, &fds[1]);
	if (error != 0)
		(void)kern_close(fdp, fds[0]);
	return (error);
}

static int
unp_namei(struct filedesc *fdp, const char *path, u_int flags,
    struct nameidata *nd)
{
	struct vnode *cdir, *rdir;
	int error;

	if (path[0] == '\0')
		return (EINVAL);	/* abstract names: not supported */
	mtx_lock(&fdp->fd_lock);
	cdir = fdp->fd_cdir;
	rdir = fdp->fd_rdir;
	vref(cdir);
	vref(rdir);
	mtx_unlock(&fdp->fd_lock);
	NDINIT(nd, path, UIO_SYSSPACE, cdir, rdir, flags);
	error = namei(nd);
	vrele(cdir);
	vrele(rdir);
	return (error);
}

int
kern_unix_bind(struct filedesc *fdp, int fd, const char *path)
{
	struct nameidata nd;
	struct unpcb *unp;
	struct vnode *vp;
	struct file *fp;
	int error;

	if (strnlen(path, UNP_PATH_MAX) == UNP_PATH_MAX)
		return (EINVAL);
	if ((error = unp_get(fdp, fd, &fp, &unp)) != 0)
		return (error);
	if (unp->unp_vnode != NULL || unp->unp_state != UNP_NEW) {
		fdrop(fp);
		return (EINVAL);
	}
	error = unp_namei(fdp, path, NI_WANTPARENT, &nd);
	if (error != 0) {
		fdrop(fp);
		return (error);
	}
	if (nd.ni_vp != NULL || nd.ni_dvp == NULL)
		error = EADDRINUSE;
	else
		error = nd.ni_dvp->v_op->vop_create(nd.ni_dvp, nd.ni_name,
		    nd.ni_namelen, VSOCK, 0777 & ~fdp->fd_cmask, NULL, 0, &vp);
	NDFREE(&nd);
	if (error == 0) {
		mtx_lock(&unp_mtx);
		vp->v_socket = unp;
		unp->unp_vnode = vp;	/* the reference create gave */
		strlcpy(unp->unp_path, path, sizeof(unp->unp_path));
		mtx_unlock(&unp_mtx);
	}
	fdrop(fp);
	return (error);
}

int
kern_unix_listen(struct filedesc *fdp, int fd, int backlog)
{
	struct unpcb *unp;
	struct file *fp;
	int error;

	if ((error = unp_get(fdp, fd, &fp, &unp)) != 0)
		return (error);
	mtx_lock(&unp_mtx);
	if (unp->unp_state != UNP_NEW && unp->unp_state != UNP_LISTENING)
		error = EINVAL;
	else {
		unp->unp_state = UNP_LISTENING;
		unp->unp_backlog = backlog < 1 ? 1 : backlog > 4096 ? 4096 :
		    backlog;
	}
	mtx_unlock(&unp_mtx);
	fdrop(fp);
	return (error);
}

int
kern_unix_connect(struct filedesc *fdp, int fd, const char *path)
{
	struct nameidata nd;
	struct unpcb *unp, *lis, *srv;
	struct file *fp;
	int error;

	if (strnlen(path, UNP_PATH_MAX) == UNP_PATH_MAX)
		return (EINVAL);
	if ((error = unp_get(fdp, fd, &fp, &unp)) != 0)
		return (error);
	error = unp_namei(fdp, path, NI_FOLLOW, &nd);
	if (error != 0) {
		fdrop(fp);
		return (error);
	}
	srv = unp_alloc();
	mtx_lock(&unp_mtx);
	lis = nd.ni_vp->v_type == VSOCK ? nd.ni_vp->v_socket : NULL;
	if (unp->unp_state == UNP_CONNECTED)
		error = EISCONN;
	else if (unp->unp_state != UNP_NEW)
		error = EINVAL;
	else if (nd.ni_vp->v_type != VSOCK)
		error = ECONNREFUSED;
	else if (lis == NULL || lis->unp_state != UNP_LISTENING)
		error = ECONNREFUSED;
	else if (lis->unp_qlen >= lis->unp_backlog)
		error = EAGAIN;	/* Linux: a full backlog is EAGAIN for AF_UNIX */
	else {
		/* The server side waits on the listener until accepted. */
		unp_connect2(unp, srv);
		strlcpy(srv->unp_path, lis->unp_path, sizeof(srv->unp_path));
		srv->unp_listener = lis;
		TAILQ_INSERT_TAIL(&lis->unp_acceptq, srv, unp_qlink);
		lis->unp_qlen++;
		unp_wake(lis);
		srv = NULL;
	}
	mtx_unlock(&unp_mtx);
	NDFREE(&nd);
	if (srv != NULL)
		unp_free(srv);
	fdrop(fp);
	return (error);
}

int
kern_unix_accept(struct filedesc *fdp, int fd, int oflags, int *fdout)
{
	struct unpcb *unp, *srv = NULL;
	struct file *fp;
	int error;

	if ((error = unp_get(fdp, fd, &fp, &unp)) != 0)
		return (error);
	mtx_lock(&unp_mtx);
	for (;;) {
		if (unp->unp_state != UNP_LISTENING) {
			error = EINVAL;
			break;
		}
		srv = TAILQ_FIRST(&unp->unp_acceptq);
		if (srv != NULL) {
			TAILQ_REMOVE(&unp->unp_acceptq, srv, unp_qlink);
			unp->unp_qlen--;
			srv->unp_listener = NULL;
			break;
		}
		if ((fp->f_flag & FNONBLOCK) != 0) {
			error = EAGAIN;
			break;
		}
		error = msleep_sig(&unp->unp_acceptq, &unp_mtx, "accept", 0);
		if (error != 0)
			break;
	}
	mtx_unlock(&unp_mtx);
	fdrop(fp);
	if (srv == NULL)
		return (error);
	error = unp_install(fdp, srv, oflags, fdout);
	return (error);
}

int
kern_unix_shutdown(struct filedesc *fdp, int fd, int how)
{
	struct unpcb *unp;
	struct file *fp;
	int error;

	if (how < 0 || how > 2)
		return (EINVAL);
	if ((error = unp_get(fdp, fd, &fp, &unp)) != 0)
		return (error);
	mtx_lock(&unp_mtx);
	if (unp->unp_state != UNP_CONNECTED &&
	    unp->unp_state != UNP_DISCONNECTED)
		error = ENOTCONN;
	else {
		if (how != 1)
			unp->unp_rcvshut = true;
		if (how != 0) {
			unp->unp_sndshut = true;
			/* The peer reads what is buffered, then end of file. */
			if (unp->unp_peer != NULL) {
				unp->unp_peer->unp_rcvshut = true;
				unp_wake(unp->unp_peer);
			}
		}
		unp_wake(unp);
	}
	mtx_unlock(&unp_mtx);
	fdrop(fp);
	return (error);
}

int
kern_unix_getname(struct filedesc *fdp, int fd, bool peer, char *path,
    size_t len)
{
	struct unpcb *unp;
	struct file *fp;
	int error;

	if ((error = unp_get(fdp, fd, &fp, &unp)) != 0)
		return (error);
	mtx_lock(&unp_mtx);
	if (peer && unp->unp_peer == NULL)
		error = ENOTCONN;
	else
		strlcpy(path, peer ? unp->unp_peer->unp_path : unp->unp_path,
		    len);
	mtx_unlock(&unp_mtx);
	fdrop(fp);
	return (error);
}
