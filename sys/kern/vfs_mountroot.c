/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The root file system: a tmpfs, filled from the first boot module that is
 * a newc cpio archive (QEMU's -initrd, xl's ramdisk=).  A compressed
 * archive is reported and skipped: the kernel has no decompressor.
 */
#include <sys/types.h>
#include <sys/bootinfo.h>
#include <sys/cpio.h>
#include <sys/errno.h>
#include <sys/initramfs.h>
#include <sys/kernel.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/systm.h>
#include <sys/vnode.h>
#include <machine/vmparam.h>

/* What the unpacking of the boot module gave (ktests look). */
int initramfs_error = ENOENT;	/* ENOENT: no archive among the modules */
struct initramfs_stats initramfs_stats;

static void
vfs_initramfs(void)
{
	for (int i = 0; i < bootinfo.nmods; i++) {
		const struct bootinfo_module *bm = &bootinfo.mods[i];
		const uint8_t *p = (const uint8_t *)PHYS_TO_DMAP(bm->paddr);
		struct initramfs_stats *st = &initramfs_stats;

		if (bm->size >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
			printf("initramfs: module %d is gzip-compressed; only "
			    "an uncompressed newc cpio is supported\n", i);
			continue;
		}
		if (!cpio_is_newc(p, bm->size))
			continue;
		initramfs_error = initramfs_unpack(rootvnode, p, bm->size, st);
		if (initramfs_error != 0)
			printf("initramfs: module %d: error %d at offset %zu "
			    "(%s); kept what came before\n", i, initramfs_error,
			    st->is_failoff, st->is_failname);
		printf("initramfs: module %d (%ju bytes): %u files, %u "
		    "directories, %u links, %u others, %ju bytes of data\n",
		    i, (uintmax_t)bm->size, st->is_files, st->is_dirs,
		    st->is_symlinks, st->is_other, (uintmax_t)st->is_bytes);
		return;
	}
}

/* Makes the directory path of the root unless it is there. */
static int
vfs_mkdir_root(const char *path)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	NDINIT(&nd, path, UIO_SYSSPACE, rootvnode, rootvnode, NI_WANTPARENT);
	error = namei(&nd);
	if (error != 0)
		return (error);
	if (nd.ni_vp != NULL)
		error = nd.ni_vp->v_type == VDIR ? 0 : ENOTDIR;
	else {
		error = nd.ni_dvp->v_op->vop_create(nd.ni_dvp, nd.ni_name,
		    nd.ni_namelen, VDIR, 0755, NULL, 0, &vp);
		if (error == 0)
			vrele(vp);
	}
	NDFREE(&nd);
	return (error);
}

int
vfs_mountroot(void)
{
	struct mount *mp;
	int error;

	error = vfs_mount_detached("tmpfs", NULL, &mp);
	if (error != 0)
		return (error);
	/* The mount's reference on its root stands for rootvnode's too. */
	rootvnode = mp->mnt_rootvp;
	vfs_initramfs();
	error = vfs_mkdir_root("/dev");
	if (error == 0)
		error = vfs_mount("devfs", "/dev", NULL);
	if (error != 0)
		printf("vfs: no devfs on /dev: error %d\n", error);
	error = vfs_mkdir_root("/proc");
	if (error == 0)
		error = vfs_mount("procfs", "/proc", NULL);
	if (error != 0)
		printf("vfs: no procfs on /proc: error %d\n", error);
	return (0);
}

static void
vfs_mountroot_sysinit(void *arg)
{
	int error;

	error = vfs_mountroot();
	if (error != 0)
		panic("vfs_mountroot: cannot mount the root tmpfs: %d", error);
}
SYSINIT(vfs_mountroot, SI_SUB_VFS, SI_ORDER_FIRST, vfs_mountroot_sysinit, NULL);
