/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The name-space calls over a descriptor table: open, stat, mkdir, unlink,
 * rename, symlinks, the current directory, lseek and truncation.  Paths
 * are looked up from the table's root and current directory (or a
 * directory descriptor: the *at() calls).  There are no credentials yet:
 * every caller may do everything the modes aside.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

MALLOC_DECLARE(M_NAMEI);

/*
 * The start directory for a path relative to dirfd (referenced): the
 * current directory for AT_FDCWD, else dirfd's, which must be a directory.
 */
static int
at_startdir(struct filedesc *fdp, int dirfd, struct vnode **vpp)
{
	struct file *fp;
	int error;

	if (dirfd == AT_FDCWD) {
		mtx_lock(&fdp->fd_lock);
		*vpp = fdp->fd_cdir;
		vref(*vpp);
		mtx_unlock(&fdp->fd_lock);
		return (0);
	}
	error = fget(fdp, dirfd, &fp);
	if (error != 0)
		return (error);
	if (fp->f_type != DTYPE_VNODE || fp->f_vnode->v_type != VDIR)
		error = ENOTDIR;
	else {
		*vpp = fp->f_vnode;
		vref(*vpp);
	}
	fdrop(fp);
	return (error);
}

/* namei relative to dirfd within fdp's root. */
static int
at_namei(struct filedesc *fdp, int dirfd, const char *path, enum uio_seg seg,
    u_int flags, struct nameidata *ndp)
{
	struct vnode *start, *root;
	int error;

	error = at_startdir(fdp, dirfd, &start);
	if (error != 0)
		return (error);
	mtx_lock(&fdp->fd_lock);
	root = fdp->fd_rdir;
	vref(root);
	mtx_unlock(&fdp->fd_lock);
	NDINIT(ndp, path, seg, start, root, flags);
	error = namei(ndp);
	vrele(start);
	vrele(root);
	return (error);
}

int
kern_openat(struct filedesc *fdp, int dirfd, const char *path,
    enum uio_seg seg, int oflags, uint32_t mode, int *fdout)
{
	struct nameidata nd;
	struct file *fp;
	struct vnode *vp;
	u_int flags = 0;
	int error;

	if ((oflags & O_CREAT) != 0) {
		flags |= NI_WANTPARENT;
		/* O_EXCL creates the name itself, never a link's target. */
		if ((oflags & (O_EXCL | O_NOFOLLOW)) == 0)
			flags |= NI_FOLLOW;
	} else if ((oflags & O_NOFOLLOW) == 0)
		flags |= NI_FOLLOW;
	error = at_namei(fdp, dirfd, path, seg, flags, &nd);
	if (error != 0)
		return (error);
	vp = nd.ni_vp;
	if ((oflags & O_CREAT) != 0) {
		if (vp == NULL) {
			if ((nd.ni_flags & NI_TRAILSLASH) != 0) {
				NDFREE(&nd);
				return (EISDIR);
			}
			error = nd.ni_dvp->v_op->vop_create(nd.ni_dvp,
			    nd.ni_name, nd.ni_namelen, VREG,
			    mode & ~fdp->fd_cmask & ALLPERMS, NULL, 0, &vp);
			if (error != 0) {
				NDFREE(&nd);
				return (error);
			}
			nd.ni_vp = vp;
			/* Just made: nothing to truncate. */
			oflags &= ~O_TRUNC;
		} else if ((oflags & O_EXCL) != 0) {
			NDFREE(&nd);
			return (EEXIST);
		}
	}
	if ((oflags & O_NOFOLLOW) != 0 && vp->v_type == VLNK &&
	    (oflags & O_PATH) == 0) {
		NDFREE(&nd);
		return (ELOOP);
	}
	if ((oflags & O_DIRECTORY) != 0 && vp->v_type != VDIR) {
		NDFREE(&nd);
		return (ENOTDIR);
	}
	fp = falloc_noinstall();
	error = vn_open_file(vp, oflags, fp);
	NDFREE(&nd);
	if (error == 0)
		error = finstall(fdp, fp, 0,
		    (oflags & O_CLOEXEC) != 0 ? UF_EXCLOSE : 0, fdout);
	fdrop(fp);
	return (error);
}

int
kern_fstatat(struct filedesc *fdp, int dirfd, const char *path,
    enum uio_seg seg, int atflags, struct vattr *vap)
{
	struct nameidata nd;
	char c;
	int error;

