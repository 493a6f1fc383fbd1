/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Kernel memory allocator with per-type statistics.
 */
#ifndef _SYS_MALLOC_H_
#define _SYS_MALLOC_H_

#include <sys/linker_set.h>
#include <sys/types.h>

#define M_NOWAIT	0x0001	/* may fail: returns NULL */
#define M_WAITOK	0x0002	/* may not fail for lack of memory (panics if truly out) */
#define M_ZERO		0x0100

struct malloc_type {
	const char	*ks_shortdesc;
	u_long		ks_inuse;	/* live allocations */
	u_long		ks_memuse;	/* bytes in live allocations */
	u_long		ks_calls;	/* successful allocations */
	u_long		ks_failures;	/* failed M_NOWAIT allocations */
};

#define MALLOC_DEFINE(type, shortdesc, longdesc)			\
	struct malloc_type type[1] = { { shortdesc, 0, 0, 0, 0 } };	\
	DATA_SET(malloc_type_set, type)
#define MALLOC_DECLARE(type)	extern struct malloc_type type[1]

MALLOC_DECLARE(M_TEMP);
MALLOC_DECLARE(M_DEVBUF);

void	*malloc(size_t size, struct malloc_type *type, int flags);
void	*mallocarray(size_t n, size_t size, struct malloc_type *type, int flags);
/*
 * size bytes starting on a multiple of align (a power of two, at most
 * PAGE_SIZE; up to 16 is plain malloc), freed with free().  An alignment
 * above 16 costs align bytes more; realloc() does not keep it.
 */
void	*malloc_aligned(size_t size, size_t align, struct malloc_type *type,
	    int flags);
void	*realloc(void *addr, size_t size, struct malloc_type *type, int flags);
void	free(void *addr, struct malloc_type *type);
/* Usable size of an allocation (>= the size asked for). */
size_t	malloc_usable_size(const void *addr);
/* Live allocations and their bytes, summed over every type (leak checks). */
void	malloc_totals(u_long *inuse, u_long *memuse);

#endif /* !_SYS_MALLOC_H_ */
