/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Path name lookup (see sys/namei.h).
 *
 * The walk holds one reference on the directory it is in (dp) and takes one
 * on each vnode it steps to before dropping the old, so every vnode it
 * touches stays alive without any lock held between components.  A symbolic
 * link is expanded in place: its text followed by the rest of the path
 * becomes the path still to walk, from the link's directory (or the root).
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

MALLOC_DEFINE(M_NAMEI, "namei", "path name buffers");

void
NDINIT(struct nameidata *ndp, const char *path, enum uio_seg seg,
    struct vnode *startdir, struct vnode *rootdir, u_int flags)
{
	memset(ndp, 0, sizeof(*ndp));
	ndp->ni_dirp = path;
	ndp->ni_segflg = seg;
	ndp->ni_startdir = startdir;
	ndp->ni_rootdir = rootdir;
	ndp->ni_flags = flags & (NI_FOLLOW | NI_WANTPARENT);
}

void
NDFREE(struct nameidata *ndp)
{
	if (ndp->ni_vp != NULL)
		vrele(ndp->ni_vp);
	if (ndp->ni_dvp != NULL)
		vrele(ndp->ni_dvp);
	ndp->ni_vp = NULL;
	ndp->ni_dvp = NULL;
}

static int
namei_copypath(struct nameidata *ndp, char *buf)
{
	size_t len;
	int error;

	if (ndp->ni_segflg == UIO_USERSPACE) {
		error = copyinstr(ndp->ni_dirp, buf, PATH_MAX, &len);
		if (error != 0)
			return (error);
	} else {
		len = strnlen(ndp->ni_dirp, PATH_MAX);
		if (len == PATH_MAX)
			return (ENAMETOOLONG);
		memcpy(buf, ndp->ni_dirp, len + 1);
	}
	return (buf[0] == '\0' ? ENOENT : 0);
}

/* Steps into whatever is mounted on vp (a reference is traded). */
static struct vnode *
namei_cross_down(struct vnode *vp)
{
	while (vp->v_type == VDIR && vp->v_mountedhere != NULL) {
		struct vnode *root = vp->v_mountedhere->mnt_rootvp;

		vref(root);
		vrele(vp);
		vp = root;
	}
	return (vp);
}

/* The ".." of dp: never above rootdir, out of a mount through what it covers. */
static int
namei_dotdot(struct nameidata *ndp, struct vnode *dp, struct vnode **vpp)
{
	struct vnode *vp = dp;
	int error;

	vref(vp);
	for (;;) {
		struct mount *mp = vp->v_mount;

		if (vp == ndp->ni_rootdir) {
			*vpp = vp;
			return (0);
		}
		if (mp == NULL || vp != mp->mnt_rootvp ||
		    mp->mnt_vnodecovered == NULL)
			break;
		vref(mp->mnt_vnodecovered);
		vrele(vp);
		vp = mp->mnt_vnodecovered;
	}
	if (vp->v_op->vop_parent == NULL) {
		vrele(vp);
		return (ENOTDIR);
	}
	error = vp->v_op->vop_parent(vp, vpp);
	vrele(vp);
	return (error);
}

/* Reads vp's link text into buf (NUL-terminated); ENOENT if it is empty. */
static int
namei_readlink(struct vnode *vp, char *buf, size_t *lenp)
{
	struct iovec iov;
	struct uio uio;
	int error;

	if (vp->v_op->vop_readlink == NULL)
		return (EINVAL);
	uio_init_sys(&uio, &iov, buf, PATH_MAX, 0, UIO_READ);
	error = vp->v_op->vop_readlink(vp, &uio);
	if (error != 0)
		return (error);
	*lenp = PATH_MAX - (size_t)uio.uio_resid;
	if (*lenp == 0)
		return (ENOENT);
	if (*lenp >= PATH_MAX)
		return (ENAMETOOLONG);
	buf[*lenp] = '\0';
	return (0);
}