	if ((atflags & AT_EMPTY_PATH) != 0) {
		if (seg == UIO_USERSPACE) {
			error = copyin(path, &c, 1);
			if (error != 0)
				return (error);
		} else
			c = path[0];
		if (c == '\0') {
			if (dirfd == AT_FDCWD) {
				struct vnode *vp;

				error = at_startdir(fdp, dirfd, &vp);
				if (error != 0)
					return (error);
				error = vn_getattr(vp, vap);
				vrele(vp);
				return (error);
			}
			return (kern_fstat(fdp, dirfd, vap));
		}
	}
	error = at_namei(fdp, dirfd, path, seg,
	    (atflags & AT_SYMLINK_NOFOLLOW) != 0 ? 0 : NI_FOLLOW, &nd);
	if (error != 0)
		return (error);
	error = vn_getattr(nd.ni_vp, vap);
	NDFREE(&nd);
	return (error);
}

/* Creates path's last component (type, link text); EEXIST if it is there. */
static int
at_create(struct filedesc *fdp, int dirfd, const char *path, enum uio_seg seg,
    enum vtype type, uint32_t mode, const char *target)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	error = at_namei(fdp, dirfd, path, seg, NI_WANTPARENT, &nd);
	if (error != 0)
		return (error);
	if (nd.ni_vp != NULL || nd.ni_dvp == NULL)
		error = EEXIST;
	else if (type != VDIR && (nd.ni_flags & NI_TRAILSLASH) != 0)
		error = ENOENT;
	else {
		error = nd.ni_dvp->v_op->vop_create(nd.ni_dvp, nd.ni_name,
		    nd.ni_namelen, type, mode, target, 0, &vp);
		if (error == 0)
			vrele(vp);
	}
	NDFREE(&nd);
	return (error);
}

int
kern_mkdirat(struct filedesc *fdp, int dirfd, const char *path,
    enum uio_seg seg, uint32_t mode)
{
	return (at_create(fdp, dirfd, path, seg, VDIR,
	    mode & ~fdp->fd_cmask & (ACCESSPERMS | S_ISVTX), NULL));
}

int
kern_mknodat(struct filedesc *fdp, int dirfd, const char *path,
    enum uio_seg seg, uint32_t mode)
{
	enum vtype type;

	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
		type = VREG;
		break;
	case S_IFIFO:
		type = VFIFO;
		break;
	case S_IFSOCK:
		type = VSOCK;
		break;
	case S_IFCHR:
	case S_IFBLK:
		/* Device nodes live in devfs, made by their drivers. */
		return (EPERM);
	default:
		return (EINVAL);
	}
	return (at_create(fdp, dirfd, path, seg, type,
	    mode & ~fdp->fd_cmask & (ACCESSPERMS | S_ISUID | S_ISGID | S_ISVTX),
	    NULL));
}

int
kern_symlinkat(struct filedesc *fdp, const char *target, enum uio_seg tseg,
    int dirfd, const char *path, enum uio_seg seg)
{
	char *t;
	size_t len;
	int error;

	t = malloc(PATH_MAX, M_NAMEI, M_WAITOK);
	if (tseg == UIO_USERSPACE)
		error = copyinstr(target, t, PATH_MAX, &len);
	else if (strlcpy(t, target, PATH_MAX) >= PATH_MAX)
		error = ENAMETOOLONG;
	else
		error = 0;
	if (error == 0)
		error = at_create(fdp, dirfd, path, seg, VLNK, 0777, t);
	free(t, M_NAMEI);
	return (error);
}

int
kern_unlinkat(struct filedesc *fdp, int dirfd, const char *path,
    enum uio_seg seg, int atflags)
{
	struct nameidata nd;
	bool rmdir = (atflags & AT_REMOVEDIR) != 0;
	int error;

	error = at_namei(fdp, dirfd, path, seg, NI_WANTPARENT, &nd);
	if (error != 0)
		return (error);
	if (nd.ni_vp == NULL)
		error = ENOENT;
	else if (nd.ni_dvp == NULL)
		/* ".", ".." or "/": nothing removable by that name. */
		error = rmdir ? EINVAL : EISDIR;
	else if (nd.ni_vp->v_mount != nd.ni_dvp->v_mount)
		error = EBUSY;	/* a mount point */
	else if (!rmdir && (nd.ni_flags & NI_TRAILSLASH) != 0)
		error = nd.ni_vp->v_type == VDIR ? EISDIR : ENOTDIR;
	else
		error = nd.ni_dvp->v_op->vop_remove(nd.ni_dvp, nd.ni_name,
		    nd.ni_namelen, rmdir ? VRM_DIR : 0);
	NDFREE(&nd);
	return (error);
}

int
kern_readlinkat(struct filedesc *fdp, int dirfd, const char *path,
    enum uio_seg seg, struct uio *uio)
{
	struct nameidata nd;
	int error;

