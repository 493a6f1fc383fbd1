/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The VFS behind proc's hooks: files as exec images (exec_file_open) and
 * file mmap (vm_mmap_fd with a vnode pager).  A mapping holds a reference
 * on the vnode (vpo_ref/vpo_release), which keeps the file's pages.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/imgact_elf.h>
#include <sys/kernel.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/vnode.h>
#include <vm/vm_map.h>

extern int (*vm_mmap_fd)(struct thread *, int, bool, int,
    const struct vm_pager_ops **, void **);

int
vn_open_exec(struct thread *td, const char *path, struct vnode **vpp)
{
	struct filedesc *fdp = td != NULL && td->td_proc != NULL ?
	    td->td_proc->p_fd : NULL;
	struct vnode *cdir, *rdir;
	struct nameidata nd;
	struct vattr va;
	int error;

	if (fdp != NULL) {
		mtx_lock(&fdp->fd_lock);
		cdir = fdp->fd_cdir;
		rdir = fdp->fd_rdir;
		vref(cdir);
		vref(rdir);
		mtx_unlock(&fdp->fd_lock);
	} else {
		cdir = rdir = rootvnode;
		vref(cdir);
		vref(rdir);
	}
	NDINIT(&nd, path, UIO_SYSSPACE, cdir, rdir, NI_FOLLOW);
	error = namei(&nd);
	vrele(cdir);
	vrele(rdir);
	if (error != 0)
		return (error);
	error = vn_getattr(nd.ni_vp, &va);
	if (error == 0 && (nd.ni_vp->v_type != VREG ||
	    (va.va_mode & 0111) == 0))
		error = EACCES;
	if (error != 0) {
		NDFREE(&nd);
		return (error);
	}
	*vpp = nd.ni_vp;
	return (0);
}

static int
exec_vn_read(void *arg, uint64_t off, void *buf, size_t len)
{
	size_t resid;
	int error;

	if (off > (uint64_t)INT64_MAX)
		return (ENOEXEC);
	error = vn_rdwr(UIO_READ, arg, buf, len, (off_t)off, &resid);
	/* A short read is a file shorter than its headers say. */
	return (error != 0 ? error : resid != 0 ? ENOEXEC : 0);
}

static int
vfs_exec_open(struct thread *td, const char *path, struct exec_image *img)
{
	struct vnode *vp;
	struct vattr va;
	int error;

	error = vn_open_exec(td, path, &vp);
	if (error != 0)
		return (error);
	error = vn_getattr(vp, &va);
	if (error != 0) {
		vrele(vp);
		return (error);
	}
	memset(img, 0, sizeof(*img));
	img->ei_read = exec_vn_read;
	img->ei_arg = vp;
	img->ei_size = (uint64_t)va.va_size;
	img->ei_path = path;
	return (0);
}

static void
vfs_exec_close(struct exec_image *img)
{
	if (img->ei_read == exec_vn_read && img->ei_arg != NULL) {
		vrele(img->ei_arg);
		img->ei_arg = NULL;
	}
}

static int
vnode_pager_getpage(void *obj, off_t off, vm_paddr_t *pap)
{
	int error = vn_getpage(obj, off, pap);

	/* Past the end of the file: the fault becomes SIGBUS. */
	return (error == ENXIO ? EFAULT : error);
}

static void
vnode_pager_ref(void *obj)
{
	vref(obj);
}

static void
vnode_pager_release(void *obj)
{
	vrele(obj);
}

static const struct vm_pager_ops vnode_pager_ops = {
	.vpo_getpage = vnode_pager_getpage,
	.vpo_ref = vnode_pager_ref,
	.vpo_release = vnode_pager_release,
};

/* mmap of descriptor fd: the vnode (referenced) and its pager. */
static int
vfs_mmap_fd(struct thread *td, int fd, bool shared, int prot,
    const struct vm_pager_ops **opsp, void **objp)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	if (td->td_proc == NULL || td->td_proc->p_fd == NULL)
		return (EBADF);
	error = fget(td->td_proc->p_fd, fd, &fp);
	if (error != 0)
		return (error);
	vp = fp->f_vnode;
	if (fp->f_type != DTYPE_VNODE || (fp->f_flag & FPATH) != 0)
		error = fp->f_type != DTYPE_VNODE ? ENODEV : EBADF;
	else if (vp->v_type != VREG || vp->v_op->vop_getpage == NULL)
		error = ENODEV;
	else if ((fp->f_flag & FREAD) == 0)
		error = EACCES;
	else if (shared && (prot & VM_PROT_WRITE) != 0 &&
	    (fp->f_flag & FWRITE) == 0)
		error = EACCES;
	if (error == 0) {
		vref(vp);
		*opsp = &vnode_pager_ops;
		*objp = vp;
	}
	fdrop(fp);
	return (error);
}

static void
vfs_exec_hooks(void *arg)
{
	exec_file_open = vfs_exec_open;
	exec_file_close = vfs_exec_close;
	vm_mmap_fd = vfs_mmap_fd;
}
SYSINIT(vfs_exec_hooks, SI_SUB_VFS, SI_ORDER_SECOND, vfs_exec_hooks, NULL);
