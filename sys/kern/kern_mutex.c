/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Spin and sleep mutexes (see sys/mutex.h).  The lock word holds the owning
 * thread.  A spin lock keeps interrupts off on its CPU while held, so an
 * interrupt handler on the same CPU can never spin on it forever.  A sleep
 * lock gives the CPU to other threads of its CPU while it waits, which is
 * what lets two threads bound to one CPU share a lock.
 *
 * Interrupt state belongs to the CPU, not to a lock: spinlock_enter() nests
 * and only the outermost level saves and restores the flag.  A flag saved
 * in each lock would be right only if locks were released in the reverse
 * order of taking them; releasing the outer one first would turn interrupts
 * back on with the inner one still held.
 */
#include <sys/param.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/cpufunc.h>
#include <machine/intr.h>

/* Spins this many times before a contended sleep lock starts yielding. */
#define MTX_SPIN_BEFORE_YIELD	100

void
spinlock_enter(void)
{
	struct pcpu *pc;
	register_t rf;

	/* Off first: an interrupt handler may nest spin locks of its own. */
	rf = intr_disable();
	pc = get_pcpu();
	if (pc->pc_spin_count == 0)
		pc->pc_spin_flags = rf;
	pc->pc_spin_count++;
}

void
spinlock_exit(void)
{
	struct pcpu *pc = get_pcpu();

	KASSERT(pc->pc_spin_count > 0, ("spinlock_exit without spinlock_enter"));
	KASSERT((read_rflags() & PSL_I) == 0,
	    ("spinlock_exit with interrupts on (count %u)", pc->pc_spin_count));
	if (--pc->pc_spin_count == 0)
		intr_restore(pc->pc_spin_flags);
}

u_int
spinlock_count(void)
{
	return (get_pcpu()->pc_spin_count);
}

const char *
spinlock_held_name(const struct mtx *except)
{
	struct pcpu *pc = get_pcpu();

	for (u_int i = pc->pc_spin_nheld; i > 0; i--) {
		if (pc->pc_spin_held[i - 1] != except)
			return (pc->pc_spin_held[i - 1]->mtx_name);
	}
	return ("(run queue or console)");
}

static void
spin_held_push(struct mtx *m)
{
	struct pcpu *pc = get_pcpu();

	if (pc->pc_spin_nheld == PCPU_SPIN_HELD_MAX)
		panic("mtx_lock_spin(%s): %d spin mutexes already held",
		    m->mtx_name, PCPU_SPIN_HELD_MAX);
	pc->pc_spin_held[pc->pc_spin_nheld++] = m;
}

/* Locks may go in any order: drop m wherever it is in the record. */
static void
spin_held_remove(struct mtx *m)
{
	struct pcpu *pc = get_pcpu();
	u_int i = pc->pc_spin_nheld;

	while (i > 0 && pc->pc_spin_held[i - 1] != m)
		i--;
	if (i == 0)
		panic("mtx_unlock_spin(%s): not in this CPU's held record",
		    m->mtx_name);
	for (; i < pc->pc_spin_nheld; i++)
		pc->pc_spin_held[i - 1] = pc->pc_spin_held[i];
	pc->pc_spin_nheld--;
}

void
spinlock_mark(struct spinlock_mark *sm)
{
	struct pcpu *pc = get_pcpu();

	sm->sm_count = pc->pc_spin_count;
	sm->sm_nheld = pc->pc_spin_nheld;
	sm->sm_flags = pc->pc_spin_flags;
}

u_int
spinlock_unwind(const struct spinlock_mark *sm)
{
	struct pcpu *pc = get_pcpu();
	u_int released = 0;

	KASSERT((read_rflags() & PSL_I) == 0 || pc->pc_spin_count == 0,
	    ("spinlock_unwind with interrupts on and %u spin sections",
	    pc->pc_spin_count));
	while (pc->pc_spin_nheld > sm->sm_nheld) {
		struct mtx *m = pc->pc_spin_held[--pc->pc_spin_nheld];

		m->mtx_recurse = 0;
		atomic_store_rel_ptr(&m->mtx_lock, 0);
		released++;
	}
	pc->pc_spin_count = sm->sm_count;
	pc->pc_spin_flags = sm->sm_flags;
	return (released);
}

void
mtx_init(struct mtx *m, const char *name, const char *type __unused, int opts)
{
	m->mtx_lock = 0;
	m->mtx_name = name;
	m->mtx_flags = (u_int)opts;
	m->mtx_recurse = 0;
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
	/* Waiting may yield, and a spin lock holder must not. */
	if (spinlock_count() != 0)
		panic("mtx_lock(%s) with spin lock %s held", m->mtx_name,
		    spinlock_held_name(NULL));
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
	struct pcpu *pc;

	if ((m->mtx_flags & MTX_SPIN) == 0)
		panic("mtx_lock_spin on sleep mutex %s", m->mtx_name);
	/* Delivery clears IF; a handler that has it set lets itself nest. */
	KASSERT(intr_nesting() == 0 || (read_rflags() & PSL_I) == 0,
	    ("mtx_lock_spin(%s) in an interrupt handler with interrupts on",
	    m->mtx_name));
	spinlock_enter();
	if (mtx_try_recurse(m, self))
		return;
	pc = get_pcpu();
	while (!atomic_cmpset_ptr(&m->mtx_lock, 0, self)) {
		/*
		 * Holding no other spin lock, wait with interrupts as the
		 * caller had them; the lock itself is not ours yet.
		 */
		bool open = pc->pc_spin_count == 1 &&
		    (pc->pc_spin_flags & PSL_I) != 0;

		if (open)
			enable_intr();
		while (m->mtx_lock != 0)
			cpu_spinwait();
		if (open)
			disable_intr();
	}
	spin_held_push(m);
}

void
mtx_unlock_spin(struct mtx *m)
{
	if ((m->mtx_flags & MTX_SPIN) == 0)
		panic("mtx_unlock_spin on sleep mutex %s", m->mtx_name);
	if (m->mtx_lock != (uintptr_t)curthread)
		panic("mtx_unlock_spin of %s not owned by this thread",
		    m->mtx_name);
	if (m->mtx_recurse > 0) {
		m->mtx_recurse--;
		spinlock_exit();
		return;
	}
	spin_held_remove(m);
	atomic_store_rel_ptr(&m->mtx_lock, 0);
	spinlock_exit();
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