	error = at_namei(fdp, dirfd, path, seg, 0, &nd);
	if (error != 0)
		return (error);
	if (nd.ni_vp->v_type != VLNK)
		error = EINVAL;
	else
		error = nd.ni_vp->v_op->vop_readlink(nd.ni_vp, uio);
	NDFREE(&nd);
	return (error);
}

int
kern_renameat(struct filedesc *fdp, int ofd, const char *old, int nfd,
    const char *new, enum uio_seg seg)
{
	struct nameidata from, to;
	int error;

	error = at_namei(fdp, ofd, old, seg, NI_WANTPARENT, &from);
	if (error != 0)
		return (error);
	error = at_namei(fdp, nfd, new, seg, NI_WANTPARENT, &to);
	if (error != 0) {
		NDFREE(&from);
		return (error);
	}
	if (from.ni_vp == NULL)
		error = ENOENT;
	else if (from.ni_dvp == NULL || to.ni_dvp == NULL)
		error = EBUSY;
	else if (from.ni_vp->v_mount != from.ni_dvp->v_mount ||
	    (to.ni_vp != NULL && to.ni_vp->v_mount != to.ni_dvp->v_mount))
		error = EBUSY;	/* a mount point */
	else if (from.ni_dvp->v_mount != to.ni_dvp->v_mount)
		error = EXDEV;
	else if (from.ni_dvp->v_op->vop_rename == NULL)
		error = EOPNOTSUPP;
	else
		error = from.ni_dvp->v_op->vop_rename(from.ni_dvp, from.ni_name,
		    from.ni_namelen, to.ni_dvp, to.ni_name, to.ni_namelen);
	NDFREE(&from);
	NDFREE(&to);
	return (error);
}

static void
set_cdir(struct filedesc *fdp, struct vnode *vp)
{
	struct vnode *old;

	mtx_lock(&fdp->fd_lock);
	old = fdp->fd_cdir;
	fdp->fd_cdir = vp;
	mtx_unlock(&fdp->fd_lock);
	vrele(old);
}

int
kern_chdir(struct filedesc *fdp, const char *path, enum uio_seg seg)
{
	struct nameidata nd;
	int error;

	error = at_namei(fdp, AT_FDCWD, path, seg, NI_FOLLOW, &nd);
	if (error != 0)
		return (error);
	if (nd.ni_vp->v_type != VDIR) {
		NDFREE(&nd);
		return (ENOTDIR);
	}
	set_cdir(fdp, nd.ni_vp);	/* namei's reference moves there */
	return (0);
}

int
kern_fchdir(struct filedesc *fdp, int fd)
{
	struct vnode *vp;
	int error;

	error = at_startdir(fdp, fd, &vp);
	if (error == 0)
		set_cdir(fdp, vp);
	return (error);
}

int
kern_ftruncate(struct filedesc *fdp, int fd, off_t length)
{
	struct file *fp;
	int error;

	if (length < 0)
		return (EINVAL);
	error = fget(fdp, fd, &fp);
	if (error != 0)
		return (error);
	if (fp->f_type != DTYPE_VNODE || (fp->f_flag & FWRITE) == 0 ||
	    fp->f_vnode->v_type != VREG)
		error = EINVAL;
	else
		error = fp->f_vnode->v_op->vop_truncate(fp->f_vnode, length);
	fdrop(fp);
	return (error);
}

int
kern_lseek(struct filedesc *fdp, int fd, off_t offset, int whence,
    off_t *newoff)
{
	struct file *fp;
	struct vattr va;
	off_t base = 0;
	int error;

	error = fget(fdp, fd, &fp);
	if (error != 0)
		return (error);
	if (!fp->f_ops->fo_seekable || (fp->f_flag & FPATH) != 0) {
		fdrop(fp);
		return ((fp->f_flag & FPATH) != 0 ? EBADF : ESPIPE);
	}
	mtx_lock(&fp->f_offmtx);
	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_CUR:
		base = fp->f_offset;
		break;
	case SEEK_END:
		error = vn_getattr(fp->f_vnode, &va);
		base = va.va_size;
		break;
	default:
		error = EINVAL;
	}
	if (error == 0) {
		if ((offset > 0 && base > INT64_MAX - offset))
			error = EOVERFLOW;
		else if (base + offset < 0)
			error = EINVAL;
		else {
			fp->f_offset = base + offset;
			*newoff = fp->f_offset;
		}
	}
	mtx_unlock(&fp->f_offmtx);
	fdrop(fp);
	return (error);
}

