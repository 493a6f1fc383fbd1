/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Files that are vnodes: the fileops of DTYPE_VNODE, opening a vnode for a
 * file, and the exec open proc uses.  Devices (VCHR) and FIFOs hand their
 * I/O to their own layer through the hooks below, set when those layers
 * initialise.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <kern/vfs_flock.h>
#include <kern/vfs_lockf.h>

/* Special files' open: devfs (VCHR) and pipes (VFIFO) fill these. */
int	(*vn_open_chr_hook)(struct vnode *, int oflags, struct file *);
int	(*vn_open_fifo_hook)(struct vnode *, int oflags, struct file *);

static int
vn_read(struct file *fp, struct uio *uio, int flags)
{
	struct vnode *vp = fp->f_vnode;

	if (vp->v_type == VDIR)
		return (EISDIR);
	if (vp->v_op->vop_read == NULL)
		return (EINVAL);
	return (vp->v_op->vop_read(vp, uio,
	    (fp->f_flag & FNONBLOCK) != 0 ? IO_NDELAY : 0));
}

static int
vn_write(struct file *fp, struct uio *uio, int flags)
{
	struct vnode *vp = fp->f_vnode;
	int ioflag = 0;

	if (vp->v_op->vop_write == NULL)
		return (EINVAL);
	if ((fp->f_flag & FAPPEND) != 0)
		ioflag |= IO_APPEND;
	if ((fp->f_flag & FNONBLOCK) != 0)
		ioflag |= IO_NDELAY;
	return (vp->v_op->vop_write(vp, uio, ioflag));
}

static int
vn_ioctl(struct file *fp, u_long cmd, void *data, struct thread *td)
{
	return (ENOTTY);
}

static int
vn_poll(struct file *fp, int events, struct pollscan *ps)
{
	/* A file in memory never blocks. */
	return (events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM));
}

static int
vn_stat(struct file *fp, struct vattr *vap)
{
	return (vn_getattr(fp->f_vnode, vap));
}

static int
vn_close(struct file *fp)
{
	vn_flock_close(fp);
	vn_lockf_release(fp->f_vnode, fp);	/* its OFD locks */
	vrele(fp->f_vnode);
	return (0);
}

const struct fileops vnops = {
	.fo_read = vn_read,
	.fo_write = vn_write,
	.fo_ioctl = vn_ioctl,
	.fo_poll = vn_poll,
	.fo_stat = vn_stat,
	.fo_close = vn_close,
	.fo_seekable = true,
};

/* The file flags (F*) for open flags (O_*). */
static u_int
vn_fflags(int oflags)
{
	u_int fl = 0;

	if ((oflags & O_PATH) != 0)
		return (FPATH);
	switch (oflags & O_ACCMODE) {
	case O_RDONLY:
		fl = FREAD;
		break;
	case O_WRONLY:
		fl = FWRITE;
		break;
	default:
		fl = FREAD | FWRITE;
		break;
	}
	if ((oflags & O_APPEND) != 0)
		fl |= FAPPEND;
	if ((oflags & O_NONBLOCK) != 0)
		fl |= FNONBLOCK;
	return (fl);
}

int
vn_open_file(struct vnode *vp, int oflags, struct file *fp)
{
	u_int fl = vn_fflags(oflags);
	int error;

	if ((fl & FPATH) == 0) {
		if (vp->v_type == VDIR && (fl & FWRITE) != 0)
			return (EISDIR);
		if (vp->v_type == VLNK)
			return (ELOOP);
		if (vp->v_type == VSOCK)
			return (ENXIO);
		if (vp->v_type == VCHR || vp->v_type == VFIFO) {
			int (*hook)(struct vnode *, int, struct file *) =
			    vp->v_type == VCHR ? vn_open_chr_hook :
			    vn_open_fifo_hook;

			if (hook == NULL)
				return (ENXIO);
			/* The hook sets the file's ops and takes vp's reference. */
			vref(vp);
			fp->f_vnode = vp;
			fp->f_flag = fl;
			error = hook(vp, oflags, fp);
			if (error != 0) {
				fp->f_vnode = NULL;
				vrele(vp);
			}
			return (error);
		}
		if ((oflags & O_TRUNC) != 0 && (fl & FWRITE) != 0 &&
		    vp->v_type == VREG) {
			error = vp->v_op->vop_truncate(vp, 0);
			if (error != 0)
				return (error);
		}
	}
	vref(vp);
	fp->f_vnode = vp;
	finit(fp, fl, DTYPE_VNODE, vp, &vnops);
	return (0);
}
