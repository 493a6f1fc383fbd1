/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Mutexes.  MTX_SPIN locks disable interrupts on the owning CPU and may be
 * taken in interrupt context.  MTX_DEF (sleep) locks may only be taken in
 * thread context; a contended MTX_DEF lock yields the CPU to other threads
 * instead of spinning.
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
	register_t		mtx_saved_intr;	/* MTX_SPIN: caller's rflags */
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

#endif /* !_SYS_MUTEX_H_ */
