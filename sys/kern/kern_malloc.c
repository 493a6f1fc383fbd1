/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * malloc(9): power-of-two buckets carved from pages, and page runs for
 * anything bigger than a page.  Every allocation starts with a 16-byte
 * header naming its type and size class, so free() can check the type,
 * catch a double free and find the size without any lookup table.
 *
 * Bucket pages are kept for their bucket once carved; large runs go back
 * to the page allocator on free.  Memory comes through the direct map, so
 * large allocations are physically contiguous (and limited by
 * fragmentation).  The header makes malloc'd memory only 16-byte aligned;
 * malloc_aligned() takes a page run with room for the header in front of
 * the aligned start (a whole page for page alignment), so that the buffers
 * of disk I/O need no bounce copy in drivers that grant pages.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

MALLOC_DEFINE(M_TEMP, "temp", "short-lived buffers");
MALLOC_DEFINE(M_DEVBUF, "devbuf", "device driver memory");

struct malloc_hdr {
	struct malloc_type	*mh_type;
	uint32_t		mh_magic;
	uint32_t		mh_class;	/* bucket index, or page count */
};
CTASSERT(sizeof(struct malloc_hdr) == 16);

#define MH_LIVE_SMALL	0x6b6d416cU
#define MH_LIVE_LARGE	0x6b6d414cU
#define MH_LIVE_ALIGNED	0x6b6d4141U	/* run starts at trunc_page(header) */
#define MH_FREE		0x6b6d4672U

#define MINBUCKET	5		/* 32 bytes, header included */
#define NBUCKETS	(PAGE_SHIFT - MINBUCKET + 1)	/* ... up to a page */

struct bucket {
	void		*b_free;	/* chunks linked through their bodies */
	u_long		b_pages;
};

static struct bucket	buckets[NBUCKETS];
static struct mtx	malloc_lock;
static bool		malloc_ready;

static inline size_t
bucket_size(u_int b)
{
	return ((size_t)1 << (b + MINBUCKET));
}

static int
size_to_bucket(size_t total)
{
	for (u_int b = 0; b < NBUCKETS; b++)
		if (total <= bucket_size(b))
			return ((int)b);
	return (-1);
}

/* Carves a fresh page into chunks of bucket b; lock held. */
static bool
bucket_refill(u_int b)
{
	vm_paddr_t pa = phys_alloc_page();
	char *page;
	size_t sz = bucket_size(b);

	if (pa == PHYS_NONE)
		return (false);
	page = (char *)PHYS_TO_DMAP(pa);
	for (size_t off = 0; off + sz <= PAGE_SIZE; off += sz) {
		struct malloc_hdr *mh = (struct malloc_hdr *)(page + off);

		mh->mh_type = NULL;
		mh->mh_magic = MH_FREE;
		mh->mh_class = b;
		*(void **)(mh + 1) = buckets[b].b_free;
		buckets[b].b_free = mh;
	}
	buckets[b].b_pages++;
	return (true);
}

static void *
malloc_fail(size_t size, struct malloc_type *type, int flags)
{
	if ((flags & M_NOWAIT) == 0)
		panic("malloc(%zu, %s): out of memory", size,
		    type->ks_shortdesc);
	mtx_lock_spin(&malloc_lock);
	type->ks_failures++;
	mtx_unlock_spin(&malloc_lock);
	return (NULL);
}

void *
malloc(size_t size, struct malloc_type *type, int flags)
{
	struct malloc_hdr *mh;
	size_t total = size + sizeof(*mh);
	int b;

	if (!malloc_ready)
		panic("malloc(%zu, %s) before SI_SUB_KMEM", size,
		    type->ks_shortdesc);
	if (total < size)
		return (malloc_fail(size, type, flags));
	b = size_to_bucket(total);
	if (b >= 0) {
		mtx_lock_spin(&malloc_lock);
		if (buckets[b].b_free == NULL && !bucket_refill((u_int)b)) {
			mtx_unlock_spin(&malloc_lock);
			return (malloc_fail(size, type, flags));
		}
		mh = buckets[b].b_free;
		if (mh->mh_magic != MH_FREE) {
			mtx_unlock_spin(&malloc_lock);
			panic("malloc: free list of bucket %zu corrupted at %p",
			    bucket_size((u_int)b), (void *)mh);
		}
		buckets[b].b_free = *(void **)(mh + 1);
		mh->mh_magic = MH_LIVE_SMALL;
	} else {
		u_long npages = howmany(total, PAGE_SIZE);
		vm_paddr_t pa;

		if (npages > UINT32_MAX)
			return (malloc_fail(size, type, flags));
		pa = phys_alloc_contig(npages, 0, DMAP_BOOT_SIZE);
		if (pa == PHYS_NONE)
			return (malloc_fail(size, type, flags));
		mh = (struct malloc_hdr *)PHYS_TO_DMAP(pa);
		mh->mh_magic = MH_LIVE_LARGE;
		mh->mh_class = (uint32_t)npages;
		mtx_lock_spin(&malloc_lock);
	}
	mh->mh_type = type;
	type->ks_inuse++;
	type->ks_calls++;
	type->ks_memuse += malloc_usable_size(mh + 1);
	mtx_unlock_spin(&malloc_lock);
	if (flags & M_ZERO)
		memset(mh + 1, 0, malloc_usable_size(mh + 1));
	return (mh + 1);
}

void *
mallocarray(size_t n, size_t size, struct malloc_type *type, int flags)
{
	if (size != 0 && n > SIZE_MAX / size)
		return (malloc_fail(SIZE_MAX, type, flags));
	return (malloc(n * size, type, flags));
}

