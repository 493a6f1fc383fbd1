/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * malloc(9) tests: sizes, statistics, M_NOWAIT exhaustion, and the checks
 * on free (double free, wrong type) that must panic.
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/physmem.h>
#include <sys/systm.h>

MALLOC_DEFINE(M_KTMALLOC, "ktmalloc", "malloc tests");
MALLOC_DEFINE(M_KTOTHER, "ktother", "malloc tests, second type");

KTEST(malloc_sizes_and_stats)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 100, 1000, 2032,
	    2033, 4080, 4081, 8192, 65536, 300000 };
	void *p[nitems(sizes)];
	u_long inuse = M_KTMALLOC->ks_inuse, calls = M_KTMALLOC->ks_calls;
	u_long memuse = M_KTMALLOC->ks_memuse;

	for (size_t i = 0; i < nitems(sizes); i++) {
		p[i] = malloc(sizes[i], M_KTMALLOC, M_WAITOK | M_ZERO);
		KT_ASSERT(p[i] != NULL, "malloc(%zu) failed", sizes[i]);
		KT_ASSERT(((uintptr_t)p[i] & 15) == 0, "%p unaligned", p[i]);
		KT_ASSERT(malloc_usable_size(p[i]) >= sizes[i],
		    "usable %zu < %zu", malloc_usable_size(p[i]), sizes[i]);
		for (size_t j = 0; j < sizes[i]; j++)
			KT_ASSERT(((char *)p[i])[j] == 0, "M_ZERO left a byte");
		memset(p[i], (int)i, sizes[i]);
	}
	/* Nothing overlaps: every block still holds its own pattern. */
	for (size_t i = 0; i < nitems(sizes); i++)
		for (size_t j = 0; j < sizes[i]; j++)
			KT_ASSERT(((unsigned char *)p[i])[j] == i,
			    "block %zu overwritten at %zu", i, j);
	KT_ASSERT(M_KTMALLOC->ks_inuse == inuse + nitems(sizes),
	    "inuse %lu", M_KTMALLOC->ks_inuse);
	KT_ASSERT(M_KTMALLOC->ks_memuse >= memuse + 300000,
	    "memuse %lu", M_KTMALLOC->ks_memuse);
	KT_ASSERT(M_KTMALLOC->ks_calls == calls + nitems(sizes),
	    "calls %lu", M_KTMALLOC->ks_calls);
	p[5] = realloc(p[5], 5000, M_KTMALLOC, M_WAITOK);
	KT_ASSERT(((unsigned char *)p[5])[99] == 5, "realloc lost data");
	for (size_t i = 0; i < nitems(sizes); i++)
		free(p[i], M_KTMALLOC);
	KT_ASSERT(M_KTMALLOC->ks_inuse == inuse &&
	    M_KTMALLOC->ks_memuse == memuse,
	    "after free: inuse %lu memuse %lu", M_KTMALLOC->ks_inuse,
	    M_KTMALLOC->ks_memuse);
}

KTEST(malloc_nowait_exhaustion)
{
	enum { CHUNK = 1024 * 1024 };
	u_long fails = M_KTMALLOC->ks_failures, pages = phys_free_count();
	void *head = NULL, *p;
	int n = 0;

	KT_ASSERT(malloc((size_t)1 << 40, M_KTMALLOC, M_NOWAIT) == NULL,
	    "1 TiB allocation succeeded");
	KT_ASSERT(M_KTMALLOC->ks_failures == fails + 1, "failure not counted");
	while ((p = malloc(CHUNK, M_KTMALLOC, M_NOWAIT)) != NULL) {
		*(void **)p = head;
		head = p;
		n++;
	}
	KT_ASSERT(M_KTMALLOC->ks_failures == fails + 2, "failures %lu",
	    M_KTMALLOC->ks_failures);
	while (head != NULL) {
		p = head;
		head = *(void **)p;
		free(p, M_KTMALLOC);
	}
	KT_ASSERT(n > 0, "no 1 MiB chunk at all");
	KT_ASSERT(phys_free_count() == pages, "pages free %lu, were %lu",
	    phys_free_count(), pages);
	KT_NOTE("%d MiB allocated before NULL", n);
}

static void
double_free(struct ktest_ctx *ctx __unused)
{
	void *p = malloc(64, M_KTMALLOC, M_WAITOK);

	free(p, M_KTMALLOC);
	free(p, M_KTMALLOC);
}

static void
wrong_type(struct ktest_ctx *ctx __unused)
{
	void *p = malloc(64, M_KTMALLOC, M_WAITOK);

	free(p, M_KTOTHER);
}

KTEST(malloc_bad_free_panics)
{
	struct ktest t1 = { "double_free", double_free, __FILE__ };
	struct ktest t2 = { "wrong_type", wrong_type, __FILE__ };
	struct ktest_ctx c;

	KT_ASSERT(ktest_run_one(&t1, &c) == KTEST_ERROR,
	    "double free did not panic");
	KT_ASSERT(strstr_simple(c.detail, "double free"), "panic: %s",
	    c.detail);
	KT_ASSERT(ktest_run_one(&t2, &c) == KTEST_ERROR,
	    "free with the wrong type did not panic");
	KT_ASSERT(strstr_simple(c.detail, "ktother"), "panic: %s", c.detail);
}
