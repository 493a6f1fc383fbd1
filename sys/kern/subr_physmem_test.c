/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Page allocator tests: single pages, bounded contiguous runs, and running
 * the pool dry (PHYS_NONE, no panic) and filling it again.
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/md_var.h>
#include <machine/vmparam.h>

KTEST(physmem_alloc_free_contig)
{
	u_long before = phys_free_count();
	vm_paddr_t a, b, c;
	vm_paddr_t ks = KVA_TO_PHYS(kernel_start), ke = KVA_TO_PHYS(kernel_end);

	a = phys_alloc_page();
	b = phys_alloc_page();
	KT_ASSERT(a != PHYS_NONE && b != PHYS_NONE && a != b,
	    "pages %#lx %#lx", (u_long)a, (u_long)b);
	KT_ASSERT((a & PAGE_MASK) == 0 && a >= 0x100000 && a < DMAP_BOOT_SIZE,
	    "page %#lx unaligned or outside [1M, dmap)", (u_long)a);
	KT_ASSERT(a + PAGE_SIZE <= ks || a >= ke, "page %#lx in the kernel",
	    (u_long)a);
	KT_ASSERT(phys_free_count() == before - 2, "free %lu, want %lu",
	    phys_free_count(), before - 2);
	/* The page is really ours: write it through the direct map. */
	memset((void *)PHYS_TO_DMAP(a), 0xa5, PAGE_SIZE);

	c = phys_alloc_contig(16, 0x2000000, 0x4000000);
	KT_ASSERT(c != PHYS_NONE, "no 16-page run in [32M, 64M)");
	KT_ASSERT(c >= 0x2000000 && c + ptoa(16) <= 0x4000000,
	    "run %#lx outside bounds", (u_long)c);
	KT_ASSERT(phys_alloc_contig(4, 0x1000, 0x2000) == PHYS_NONE,
	    "allocated below 1 MiB");
	phys_free_contig(c, 16);
	phys_free_page(b);
	phys_free_page(a);
	KT_ASSERT(phys_free_count() == before, "free %lu after, %lu before",
	    phys_free_count(), before);
}

/* Chains the allocated pages through their own first word. */
KTEST(physmem_exhaustion)
{
	u_long before = phys_free_count(), n = 0;
	vm_paddr_t head = PHYS_NONE, pa;

	while ((pa = phys_alloc_page()) != PHYS_NONE) {
		*(vm_paddr_t *)PHYS_TO_DMAP(pa) = head;
		head = pa;
		n++;
	}
	KT_ASSERT(phys_free_count() == 0, "PHYS_NONE with %lu pages free",
	    phys_free_count());
	KT_ASSERT(phys_alloc_contig(1, 0, DMAP_BOOT_SIZE) == PHYS_NONE,
	    "contig allocation from an empty pool");
	while (head != PHYS_NONE) {
		pa = head;
		head = *(vm_paddr_t *)PHYS_TO_DMAP(pa);
		phys_free_page(pa);
	}
	KT_ASSERT(n == before, "allocated %lu pages of %lu free", n, before);
	KT_ASSERT(phys_free_count() == before, "free %lu after, %lu before",
	    phys_free_count(), before);
	KT_NOTE("%lu pages (%lu MiB) allocated and freed", n, n >> 8);
}
