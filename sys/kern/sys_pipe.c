/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Pipes: a ring buffer shared by a read file and a write file.
 *
 * pipe_mtx (a sleep mutex) covers the ring and the end counts.  Readers
 * sleep on &pp_rsel while the ring is empty and a writer remains; writers
 * sleep on &pp_wsel while it lacks room.  A write of at most PIPE_BUF
 * bytes waits for room for all of it, so it is never interleaved with
 * another; a longer one may be split.  Writing with no reader left is
 * EPIPE (the ABI layer raises SIGPIPE); reading with no writer left and
 * an empty ring is end of file.
 *
 * A FIFO (a VFIFO vnode) gets its pipe at its first open, in v_pipe, and
 * loses it with the last close; fifo_mtx covers every v_pipe and comes
 * before pipe_mtx.  Opening one end without O_NONBLOCK waits for the
 * other; O_WRONLY | O_NONBLOCK with no reader is ENXIO, as on Linux.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/kernel.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/selinfo.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

MALLOC_DEFINE(M_PIPE, "pipe", "pipes");

/* Linux's default capacity and atomic-write size. */
#define PIPE_SIZE	65536
#define PIPE_BUF	4096

struct pipe {
	struct mtx	pp_mtx;
	char		*pp_buf;
	size_t		pp_head;	/* next byte to read */
	size_t		pp_cnt;		/* bytes in the ring */
	u_int		pp_readers;
	u_int		pp_writers;
	uint64_t	pp_ino;
	struct selinfo	pp_rsel;	/* readers wait for data here */
	struct selinfo	pp_wsel;	/* writers wait for room here */
	struct vnode	*pp_fifo;	/* a FIFO's vnode (its v_pipe is us) */
	u_int		pp_rgen, pp_wgen;	/* FIFO: opens of each end */
};

static uint64_t pipe_nextino = 1;
static struct mtx fifo_mtx;

static int
pipe_read(struct file *fp, struct uio *uio, int flags)
{
	struct pipe *pp = fp->f_data;
	int error = 0;

	mtx_lock(&pp->pp_mtx);
	while (pp->pp_cnt == 0) {
		if (pp->pp_writers == 0 || uio->uio_resid == 0)
			goto out;	/* end of file, or nothing asked */
		if ((fp->f_flag & FNONBLOCK) != 0) {
			error = EAGAIN;
			goto out;
		}
		error = msleep_sig(&pp->pp_rsel, &pp->pp_mtx, "piperd", 0);
		if (error != 0)
			goto out;	/* EINTR: a signal to handle */
	}
	while (pp->pp_cnt > 0 && uio->uio_resid > 0) {
		size_t n = pp->pp_cnt;

		if (n > PIPE_SIZE - pp->pp_head)
			n = PIPE_SIZE - pp->pp_head;
		if ((size_t)uio->uio_resid < n)
			n = (size_t)uio->uio_resid;
		error = uiomove(pp->pp_buf + pp->pp_head, n, uio);
		if (error != 0)
			break;
		pp->pp_head = (pp->pp_head + n) % PIPE_SIZE;
		pp->pp_cnt -= n;
	}
	wakeup(&pp->pp_wsel);
	selwakeup(&pp->pp_wsel);
out:
	mtx_unlock(&pp->pp_mtx);
	return (error);
}

static int
pipe_write(struct file *fp, struct uio *uio, int flags)
{
	struct pipe *pp = fp->f_data;
	ssize_t start = uio->uio_resid;
	/* Room wanted before copying: all of a small write, else any. */
	size_t want = (size_t)uio->uio_resid <= PIPE_BUF ?
	    (size_t)uio->uio_resid : 1;
	int error = 0;

	mtx_lock(&pp->pp_mtx);
	while (uio->uio_resid > 0) {
		size_t room, tail, n;

		if (pp->pp_readers == 0) {
			error = EPIPE;
			break;
		}
		room = PIPE_SIZE - pp->pp_cnt;
		if (room < want) {
			if ((fp->f_flag & FNONBLOCK) != 0) {
				error = EAGAIN;
				break;
			}
			error = msleep_sig(&pp->pp_wsel, &pp->pp_mtx, "pipewr",
			    0);
			if (error != 0)
				break;	/* EINTR, or what was written counts */
			continue;
		}
		tail = (pp->pp_head + pp->pp_cnt) % PIPE_SIZE;
		n = room;
		if (n > PIPE_SIZE - tail)
			n = PIPE_SIZE - tail;
		if ((size_t)uio->uio_resid < n)
			n = (size_t)uio->uio_resid;
		error = uiomove(pp->pp_buf + tail, n, uio);
		if (error != 0)
			break;
		pp->pp_cnt += n;
		want = 1;
		wakeup(&pp->pp_rsel);
		selwakeup(&pp->pp_rsel);
	}
	mtx_unlock(&pp->pp_mtx);
	/* A partial write is a success; EPIPE/EAGAIN/EINTR only if nothing went. */
	if (uio->uio_resid < start && error != EFAULT)
		error = 0;
	return (error);
}

