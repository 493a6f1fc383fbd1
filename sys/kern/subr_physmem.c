/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Physical page allocator: one bit per page frame below DMAP_BOOT_SIZE (set
 * means free).  A flat bitmap is 128 KiB for 4 GiB, needs no allocator of
 * its own and makes contiguous runs with bounds a simple scan.
 *
 * Only memory inside the boot direct map is managed: locore maps the first
 * 4 GiB and pmap_dmap_extend() does not exist yet, so RAM above
 * DMAP_BOOT_SIZE is left out (and counted, so it is visible at boot).
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/kernel.h>
#include <sys/mutex.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/md_var.h>
#include <machine/vmparam.h>

#define PHYS_NPAGES	(DMAP_BOOT_SIZE / PAGE_SIZE)
#define PHYS_WORDS	(PHYS_NPAGES / 64)
#define PHYS_LOW_RESERVED (1024 * 1024)	/* real-mode area, BIOS, trampolines */
#define PHYS_NEXCLUDE	32

static uint64_t	phys_bitmap[PHYS_WORDS];
static struct mtx phys_lock;
static u_long	phys_free_pages;
static u_long	phys_total_pages;
static u_long	phys_above_dmap;	/* RAM pages we cannot reach yet */
static u_long	phys_lowest, phys_highest; /* managed pfn range [lo, hi) */
static u_long	phys_hint;		/* next-fit start for single pages */
static bool	phys_ready;

static struct {
	vm_paddr_t	base;
	vm_size_t	len;
} phys_excl[PHYS_NEXCLUDE];
static int	phys_nexcl;

static inline bool
pfn_isfree(u_long pfn)
{
	return ((phys_bitmap[pfn / 64] >> (pfn % 64)) & 1);
}

static inline void
pfn_set(u_long pfn)
{
	phys_bitmap[pfn / 64] |= 1UL << (pfn % 64);
}

static inline void
pfn_clear(u_long pfn)
{
	phys_bitmap[pfn / 64] &= ~(1UL << (pfn % 64));
}

/* Marks [base, base+len) not free; pages partly covered are taken whole. */
static void
phys_reserve(vm_paddr_t base, vm_size_t len)
{
	u_long first, last;

	if (len == 0 || base >= DMAP_BOOT_SIZE)
		return;
	first = atop(trunc_page(base));
	last = base + len > DMAP_BOOT_SIZE || base + len < base ?
	    PHYS_NPAGES : atop(round_page(base + len));
	for (u_long pfn = first; pfn < last; pfn++) {
		if (pfn_isfree(pfn)) {
			pfn_clear(pfn);
			phys_free_pages--;
			phys_total_pages--;
		}
	}
}

void
physmem_exclude(vm_paddr_t base, vm_size_t len)
{
	if (phys_ready) {
		mtx_lock_spin(&phys_lock);
		phys_reserve(base, len);
		mtx_unlock_spin(&phys_lock);
		return;
	}
	if (phys_nexcl == PHYS_NEXCLUDE)
		panic("physmem_exclude: more than %d ranges", PHYS_NEXCLUDE);
	phys_excl[phys_nexcl].base = base;
	phys_excl[phys_nexcl].len = len;
	phys_nexcl++;
}

/*
 * Builds the free pool from the sanitised map.  May be run again (the
 * hosted tests do) and then starts over from the map.
 */
void
physmem_init(void)
{
	const struct memmap *mm = &phys_memmap;

	mtx_init(&phys_lock, "physmem", NULL, MTX_SPIN);
	memset(phys_bitmap, 0, sizeof(phys_bitmap));
	phys_free_pages = phys_total_pages = phys_above_dmap = 0;
	phys_lowest = PHYS_NPAGES;
	phys_highest = 0;

	for (int i = 0; i < mm->count; i++) {
		const struct memmap_entry *e = &mm->ent[i];
		vm_paddr_t start, end;

		if (e->type != MEMMAP_RAM)
			continue;
		start = round_page(e->base);
		end = e->base + e->len < e->base ? UINT64_MAX :
		    trunc_page(e->base + e->len);
		if (end > DMAP_BOOT_SIZE) {
			if (start < DMAP_BOOT_SIZE)
				phys_above_dmap += atop(end - DMAP_BOOT_SIZE);
			else if (end > start)
				phys_above_dmap += atop(end - start);
			end = DMAP_BOOT_SIZE;
		}
		if (start < PHYS_LOW_RESERVED)
			start = PHYS_LOW_RESERVED;
		for (vm_paddr_t pa = start; pa < end; pa += PAGE_SIZE) {
			u_long pfn = atop(pa);

			if (!pfn_isfree(pfn)) {
				pfn_set(pfn);
				phys_free_pages++;
				phys_total_pages++;
			}
			phys_lowest = MIN(phys_lowest, pfn);
			phys_highest = MAX(phys_highest, pfn + 1);
		}
	}

	/* Never hand out the kernel, the loader's data or the modules. */
	phys_reserve(KVA_TO_PHYS(kernel_start),
	    (vm_size_t)(kernel_end - kernel_start));
	if (bootinfo.start_pa != 0)
		phys_reserve(bootinfo.start_pa, PAGE_SIZE);
	for (int i = 0; i < bootinfo.nmods && i < BOOTINFO_MAXMODS; i++)
		phys_reserve(bootinfo.mods[i].paddr, bootinfo.mods[i].size);
	for (int i = 0; i < phys_nexcl; i++)
		phys_reserve(phys_excl[i].base, phys_excl[i].len);

	phys_hint = phys_lowest;
	phys_ready = true;
}

