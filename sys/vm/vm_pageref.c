/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Sharer counts of owned anonymous pages (see vm_pageref.h).  The count
 * stored is the number of mappers beyond the first, so a page never
 * shared reads 0 and the array starts zeroed.  A page is mapped at most
 * once per address space, so 16 bits (more than the processes there can
 * be) do not overflow.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/pmap.h>
#include <machine/vmparam.h>

#include <vm/vm_pageref.h>

static uint16_t	*pageref;
static u_long	pageref_npages;

static void
pageref_init(void *arg __unused)
{
	vm_paddr_t top = 0, pa;
	u_long pages;

	for (int i = 0; i < phys_memmap.count; i++) {
		const struct memmap_entry *e = &phys_memmap.ent[i];

		if (e->type == MEMMAP_RAM)
			top = MAX(top, MIN(e->base + e->len, DMAP_BOOT_SIZE));
	}
	pages = howmany(atop(top) * sizeof(uint16_t), PAGE_SIZE);
	if (pages == 0 || (pa = phys_alloc_contig(pages, 0, DMAP_BOOT_SIZE)) ==
	    PHYS_NONE) {
		printf("vm: no page sharer counts: fork copies pages\n");
		return;
	}
	for (u_long i = 0; i < pages; i++)
		pmap_zero_page(pa + ptoa(i));
	pageref = (uint16_t *)PHYS_TO_DMAP(pa);
	pageref_npages = atop(top);
}
SYSINIT(pageref, SI_SUB_VM, SI_ORDER_SECOND, pageref_init, NULL);

static uint16_t *
ref_of(vm_paddr_t pa)
{
	u_long i = atop(pa);

	KASSERT(pageref == NULL || i < pageref_npages,
	    ("vm_pageref: %#lx beyond RAM", pa));
	return (pageref != NULL ? &pageref[i] : NULL);
}

bool
vm_page_share(vm_paddr_t pa)
{
	uint16_t *r = ref_of(pa);

	if (r == NULL)
		return (false);
	__atomic_fetch_add(r, 1, __ATOMIC_ACQ_REL);
	return (true);
}

bool
vm_page_sole(vm_paddr_t pa)
{
	uint16_t *r = ref_of(pa);

	return (r == NULL || __atomic_load_n(r, __ATOMIC_ACQUIRE) == 0);
}

void
vm_page_unshare(vm_paddr_t pa)
{
	uint16_t *r = ref_of(pa), c;

	if (r != NULL) {
		c = __atomic_load_n(r, __ATOMIC_ACQUIRE);
		while (c != 0) {
			if (__atomic_compare_exchange_n(r, &c, c - 1, false,
			    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				return;
		}
	}
	phys_free_page(pa);
}
