/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Spin and sleep mutexes (see sys/mutex.h).  The lock word holds the owning
 * thread.  A spin lock keeps interrupts off on its CPU while held, so an
 * interrupt handler on the same CPU can never spin on it forever.  A sleep
 * lock gives the CPU to other threads of its CPU while it waits, which is
 * what lets two threads bound to one CPU share a lock.
 */
#include <sys/param.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>

/* Spins this many times before a contended sleep lock starts yielding. */
#define MTX_SPIN_BEFORE_YIELD	100

void
mtx_init(struct mtx *m, const char *name, const char *type __unused, int opts)
{
	m->mtx_lock = 0;
	m->mtx_name = name;
	m->mtx_flags = (u_int)opts;
	m->mtx_recurse = 0;
	m->mtx_saved_intr = 0;
}

void
mtx_destroy(struct mtx *m)
{
	if (m->mtx_lock != 0)
		panic("mtx_destroy: %s is held", m->mtx_name);
	m->mtx_name = NULL;
}

static bool
mtx_try_recurse(struct mtx *m, uintptr_t self)
{
	if (self == 0 || m->mtx_lock != self)
		return (false);
	if ((m->mtx_flags & MTX_RECURSE) == 0)
		panic("mutex %s recursed without MTX_RECURSE", m->mtx_name);
	m->mtx_recurse++;
	return (true);
}

void
mtx_lock(struct mtx *m)
{
	uintptr_t self = (uintptr_t)curthread;

	if (m->mtx_flags & MTX_SPIN)
		panic("mtx_lock on spin mutex %s", m->mtx_name);
	if (mtx_try_recurse(m, self))
		return;
	for (u_int spins = 0; !atomic_cmpset_ptr(&m->mtx_lock, 0, self);
	    spins++) {
		/*
		 * The owner may be a thread of this CPU that cannot run
		 * until we let it; yielding is a no-op with nothing queued.
		 */
		if (spins >= MTX_SPIN_BEFORE_YIELD)
			kern_yield();
		else
			cpu_spinwait();
	}
}

int
mtx_trylock(struct mtx *m)
{
	uintptr_t self = (uintptr_t)curthread;

	if (m->mtx_flags & MTX_SPIN)
		panic("mtx_trylock on spin mutex %s", m->mtx_name);
	if (m->mtx_lock == self && (m->mtx_flags & MTX_RECURSE)) {
		m->mtx_recurse++;
		return (1);
	}
	return (atomic_cmpset_ptr(&m->mtx_lock, 0, self));
}

void
mtx_unlock(struct mtx *m)
{
	if (m->mtx_flags & MTX_SPIN)
		panic("mtx_unlock on spin mutex %s", m->mtx_name);
	if (m->mtx_lock != (uintptr_t)curthread)
		panic("mtx_unlock of %s not owned by this thread", m->mtx_name);
	if (m->mtx_recurse > 0) {
		m->mtx_recurse--;
		return;
	}
	atomic_store_rel_ptr(&m->mtx_lock, 0);
}

void
mtx_lock_spin(struct mtx *m)
{
	uintptr_t self = (uintptr_t)curthread;
	register_t rf;

	if ((m->mtx_flags & MTX_SPIN) == 0)
		panic("mtx_lock_spin on sleep mutex %s", m->mtx_name);
	rf = intr_disable();
	if (mtx_try_recurse(m, self))
		return;
	while (!atomic_cmpset_ptr(&m->mtx_lock, 0, self)) {
		/* Let interrupts in while waiting, as the caller had them. */
		intr_restore(rf);
		while (m->mtx_lock != 0)
			cpu_spinwait();
		intr_disable();
	}
	m->mtx_saved_intr = rf;
}

void
mtx_unlock_spin(struct mtx *m)
{
	register_t rf;

	if ((m->mtx_flags & MTX_SPIN) == 0)
		panic("mtx_unlock_spin on sleep mutex %s", m->mtx_name);
	if (m->mtx_lock != (uintptr_t)curthread)
		panic("mtx_unlock_spin of %s not owned by this thread",
		    m->mtx_name);
	if (m->mtx_recurse > 0) {
		m->mtx_recurse--;
		return;
	}
	rf = m->mtx_saved_intr;
	atomic_store_rel_ptr(&m->mtx_lock, 0);
	intr_restore(rf);
}

bool
mtx_owned(const struct mtx *m)
{
	return (m->mtx_lock == (uintptr_t)curthread);
}

void
_mtx_assert(const struct mtx *m, int what, const char *file, int line)
{
	if ((what & MA_OWNED) && !mtx_owned(m))
		panic("mutex %s not owned at %s:%d", m->mtx_name, file, line);
	if ((what & MA_NOTOWNED) && mtx_owned(m))
		panic("mutex %s owned at %s:%d", m->mtx_name, file, line);
}
