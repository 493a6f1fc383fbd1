/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Vnode references and the vnode helpers other subsystems use (see the
 * lifetime rules in sys/vnode.h).
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <machine/atomic.h>

MALLOC_DEFINE(M_VNODE, "vnode", "vnodes");

struct vnode *rootvnode;

struct vnode *
vnode_alloc(struct mount *mp, const struct vop_vector *ops, enum vtype type,
    void *data)
{
	struct vnode *vp;

	KASSERT(ops->vop_release != NULL, ("vnode_alloc: no vop_release"));
	vp = malloc(sizeof(*vp), M_VNODE, M_WAITOK | M_ZERO);
	vp->v_type = type;
	vp->v_usecount = 1;
	vp->v_mount = mp;
	vp->v_op = ops;
	vp->v_data = data;
	return (vp);
}

void
vnode_free(struct vnode *vp)
{
	KASSERT(vp->v_usecount == 0,
	    ("vnode_free: %p still has %u references", vp, vp->v_usecount));
	KASSERT(vp->v_mountedhere == NULL, ("vnode_free: %p is covered", vp));
	free(vp, M_VNODE);
}

void
vref(struct vnode *vp)
{
	u_int old;

	old = atomic_fetchadd_int(&vp->v_usecount, 1);
	KASSERT(old < UINT32_MAX, ("vref: %p count overflow", vp));
}

void
vrele(struct vnode *vp)
{
	u_int old;

	/* Not the last reference: drop it here, no lock needed. */
	for (;;) {
		old = atomic_load_acq_int(&vp->v_usecount);
		KASSERT(old > 0, ("vrele: %p has no reference", vp));
		if (old == 1)
			break;
		if (atomic_cmpset_int(&vp->v_usecount, old, old - 1))
			return;
	}
	/* Perhaps the last: the file system decrements under its lock. */
	vp->v_op->vop_release(vp);
}

int
vn_getattr(struct vnode *vp, struct vattr *vap)
{
	if (vp->v_op->vop_getattr == NULL)
		return (EOPNOTSUPP);
	memset(vap, 0, sizeof(*vap));
	return (vp->v_op->vop_getattr(vp, vap));
}

int
vn_rdwr(enum uio_rw rw, struct vnode *vp, void *base, size_t len, off_t off,
    size_t *resid)
{
	struct iovec iov;
	struct uio uio;
	int error;

	if (len > UIO_RESID_MAX || off < 0)
		return (EINVAL);
	if (vp->v_type == VDIR)
		return (EISDIR);
	uio_init_sys(&uio, &iov, base, len, off, rw);
	if (rw == UIO_READ)
		error = vp->v_op->vop_read != NULL ?
		    vp->v_op->vop_read(vp, &uio, 0) : EOPNOTSUPP;
	else
		error = vp->v_op->vop_write != NULL ?
		    vp->v_op->vop_write(vp, &uio, 0) : EOPNOTSUPP;
	if (resid != NULL)
		*resid = (size_t)uio.uio_resid;
	else if (error == 0 && uio.uio_resid != 0)
		error = EIO;
	return (error);
}

int
vn_getpage(struct vnode *vp, off_t off, vm_paddr_t *pap)
{
	if (off < 0 || (off & (off_t)PAGE_MASK) != 0)
		return (EINVAL);
	if (vp->v_type != VREG || vp->v_op->vop_getpage == NULL)
		return (EOPNOTSUPP);
	return (vp->v_op->vop_getpage(vp, off, pap));
}
