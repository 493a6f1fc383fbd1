/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tmpfs vnode operations.  Each takes the mount's tm_lock for its whole
 * run, data copies included: it is a sleep mutex, so a copy that faults on
 * a user page may sleep under it.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <machine/atomic.h>

#include <fs/tmpfs/tmpfs.h>
#include <fs/tmpfs/tmpfs_subr.h>

static const char tmpfs_zeroes[PAGE_SIZE];

static int
tmpfs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(dvp);
	struct tmpfs_dirent *de;
	int error = 0;

	mtx_lock(&tm->tm_lock);
	de = tmpfs_dir_lookup(VP_TO_TMPFS(dvp), name, len);
	if (de == NULL)
		error = ENOENT;
	else {
		*vpp = de->td_node->tn_vnode;
		vref(*vpp);
	}
	mtx_unlock(&tm->tm_lock);
	return (error);
}

static int
tmpfs_create(struct vnode *dvp, const char *name, size_t len, enum vtype type,
    uint32_t mode, const char *target, uint64_t rdev, struct vnode **vpp)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(dvp);
	struct tmpfs_node *dn = VP_TO_TMPFS(dvp), *tn;
	size_t tlen = 0;
	char *tcopy = NULL;

	switch (type) {
	case VREG: case VDIR: case VCHR: case VFIFO: case VSOCK:
		break;
	case VLNK:
		tlen = strnlen(target, PATH_MAX);
		if (tlen == 0)
			return (ENOENT);
		if (tlen == PATH_MAX)
			return (ENAMETOOLONG);
		tcopy = malloc(tlen, M_TMPFS, M_WAITOK);
		memcpy(tcopy, target, tlen);
		break;
	default:
		return (EINVAL);
	}
	mtx_lock(&tm->tm_lock);
	/* A removed directory takes no new names. */
	if (dn->tn_links == 0) {
		mtx_unlock(&tm->tm_lock);
		free(tcopy, M_TMPFS);
		return (ENOENT);
	}
	if (tmpfs_dir_lookup(dn, name, len) != NULL) {
		mtx_unlock(&tm->tm_lock);
		free(tcopy, M_TMPFS);
		return (EEXIST);
	}
	tn = tmpfs_node_alloc(tm, dvp->v_mount, type, mode);
	if (type == VLNK) {
		tn->tn_lnk.target = tcopy;
		tn->tn_lnk.len = tlen;
		tn->tn_size = (off_t)tlen;
	}
	tn->tn_rdev = rdev;
	tmpfs_dir_attach(dn, name, len, tn);
	mtx_unlock(&tm->tm_lock);
	*vpp = tn->tn_vnode;
	return (0);
}

static int
tmpfs_remove(struct vnode *dvp, const char *name, size_t len, int flags)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(dvp);
	struct tmpfs_node *dn = VP_TO_TMPFS(dvp), *tn;
	struct tmpfs_dirent *de;
	int error = 0;

	mtx_lock(&tm->tm_lock);
	de = tmpfs_dir_lookup(dn, name, len);
	if (de == NULL) {
		error = ENOENT;
		goto out;
	}
	tn = de->td_node;
	if ((flags & VRM_DIR) != 0) {
		if (tn->tn_type != VDIR)
			error = ENOTDIR;
		else if (!TAILQ_EMPTY(&tn->tn_dir.entries))
			error = ENOTEMPTY;
		else if (tn->tn_vnode->v_mountedhere != NULL)
			error = EBUSY;
	} else if (tn->tn_type == VDIR)
		error = EISDIR;
	if (error == 0)
		tmpfs_dir_detach(tm, dn, de);
out:
	mtx_unlock(&tm->tm_lock);
	return (error);
}

static int
tmpfs_link(struct vnode *dvp, const char *name, size_t len, struct vnode *vp)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(dvp);
	struct tmpfs_node *dn = VP_TO_TMPFS(dvp), *tn = VP_TO_TMPFS(vp);
	int error = 0;

	if (vp->v_mount != dvp->v_mount)
		return (EXDEV);
	if (vp->v_type == VDIR)
		return (EPERM);
	mtx_lock(&tm->tm_lock);
	if (dn->tn_links == 0 || tn->tn_links == 0)
		error = ENOENT;
	else if (tmpfs_dir_lookup(dn, name, len) != NULL)
		error = EEXIST;
	else
		tmpfs_dir_attach(dn, name, len, tn);
	mtx_unlock(&tm->tm_lock);
	return (error);
}

