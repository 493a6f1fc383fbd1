/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Atomic operations, on the compiler's __atomic builtins.
 */
#ifndef _MACHINE_ATOMIC_H_
#define _MACHINE_ATOMIC_H_

#include <sys/types.h>

#define atomic_load_acq_int(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_load_acq_64(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_load_acq_ptr(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_store_rel_int(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define atomic_store_rel_64(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define atomic_store_rel_ptr(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define atomic_add_int(p, v)		((void)__atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST))
#define atomic_subtract_int(p, v)	((void)__atomic_fetch_sub((p), (v), __ATOMIC_SEQ_CST))
#define atomic_add_64(p, v)		((void)__atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST))
#define atomic_fetchadd_int(p, v)	__atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)
#define atomic_fetchadd_64(p, v)	__atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)
#define atomic_set_int(p, v)		((void)__atomic_fetch_or((p), (v), __ATOMIC_SEQ_CST))
#define atomic_clear_int(p, v)		((void)__atomic_fetch_and((p), ~(v), __ATOMIC_SEQ_CST))
#define atomic_set_long(p, v)		((void)__atomic_fetch_or((p), (v), __ATOMIC_SEQ_CST))
#define atomic_clear_long(p, v)		((void)__atomic_fetch_and((p), ~(v), __ATOMIC_SEQ_CST))
#define atomic_swap_long(p, v)		__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
#define atomic_readandclear_long(p)	__atomic_exchange_n((p), 0, __ATOMIC_SEQ_CST)

static inline int
atomic_cmpset_int(volatile u_int *p, u_int expect, u_int src)
{
	return (__atomic_compare_exchange_n(p, &expect, src, 0, __ATOMIC_SEQ_CST,
	    __ATOMIC_SEQ_CST));
}

static inline int
atomic_cmpset_long(volatile u_long *p, u_long expect, u_long src)
{
	return (__atomic_compare_exchange_n(p, &expect, src, 0, __ATOMIC_SEQ_CST,
	    __ATOMIC_SEQ_CST));
}

static inline int
atomic_cmpset_ptr(volatile uintptr_t *p, uintptr_t expect, uintptr_t src)
{
	return (__atomic_compare_exchange_n(p, &expect, src, 0, __ATOMIC_SEQ_CST,
	    __ATOMIC_SEQ_CST));
}

/* Bit operations on arrays of longs (event-channel bitmaps and the like). */
static inline int
atomic_testandset_long(volatile u_long *p, u_int bit)
{
	u_long m = 1UL << (bit % 64);

	return ((__atomic_fetch_or(p + bit / 64, m, __ATOMIC_SEQ_CST) & m) != 0);
}

static inline int
atomic_testandclear_long(volatile u_long *p, u_int bit)
{
	u_long m = 1UL << (bit % 64);

	return ((__atomic_fetch_and(p + bit / 64, ~m, __ATOMIC_SEQ_CST) & m) != 0);
}

#define mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)

#endif /* !_MACHINE_ATOMIC_H_ */
