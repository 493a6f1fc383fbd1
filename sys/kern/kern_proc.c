/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The process table: pids, the list of all processes, process groups and
 * sessions, and the creation of an empty process.
 *
 * Locks: proctree_mtx (sleep) covers the process list, pids, parent and
 * child links, groups and sessions, and p_state.  p_mtx (sleep) covers a
 * process's threads list; p_spin (spin, interrupt-safe) its signal state.
 * Order: proctree_mtx, then p_mtx, then p_spin.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <asm-generic/resource.h>

#include "kern_proc_priv.h"

MALLOC_DEFINE(M_PROC, "proc", "processes, groups and sessions");

CTASSERT(PROC_RLIMIT_NOFILE == RLIMIT_NOFILE);
CTASSERT(PROC_NLIMITS == RLIM_NLIMITS);

#define PID_MAX		32767

struct proc_alloc {
	struct proc	pa_proc;
	struct mtx	pa_mtx;
	struct mtx	pa_spin;
};

struct mtx		proctree_mtx;
struct proclist		allproc = LIST_HEAD_INITIALIZER(allproc);
static LIST_HEAD(, pgrp) allpgrp = LIST_HEAD_INITIALIZER(allpgrp);
static pid_t		lastpid;
static u_int		nprocs;
static u_int		next_cpu;
struct proc		*initproc;

static void
proc_init(void *arg __unused)
{
	mtx_init(&proctree_mtx, "proctree", NULL, MTX_DEF);
}
SYSINIT(proc, SI_SUB_LOCK, SI_ORDER_ANY, proc_init, NULL);

void
proctree_lock(void)
{
	mtx_lock(&proctree_mtx);
}

void
proctree_unlock(void)
{
	mtx_unlock(&proctree_mtx);
}

struct proc *
pfind_locked(pid_t pid)
{
	struct proc *p;

	mtx_assert(&proctree_mtx, MA_OWNED);
	LIST_FOREACH(p, &allproc, p_list) {
		if (p->p_pid == pid && p->p_state == PRS_NORMAL)
			return (p);
	}
	return (NULL);
}

struct pgrp *
pgfind(pid_t pgid)
{
	struct pgrp *pg;

	mtx_assert(&proctree_mtx, MA_OWNED);
	LIST_FOREACH(pg, &allpgrp, pg_hash) {
		if (pg->pg_id == pgid)
			return (pg);
	}
	return (NULL);
}

/* True if some process, group or session already uses id. */
static bool
pid_in_use(pid_t id)
{
	struct proc *p;
	struct thread *td;

	LIST_FOREACH(p, &allproc, p_list) {
		if (p->p_pid == id)
			return (true);
		TAILQ_FOREACH(td, &p->p_threads, td_plist) {
			if (td->td_utid == id)
				return (true);
		}
	}
	return (pgfind(id) != NULL);
}

pid_t
pid_alloc_locked(void)
{
	mtx_assert(&proctree_mtx, MA_OWNED);
	for (int tries = 0; tries < PID_MAX; tries++) {
		if (++lastpid > PID_MAX)
			lastpid = 1;
		if (!pid_in_use(lastpid))
			return (lastpid);
	}
	return (0);
}

/* Puts p in group pg (proctree locked), leaving its old one. */
void
pgrp_enter_locked(struct proc *p, struct pgrp *pg)
{
	struct pgrp *old = p->p_pgrp;

	mtx_assert(&proctree_mtx, MA_OWNED);
	if (old == pg)
		return;
	if (old != NULL)
		pgrp_leave_locked(p);
	p->p_pgrp = pg;
	LIST_INSERT_HEAD(&pg->pg_members, p, p_pglist);
}

/* Takes p out of its group, freeing an empty group (and session). */
void
pgrp_leave_locked(struct proc *p)
{
	struct pgrp *pg = p->p_pgrp;
	struct session *s;

	if (pg == NULL)
		return;
	LIST_REMOVE(p, p_pglist);
	p->p_pgrp = NULL;
	if (!LIST_EMPTY(&pg->pg_members))
		return;
	LIST_REMOVE(pg, pg_hash);
	s = pg->pg_session;
	if (--s->s_count == 0)
		free(s, M_PROC);
	free(pg, M_PROC);
}

int
pgrp_create_locked(struct proc *p, pid_t pgid, struct session *s,
    struct pgrp **pgp)
{
	struct pgrp *pg;

	pg = malloc(sizeof(*pg), M_PROC, M_WAITOK | M_ZERO);
	if (pg == NULL)
		return (ENOMEM);
	if (s == NULL) {
		s = malloc(sizeof(*s), M_PROC, M_WAITOK | M_ZERO);
		if (s == NULL) {
			free(pg, M_PROC);
			return (ENOMEM);
		}
		s->s_sid = p->p_pid;
		s->s_leader = p;
	}
	s->s_count++;
	pg->pg_id = pgid;
	pg->pg_session = s;
	LIST_INIT(&pg->pg_members);
	LIST_INSERT_HEAD(&allpgrp, pg, pg_hash);
	pgrp_enter_locked(p, pg);
	if (pgp != NULL)
		*pgp = pg;
	return (0);
}

