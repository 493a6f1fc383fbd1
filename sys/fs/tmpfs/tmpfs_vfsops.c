/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Mounting a tmpfs: an empty root directory (mode 0755).
 */
#include <sys/types.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <fs/tmpfs/tmpfs.h>
#include <fs/tmpfs/tmpfs_subr.h>

static int
tmpfs_mount(struct mount *mp, const char *args)
{
	struct tmpfs_mount *tm;
	struct tmpfs_node *root;

	tm = malloc(sizeof(*tm), M_TMPFS, M_WAITOK | M_ZERO);
	mtx_init(&tm->tm_lock, "tmpfs", NULL, MTX_DEF);
	tm->tm_nextino = 2;
	tm->tm_pages_max = tmpfs_page_limit();
	mp->mnt_data = tm;
	mtx_lock(&tm->tm_lock);
	root = tmpfs_node_alloc(tm, mp, VDIR, 0755);
	/* A name nobody can remove: the root is never freed. */
	root->tn_links = 1;
	mtx_unlock(&tm->tm_lock);
	tm->tm_root = root;
	/* The mount keeps the vnode's first reference. */
	mp->mnt_rootvp = root->tn_vnode;
	return (0);
}

static const struct vfsops tmpfs_vfsops = {
	.vfs_name = "tmpfs",
	.vfs_mount = tmpfs_mount,
};
VFS_REGISTER(tmpfs_vfsops);
