/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The libc half of the network fuzz target: the kernel's malloc(9) over
 * libc's, so ASan sees every allocation the stack makes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct malloc_type;

void	*fz_kmalloc(size_t, struct malloc_type *, int);
void	fz_kfree(void *, struct malloc_type *);
void	fz_panic(const char *, va_list);

#define FZ_M_ZERO	0x0100	/* sys/malloc.h's M_ZERO */

void *
fz_kmalloc(size_t size, struct malloc_type *type, int flags)
{
	void *p;

	(void)type;
	/* The kernel's buckets never cross a page (a 2 KiB cluster and its
	 * reference count take a page bucket); mbuf clusters rely on it. */
	if (size > 2048 - 16 && size <= 4096 - 16) {
		if (posix_memalign(&p, 4096, size) != 0)
			p = NULL;
	} else
		p = malloc(size == 0 ? 1 : size);
	if (p != NULL && (flags & FZ_M_ZERO))
		memset(p, 0, size);
	return (p);
}

void
fz_kfree(void *p, struct malloc_type *type)
{
	(void)type;
	free(p);
}

/* The panic message first, then the trap that makes libFuzzer report. */
void
fz_panic(const char *fmt, va_list ap)
{
	fputs("panic: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	__builtin_trap();
}