static void
limits_default(struct plimit *pl)
{
	for (int i = 0; i < PROC_NLIMITS; i++) {
		pl->pl_cur[i] = PROC_RLIM_INFINITY;
		pl->pl_max[i] = PROC_RLIM_INFINITY;
	}
	pl->pl_cur[RLIMIT_NOFILE] = 1024;
	pl->pl_max[RLIMIT_NOFILE] = 4096;
	pl->pl_cur[RLIMIT_STACK] = 8UL << 20;
	pl->pl_cur[RLIMIT_CORE] = 0;
}

int
proc_create(struct proc *parent, const char *comm, struct proc **pp)
{
	struct proc_alloc *pa;
	struct proc *p;
	int error = 0;

	pa = malloc(sizeof(*pa), M_PROC, M_WAITOK | M_ZERO);
	if (pa == NULL)
		return (ENOMEM);
	p = &pa->pa_proc;
	mtx_init(&pa->pa_mtx, "proc", NULL, MTX_DEF);
	mtx_init(&pa->pa_spin, "procsig", NULL, MTX_SPIN);
	p->p_mtx_ptr = &pa->pa_mtx;
	p->p_spin_ptr = &pa->pa_spin;
	callout_init(&p->p_itreal, 1);
	p->p_state = PRS_NEW;
	p->p_exitsig = 17;		/* SIGCHLD */
	LIST_INIT(&p->p_children);
	TAILQ_INIT(&p->p_threads);
	strlcpy(p->p_comm, comm, sizeof(p->p_comm));
	if (parent != NULL) {
		p->p_limit = parent->p_limit;
		memcpy(p->p_sigacts, parent->p_sigacts, sizeof(p->p_sigacts));
	} else {
		limits_default(&p->p_limit);
	}
	/* Spread processes over the CPUs; a process keeps its CPU. */
	p->p_cpu = (int)(__atomic_fetch_add(&next_cpu, 1, __ATOMIC_RELAXED) %
	    mp_ncpus);

	proctree_lock();
	if ((p->p_pid = pid_alloc_locked()) == 0)
		error = EAGAIN;
	else if (parent != NULL && parent->p_pgrp != NULL)
		pgrp_enter_locked(p, parent->p_pgrp);
	else
		error = pgrp_create_locked(p, p->p_pid, NULL, NULL);
	if (error != 0) {
		proctree_unlock();
		free(pa, M_PROC);
		return (error);
	}
	p->p_pptr = parent;
	p->p_ppid = parent != NULL ? parent->p_pid : 0;
	if (parent != NULL)
		LIST_INSERT_HEAD(&parent->p_children, p, p_sibling);
	LIST_INSERT_HEAD(&allproc, p, p_list);
	nprocs++;
	proctree_unlock();
	*pp = p;
	return (0);
}

/* Frees a reaped zombie (or a process that never ran); proctree locked. */
void
proc_free_locked(struct proc *p)
{
	struct proc_alloc *pa = (struct proc_alloc *)p;

	mtx_assert(&proctree_mtx, MA_OWNED);
	KASSERT(TAILQ_EMPTY(&p->p_threads), ("proc_free: pid %d has threads",
	    p->p_pid));
	KASSERT(LIST_EMPTY(&p->p_children), ("proc_free: pid %d has children",
	    p->p_pid));
	LIST_REMOVE(p, p_list);
	if (p->p_pptr != NULL) {
		/* Reaped: its CPU time and its children's become the parent's. */
		p->p_pptr->p_cruntime += p->p_runtime_gone + p->p_cruntime;
		p->p_pptr->p_csystime += p->p_systime_gone + p->p_csystime;
		LIST_REMOVE(p, p_sibling);
	}
	pgrp_leave_locked(p);
	nprocs--;
	free(p->p_exe, M_PROC);
	mtx_destroy(&pa->pa_mtx);
	mtx_destroy(&pa->pa_spin);
	free(pa, M_PROC);
}

void
proc_set_exe(struct proc *p, const char *path)
{
	char *copy = NULL, *old;

	if (path != NULL) {
		size_t n = strlen(path) + 1;

		copy = malloc(n, M_PROC, M_WAITOK);
		if (copy != NULL)
			memcpy(copy, path, n);
	}
	proctree_lock();
	old = p->p_exe;
	p->p_exe = copy;
	proctree_unlock();
	free(old, M_PROC);
}

void
proc_cputime(struct proc *p, uint64_t *total, uint64_t *sys)
{
	struct thread *td;
	uint64_t t, s;

	/* The spin lock: callable under any sleep lock (procfs, proctree). */
	mtx_lock_spin(p->p_spin_ptr);
	t = p->p_runtime_gone;
	s = p->p_systime_gone;
	TAILQ_FOREACH(td, &p->p_threads, td_plist) {
		t += thread_runtime(td);
		s += thread_systime(td);
	}
	mtx_unlock_spin(p->p_spin_ptr);
	*total = t;
	*sys = MIN(s, t);
}

u_int
proc_count(void)
{
	return (nprocs);
}
