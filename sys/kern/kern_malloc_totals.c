/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The sum of every malloc type's live allocations: what a leak check
 * counts before and after a piece of work, without having to know which
 * types the work's code (and the code it calls) allocates from.
 */
#include <sys/param.h>
#include <sys/linker_set.h>
#include <sys/malloc.h>
#include <sys/systm.h>

SET_DECLARE(malloc_type_set, struct malloc_type);

void
malloc_totals(u_long *inuse, u_long *memuse)
{
	struct malloc_type **tp;
	u_long n = 0, bytes = 0;

	/*
	 * Each type's counters are read unlocked: a snapshot while other
	 * threads allocate is approximate anyway, and callers compare two
	 * of them taken at quiet points.
	 */
	SET_FOREACH(tp, malloc_type_set) {
		n += __atomic_load_n(&(*tp)->ks_inuse, __ATOMIC_RELAXED);
		bytes += __atomic_load_n(&(*tp)->ks_memuse, __ATOMIC_RELAXED);
	}
	*inuse = n;
	*memuse = bytes;
}