int
namei(struct nameidata *ndp)
{
	struct vnode *dp, *vp;
	char *buf, *lbuf, *cp;
	int error, nlinks = 0;

	KASSERT(ndp->ni_rootdir != NULL && ndp->ni_startdir != NULL,
	    ("namei: no root or start directory"));
	ndp->ni_vp = ndp->ni_dvp = NULL;
	ndp->ni_namelen = 0;
	ndp->ni_name[0] = '\0';
	ndp->ni_flags &= ~NI_TRAILSLASH;
	buf = malloc(2 * PATH_MAX, M_NAMEI, M_WAITOK);
	lbuf = buf + PATH_MAX;
	error = namei_copypath(ndp, buf);
	if (error != 0)
		goto out;
	cp = buf;
	/*
	 * Not crossed into a mount at the start: a directory mounted on
	 * after a process made it its cwd stays the old directory for it.
	 */
	dp = *cp == '/' ? ndp->ni_rootdir : ndp->ni_startdir;
	vref(dp);
	for (;;) {
		const char *name;
		size_t len, linklen, restlen;
		bool last, slash;

		while (*cp == '/')
			cp++;
		if (*cp == '\0') {
			/* "/" or a link to a directory ending the path. */
			ndp->ni_vp = dp;
			break;
		}
		if (dp->v_type != VDIR) {
			error = ENOTDIR;
			vrele(dp);
			break;
		}
		name = cp;
		while (*cp != '\0' && *cp != '/')
			cp++;
		len = (size_t)(cp - name);
		if (len > NAME_MAX) {
			error = ENAMETOOLONG;
			vrele(dp);
			break;
		}
		slash = *cp == '/';
		while (*cp == '/')
			cp++;
		last = *cp == '\0';

		if (len == 1 && name[0] == '.') {
			vp = dp;
			vref(vp);
		} else if (len == 2 && name[0] == '.' && name[1] == '.') {
			error = namei_dotdot(ndp, dp, &vp);
		} else {
			error = dp->v_op->vop_lookup(dp, name, len, &vp);
			if (error == ENOENT && last &&
			    (ndp->ni_flags & NI_WANTPARENT) != 0) {
				/* The caller creates it here. */
				memcpy(ndp->ni_name, name, len);
				ndp->ni_name[len] = '\0';
				ndp->ni_namelen = len;
				ndp->ni_dvp = dp;
				if (slash)
					ndp->ni_flags |= NI_TRAILSLASH;
				error = 0;
				break;
			}
		}
		if (error != 0) {
			vrele(dp);
			break;
		}
		vp = namei_cross_down(vp);

		if (vp->v_type == VLNK &&
		    (!last || slash || (ndp->ni_flags & NI_FOLLOW) != 0)) {
			if (++nlinks > MAXSYMLINKS) {
				error = ELOOP;
			} else {
				error = namei_readlink(vp, lbuf, &linklen);
				restlen = strlen(cp);
				if (error == 0 && linklen + 1 + restlen >= PATH_MAX)
					error = ENAMETOOLONG;
			}
			vrele(vp);
			if (error != 0) {
				vrele(dp);
				break;
			}
			/* link text, '/', the rest: walked next from dp or "/". */
			lbuf[linklen] = '/';
			memcpy(lbuf + linklen + 1, cp, restlen + 1);
			memcpy(buf, lbuf, linklen + 1 + restlen + 1);
			cp = buf;
			if (*cp == '/') {
				vrele(dp);
				dp = ndp->ni_rootdir;
				vref(dp);
			}
			/* A trailing slash of the link's own name stays. */
			if (!slash && last)
				buf[linklen] = '\0';
			continue;
		}

		if (!last) {
			vrele(dp);
			dp = vp;
			continue;
		}
		if (slash) {
			ndp->ni_flags |= NI_TRAILSLASH;
			if (vp->v_type != VDIR) {
				error = ENOTDIR;
				vrele(vp);
				vrele(dp);
				break;
			}
		}
		ndp->ni_vp = vp;
		if ((ndp->ni_flags & NI_WANTPARENT) != 0 &&
		    !(len == 1 && name[0] == '.') &&
		    !(len == 2 && name[0] == '.' && name[1] == '.')) {
			memcpy(ndp->ni_name, name, len);
			ndp->ni_name[len] = '\0';
			ndp->ni_namelen = len;
			ndp->ni_dvp = dp;
		} else
			vrele(dp);
		break;
	}
out:
	free(buf, M_NAMEI);
	return (error);
}
