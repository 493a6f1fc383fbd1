/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * malloc(9) over the page allocator over 8 MiB of process memory.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include "kunit.h"

MALLOC_DEFINE(M_UT, "ut", "unit test");
MALLOC_DEFINE(M_UT2, "ut2", "unit test, other type");

static void
setup(void)
{
	kunit_ram(16 * 1024 * 1024, 8 * 1024 * 1024);
	kunit_sysinit(SI_SUB_KMEM);
}

KUNIT_TEST(malloc_sizes_stats)
{
	void *p[200];

	setup();
	for (int i = 0; i < 200; i++) {
		size_t sz = (size_t)i * 37 + (i % 7 == 0 ? 5000 : 0);

		p[i] = malloc(sz, M_UT, M_WAITOK | M_ZERO);
		KU_ASSERT(p[i] != NULL, "malloc(%zu)", sz);
		KU_ASSERT(malloc_usable_size(p[i]) >= sz, "usable size");
		for (size_t j = 0; j < sz; j++)
			KU_ASSERT(((char *)p[i])[j] == 0, "not zeroed");
		memset(p[i], i, sz);
	}
	KU_ASSERT(M_UT->ks_inuse == 200 && M_UT->ks_calls == 200,
	    "inuse %lu calls %lu", M_UT->ks_inuse, M_UT->ks_calls);
	for (int i = 0; i < 200; i++) {
		size_t sz = (size_t)i * 37 + (i % 7 == 0 ? 5000 : 0);

		for (size_t j = 0; j < sz; j++)
			KU_ASSERT(((unsigned char *)p[i])[j] == i,
			    "block %d overwritten", i);
		free(p[i], M_UT);
	}
	KU_ASSERT(M_UT->ks_inuse == 0 && M_UT->ks_memuse == 0,
	    "inuse %lu memuse %lu", M_UT->ks_inuse, M_UT->ks_memuse);
}

KUNIT_TEST(malloc_realloc)
{
	char *p;

	setup();
	p = realloc(NULL, 10, M_UT, M_WAITOK);
	memcpy(p, "abcdefghi", 10);
	KU_ASSERT(realloc(p, 12, M_UT, M_WAITOK) == p, "grew within the chunk");
	p = realloc(p, 10000, M_UT, M_WAITOK);
	KU_ASSERT(strcmp(p, "abcdefghi") == 0, "contents lost");
	KU_ASSERT(malloc_usable_size(p) >= 10000, "usable size");
	free(p, M_UT);
	KU_ASSERT(M_UT->ks_inuse == 0, "inuse %lu", M_UT->ks_inuse);
}

KUNIT_TEST(malloc_nowait_exhaustion)
{
	void *head = NULL, *p;
	u_long pages;
	int n = 0;

	setup();
	pages = phys_free_count();
	while ((p = malloc(100000, M_UT, M_NOWAIT)) != NULL) {
		*(void **)p = head;
		head = p;
		n++;
	}
	KU_ASSERT(M_UT->ks_failures == 1, "failures %lu", M_UT->ks_failures);
	KU_ASSERT(n >= 70 && n <= 84, "%d 100 KB blocks from 8 MiB", n);
	/* Small sizes still come from partly used bucket pages, or fail. */
	KU_ASSERT(mallocarray(SIZE_MAX / 2, 4, M_UT, M_NOWAIT) == NULL,
	    "overflowing mallocarray");
	while (head != NULL) {
		p = head;
		head = *(void **)p;
		free(p, M_UT);
	}
	KU_ASSERT(phys_free_count() == pages, "pages %lu, were %lu",
	    phys_free_count(), pages);
	KU_EXPECT_PANIC(malloc((size_t)1 << 40, M_UT, M_WAITOK), "out of memory");
}

KUNIT_TEST(malloc_bad_free_panics)
{
	void *p, *q;

	setup();
	p = malloc(100, M_UT, M_WAITOK);
	q = malloc(100, M_UT, M_WAITOK);
	KU_EXPECT_PANIC(free(q, M_UT2), "allocated as type ut, freed as type ut2");
	free(p, M_UT);
	KU_EXPECT_PANIC(free(p, M_UT), "double free");
	KU_EXPECT_PANIC(free((char *)q + 1, M_UT), "not returned by malloc");
	/* The allocator still works after the caught panics. */
	p = malloc(100, M_UT, M_WAITOK);
	free(p, M_UT);
	free(q, M_UT);
}

KUNIT_TEST(malloc_aligned_alignments)
{
	static const size_t aligns[] = { 1, 16, 32, 512, 2048, 4096 };
	static const size_t sizes[] = { 1, 100, 4096, 5000, 1048576 };
	u_long pages;

	setup();
	pages = phys_free_count();
	for (size_t a = 0; a < nitems(aligns); a++) {
		/* Up to 16 is malloc, which keeps its bucket pages. */
		if (aligns[a] == 32)
			pages = phys_free_count();
		for (size_t i = 0; i < nitems(sizes); i++) {
			unsigned char *p = malloc_aligned(sizes[i], aligns[a],
			    M_UT, M_WAITOK | M_ZERO);

			KU_ASSERT(((uintptr_t)p & (aligns[a] - 1)) == 0 &&
			    ((uintptr_t)p & 15) == 0,
			    "malloc_aligned(%zu, %zu) = %p", sizes[i], aligns[a],
			    (void *)p);
			KU_ASSERT(malloc_usable_size(p) >= sizes[i],
			    "usable %zu < %zu", malloc_usable_size(p), sizes[i]);
			for (size_t j = 0; j < sizes[i]; j++)
				KU_ASSERT(p[j] == 0, "not zeroed at %zu", j);
			/* The whole usable size is ours: no header in it. */
			memset(p, 0x5a, malloc_usable_size(p));
			free(p, M_UT);
		}
	}
	KU_ASSERT(M_UT->ks_inuse == 0 && M_UT->ks_memuse == 0,
	    "inuse %lu memuse %lu", M_UT->ks_inuse, M_UT->ks_memuse);
	KU_ASSERT(phys_free_count() == pages, "pages %lu, were %lu",
	    phys_free_count(), pages);
	/* Checked like any other allocation on free. */
	{
		void *p = malloc_aligned(8192, 4096, M_UT, M_WAITOK);

		KU_EXPECT_PANIC(free(p, M_UT2),
		    "allocated as type ut, freed as type ut2");
		free(p, M_UT);
		KU_EXPECT_PANIC(free(p, M_UT), "double free");
	}
	KU_EXPECT_PANIC(malloc_aligned(10, 24, M_UT, M_WAITOK), "bad alignment");
	KU_EXPECT_PANIC(malloc_aligned(10, 8192, M_UT, M_WAITOK),
	    "bad alignment");
}
