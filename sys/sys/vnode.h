/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Vnodes: the kernel's handle on a file of any file system.
 *
 * Lifetime: v_usecount counts references (namei results, open files, the
 * current and root directories, mappings).  A reference is taken with
 * vref() and dropped with vrele().  A vnode whose count is zero is reachable
 * only from its file system, under that file system's lock: so the count
 * goes from 0 to 1 only there, and the last vrele() hands the vnode back to
 * the file system (vop_release), which decrements under the same lock and
 * frees what is no longer named.  Nothing else ever frees a vnode.
 *
 * Locking: each file system serialises its own operations (tmpfs: one lock
 * per mount).  The VFS layer holds no lock across a vop call.
 */
#ifndef _SYS_VNODE_H_
#define _SYS_VNODE_H_

#include <sys/types.h>
#include <sys/uio.h>

enum vtype { VNON, VREG, VDIR, VLNK, VCHR, VFIFO, VSOCK };

/* Name length limits (Linux's, which every user program expects). */
#define NAME_MAX	255
#define PATH_MAX	4096
/* Symbolic links followed in one lookup before ELOOP. */
#define MAXSYMLINKS	40

struct ktimespec {
	int64_t	tv_sec;
	long	tv_nsec;
};

struct vattr {
	enum vtype	va_type;
	uint32_t	va_mode;	/* S_IFMT | permission bits */
	uint32_t	va_nlink;
	uint32_t	va_uid;
	uint32_t	va_gid;
	uint64_t	va_ino;
	uint64_t	va_fsid;
	uint64_t	va_rdev;	/* device number (VCHR) */
	off_t		va_size;
	uint64_t	va_bytes;	/* storage used */
	uint32_t	va_blksize;
	struct ktimespec	va_atime;
	struct ktimespec	va_mtime;
	struct ktimespec	va_ctime;
};

struct mount;
struct thread;
struct vnode;
struct cdev;

/* One directory entry seen by vop_readdir; returns nonzero to stop. */
typedef int vop_dirent_cb_t(void *arg, const char *name, size_t namelen,
    uint64_t ino, enum vtype type, off_t nextcookie);

/* vop_remove flags */
#define VRM_DIR		0x1	/* rmdir: the entry must be an empty directory */

/*
 * The operations of a file system.  Names are (pointer, length) pairs: not
 * NUL-terminated, never empty, never "." or "..", at most NAME_MAX bytes
 * (namei checks).  Returned vnodes are referenced.  NULL entries mean the
 * operation is not supported (the VFS layer answers EOPNOTSUPP or EINVAL).
 */
struct vop_vector {
	int	(*vop_lookup)(struct vnode *dvp, const char *name, size_t len,
		    struct vnode **vpp);
	/*
	 * Makes a VREG, VDIR, VLNK (target: the link's text), VCHR (rdev) or
	 * VFIFO entry with the permission bits of mode; EEXIST if the name is
	 * taken.
	 */
	int	(*vop_create)(struct vnode *dvp, const char *name, size_t len,
		    enum vtype type, uint32_t mode, const char *target,
		    uint64_t rdev, struct vnode **vpp);
	int	(*vop_remove)(struct vnode *dvp, const char *name, size_t len,
		    int flags);
	int	(*vop_link)(struct vnode *dvp, const char *name, size_t len,
		    struct vnode *vp);
	/* Both directories belong to one mount (else the VFS says EXDEV). */
	int	(*vop_rename)(struct vnode *fdvp, const char *fname, size_t flen,
		    struct vnode *tdvp, const char *tname, size_t tlen);
	int	(*vop_read)(struct vnode *vp, struct uio *uio, int ioflag);
	int	(*vop_write)(struct vnode *vp, struct uio *uio, int ioflag);
	int	(*vop_getattr)(struct vnode *vp, struct vattr *vap);
	int	(*vop_truncate)(struct vnode *vp, off_t size);
	int	(*vop_chmod)(struct vnode *vp, uint32_t mode);
	/*
	 * Calls cb for each entry from *cookie on ("." and ".." included);
	 * leaves *cookie where the next call resumes.
	 */
	int	(*vop_readdir)(struct vnode *vp, off_t *cookie,
		    vop_dirent_cb_t *cb, void *arg);
	int	(*vop_readlink)(struct vnode *vp, struct uio *uio);
	/* See vn_getpage(). */
	int	(*vop_getpage)(struct vnode *vp, off_t off, vm_paddr_t *pap);
	/* Drops one reference; see "Lifetime" above.  Required. */
	void	(*vop_release)(struct vnode *vp);
	/* The parent directory of a directory (for ".."), referenced. */
	int	(*vop_parent)(struct vnode *dvp, struct vnode **vpp);
};

struct vnode {
	enum vtype		v_type;
	volatile u_int		v_usecount;
	struct mount		*v_mount;	/* file system it belongs to */
	const struct vop_vector	*v_op;
	void			*v_data;	/* the file system's node */
	struct mount		*v_mountedhere;	/* a mount covering this dir */
	struct cdev		*v_rdev;	/* VCHR: the device (devfs) */
	void			*v_pipe;	/* VFIFO: the pipe, if open */
	void			*v_socket;	/* VSOCK: the bound socket */
};

/* ioflag */
#define IO_APPEND	0x0001	/* write at the end of file */
#define IO_NDELAY	0x0002	/* non-blocking */

void	vref(struct vnode *);
void	vrele(struct vnode *);
/* For file systems: a new vnode with one reference. */
struct vnode *vnode_alloc(struct mount *, const struct vop_vector *,
	    enum vtype, void *data);
void	vnode_free(struct vnode *);

/* The root of the name space (tmpfs, mounted by vfs_mountroot). */
extern struct vnode *rootvnode;

/*
 * The file KPI proc needs.  vn_open_exec resolves path (following links,
 * relative to td's current directory) to a regular file it may execute:
 * ENOENT, ENOTDIR, ELOOP, EACCES (no x bit or not VREG).
 */
int	vn_open_exec(struct thread *td, const char *path, struct vnode **vpp);
/*
 * Reads or writes len bytes at off between kernel memory and vp; *resid
 * (may be NULL: then a short transfer is EIO) gets what was not moved.
 */
int	vn_rdwr(enum uio_rw rw, struct vnode *vp,
	    void *base, size_t len, off_t off, size_t *resid);
int	vn_getattr(struct vnode *vp, struct vattr *vap);
/*
 * The pager hook for file mmap: the physical page that holds the file's
 * bytes [off, off + PAGE_SIZE) (off page-aligned), made (zero-filled) if
 * it is a hole.  ENXIO when off is at or past the end of file (SIGBUS).
 * The page stays the file's and valid while the caller holds a reference
 * on vp and the file is not truncated below it; MAP_SHARED maps it as it
 * is, MAP_PRIVATE copies it.  EOPNOTSUPP for files that cannot be mapped.
 */
int	vn_getpage(struct vnode *vp, off_t off, vm_paddr_t *pap);

#endif /* !_SYS_VNODE_H_ */