static int
pipe_ioctl(struct file *fp, u_long cmd, void *data, struct thread *td)
{
	return (ENOTTY);
}

static int
pipe_poll(struct file *fp, int events, struct pollscan *ps)
{
	struct pipe *pp = fp->f_data;
	int rev = 0;

	mtx_lock(&pp->pp_mtx);
	if ((fp->f_flag & FREAD) != 0) {
		if (pp->pp_cnt > 0)
			rev |= events & (POLLIN | POLLRDNORM);
		if (pp->pp_writers == 0)
			rev |= POLLHUP;
		if (rev == 0)
			selrecord(ps, &pp->pp_rsel);
	}
	if ((fp->f_flag & FWRITE) != 0) {
		if (pp->pp_readers == 0)
			rev |= POLLERR;
		else if (PIPE_SIZE - pp->pp_cnt >= PIPE_BUF)
			rev |= events & (POLLOUT | POLLWRNORM);
		if (rev == 0)
			selrecord(ps, &pp->pp_wsel);
	}
	mtx_unlock(&pp->pp_mtx);
	return (rev);
}

static int
pipe_stat(struct file *fp, struct vattr *vap)
{
	struct pipe *pp = fp->f_data;

	if (fp->f_vnode != NULL)
		return (vn_getattr(fp->f_vnode, vap));	/* a FIFO: its node */

	mtx_lock(&pp->pp_mtx);
	vap->va_type = VFIFO;
	vap->va_mode = S_IFIFO | 0600;
	vap->va_nlink = 1;
	vap->va_ino = pp->pp_ino;
	vap->va_size = (off_t)pp->pp_cnt;
	vap->va_blksize = PIPE_BUF;
	mtx_unlock(&pp->pp_mtx);
	return (0);
}

static int
pipe_close(struct file *fp)
{
	struct pipe *pp = fp->f_data;
	struct vnode *vp = fp->f_vnode;
	bool last;

	/* A FIFO's pipe is found through its vnode: unhook it first. */
	if (vp != NULL)
		mtx_lock(&fifo_mtx);
	mtx_lock(&pp->pp_mtx);
	if ((fp->f_flag & FREAD) != 0)
		pp->pp_readers--;
	if ((fp->f_flag & FWRITE) != 0)
		pp->pp_writers--;
	last = pp->pp_readers == 0 && pp->pp_writers == 0;
	/* The other end sees EOF or EPIPE now. */
	wakeup(&pp->pp_rsel);
	wakeup(&pp->pp_wsel);
	selwakeup(&pp->pp_rsel);
	selwakeup(&pp->pp_wsel);
	mtx_unlock(&pp->pp_mtx);
	if (vp != NULL) {
		if (last) {
			KASSERT(vp->v_pipe == pp, ("fifo: vnode %p lost its pipe",
			    vp));
			vp->v_pipe = NULL;
		}
		mtx_unlock(&fifo_mtx);
		vrele(vp);
	}
	if (last) {
		seldrain(&pp->pp_rsel);
		seldrain(&pp->pp_wsel);
		mtx_destroy(&pp->pp_mtx);
		free(pp->pp_buf, M_PIPE);
		free(pp, M_PIPE);
	}
	return (0);
}

static const struct fileops pipeops = {
	.fo_read = pipe_read,
	.fo_write = pipe_write,
	.fo_ioctl = pipe_ioctl,
	.fo_poll = pipe_poll,
	.fo_stat = pipe_stat,
	.fo_close = pipe_close,
	.fo_seekable = false,
};

static struct pipe *
pipe_alloc(void)
{
	struct pipe *pp;

	pp = malloc(sizeof(*pp), M_PIPE, M_WAITOK | M_ZERO);
	pp->pp_buf = malloc(PIPE_SIZE, M_PIPE, M_WAITOK);
	mtx_init(&pp->pp_mtx, "pipe", NULL, MTX_DEF);
	seldrain_init(&pp->pp_rsel);
	seldrain_init(&pp->pp_wsel);
	pp->pp_ino = __atomic_fetch_add(&pipe_nextino, 1, __ATOMIC_RELAXED);
	return (pp);
}

static void
pipe_free_unused(struct pipe *pp)
{
	seldrain(&pp->pp_rsel);
	seldrain(&pp->pp_wsel);
	mtx_destroy(&pp->pp_mtx);
	free(pp->pp_buf, M_PIPE);
	free(pp, M_PIPE);
}

static const struct fileops fifo_notopen;

/*
 * vn_open_file's hook for VFIFO vnodes: fp has f_vnode (referenced, ours
 * now) and f_flag set.
 */