void *
malloc_aligned(size_t size, size_t align, struct malloc_type *type, int flags)
{
	struct malloc_hdr *mh;
	u_long npages;
	vm_paddr_t pa;
	char *run;

	if (align <= sizeof(*mh))
		return (malloc(size, type, flags));
	if ((align & (align - 1)) != 0 || align > PAGE_SIZE)
		panic("malloc_aligned(%zu, %zu, %s): bad alignment", size, align,
		    type->ks_shortdesc);
	if (!malloc_ready)
		panic("malloc_aligned(%zu, %s) before SI_SUB_KMEM", size,
		    type->ks_shortdesc);
	if (size > SIZE_MAX - align)
		return (malloc_fail(size, type, flags));
	/* A run starts on a page, so run + align is aligned to align. */
	npages = howmany(size + align, PAGE_SIZE);
	if (npages > UINT32_MAX)
		return (malloc_fail(size, type, flags));
	pa = phys_alloc_contig(npages, 0, DMAP_BOOT_SIZE);
	if (pa == PHYS_NONE)
		return (malloc_fail(size, type, flags));
	run = (char *)PHYS_TO_DMAP(pa);
	mh = (struct malloc_hdr *)(run + align) - 1;
	KASSERT(trunc_page((vm_offset_t)mh) == (vm_offset_t)run,
	    ("malloc_aligned: header %p outside the run's first page", mh));
	mh->mh_magic = MH_LIVE_ALIGNED;
	mh->mh_class = (uint32_t)npages;
	mh->mh_type = type;
	mtx_lock_spin(&malloc_lock);
	type->ks_inuse++;
	type->ks_calls++;
	type->ks_memuse += malloc_usable_size(mh + 1);
	mtx_unlock_spin(&malloc_lock);
	if (flags & M_ZERO)
		memset(mh + 1, 0, malloc_usable_size(mh + 1));
	return (mh + 1);
}

/*
 * Checks that addr is a live allocation of the given type (NULL: any type);
 * panics, after dropping the lock if the caller held it, if not.
 */
static struct malloc_hdr *
malloc_header(const void *addr, struct malloc_type *type, const char *op,
    bool locked)
{
	struct malloc_hdr *mh = (struct malloc_hdr *)addr - 1;
	uint32_t magic;
	const char *was;

	if (((uintptr_t)addr & 15) != 0) {
		if (locked)
			mtx_unlock_spin(&malloc_lock);
		panic("%s: %p was not returned by malloc", op, addr);
	}
	magic = mh->mh_magic;
	was = magic == MH_LIVE_SMALL || magic == MH_LIVE_LARGE ||
	    magic == MH_LIVE_ALIGNED ? mh->mh_type->ks_shortdesc : NULL;
	if (magic != MH_FREE && was != NULL &&
	    (type == NULL || mh->mh_type == type))
		return (mh);
	if (locked)
		mtx_unlock_spin(&malloc_lock);
	if (magic == MH_FREE)
		panic("%s: %p already freed (double free)", op, addr);
	if (was == NULL)
		panic("%s: %p has a bad header (magic %#x): not from malloc, "
		    "or overrun", op, addr, magic);
	panic("%s: %p was allocated as type %s, freed as type %s", op, addr,
	    was, type->ks_shortdesc);
}

size_t
malloc_usable_size(const void *addr)
{
	const struct malloc_hdr *mh;

	if (addr == NULL)
		return (0);
	mh = (const struct malloc_hdr *)addr - 1;
	if (mh->mh_magic == MH_LIVE_LARGE)
		return (ptoa(mh->mh_class) - sizeof(*mh));
	if (mh->mh_magic == MH_LIVE_ALIGNED)
		return (ptoa(mh->mh_class) - ((vm_offset_t)addr -
		    trunc_page((vm_offset_t)mh)));
	return (bucket_size(mh->mh_class) - sizeof(*mh));
}

void
free(void *addr, struct malloc_type *type)
{
	struct malloc_hdr *mh;
	size_t usable;

	if (addr == NULL)
		return;
	mtx_lock_spin(&malloc_lock);
	mh = malloc_header(addr, type, "free", true);
	usable = malloc_usable_size(addr);
	type->ks_inuse--;
	type->ks_memuse -= usable;
	if (mh->mh_magic == MH_LIVE_SMALL) {
		u_int b = mh->mh_class;

		if (b >= NBUCKETS) {
			mtx_unlock_spin(&malloc_lock);
			panic("free: %p has a bad size class %u", addr, b);
		}
		mh->mh_magic = MH_FREE;
		mh->mh_type = NULL;
		*(void **)(mh + 1) = buckets[b].b_free;
		buckets[b].b_free = mh;
		mtx_unlock_spin(&malloc_lock);
	} else {
		u_long npages = mh->mh_class;

		/* The magic stays FREE only until the page is reused. */
		mh->mh_magic = MH_FREE;
		mtx_unlock_spin(&malloc_lock);
		phys_free_contig(DMAP_TO_PHYS(trunc_page((vm_offset_t)mh)),
		    npages);
	}
}

void *
realloc(void *addr, size_t size, struct malloc_type *type, int flags)
{
	void *n;

	if (addr == NULL)
		return (malloc(size, type, flags));
	(void)malloc_header(addr, type, "realloc", false);
	if (size <= malloc_usable_size(addr))
		return (addr);
	if ((n = malloc(size, type, flags)) == NULL)
		return (NULL);
	memcpy(n, addr, malloc_usable_size(addr));
	free(addr, type);
	return (n);
}

static void
kmeminit(void *arg __unused)
{
	mtx_init(&malloc_lock, "malloc", NULL, MTX_SPIN);
	memset(buckets, 0, sizeof(buckets));
	malloc_ready = true;
}
SYSINIT(kmem, SI_SUB_KMEM, SI_ORDER_FIRST, kmeminit, NULL);
