/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * fcntl byte-range locks, advisory.  POSIX locks belong to a descriptor
 * table, so closing any descriptor of the file drops them all and a fork
 * child holds none; OFD locks belong to an open file and go with its last
 * close.  An owner's locks on a file never overlap: a new lock replaces
 * what the owner held on its range, and touching locks of one type merge,
 * so F_GETLK reports ranges as Linux does.  Few files are locked at a
 * time: one list under lockf_mtx; a waiter sleeps until any lock changes
 * and looks again.  No deadlock detection (Linux's EDEADLK).
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

#include <kern/vfs_lockf.h>

MALLOC_DEFINE(M_LOCKF, "lockf", "fcntl byte-range locks");

struct lockf_ent {
	LIST_ENTRY(lockf_ent)	lf_link;
	struct vnode		*lf_vp;
	struct lf_owner		lf_owner;
	int			lf_type;	/* LF_RDLCK or LF_WRLCK */
	off_t			lf_start, lf_end;	/* inclusive */
};

static struct mtx	lockf_mtx;
static LIST_HEAD(, lockf_ent) lockf_list = LIST_HEAD_INITIALIZER(lockf_list);
static u_int		lockf_count;	/* lockf_mtx; read unlocked at close */

static void
lockf_init(void *arg __unused)
{
	mtx_init(&lockf_mtx, "lockf", NULL, MTX_DEF);
}
SYSINIT(lockf_init, SI_SUB_LOCK, SI_ORDER_ANY, lockf_init, NULL);

static bool
overlaps(const struct lockf_ent *lf, off_t start, off_t end)
{
	return (lf->lf_start <= end && start <= lf->lf_end);
}

/* The first lock of another owner that type on [start, end] conflicts with. */
static struct lockf_ent *
lockf_conflict(struct vnode *vp, const void *id, int type, off_t start,
    off_t end)
{
	struct lockf_ent *lf;

	mtx_assert(&lockf_mtx, MA_OWNED);
	LIST_FOREACH(lf, &lockf_list, lf_link) {
		if (lf->lf_vp == vp && lf->lf_owner.lo_id != id &&
		    overlaps(lf, start, end) &&
		    (type == LF_WRLCK || lf->lf_type == LF_WRLCK))
			return (lf);
	}
	return (NULL);
}

static struct lockf_ent *
lockf_alloc(void)
{
	return (malloc(sizeof(struct lockf_ent), M_LOCKF, M_WAITOK | M_ZERO));
}

static void
lockf_insert(struct lockf_ent *lf)
{
	LIST_INSERT_HEAD(&lockf_list, lf, lf_link);
	lockf_count++;
}

static void
lockf_remove(struct lockf_ent *lf)
{
	LIST_REMOVE(lf, lf_link);
	KASSERT(lockf_count > 0, ("lockf: count underflow"));
	lockf_count--;
}

/*
 * Cuts [start, end] out of id's locks on vp.  A lock that covers the
 * range on both sides is split, which needs *spare (then used: NULL).
 * Freed entries go onto *dead, freed by the caller after the unlock.
 */
static void
lockf_cut(struct vnode *vp, const void *id, off_t start, off_t end,
    struct lockf_ent **spare, struct lockf_ent **dead)
{
	struct lockf_ent *lf, *next;

	mtx_assert(&lockf_mtx, MA_OWNED);
	LIST_FOREACH_SAFE(lf, &lockf_list, lf_link, next) {
		if (lf->lf_vp != vp || lf->lf_owner.lo_id != id ||
		    !overlaps(lf, start, end))
			continue;
		if (lf->lf_start < start && lf->lf_end > end) {
			struct lockf_ent *tail = *spare;

			*spare = NULL;
			*tail = *lf;
			tail->lf_start = end + 1;
			lockf_insert(tail);
			lf->lf_end = start - 1;
		} else if (lf->lf_start < start)
			lf->lf_end = start - 1;
		else if (lf->lf_end > end)
			lf->lf_start = end + 1;
		else {
			lockf_remove(lf);
			LIST_NEXT(lf, lf_link) = *dead;
			*dead = lf;
		}
	}
}

/* Merges nl with id's touching locks of its type; nl is on the list. */
static void
lockf_merge(struct lockf_ent *nl, struct lockf_ent **dead)
{
	struct lockf_ent *lf, *next;

	LIST_FOREACH_SAFE(lf, &lockf_list, lf_link, next) {
		if (lf == nl || lf->lf_vp != nl->lf_vp ||
		    lf->lf_owner.lo_id != nl->lf_owner.lo_id ||
		    lf->lf_type != nl->lf_type)
			continue;
		if ((lf->lf_end != LF_END && lf->lf_end + 1 == nl->lf_start) ||
		    (nl->lf_end != LF_END && nl->lf_end + 1 == lf->lf_start)) {
			nl->lf_start = MIN(nl->lf_start, lf->lf_start);
			nl->lf_end = MAX(nl->lf_end, lf->lf_end);
			lockf_remove(lf);
			LIST_NEXT(lf, lf_link) = *dead;
			*dead = lf;
		}
	}
}

static void
lockf_free_list(struct lockf_ent *dead)
{
	while (dead != NULL) {
		struct lockf_ent *next = LIST_NEXT(dead, lf_link);

		free(dead, M_LOCKF);
		dead = next;
	}
}

int
vn_lockf_set(struct vnode *vp, const struct lf_owner *owner, int type,
    off_t start, off_t end, bool nowait)
{
	struct lockf_ent *nl = NULL, *spare, *dead = NULL;
	int error = 0;

	KASSERT(start >= 0 && start <= end, ("lockf: range %jd-%jd",
	    (intmax_t)start, (intmax_t)end));
	spare = lockf_alloc();
	if (type != LF_UNLCK)
		nl = lockf_alloc();
	mtx_lock(&lockf_mtx);
	if (type != LF_UNLCK) {
		while (lockf_conflict(vp, owner->lo_id, type, start, end) !=
		    NULL) {
			if (nowait) {
				error = EAGAIN;
				goto out;
			}
			if ((error = msleep_sig(&lockf_list, &lockf_mtx,
			    "lockf", 0)) != 0)
				goto out;
		}
	}
	lockf_cut(vp, owner->lo_id, start, end, &spare, &dead);
	if (nl != NULL) {
		nl->lf_vp = vp;
		nl->lf_owner = *owner;
		nl->lf_type = type;
		nl->lf_start = start;
		nl->lf_end = end;
		lockf_insert(nl);
		lockf_merge(nl, &dead);
		nl = NULL;
	}
	/* Something changed (a lock went or got weaker): waiters look again. */
	wakeup(&lockf_list);
out:
	mtx_unlock(&lockf_mtx);
	free(nl, M_LOCKF);
	free(spare, M_LOCKF);
	lockf_free_list(dead);
	return (error);
}

void
vn_lockf_get(struct vnode *vp, const struct lf_owner *owner, int *type,
    off_t *start, off_t *end, pid_t *pid)
{
	struct lockf_ent *lf;

	mtx_lock(&lockf_mtx);
	lf = lockf_conflict(vp, owner->lo_id, *type, *start, *end);
	if (lf != NULL) {
		*type = lf->lf_type;
		*start = lf->lf_start;
		*end = lf->lf_end;
		*pid = lf->lf_owner.lo_ofd ? -1 : lf->lf_owner.lo_pid;
	} else
		*type = LF_UNLCK;
	mtx_unlock(&lockf_mtx);
}

void
vn_lockf_release(struct vnode *vp, const void *id)
{
	struct lockf_ent *spare = NULL, *dead = NULL;

	/* Nothing is locked almost always: skip the lock then. */
	if (__atomic_load_n(&lockf_count, __ATOMIC_RELAXED) == 0)
		return;
	mtx_lock(&lockf_mtx);
	/* The whole range: never a split, so no spare is needed. */
	lockf_cut(vp, id, 0, LF_END, &spare, &dead);
	if (dead != NULL)
		wakeup(&lockf_list);
	mtx_unlock(&lockf_mtx);
	lockf_free_list(dead);
}

void
fd_lockf_drop(struct filedesc *fdp, struct file *fp)
{
	if (fp->f_type == DTYPE_VNODE && fp->f_vnode != NULL)
		vn_lockf_release(fp->f_vnode, fdp);
}
