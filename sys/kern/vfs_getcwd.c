/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A directory's path (the current one's for getcwd, an open one's for
 * procfs): walked up through ".." to the root, finding each directory's
 * name in its parent by inode number.  Built from the end of the caller's
 * buffer, then moved to its start.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/filedesc.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/systm.h>
#include <sys/vnode.h>

struct getcwd_find {
	uint64_t	ino;
	char		*name;		/* NAME_MAX + 1 */
	size_t		len;
	bool		found;
};

static int
getcwd_match(void *arg, const char *name, size_t len, uint64_t ino,
    enum vtype type, off_t next)
{
	struct getcwd_find *gf = arg;

	if (ino != gf->ino || (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return (0);
	memcpy(gf->name, name, len);
	gf->len = len;
	gf->found = true;
	return (1);
}

int
kern_getcwd(struct filedesc *fdp, char *buf, size_t buflen)
{
	struct vnode *vp, *rdir;

	mtx_lock(&fdp->fd_lock);
	vp = fdp->fd_cdir;
	vref(vp);
	rdir = fdp->fd_rdir;
	vref(rdir);
	mtx_unlock(&fdp->fd_lock);
	return (vn_dirpath(vp, rdir, buf, buflen));
}

int
vn_dirpath(struct vnode *vp, struct vnode *rdir, char *buf, size_t buflen)
{
	struct nameidata nd;
	struct getcwd_find gf;
	struct vnode *pvp;
	struct vattr va;
	char name[NAME_MAX + 1];
	size_t pos = buflen;
	off_t cookie;
	int error = 0;

	if (buflen < 2) {
		vrele(vp);
		vrele(rdir);
		return (ERANGE);
	}
	buf[--pos] = '\0';
	while (vp != rdir) {
		/* Out of a mount: its name is the covered directory's. */
		while (vp->v_mount->mnt_vnodecovered != NULL &&
		    vp == vp->v_mount->mnt_rootvp) {
			struct vnode *c = vp->v_mount->mnt_vnodecovered;

			vref(c);
			vrele(vp);
			vp = c;
		}
		if (vp == rdir)
			break;
		error = vn_getattr(vp, &va);
		if (error == 0 && va.va_nlink == 0)
			error = ENOENT;	/* removed */
		if (error != 0)
			break;
		NDINIT(&nd, "..", UIO_SYSSPACE, vp, rdir, 0);
		error = namei(&nd);
		if (error != 0)
			break;
		pvp = nd.ni_vp;
		/* ".." inside a mount's root leads out; search that dir. */
		gf = (struct getcwd_find){ va.va_ino, name, 0, false };
		cookie = 0;
		if (pvp->v_mount != vp->v_mount)
			error = ENOENT;
		else
			error = pvp->v_op->vop_readdir(pvp, &cookie,
			    getcwd_match, &gf);
		if (error == 0 && !gf.found)
			error = ENOENT;
		if (error == 0 && gf.len + 1 > pos)
			error = ERANGE;
		vrele(vp);
		vp = pvp;
		if (error != 0)
			break;
		pos -= gf.len;
		memcpy(buf + pos, name, gf.len);
		buf[--pos] = '/';
	}
	vrele(vp);
	vrele(rdir);
	if (error != 0)
		return (error);
	if (pos == buflen - 1)
		buf[--pos] = '/';	/* the root itself */
	memmove(buf, buf + pos, buflen - pos);
	return (0);
}
