/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * devfs: the device nodes made with make_dev(), as one tree shared by
 * every mount of it.  Nodes live for good, each with its vnode, so the
 * vnode's count never reaches zero (the node holds one reference) and
 * nothing is freed.  devfs_mtx covers the tree.  Nothing is created or
 * removed through the file system: those calls are EPERM.
 */
#include <sys/types.h>
#include <sys/conf.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <machine/atomic.h>
#include <stdarg.h>

MALLOC_DEFINE(M_DEVFS, "devfs", "device nodes");

struct devfs_node {
	TAILQ_ENTRY(devfs_node)	dn_link;
	TAILQ_HEAD(, devfs_node) dn_children;
	struct devfs_node	*dn_parent;
	struct cdev		*dn_cdev;	/* NULL: a directory */
	struct vnode		*dn_vnode;
	uint64_t		dn_ino;
	char			dn_name[NAME_MAX + 1];
};

static struct mtx devfs_mtx;
static struct devfs_node *devfs_root;
static struct mount *devfs_mp;	/* the first mount; vnodes point at it */
static uint64_t devfs_nextino = 2;
static const struct vop_vector devfs_vnops;

/* Set up on first use: drivers may make devices before devfs is mounted. */
static void
devfs_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	mtx_init(&devfs_mtx, "devfs", NULL, MTX_DEF);
	devfs_root = malloc(sizeof(*devfs_root), M_DEVFS, M_WAITOK | M_ZERO);
	TAILQ_INIT(&devfs_root->dn_children);
	devfs_root->dn_ino = devfs_nextino++;
	devfs_root->dn_vnode = vnode_alloc(NULL, &devfs_vnops, VDIR,
	    devfs_root);
}
SYSINIT(devfs_init, SI_SUB_KMEM, SI_ORDER_ANY, devfs_init, NULL);

static struct devfs_node *
devfs_find(struct devfs_node *dir, const char *name, size_t len)
{
	struct devfs_node *dn;

	TAILQ_FOREACH(dn, &dir->dn_children, dn_link) {
		if (strlen(dn->dn_name) == len &&
		    memcmp(dn->dn_name, name, len) == 0)
			return (dn);
	}
	return (NULL);
}

static struct devfs_node *
devfs_add(struct devfs_node *dir, const char *name, size_t len,
    struct cdev *cdev)
{
	struct devfs_node *dn;

	dn = malloc(sizeof(*dn), M_DEVFS, M_WAITOK | M_ZERO);
	TAILQ_INIT(&dn->dn_children);
	memcpy(dn->dn_name, name, len);
	dn->dn_parent = dir;
	dn->dn_cdev = cdev;
	dn->dn_ino = devfs_nextino++;
	dn->dn_vnode = vnode_alloc(devfs_mp, &devfs_vnops,
	    cdev != NULL ? VCHR : VDIR, dn);
	dn->dn_vnode->v_rdev = cdev;
	TAILQ_INSERT_TAIL(&dir->dn_children, dn, dn_link);
	return (dn);
}

struct cdev *
make_dev(const struct cdevsw *devsw, uint64_t rdev, uint32_t mode,
    const char *fmt, ...)
{
	struct devfs_node *dir, *dn;
	struct cdev *cdev;
	const char *p, *slash;
	va_list ap;

	cdev = malloc(sizeof(*cdev), M_DEVFS, M_WAITOK | M_ZERO);
	va_start(ap, fmt);
	vsnprintf(cdev->si_name, sizeof(cdev->si_name), fmt, ap);
	va_end(ap);
	cdev->si_devsw = devsw;
	cdev->si_rdev = rdev;
	cdev->si_mode = mode & ALLPERMS;
	devfs_init();
	mtx_lock(&devfs_mtx);
	dir = devfs_root;
	for (p = cdev->si_name; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
		dn = devfs_find(dir, p, (size_t)(slash - p));
		if (dn == NULL)
			dn = devfs_add(dir, p, (size_t)(slash - p), NULL);
		KASSERT(dn->dn_cdev == NULL,
		    ("make_dev: %s: a device is in the path", cdev->si_name));
		dir = dn;
	}
	KASSERT(*p != '\0' && devfs_find(dir, p, strlen(p)) == NULL,
	    ("make_dev: bad or duplicate name %s", cdev->si_name));
	(void)devfs_add(dir, p, strlen(p), cdev);
	mtx_unlock(&devfs_mtx);
	return (cdev);
}

