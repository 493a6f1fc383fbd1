/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * flock(2) locks: advisory, whole-file, owned by an open file (so dup'd
 * and inherited descriptors share them), shared or exclusive, dropped by
 * LOCK_UN or the file's last close.  Few files are locked at a time, so
 * the locks are one list under flock_mtx; a waiter sleeps until any lock
 * goes away and looks again.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <kern/vfs_flock.h>

MALLOC_DEFINE(M_FLOCK, "flock", "flock(2) locks");

struct flock_ent {
	LIST_ENTRY(flock_ent)	fe_link;
	struct vnode		*fe_vp;
	struct file		*fe_fp;
	bool			fe_excl;
};

static struct mtx	flock_mtx;
static LIST_HEAD(, flock_ent) flock_list = LIST_HEAD_INITIALIZER(flock_list);
static u_int		flock_count;	/* flock_mtx; read unlocked at close */

static void
flock_init(void *arg __unused)
{
	mtx_init(&flock_mtx, "flock", NULL, MTX_DEF);
}
SYSINIT(flock_init, SI_SUB_LOCK, SI_ORDER_ANY, flock_init, NULL);

static struct flock_ent *
flock_find(struct vnode *vp, struct file *fp)
{
	struct flock_ent *fe;

	mtx_assert(&flock_mtx, MA_OWNED);
	LIST_FOREACH(fe, &flock_list, fe_link) {
		if (fe->fe_vp == vp && fe->fe_fp == fp)
			return (fe);
	}
	return (NULL);
}

/* Another file's lock on vp stands in the way of this one. */
static bool
flock_conflict(struct vnode *vp, struct file *fp, bool excl)
{
	struct flock_ent *fe;

	mtx_assert(&flock_mtx, MA_OWNED);
	LIST_FOREACH(fe, &flock_list, fe_link) {
		if (fe->fe_vp == vp && fe->fe_fp != fp && (excl || fe->fe_excl))
			return (true);
	}
	return (false);
}

static void
flock_remove(struct flock_ent *fe)
{
	mtx_assert(&flock_mtx, MA_OWNED);
	LIST_REMOVE(fe, fe_link);
	KASSERT(flock_count > 0, ("flock: count underflow"));
	flock_count--;
	wakeup(&flock_list);
}

int
vn_flock(struct file *fp, int op, bool nowait)
{
	struct vnode *vp = fp->f_vnode;
	struct flock_ent *fe, *fresh = NULL, *old = NULL;
	bool excl = op == VN_FLOCK_EX;
	int error = 0;

	if (op != VN_FLOCK_UN)
		fresh = malloc(sizeof(*fresh), M_FLOCK, M_WAITOK | M_ZERO);
	mtx_lock(&flock_mtx);
	fe = flock_find(vp, fp);
	if (op == VN_FLOCK_UN || (fe != NULL && fe->fe_excl != excl)) {
		/* A conversion is an unlock then a lock, as on Linux. */
		if (fe != NULL)
			flock_remove(fe);
		old = fe;
		fe = NULL;
	}
	if (op == VN_FLOCK_UN || fe != NULL)
		goto out;	/* unlocked, or already held so */
	while (flock_conflict(vp, fp, excl)) {
		if (nowait) {
			error = EWOULDBLOCK;
			goto out;
		}
		if ((error = msleep_sig(&flock_list, &flock_mtx, "flock", 0)) != 0)
			goto out;
	}
	fresh->fe_vp = vp;
	fresh->fe_fp = fp;
	fresh->fe_excl = excl;
	LIST_INSERT_HEAD(&flock_list, fresh, fe_link);
	flock_count++;
	fresh = NULL;
out:
	mtx_unlock(&flock_mtx);
	free(fresh, M_FLOCK);
	free(old, M_FLOCK);
	return (error);
}

void
vn_flock_close(struct file *fp)
{
	struct flock_ent *fe;

	/* Nothing is locked almost always: skip the lock then. */
	if (__atomic_load_n(&flock_count, __ATOMIC_RELAXED) == 0)
		return;
	mtx_lock(&flock_mtx);
	fe = flock_find(fp->f_vnode, fp);
	if (fe != NULL)
		flock_remove(fe);
	mtx_unlock(&flock_mtx);
	free(fe, M_FLOCK);
}
