/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Path name lookup.  namei() walks a path one component at a time from the
 * root ("/...") or the start directory, crossing mount points and following
 * symbolic links (at most MAXSYMLINKS per lookup: ELOOP), and returns
 * referenced vnodes the caller releases with NDFREE().
 *
 * Errors: ENOENT (a missing component, or an empty path), ENOTDIR (a
 * non-directory before a '/'), ENAMETOOLONG (a component over NAME_MAX or a
 * path over PATH_MAX bytes), ELOOP, EFAULT (a user path that cannot be read).
 */
#ifndef _SYS_NAMEI_H_
#define _SYS_NAMEI_H_

#include <sys/types.h>
#include <sys/uio.h>
#include <sys/vnode.h>

/* ni_flags, in */
#define NI_FOLLOW	0x0001	/* follow a symbolic link in the last component */
/*
 * Also return the last component's directory (ni_dvp, referenced) and
 * name (ni_name): for create, remove, rename.  A missing last component is
 * then not an error: ni_vp is NULL.  A path ending in "." or "..", or "/"
 * itself, names no entry: ni_dvp is then NULL (and ni_vp set).
 */
#define NI_WANTPARENT	0x0002
/* out */
#define NI_TRAILSLASH	0x0100	/* the path ended in '/' */

struct nameidata {
	/* in */
	const char	*ni_dirp;	/* the path */
	enum uio_seg	ni_segflg;	/* where ni_dirp lives */
	struct vnode	*ni_startdir;	/* relative paths start here */
	struct vnode	*ni_rootdir;	/* "/" and the top for ".." */
	u_int		ni_flags;
	/* out */
	struct vnode	*ni_vp;		/* the file, or NULL (NI_WANTPARENT) */
	struct vnode	*ni_dvp;	/* its directory (NI_WANTPARENT) */
	char		ni_name[NAME_MAX + 1];	/* last component */
	size_t		ni_namelen;
};

void	NDINIT(struct nameidata *ndp, const char *path, enum uio_seg seg,
	    struct vnode *startdir, struct vnode *rootdir, u_int flags);
int	namei(struct nameidata *ndp);
/* Releases ni_vp and ni_dvp (whichever are set) and clears them. */
void	NDFREE(struct nameidata *ndp);

#endif /* !_SYS_NAMEI_H_ */