static int
devfs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct devfs_node *dn;
	int error = 0;

	mtx_lock(&devfs_mtx);
	dn = devfs_find(dvp->v_data, name, len);
	if (dn == NULL)
		error = ENOENT;
	else {
		*vpp = dn->dn_vnode;
		vref(*vpp);
	}
	mtx_unlock(&devfs_mtx);
	return (error);
}

static int
devfs_getattr(struct vnode *vp, struct vattr *vap)
{
	struct devfs_node *dn = vp->v_data;

	vap->va_type = vp->v_type;
	if (dn->dn_cdev != NULL) {
		vap->va_mode = S_IFCHR | dn->dn_cdev->si_mode;
		vap->va_rdev = dn->dn_cdev->si_rdev;
		vap->va_nlink = 1;
	} else {
		vap->va_mode = S_IFDIR | 0755;
		vap->va_nlink = 2;
	}
	vap->va_ino = dn->dn_ino;
	vap->va_fsid = devfs_mp != NULL ? devfs_mp->mnt_fsid : 0;
	vap->va_blksize = PAGE_SIZE;
	return (0);
}

static int
devfs_readdir(struct vnode *vp, off_t *cookie, vop_dirent_cb_t *cb, void *arg)
{
	struct devfs_node *dir = vp->v_data, *dn;
	off_t i = 2;

	if (vp->v_type != VDIR)
		return (ENOTDIR);
	mtx_lock(&devfs_mtx);
	if (*cookie == 0) {
		if (cb(arg, ".", 1, dir->dn_ino, VDIR, 1) != 0)
			goto out;
		*cookie = 1;
	}
	if (*cookie == 1) {
		dn = dir->dn_parent != NULL ? dir->dn_parent : dir;
		if (cb(arg, "..", 2, dn->dn_ino, VDIR, 2) != 0)
			goto out;
		*cookie = 2;
	}
	/* Entries are only ever appended: their index is a stable cookie. */
	TAILQ_FOREACH(dn, &dir->dn_children, dn_link) {
		if (i++ < *cookie)
			continue;
		if (cb(arg, dn->dn_name, strlen(dn->dn_name), dn->dn_ino,
		    dn->dn_vnode->v_type, i) != 0)
			break;
		*cookie = i;
	}
out:
	mtx_unlock(&devfs_mtx);
	return (0);
}

static void
devfs_release(struct vnode *vp)
{
	u_int old = atomic_fetchadd_int(&vp->v_usecount, -1);

	/* The node's own reference is never dropped. */
	KASSERT(old > 1, ("devfs: vnode %p lost its node's reference", vp));
}

static int
devfs_parent(struct vnode *dvp, struct vnode **vpp)
{
	struct devfs_node *dn = dvp->v_data;

	*vpp = dn->dn_parent != NULL ? dn->dn_parent->dn_vnode : dvp;
	vref(*vpp);
	return (0);
}

static int
devfs_create(struct vnode *dvp, const char *name, size_t len, enum vtype type,
    uint32_t mode, const char *target, uint64_t rdev, struct vnode **vpp)
{
	return (EPERM);
}

static int
devfs_remove(struct vnode *dvp, const char *name, size_t len, int flags)
{
	return (EPERM);
}

static const struct vop_vector devfs_vnops = {
	.vop_lookup = devfs_lookup,
	.vop_create = devfs_create,
	.vop_remove = devfs_remove,
	.vop_getattr = devfs_getattr,
	.vop_readdir = devfs_readdir,
	.vop_release = devfs_release,
	.vop_parent = devfs_parent,
};

static int
devfs_mount(struct mount *mp, const char *args)
{
	devfs_init();
	mtx_lock(&devfs_mtx);
	if (devfs_mp == NULL) {
		/* Nodes made before the mount learn it now. */
		struct devfs_node *stack[8], *dn;
		int depth = 0;

		devfs_mp = mp;
		stack[depth++] = devfs_root;
		while (depth > 0) {
			struct devfs_node *dir = stack[--depth];

			dir->dn_vnode->v_mount = mp;
			TAILQ_FOREACH(dn, &dir->dn_children, dn_link) {
				if (dn->dn_cdev == NULL && depth < 8)
					stack[depth++] = dn;
				else
					dn->dn_vnode->v_mount = mp;
			}
		}
	}
	mtx_unlock(&devfs_mtx);
	mp->mnt_rootvp = devfs_root->dn_vnode;
	vref(mp->mnt_rootvp);
	return (0);
}

