/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Mounting file systems (see sys/mount.h).
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/systm.h>
#include <sys/vnode.h>

MALLOC_DEFINE(M_MOUNT, "mount", "mount structures");
SET_DECLARE(vfsops_set, const struct vfsops);

static struct mtx mountlist_mtx;
static bool mountlist_ready;
static TAILQ_HEAD(, mount) mountlist = TAILQ_HEAD_INITIALIZER(mountlist);
static uint64_t mount_nextfsid = 1;

static const struct vfsops *
vfs_byname(const char *name)
{
	const struct vfsops **opp;

	SET_FOREACH(opp, vfsops_set) {
		if (strcmp((*opp)->vfs_name, name) == 0)
			return (*opp);
	}
	return (NULL);
}

int
vfs_mount_detached(const char *fstype, const char *args, struct mount **mpp)
{
	const struct vfsops *ops;
	struct mount *mp;
	int error;

	ops = vfs_byname(fstype);
	if (ops == NULL)
		return (ENODEV);
	mp = malloc(sizeof(*mp), M_MOUNT, M_WAITOK | M_ZERO);
	mp->mnt_op = ops;
	/* Start-up is single-threaded: the first mount sets the lock up. */
	if (!mountlist_ready) {
		mtx_init(&mountlist_mtx, "mountlist", NULL, MTX_DEF);
		mountlist_ready = true;
	}
	mtx_lock(&mountlist_mtx);
	mp->mnt_fsid = mount_nextfsid++;
	mtx_unlock(&mountlist_mtx);
	error = ops->vfs_mount(mp, args);
	if (error != 0) {
		free(mp, M_MOUNT);
		return (error);
	}
	KASSERT(mp->mnt_rootvp != NULL && mp->mnt_rootvp->v_type == VDIR,
	    ("vfs_mount: %s gave no root directory", fstype));
	mtx_lock(&mountlist_mtx);
	TAILQ_INSERT_TAIL(&mountlist, mp, mnt_list);
	mtx_unlock(&mountlist_mtx);
	*mpp = mp;
	return (0);
}

int
vfs_mount(const char *fstype, const char *path, const char *args)
{
	struct nameidata nd;
	struct mount *mp;
	struct vnode *vp;
	int error;

	if (rootvnode == NULL)
		return (ENOENT);
	NDINIT(&nd, path, UIO_SYSSPACE, rootvnode, rootvnode, NI_FOLLOW);
	error = namei(&nd);
	if (error != 0)
		return (error);
	vp = nd.ni_vp;
	if (vp->v_type != VDIR) {
		vrele(vp);
		return (ENOTDIR);
	}
	error = vfs_mount_detached(fstype, args, &mp);
	if (error != 0) {
		vrele(vp);
		return (error);
	}
	mtx_lock(&mountlist_mtx);
	if (vp->v_mountedhere != NULL)
		error = EBUSY;
	else {
		/* The covered vnode keeps the reference namei gave. */
		mp->mnt_vnodecovered = vp;
		vp->v_mountedhere = mp;
	}
	mtx_unlock(&mountlist_mtx);
	if (error != 0)
		vrele(vp);
	/* A mount that lost the race stays detached (unmount is not there yet). */
	return (error);
}
