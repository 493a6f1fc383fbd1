/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The page allocator over a fake memory map.  No page memory is touched
 * here, so the map can place RAM anywhere, even above 4 GiB.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/kernel.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/md_var.h>
#include <machine/vmparam.h>

#include "kunit.h"

#define MiB	(1024UL * 1024)

static void
fake_map(void)
{
	phys_memmap.count = 0;
	memmap_add(&phys_memmap, 0, 640 * 1024, MEMMAP_RAM);
	memmap_add(&phys_memmap, 1 * MiB, 31 * MiB, MEMMAP_RAM);  /* 1M..32M */
	memmap_add(&phys_memmap, 0xfffff000, 0x3000, MEMMAP_RAM); /* straddles 4G */
	memmap_add(&phys_memmap, 0x100000000UL, 64 * MiB, MEMMAP_RAM);
	memmap_sanitize(&phys_memmap);
}

KUNIT_TEST(physmem_exclusions)
{
	u_long want;
	vm_paddr_t pa;

	fake_map();
	bootinfo.nmods = 1;
	bootinfo.mods[0].paddr = 20 * MiB + 100;	/* partial pages count */
	bootinfo.mods[0].size = 2 * PAGE_SIZE;
	physmem_exclude(24 * MiB, 1 * MiB);
	physmem_init();
	/* 31 MiB + one page under 4G, minus kernel, module, exclusion. */
	want = atop(31 * MiB) + 1 - atop(HOSTED_KIMAGE_SIZE) - 3 - atop(1 * MiB);
	KU_ASSERT(phys_total_count() == want, "total %lu, want %lu",
	    phys_total_count(), want);
	KU_ASSERT(phys_free_count() == want, "free %lu", phys_free_count());
	while ((pa = phys_alloc_page()) != PHYS_NONE) {
		KU_ASSERT(pa >= 1 * MiB, "page %#lx below 1 MiB", (u_long)pa);
		KU_ASSERT(pa + PAGE_SIZE <= DMAP_BOOT_SIZE, "page %#lx above "
		    "the direct map", (u_long)pa);
		KU_ASSERT(pa < KERNLOAD || pa >= KERNLOAD + HOSTED_KIMAGE_SIZE,
		    "page %#lx in the kernel", (u_long)pa);
		KU_ASSERT(pa < 20 * MiB || pa >= 20 * MiB + 3 * PAGE_SIZE,
		    "page %#lx in a module", (u_long)pa);
		KU_ASSERT(pa < 24 * MiB || pa >= 25 * MiB,
		    "page %#lx excluded", (u_long)pa);
	}
	KU_ASSERT(phys_free_count() == 0, "PHYS_NONE with pages free");
}

KUNIT_TEST(physmem_contig_bounds)
{
	vm_paddr_t a, b;
	u_long before;

	fake_map();
	physmem_init();
	before = phys_free_count();
	a = phys_alloc_contig(64, 2 * MiB, 3 * MiB);
	KU_ASSERT(a >= 2 * MiB && a + ptoa(64) <= 3 * MiB, "run at %#lx",
	    (u_long)a);
	/* 256 pages fit in [2M, 3M) only once 64 of them are gone: no. */
	KU_ASSERT(phys_alloc_contig(256, 2 * MiB, 3 * MiB) == PHYS_NONE,
	    "run larger than the free part of the window");
	b = phys_alloc_contig(192, 2 * MiB, 3 * MiB);
	KU_ASSERT(b != PHYS_NONE, "the rest of the window");
	KU_ASSERT(phys_alloc_contig(1, 0, 1 * MiB) == PHYS_NONE,
	    "allocated below 1 MiB");
	phys_free_contig(a, 64);
	phys_free_contig(b, 192);
	KU_ASSERT(phys_free_count() == before, "free %lu, was %lu",
	    phys_free_count(), before);
	KU_ASSERT(phys_alloc_contig(0, 0, DMAP_BOOT_SIZE) == PHYS_NONE,
	    "zero pages");
}

KUNIT_TEST(physmem_bad_free_panics)
{
	vm_paddr_t pa;

	fake_map();
	physmem_init();
	pa = phys_alloc_page();
	phys_free_page(pa);
	KU_EXPECT_PANIC(phys_free_page(pa), "freed twice");
	KU_EXPECT_PANIC(phys_free_page(pa + 1), "not managed");
}
