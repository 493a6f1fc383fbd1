/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Mounted file systems.  A mount covers a directory vnode of another mount
 * (v_mountedhere points at it); namei crosses into mnt_rootvp there and
 * back out through mnt_vnodecovered on "..".  Mounts are never unmounted
 * yet, so a struct mount lives for good once vfs_mount() returns.
 */
#ifndef _SYS_MOUNT_H_
#define _SYS_MOUNT_H_

#include <sys/linker_set.h>
#include <sys/queue.h>
#include <sys/types.h>

struct mount;
struct vnode;

struct vfsops {
	const char	*vfs_name;
	/* Sets mp->mnt_data and mp->mnt_rootvp (referenced). */
	int		(*vfs_mount)(struct mount *mp, const char *args);
};

/* Registers a file system type, found by name by vfs_mount(). */
#define VFS_REGISTER(ops)	DATA_SET(vfsops_set, ops)

struct mount {
	const struct vfsops	*mnt_op;
	void			*mnt_data;
	struct vnode		*mnt_rootvp;
	struct vnode		*mnt_vnodecovered;	/* NULL for the root */
	uint64_t		mnt_fsid;
	TAILQ_ENTRY(mount)	mnt_list;
};

/*
 * Mounts a file system of type fstype on the directory at path (looked up
 * from the root); the root itself is mounted by vfs_mountroot().
 */
int	vfs_mount(const char *fstype, const char *path, const char *args);
/* Mounts tmpfs at / and unpacks the initramfs boot module into it. */
int	vfs_mountroot(void);
/* Mounts a file system with no covered vnode (the root, tests' scratch roots). */
int	vfs_mount_detached(const char *fstype, const char *args, struct mount **mpp);

#endif /* !_SYS_MOUNT_H_ */