static int
fifo_open(struct vnode *vp, int oflags, struct file *fp)
{
	struct pipe *pp, *fresh = pipe_alloc();
	bool rd = (fp->f_flag & FREAD) != 0, wr = (fp->f_flag & FWRITE) != 0;
	bool nb = (fp->f_flag & FNONBLOCK) != 0;
	u_int gen;
	int error = 0;

	mtx_lock(&fifo_mtx);
	if ((pp = vp->v_pipe) == NULL) {
		pp = vp->v_pipe = fresh;
		pp->pp_fifo = vp;
		fresh = NULL;
	}
	mtx_lock(&pp->pp_mtx);
	if (wr && !rd && nb && pp->pp_readers == 0) {
		error = ENXIO;
	} else {
		if (rd) {
			pp->pp_readers++;
			pp->pp_rgen++;
		}
		if (wr) {
			pp->pp_writers++;
			pp->pp_wgen++;
		}
		wakeup(&pp->pp_rgen);
	}
	if (error != 0 && pp->pp_readers == 0 && pp->pp_writers == 0) {
		/* Nobody else has it: it goes with this failed open. */
		vp->v_pipe = NULL;
		mtx_unlock(&pp->pp_mtx);
		mtx_unlock(&fifo_mtx);
		pipe_free_unused(pp);
		goto out;
	}
	mtx_unlock(&fifo_mtx);
	if (error != 0) {
		mtx_unlock(&pp->pp_mtx);
		goto out;
	}
	finit(fp, fp->f_flag, DTYPE_PIPE, pp, &pipeops);
	/* One end alone waits for the other (blocking opens). */
	if (!nb && rd != wr) {
		gen = rd ? pp->pp_wgen : pp->pp_rgen;
		while ((rd ? pp->pp_writers : pp->pp_readers) == 0 &&
		    gen == (rd ? pp->pp_wgen : pp->pp_rgen)) {
			error = msleep_sig(&pp->pp_rgen, &pp->pp_mtx, "fifoopen",
			    0);
			if (error != 0)
				break;
		}
	}
	mtx_unlock(&pp->pp_mtx);
	if (error != 0) {
		/* Interrupted: undo the open; the caller drops fp and vp. */
		bool last;

		mtx_lock(&fifo_mtx);
		mtx_lock(&pp->pp_mtx);
		if (rd)
			pp->pp_readers--;
		if (wr)
			pp->pp_writers--;
		last = pp->pp_readers == 0 && pp->pp_writers == 0;
		if (last)
			vp->v_pipe = NULL;
		mtx_unlock(&pp->pp_mtx);
		mtx_unlock(&fifo_mtx);
		if (last)
			pipe_free_unused(pp);
		finit(fp, fp->f_flag, DTYPE_NONE, NULL, &fifo_notopen);
	}
out:
	if (fresh != NULL)
		pipe_free_unused(fresh);
	return (error);
}

extern int (*vn_open_fifo_hook)(struct vnode *, int, struct file *);

static void
fifo_init(void *arg __unused)
{
	mtx_init(&fifo_mtx, "fifo", NULL, MTX_DEF);
	vn_open_fifo_hook = fifo_open;
}
SYSINIT(fifo_init, SI_SUB_KMEM, SI_ORDER_ANY, fifo_init, NULL);

int
kern_pipe(struct filedesc *fdp, int fds[2], int oflags)
{
	struct file *rf, *wf;
	struct pipe *pp;
	u_int nb = (oflags & O_NONBLOCK) != 0 ? FNONBLOCK : 0;
	int fdflags = (oflags & O_CLOEXEC) != 0 ? UF_EXCLOSE : 0;
	int error;

	if ((oflags & ~(O_NONBLOCK | O_CLOEXEC)) != 0)
		return (EINVAL);
	pp = malloc(sizeof(*pp), M_PIPE, M_WAITOK | M_ZERO);
	pp->pp_buf = malloc(PIPE_SIZE, M_PIPE, M_WAITOK);
	mtx_init(&pp->pp_mtx, "pipe", NULL, MTX_DEF);
	seldrain_init(&pp->pp_rsel);
	seldrain_init(&pp->pp_wsel);
	pp->pp_readers = pp->pp_writers = 1;
	pp->pp_ino = __atomic_fetch_add(&pipe_nextino, 1, __ATOMIC_RELAXED);
	rf = falloc_noinstall();
	finit(rf, FREAD | nb, DTYPE_PIPE, pp, &pipeops);
	wf = falloc_noinstall();
	finit(wf, FWRITE | nb, DTYPE_PIPE, pp, &pipeops);
	error = finstall(fdp, rf, 0, fdflags, &fds[0]);
	if (error == 0) {
		error = finstall(fdp, wf, 0, fdflags, &fds[1]);
		if (error != 0)
			(void)kern_close(fdp, fds[0]);
	}
	/* The table holds what it took; these references are ours. */
	fdrop(rf);
	fdrop(wf);
	return (error);
}