int
kern_getdirentries(struct filedesc *fdp, int fd, vop_dirent_cb_t *cb,
    void *arg)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	error = fget(fdp, fd, &fp);
	if (error != 0)
		return (error);
	if (fp->f_type != DTYPE_VNODE || (fp->f_flag & FPATH) != 0) {
		fdrop(fp);
		return (fp->f_type != DTYPE_VNODE ? ENOTDIR : EBADF);
	}
	vp = fp->f_vnode;
	if (vp->v_type != VDIR || vp->v_op->vop_readdir == NULL)
		error = ENOTDIR;
	else {
		/* The file offset is the directory's resume cookie. */
		mtx_lock(&fp->f_offmtx);
		error = vp->v_op->vop_readdir(vp, &fp->f_offset, cb, arg);
		mtx_unlock(&fp->f_offmtx);
	}
	fdrop(fp);
	return (error);
}

int
fd_open_console(struct filedesc *fdp)
{
	int fd, error;

	error = kern_openat(fdp, AT_FDCWD, "/dev/console", UIO_SYSSPACE, O_RDWR,
	    0, &fd);
	if (error != 0)
		return (error);
	if (fd != 0) {
		(void)kern_close(fdp, fd);
		return (EBUSY);
	}
	error = kern_dup2(fdp, 0, 1, 0, false, &fd);
	if (error == 0)
		error = kern_dup2(fdp, 0, 2, 0, false, &fd);
	return (error);
}

int
kern_linkat(struct filedesc *fdp, int ofd, const char *old, int nfd,
    const char *new, enum uio_seg seg, int atflags)
{
	struct nameidata from, to;
	int error;

	error = at_namei(fdp, ofd, old, seg,
	    (atflags & AT_SYMLINK_FOLLOW) != 0 ? NI_FOLLOW : 0, &from);
	if (error != 0)
		return (error);
	error = at_namei(fdp, nfd, new, seg, NI_WANTPARENT, &to);
	if (error != 0) {
		NDFREE(&from);
		return (error);
	}
	if (to.ni_vp != NULL || to.ni_dvp == NULL)
		error = EEXIST;
	else if (from.ni_vp->v_type == VDIR)
		error = EPERM;
	else if (from.ni_vp->v_mount != to.ni_dvp->v_mount)
		error = EXDEV;
	else if (to.ni_dvp->v_op->vop_link == NULL)
		error = EPERM;
	else
		error = to.ni_dvp->v_op->vop_link(to.ni_dvp, to.ni_name,
		    to.ni_namelen, from.ni_vp);
	NDFREE(&from);
	NDFREE(&to);
	return (error);
}

int
kern_fchmodat(struct filedesc *fdp, int dirfd, const char *path,
    enum uio_seg seg, uint32_t mode, int atflags)
{
	struct nameidata nd;
	int error;

	error = at_namei(fdp, dirfd, path, seg,
	    (atflags & AT_SYMLINK_NOFOLLOW) != 0 ? 0 : NI_FOLLOW, &nd);
	if (error != 0)
		return (error);
	if (nd.ni_vp->v_op->vop_chmod == NULL)
		error = EPERM;
	else
		error = nd.ni_vp->v_op->vop_chmod(nd.ni_vp, mode & ALLPERMS);
	NDFREE(&nd);
	return (error);
}

int
kern_fchmod(struct filedesc *fdp, int fd, uint32_t mode)
{
	struct file *fp;
	int error;

	error = fget(fdp, fd, &fp);
	if (error != 0)
		return (error);
	if (fp->f_type != DTYPE_VNODE)
		error = EINVAL;
	else if (fp->f_vnode->v_op->vop_chmod == NULL)
		error = EPERM;
	else
		error = fp->f_vnode->v_op->vop_chmod(fp->f_vnode,
		    mode & ALLPERMS);
	fdrop(fp);
	return (error);
}

int
kern_truncate(struct filedesc *fdp, const char *path, enum uio_seg seg,
    off_t length)
{
	struct nameidata nd;
	int error;

	if (length < 0)
		return (EINVAL);
	error = at_namei(fdp, AT_FDCWD, path, seg, NI_FOLLOW, &nd);
	if (error != 0)
		return (error);
	if (nd.ni_vp->v_type == VDIR)
		error = EISDIR;
	else if (nd.ni_vp->v_type != VREG)
		error = EINVAL;
	else
		error = nd.ni_vp->v_op->vop_truncate(nd.ni_vp, length);
	NDFREE(&nd);
	return (error);
}

uint32_t
kern_umask(struct filedesc *fdp, uint32_t mask)
{
	uint32_t old;

	mtx_lock(&fdp->fd_lock);
	old = fdp->fd_cmask;
	fdp->fd_cmask = mask & ACCESSPERMS;
	mtx_unlock(&fdp->fd_lock);
	return (old);
}
