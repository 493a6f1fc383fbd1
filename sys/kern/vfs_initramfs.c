/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The initramfs unpacker (see sys/initramfs.h).  Hard links (regular files
 * with nlink > 1 sharing an inode number) are made links again: newc
 * carries the data once, usually with the last name.
 */
#include <sys/types.h>
#include <sys/cpio.h>
#include <sys/errno.h>
#include <sys/initramfs.h>
#include <sys/malloc.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

MALLOC_DECLARE(M_NAMEI);

/* Hard-linked inodes remembered; past that, each name gets its own copy. */
#define INITRAMFS_NLINKS	64

struct initramfs_link {
	uint32_t	il_ino;
	struct vnode	*il_vp;		/* referenced */
};

struct initramfs_ctx {
	struct vnode		*root;
	struct initramfs_stats	*st;
	struct initramfs_link	links[INITRAMFS_NLINKS];
	int			nlinks;
	char			*target;	/* PATH_MAX, link text */
};

static int
initramfs_write(struct vnode *vp, const struct cpio_entry *ce)
{
	int error;

	error = vp->v_op->vop_truncate(vp, 0);
	if (error == 0 && ce->ce_size > 0)
		error = vn_rdwr(UIO_WRITE, vp, (void *)(uintptr_t)ce->ce_data,
		    ce->ce_size, 0, NULL);
	return (error);
}

static struct initramfs_link *
initramfs_link_find(struct initramfs_ctx *ctx, uint32_t ino)
{
	for (int i = 0; i < ctx->nlinks; i++) {
		if (ctx->links[i].il_ino == ino)
			return (&ctx->links[i]);
	}
	return (NULL);
}

static int
initramfs_entry(struct initramfs_ctx *ctx, const struct cpio_entry *ce,
    const char *path)
{
	struct initramfs_stats *st = ctx->st;
	struct nameidata nd;
	struct vnode *dvp, *vp = NULL;
	struct initramfs_link *il;
	uint32_t type = ce->ce_mode & S_IFMT, perm = ce->ce_mode & ALLPERMS;
	enum vtype vt;
	int error;

	if (type == S_IFBLK) {
		st->is_skipped++;
		return (0);
	}
	NDINIT(&nd, path, UIO_SYSSPACE, ctx->root, ctx->root, NI_WANTPARENT);
	error = namei(&nd);
	if (error != 0)
		return (error);
	dvp = nd.ni_dvp;
	if (dvp == NULL) {
		/* ".", "..", "/": the root itself. */
		if (type == S_IFDIR && nd.ni_vp->v_op->vop_chmod != NULL)
			error = nd.ni_vp->v_op->vop_chmod(nd.ni_vp, perm);
		NDFREE(&nd);
		return (error);
	}
	if (nd.ni_vp != NULL) {
		if (type == S_IFDIR && nd.ni_vp->v_type == VDIR) {
			error = nd.ni_vp->v_op->vop_chmod(nd.ni_vp, perm);
			st->is_dirs++;
			NDFREE(&nd);
			return (error);
		}
		/* Replaced, as a later archive's file overrides an earlier's. */
		error = dvp->v_op->vop_remove(dvp, nd.ni_name, nd.ni_namelen,
		    nd.ni_vp->v_type == VDIR ? VRM_DIR : 0);
		vrele(nd.ni_vp);
		nd.ni_vp = NULL;
		if (error != 0)
			goto out;
	}
	switch (type) {
	case S_IFREG:
		il = ce->ce_nlink > 1 ? initramfs_link_find(ctx, ce->ce_ino) :
		    NULL;
		if (il != NULL) {
			error = dvp->v_op->vop_link(dvp, nd.ni_name,
			    nd.ni_namelen, il->il_vp);
			if (error == 0 && ce->ce_size > 0)
				error = initramfs_write(il->il_vp, ce);
			goto counted;
		}
		error = dvp->v_op->vop_create(dvp, nd.ni_name, nd.ni_namelen,
		    VREG, perm, NULL, 0, &vp);
		if (error == 0 && ce->ce_size > 0)
			error = initramfs_write(vp, ce);
		if (error == 0 && ce->ce_nlink > 1 &&
		    ctx->nlinks < INITRAMFS_NLINKS) {
			ctx->links[ctx->nlinks].il_ino = ce->ce_ino;
			ctx->links[ctx->nlinks].il_vp = vp;
			ctx->nlinks++;
			vp = NULL;
		}
counted:
		st->is_files++;
		st->is_bytes += ce->ce_size;
		break;
	case S_IFDIR:
		error = dvp->v_op->vop_create(dvp, nd.ni_name, nd.ni_namelen,
		    VDIR, perm, NULL, 0, &vp);
		st->is_dirs++;
		break;
	case S_IFLNK:
		memcpy(ctx->target, ce->ce_data, ce->ce_size);
		ctx->target[ce->ce_size] = '\0';
		error = dvp->v_op->vop_create(dvp, nd.ni_name, nd.ni_namelen,
		    VLNK, 0777, ctx->target, 0, &vp);
		st->is_symlinks++;
		break;
	default:
		vt = type == S_IFCHR ? VCHR : type == S_IFIFO ? VFIFO : VSOCK;
		error = dvp->v_op->vop_create(dvp, nd.ni_name, nd.ni_namelen,
		    vt, perm, NULL,
		    (uint64_t)ce->ce_rdevmajor << 32 | ce->ce_rdevminor, &vp);
		st->is_other++;
		break;
	}
	if (vp != NULL)
		vrele(vp);
out:
	NDFREE(&nd);
	return (error);
}

/* Drops leading "/" and "./"; NULL for the archive's own "." entry. */
static const char *
initramfs_relpath(const char *name)
{
	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else
			break;
	}
	if (name[0] == '\0' || strcmp(name, ".") == 0)
		return (NULL);
	return (name);
}

int
initramfs_unpack(struct vnode *root, const void *buf, size_t len,
    struct initramfs_stats *st)
{
	struct initramfs_ctx *ctx;
	struct cpio_iter ci;
	struct cpio_entry ce;
	int error;

	memset(st, 0, sizeof(*st));
	ctx = malloc(sizeof(*ctx), M_TEMP, M_WAITOK | M_ZERO);
	ctx->root = root;
	ctx->st = st;
	ctx->target = malloc(PATH_MAX, M_NAMEI, M_WAITOK);
	cpio_iter_init(&ci, buf, len);
	for (;;) {
		const char *path;
		size_t at = ci.ci_off;

		error = cpio_next(&ci, &ce);
		if (error == ENOENT) {
			error = 0;
			break;
		}
		if (error != 0) {
			st->is_failoff = at;
			strlcpy(st->is_failname, "(header)",
			    sizeof(st->is_failname));
			break;
		}
		path = initramfs_relpath(ce.ce_name);
		if (path == NULL)
			continue;
		error = initramfs_entry(ctx, &ce, path);
		if (error != 0) {
			st->is_failoff = at;
			strlcpy(st->is_failname, ce.ce_name,
			    sizeof(st->is_failname));
			break;
		}
	}
	for (int i = 0; i < ctx->nlinks; i++)
		vrele(ctx->links[i].il_vp);
	free(ctx->target, M_NAMEI);
	free(ctx, M_TEMP);
	return (error);
}