/* True if dir is anc or below it. */
static bool
tmpfs_is_below(struct tmpfs_node *dir, struct tmpfs_node *anc)
{
	for (; dir != NULL; dir = dir->tn_dir.parent) {
		if (dir == anc)
			return (true);
	}
	return (false);
}

static int
tmpfs_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *tdvp, const char *tname, size_t tlen)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(fdvp);
	struct tmpfs_node *fdn = VP_TO_TMPFS(fdvp), *tdn = VP_TO_TMPFS(tdvp);
	struct tmpfs_dirent *fde, *tde;
	struct tmpfs_node *fn, *tn;
	int error = 0;

	mtx_lock(&tm->tm_lock);
	fde = tmpfs_dir_lookup(fdn, fname, flen);
	if (fde == NULL || tdn->tn_links == 0) {
		error = ENOENT;
		goto out;
	}
	fn = fde->td_node;
	tde = tmpfs_dir_lookup(tdn, tname, tlen);
	tn = tde != NULL ? tde->td_node : NULL;
	if (tn == fn)
		goto out;	/* the same file: nothing to do */
	if (fn->tn_type == VDIR && tmpfs_is_below(tdn, fn)) {
		error = EINVAL;
		goto out;
	}
	if (tn != NULL) {
		if (fn->tn_type == VDIR && tn->tn_type != VDIR)
			error = ENOTDIR;
		else if (fn->tn_type != VDIR && tn->tn_type == VDIR)
			error = EISDIR;
		else if (tn->tn_type == VDIR &&
		    !TAILQ_EMPTY(&tn->tn_dir.entries))
			error = ENOTEMPTY;
		else if (tn->tn_vnode->v_mountedhere != NULL)
			error = EBUSY;
		if (error != 0)
			goto out;
	}
	/* The new name first, so fn keeps a link throughout. */
	tmpfs_dir_attach(tdn, tname, tlen, fn);
	if (tde != NULL)
		tmpfs_dir_detach(tm, tdn, tde);
	if (fn->tn_type == VDIR)
		fdn->tn_dir.nsubdirs--;
	TAILQ_REMOVE(&fdn->tn_dir.entries, fde, td_entries);
	free(fde, M_TMPFS);
	fn->tn_links--;
	tmpfs_now(&fdn->tn_mtime);
	fdn->tn_ctime = fn->tn_ctime = fdn->tn_mtime;
out:
	mtx_unlock(&tm->tm_lock);
	return (error);
}

static int
tmpfs_read(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(vp);
	struct tmpfs_node *tn = VP_TO_TMPFS(vp);
	ssize_t start = uio->uio_resid;
	int error = 0;

	if (vp->v_type == VDIR)
		return (EISDIR);
	if (vp->v_type != VREG)
		return (EINVAL);
	if (uio->uio_offset < 0)
		return (EINVAL);
	mtx_lock(&tm->tm_lock);
	while (uio->uio_resid > 0 && uio->uio_offset < tn->tn_size) {
		off_t off = uio->uio_offset;
		size_t idx = (size_t)(off >> PAGE_SHIFT);
		size_t pgoff = (size_t)(off & (off_t)PAGE_MASK);
		size_t n = PAGE_SIZE - pgoff;
		const char *pg;

		if ((off_t)n > tn->tn_size - off)
			n = (size_t)(tn->tn_size - off);
		pg = idx < tn->tn_reg.npages ? tn->tn_reg.pages[idx] : NULL;
		if (pg == NULL)
			pg = tmpfs_zeroes;
		error = uiomove((char *)(uintptr_t)pg + pgoff, n, uio);
		if (error != 0)
			break;
	}
	tmpfs_now(&tn->tn_atime);
	mtx_unlock(&tm->tm_lock);
	/* What was read counts (up to a bad page); the error only if nothing was. */
	if (uio->uio_resid < start)
		error = 0;
	return (error);
}

