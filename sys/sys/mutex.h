/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Mutexes.  MTX_SPIN locks disable interrupts on the owning CPU and may be
 * taken in interrupt context.  MTX_DEF (sleep) locks may only be taken in
 * thread context; a contended MTX_DEF lock yields the CPU to other threads
 * instead of spinning.
 *
 * Lock rules, checked: no sleeping (msleep), yielding (kern_yield) or
 * taking a sleep mutex with a spin lock held, except the spin interlock
 * msleep drops; in an interrupt handler interrupts are always off when a
 * spin lock is taken.  Violations panic naming the spin lock held.
 */
#ifndef _SYS_MUTEX_H_
#define _SYS_MUTEX_H_

#include <sys/types.h>

#define MTX_DEF		0x0000
#define MTX_SPIN	0x0001
#define MTX_RECURSE	0x0004
#define MTX_NOWITNESS	0x0008

#define MA_OWNED	0x01
#define MA_NOTOWNED	0x02

struct thread;

struct mtx {
	volatile uintptr_t	mtx_lock;	/* owning thread, 0 if free */
	const char		*mtx_name;
	u_int			mtx_flags;
	u_int			mtx_recurse;
};

void	mtx_init(struct mtx *, const char *name, const char *type, int opts);
void	mtx_destroy(struct mtx *);
void	mtx_lock(struct mtx *);
void	mtx_unlock(struct mtx *);
int	mtx_trylock(struct mtx *);
void	mtx_lock_spin(struct mtx *);
void	mtx_unlock_spin(struct mtx *);
bool	mtx_owned(const struct mtx *);
void	_mtx_assert(const struct mtx *, int what, const char *file, int line);
#define mtx_assert(m, what)	_mtx_assert((m), (what), __FILE__, __LINE__)

/*
 * Interrupts off on this CPU, nested: the outermost spinlock_enter() saves
 * the interrupt flag, the matching outermost spinlock_exit() restores it, so
 * spin locks may be released in any order.  Every spin lock (spin mutexes,
 * the run-queue lock, the console lock) is taken inside one.
 */
void	spinlock_enter(void);
void	spinlock_exit(void);
/* This CPU's spinlock_enter() nesting (0: no spin lock held). */
u_int	spinlock_count(void);
/*
 * Name of the most recent spin mutex this CPU holds other than except (may
 * be NULL), or a placeholder when only unnamed spin sections (run queue,
 * console) are open; for panic messages.
 */
const char *spinlock_held_name(const struct mtx *except);

/*
 * Spin state of this CPU, saved when a recoverable section begins (a
 * ktest) and restored when it is abandoned (a panic recovered): spin
 * mutexes taken since are released and the nesting count rewound.
 */
struct spinlock_mark {
	u_int		sm_count;
	u_int		sm_nheld;
	register_t	sm_flags;
};
void	spinlock_mark(struct spinlock_mark *);
/* Returns how many spin mutexes it released. */
u_int	spinlock_unwind(const struct spinlock_mark *);

#endif /* !_SYS_MUTEX_H_ */
