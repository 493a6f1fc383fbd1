/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Shared anonymous memory (see vm_anon.h).  The pages are borrowed by the
 * page tables that map them (not PMAP_OWNED) and freed here.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/pmap.h>
#include <machine/vmparam.h>

#include <vm/vm_anon.h>

MALLOC_DEFINE(M_VMANON, "vmanon", "shared anonymous memory");

/* 1 GiB of shared anonymous memory per mapping at most. */
#define ANON_SHARED_MAX_PAGES	(1UL << 18)

struct vm_anon_shared {
	struct mtx	as_mtx;		/* spin: taken under vm_mtx */
	volatile u_int	as_refs;
	u_long		as_npages;
	vm_paddr_t	as_pages[];
};

struct vm_anon_shared *
vm_anon_shared_alloc(vm_size_t len)
{
	struct vm_anon_shared *as;
	u_long n = atop(round_page(len));

	if (n == 0 || n > ANON_SHARED_MAX_PAGES)
		return (NULL);
	as = malloc(sizeof(*as) + n * sizeof(vm_paddr_t), M_VMANON,
	    M_WAITOK | M_ZERO);
	if (as == NULL)
		return (NULL);
	mtx_init(&as->as_mtx, "anonshared", NULL, MTX_SPIN);
	as->as_refs = 1;
	as->as_npages = n;
	return (as);
}

void
vm_anon_shared_ref(struct vm_anon_shared *as)
{
	atomic_add_int(&as->as_refs, 1);
}

void
vm_anon_shared_rele(struct vm_anon_shared *as)
{
	if (atomic_fetchadd_int(&as->as_refs, -1) != 1)
		return;
	for (u_long i = 0; i < as->as_npages; i++) {
		if (as->as_pages[i] != 0)
			phys_free_page(as->as_pages[i]);
	}
	mtx_destroy(&as->as_mtx);
	free(as, M_VMANON);
}

int
vm_anon_shared_page(struct vm_anon_shared *as, off_t off, vm_paddr_t *pap)
{
	u_long i = (u_long)off >> PAGE_SHIFT;
	vm_paddr_t pa;

	if (off < 0 || i >= as->as_npages)
		return (EFAULT);
	mtx_lock_spin(&as->as_mtx);
	if (as->as_pages[i] == 0) {
		if ((pa = phys_alloc_page()) == PHYS_NONE) {
			mtx_unlock_spin(&as->as_mtx);
			return (ENOMEM);
		}
		pmap_zero_page(pa);
		as->as_pages[i] = pa;
	}
	*pap = as->as_pages[i];
	mtx_unlock_spin(&as->as_mtx);
	return (0);
}