static int
tmpfs_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(vp);
	struct tmpfs_node *tn = VP_TO_TMPFS(vp);
	ssize_t start = uio->uio_resid;
	int error = 0;

	if (vp->v_type != VREG)
		return (vp->v_type == VDIR ? EISDIR : EINVAL);
	mtx_lock(&tm->tm_lock);
	if ((ioflag & IO_APPEND) != 0)
		uio->uio_offset = tn->tn_size;
	if (uio->uio_offset < 0 ||
	    uio->uio_offset > TMPFS_MAXFILESIZE - uio->uio_resid) {
		mtx_unlock(&tm->tm_lock);
		return (uio->uio_offset < 0 ? EINVAL : EFBIG);
	}
	while (uio->uio_resid > 0) {
		off_t off = uio->uio_offset;
		size_t pgoff = (size_t)(off & (off_t)PAGE_MASK);
		size_t n = PAGE_SIZE - pgoff;
		void *pg;

		error = tmpfs_reg_page(tm, tn, off, &pg);
		if (error != 0)
			break;
		error = uiomove((char *)pg + pgoff, n, uio);
		if (uio->uio_offset > tn->tn_size)
			tn->tn_size = uio->uio_offset;
		if (error != 0)
			break;
	}
	tmpfs_now(&tn->tn_mtime);
	tn->tn_ctime = tn->tn_mtime;
	mtx_unlock(&tm->tm_lock);
	/* What was written counts; the error only if nothing was. */
	if (uio->uio_resid < start)
		error = 0;
	return (error);
}

static const uint32_t tmpfs_ifmt[] = {
	[VREG] = S_IFREG, [VDIR] = S_IFDIR, [VLNK] = S_IFLNK,
	[VCHR] = S_IFCHR, [VFIFO] = S_IFIFO, [VSOCK] = S_IFSOCK,
};

static int
tmpfs_getattr(struct vnode *vp, struct vattr *vap)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(vp);
	struct tmpfs_node *tn = VP_TO_TMPFS(vp);

	mtx_lock(&tm->tm_lock);
	vap->va_type = tn->tn_type;
	vap->va_mode = tmpfs_ifmt[tn->tn_type] | tn->tn_mode;
	if (tn->tn_type == VDIR)
		vap->va_nlink = tn->tn_links == 0 ? 0 : 2 + tn->tn_dir.nsubdirs;
	else
		vap->va_nlink = tn->tn_links;
	vap->va_ino = tn->tn_ino;
	vap->va_fsid = vp->v_mount->mnt_fsid;
	vap->va_rdev = tn->tn_rdev;
	vap->va_size = tn->tn_type == VDIR ? (off_t)PAGE_SIZE : tn->tn_size;
	vap->va_blksize = PAGE_SIZE;
	if (tn->tn_type == VREG) {
		for (size_t i = 0; i < tn->tn_reg.npages; i++) {
			if (tn->tn_reg.pages[i] != NULL)
				vap->va_bytes += PAGE_SIZE;
		}
	}
	vap->va_atime = tn->tn_atime;
	vap->va_mtime = tn->tn_mtime;
	vap->va_ctime = tn->tn_ctime;
	mtx_unlock(&tm->tm_lock);
	return (0);
}

static int
tmpfs_truncate(struct vnode *vp, off_t size)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(vp);
	int error;

	if (vp->v_type != VREG)
		return (vp->v_type == VDIR ? EISDIR : EINVAL);
	mtx_lock(&tm->tm_lock);
	error = tmpfs_reg_resize(tm, VP_TO_TMPFS(vp), size);
	mtx_unlock(&tm->tm_lock);
	return (error);
}

static int
tmpfs_chmod(struct vnode *vp, uint32_t mode)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(vp);
	struct tmpfs_node *tn = VP_TO_TMPFS(vp);

	mtx_lock(&tm->tm_lock);
	tn->tn_mode = mode & ALLPERMS;
	tmpfs_now(&tn->tn_ctime);
	mtx_unlock(&tm->tm_lock);
	return (0);
}