static const struct vfsops devfs_vfsops = {
	.vfs_name = "devfs",
	.vfs_mount = devfs_mount,
};
VFS_REGISTER(devfs_vfsops);

/* Open files of devices. */
static int
devfs_fread(struct file *fp, struct uio *uio, int flags)
{
	struct cdev *dev = fp->f_vnode->v_rdev;
	int ioflag = (fp->f_flag & FNONBLOCK) != 0 ? IO_NDELAY : 0;

	if (dev->si_devsw->d_fread != NULL)
		return (dev->si_devsw->d_fread(fp, uio, ioflag));
	if (dev->si_devsw->d_read == NULL)
		return (ENODEV);
	return (dev->si_devsw->d_read(dev, uio, ioflag));
}

static int
devfs_fwrite(struct file *fp, struct uio *uio, int flags)
{
	struct cdev *dev = fp->f_vnode->v_rdev;
	int ioflag = (fp->f_flag & FNONBLOCK) != 0 ? IO_NDELAY : 0;

	if (dev->si_devsw->d_fwrite != NULL)
		return (dev->si_devsw->d_fwrite(fp, uio, ioflag));
	if (dev->si_devsw->d_write == NULL)
		return (ENODEV);
	return (dev->si_devsw->d_write(dev, uio, ioflag));
}

static int
devfs_fioctl(struct file *fp, u_long cmd, void *data, struct thread *td)
{
	struct cdev *dev = fp->f_vnode->v_rdev;

	if (dev->si_devsw->d_ioctl == NULL)
		return (ENOTTY);
	return (dev->si_devsw->d_ioctl(dev, cmd, data, fp, td));
}

static int
devfs_fpoll(struct file *fp, int events, struct pollscan *ps)
{
	struct cdev *dev = fp->f_vnode->v_rdev;

	if (dev->si_devsw->d_fpoll != NULL)
		return (dev->si_devsw->d_fpoll(fp, events, ps));
	if (dev->si_devsw->d_poll == NULL)
		return (events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM));
	return (dev->si_devsw->d_poll(dev, events, ps));
}

static int
devfs_fstat(struct file *fp, struct vattr *vap)
{
	return (vn_getattr(fp->f_vnode, vap));
}

static int
devfs_fclose(struct file *fp)
{
	struct cdev *dev = fp->f_vnode->v_rdev;
	int error = 0;

	if (dev->si_devsw->d_close != NULL)
		error = dev->si_devsw->d_close(dev, fp);
	vrele(fp->f_vnode);
	return (error);
}

static const struct fileops devfs_fileops = {
	.fo_read = devfs_fread,
	.fo_write = devfs_fwrite,
	.fo_ioctl = devfs_fioctl,
	.fo_poll = devfs_fpoll,
	.fo_stat = devfs_fstat,
	.fo_close = devfs_fclose,
	/* The offset goes to the driver, which may ignore it. */
	.fo_seekable = true,
};

static const struct fileops devfs_notopen;

extern int (*vn_open_chr_hook)(struct vnode *, int, struct file *);

static int
devfs_open_chr(struct vnode *vp, int oflags, struct file *fp)
{
	struct cdev *dev = vp->v_rdev;
	int error = 0;

	if (dev == NULL)
		return (ENXIO);
	finit(fp, fp->f_flag, DTYPE_VNODE, dev, &devfs_fileops);
	if (dev->si_devsw->d_open != NULL)
		error = dev->si_devsw->d_open(dev, oflags, fp);
	if (error != 0)
		/* Not opened: closing must not reach the driver. */
		fp->f_ops = &devfs_notopen;
	return (error);
}

static void
devfs_hook(void *arg)
{
	vn_open_chr_hook = devfs_open_chr;
}
SYSINIT(devfs_hook, SI_SUB_KMEM, SI_ORDER_ANY, devfs_hook, NULL);