static void
physmem_sysinit(void *arg __unused)
{
	physmem_init();
	printf("physmem: %lu pages free (%lu MiB)", phys_free_pages,
	    phys_free_pages >> (20 - PAGE_SHIFT));
	if (phys_above_dmap > 0)
		printf(", %lu MiB above the boot direct map unused",
		    phys_above_dmap >> (20 - PAGE_SHIFT));
	printf("\n");
}
SYSINIT(physmem, SI_SUB_VM, SI_ORDER_FIRST, physmem_sysinit, NULL);

/* First free pfn in [from, to), or 'to'. */
static u_long
phys_find_free(u_long from, u_long to)
{
	u_long pfn = from;

	while (pfn < to) {
		uint64_t w = phys_bitmap[pfn / 64] >> (pfn % 64);

		if (w != 0) {
			pfn += (u_long)__builtin_ctzl(w);
			return (pfn < to ? pfn : to);
		}
		pfn = (pfn | 63) + 1;
	}
	return (to);
}

vm_paddr_t
phys_alloc_page(void)
{
	u_long pfn;

	if (!phys_ready)
		return (PHYS_NONE);
	mtx_lock_spin(&phys_lock);
	pfn = phys_find_free(phys_hint, phys_highest);
	if (pfn == phys_highest)
		pfn = phys_find_free(phys_lowest, phys_hint);
	if (pfn >= phys_highest || !pfn_isfree(pfn)) {
		mtx_unlock_spin(&phys_lock);
		return (PHYS_NONE);
	}
	pfn_clear(pfn);
	phys_free_pages--;
	phys_hint = pfn + 1;
	mtx_unlock_spin(&phys_lock);
	return (ptoa(pfn));
}

/* Finds npages free frames in a row, all inside [low, high). */
vm_paddr_t
phys_alloc_contig(u_long npages, vm_paddr_t low, vm_paddr_t high)
{
	u_long lo, hi, pfn;

	if (!phys_ready || npages == 0)
		return (PHYS_NONE);
	lo = MAX(atop(round_page(low)), phys_lowest);
	hi = high >= DMAP_BOOT_SIZE ? phys_highest :
	    MIN(atop(trunc_page(high)), phys_highest);
	mtx_lock_spin(&phys_lock);
	for (pfn = phys_find_free(lo, hi); pfn + npages <= hi;) {
		u_long run = 1;

		while (run < npages && pfn_isfree(pfn + run))
			run++;
		if (run == npages) {
			for (u_long i = 0; i < npages; i++)
				pfn_clear(pfn + i);
			phys_free_pages -= npages;
			mtx_unlock_spin(&phys_lock);
			return (ptoa(pfn));
		}
		pfn = phys_find_free(pfn + run, hi);
	}
	mtx_unlock_spin(&phys_lock);
	return (PHYS_NONE);
}

void
phys_free_contig(vm_paddr_t pa, u_long npages)
{
	u_long pfn = atop(pa);

	if ((pa & PAGE_MASK) != 0 || pfn < phys_lowest ||
	    pfn + npages > phys_highest || pfn + npages < pfn)
		panic("phys_free: %#lx (+%lu pages) is not managed memory",
		    (u_long)pa, npages);
	mtx_lock_spin(&phys_lock);
	for (u_long i = 0; i < npages; i++) {
		if (pfn_isfree(pfn + i)) {
			mtx_unlock_spin(&phys_lock);
			panic("phys_free: page %#lx freed twice",
			    (u_long)ptoa(pfn + i));
		}
	}
	for (u_long i = 0; i < npages; i++)
		pfn_set(pfn + i);
	phys_free_pages += npages;
	mtx_unlock_spin(&phys_lock);
}

void
phys_free_page(vm_paddr_t pa)
{
	phys_free_contig(pa, 1);
}

u_long
phys_free_count(void)
{
	return (phys_free_pages);
}

u_long
phys_total_count(void)
{
	return (phys_total_pages);
}