static int
tmpfs_readdir(struct vnode *vp, off_t *cookie, vop_dirent_cb_t *cb, void *arg)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(vp);
	struct tmpfs_node *dn = VP_TO_TMPFS(vp), *pn;
	struct tmpfs_dirent *de;

	if (vp->v_type != VDIR)
		return (ENOTDIR);
	mtx_lock(&tm->tm_lock);
	if (*cookie == 0) {
		if (cb(arg, ".", 1, dn->tn_ino, VDIR, 1) != 0)
			goto out;
		*cookie = 1;
	}
	if (*cookie == 1) {
		pn = dn->tn_dir.parent != NULL ? dn->tn_dir.parent : dn;
		if (cb(arg, "..", 2, pn->tn_ino, VDIR, TMPFS_COOKIE_FIRST) != 0)
			goto out;
		*cookie = TMPFS_COOKIE_FIRST;
	}
	TAILQ_FOREACH(de, &dn->tn_dir.entries, td_entries) {
		if (de->td_cookie < *cookie)
			continue;
		if (cb(arg, de->td_name, de->td_namelen, de->td_node->tn_ino,
		    de->td_node->tn_type, de->td_cookie + 1) != 0)
			break;
		*cookie = de->td_cookie + 1;
	}
out:
	mtx_unlock(&tm->tm_lock);
	return (0);
}

static int
tmpfs_readlink(struct vnode *vp, struct uio *uio)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(vp);
	struct tmpfs_node *tn = VP_TO_TMPFS(vp);
	int error;

	if (vp->v_type != VLNK)
		return (EINVAL);
	mtx_lock(&tm->tm_lock);
	error = uiomove(tn->tn_lnk.target, tn->tn_lnk.len, uio);
	mtx_unlock(&tm->tm_lock);
	return (error);
}

static int
tmpfs_getpage(struct vnode *vp, off_t off, vm_paddr_t *pap)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(vp);
	struct tmpfs_node *tn = VP_TO_TMPFS(vp);
	void *pg;
	int error;

	mtx_lock(&tm->tm_lock);
	if (off >= tn->tn_size)
		error = ENXIO;
	else
		error = tmpfs_reg_page(tm, tn, off, &pg);
	if (error == 0)
		*pap = tmpfs_page_pa(pg);
	mtx_unlock(&tm->tm_lock);
	return (error);
}

static void
tmpfs_release(struct vnode *vp)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(vp);
	struct tmpfs_node *tn = VP_TO_TMPFS(vp);

	mtx_lock(&tm->tm_lock);
	KASSERT(vp->v_usecount > 0, ("tmpfs_release: %p unreferenced", vp));
	/* Only here (and in lookups, under this lock) does it cross zero. */
	if (atomic_fetchadd_int(&vp->v_usecount, -1) == 1 && tn->tn_links == 0)
		tmpfs_node_free(tm, tn);
	mtx_unlock(&tm->tm_lock);
}

static int
tmpfs_parent(struct vnode *dvp, struct vnode **vpp)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MNT(dvp);
	struct tmpfs_node *dn = VP_TO_TMPFS(dvp);

	mtx_lock(&tm->tm_lock);
	*vpp = dn->tn_dir.parent != NULL ? dn->tn_dir.parent->tn_vnode : dvp;
	vref(*vpp);
	mtx_unlock(&tm->tm_lock);
	return (0);
}

const struct vop_vector tmpfs_vnops = {
	.vop_lookup = tmpfs_lookup,
	.vop_create = tmpfs_create,
	.vop_remove = tmpfs_remove,
	.vop_link = tmpfs_link,
	.vop_rename = tmpfs_rename,
	.vop_read = tmpfs_read,
	.vop_write = tmpfs_write,
	.vop_getattr = tmpfs_getattr,
	.vop_truncate = tmpfs_truncate,
	.vop_chmod = tmpfs_chmod,
	.vop_readdir = tmpfs_readdir,
	.vop_readlink = tmpfs_readlink,
	.vop_getpage = tmpfs_getpage,
	.vop_release = tmpfs_release,
	.vop_parent = tmpfs_parent,
};
