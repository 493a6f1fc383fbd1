/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Kernel stacks with guard pages.  Stacks live in their own region (one
 * PML4 slot, 4 KiB page tables) rather than in the direct map, whose large
 * pages cannot leave a hole: each stack is a slot of KSTACK_SLOT_PAGES
 * pages whose low KSTACK_GUARD_PAGES stay unmapped, so running off the
 * bottom of a stack page-faults (and, with no stack left to push the fault
 * on, double-faults onto its IST stack) instead of overwriting whatever
 * lies below.
 *
 * A freed stack keeps its pages and goes back on a free list: mappings are
 * only ever added, so no other CPU can hold a stale translation and no TLB
 * shootdown is needed.  Thread0's stack is slot 0, mapped from static
 * pages before the physical allocator exists.
 */
#include <sys/param.h>
#include <sys/mutex.h>
#include <sys/physmem.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/md_var.h>
#include <machine/pcb.h>
#include <machine/vmparam.h>

#define PG_V		0x001UL
#define PG_RW		0x002UL
#define PG_FRAME	0x000ffffffffff000UL

#define NPTEPG			512	/* entries per page-table page */
#define KSTACK_SLOT_SIZE	((vm_offset_t)KSTACK_SLOT_PAGES * PAGE_SIZE)
#define KSTACK_MAX_SLOTS	4096	/* 128 MiB of the slot: one page directory */
#define KSTACK_PML4_INDEX	((KSTACK_MIN_ADDRESS >> 39) & 511)
#define SLOTS_PER_PT		(NPTEPG / KSTACK_SLOT_PAGES)

CTASSERT(KSTACK_GUARD_PAGES >= 1);
CTASSERT((uint64_t)KSTACK_MAX_SLOTS * KSTACK_SLOT_PAGES * PAGE_SIZE <=
    (1UL << 30));

static uint64_t	kstack_pdpt[NPTEPG] __aligned(PAGE_SIZE);
static uint64_t	kstack_pd[NPTEPG] __aligned(PAGE_SIZE);
static uint64_t	kstack_pt0[NPTEPG] __aligned(PAGE_SIZE);
static char	thread0_stack[KSTACK_SIZE] __aligned(PAGE_SIZE);

static struct mtx	kstack_lock;
static u_int		kstack_next;		/* slots ever handed out */
static uint16_t		kstack_free_slots[KSTACK_MAX_SLOTS];
static u_int		kstack_nfree;

static vm_offset_t
slot_stack(u_int slot)
{
	return (KSTACK_MIN_ADDRESS + slot * KSTACK_SLOT_SIZE +
	    KSTACK_GUARD_PAGES * PAGE_SIZE);
}

/* The page table for a slot, allocating it on first use; lock held. */
static uint64_t *
slot_pt(u_int slot)
{
	u_int pdi = slot / SLOTS_PER_PT;
	vm_paddr_t pa;

	if ((kstack_pd[pdi] & PG_V) == 0) {
		if ((pa = phys_alloc_page()) == PHYS_NONE)
			return (NULL);
		memset((void *)PHYS_TO_DMAP(pa), 0, PAGE_SIZE);
		kstack_pd[pdi] = pa | PG_V | PG_RW;
	}
	return ((uint64_t *)PHYS_TO_DMAP(kstack_pd[pdi] & PG_FRAME));
}

static u_int
slot_pte_index(u_int slot, u_int page)
{
	return ((slot % SLOTS_PER_PT) * KSTACK_SLOT_PAGES +
	    KSTACK_GUARD_PAGES + page);
}

void *
kstack_bootstrap(void)
{
	vm_paddr_t pa = KVA_TO_PHYS((vm_offset_t)thread0_stack);

	mtx_init(&kstack_lock, "kstack", NULL, MTX_SPIN);
	kstack_pd[0] = KVA_TO_PHYS((vm_offset_t)kstack_pt0) | PG_V | PG_RW;
	kstack_pdpt[0] = KVA_TO_PHYS((vm_offset_t)kstack_pd) | PG_V | PG_RW;
	for (u_int i = 0; i < KSTACK_PAGES; i++)
		kstack_pt0[slot_pte_index(0, i)] = (pa + ptoa(i)) | PG_V | PG_RW;
	/* Every CPU runs on boot_pml4, so this one entry serves them all. */
	boot_pml4[KSTACK_PML4_INDEX] = KVA_TO_PHYS((vm_offset_t)kstack_pdpt) |
	    PG_V | PG_RW;
	kstack_next = 1;
	return ((void *)slot_stack(0));
}

void *
kstack_alloc(void)
{
	vm_paddr_t pages[KSTACK_PAGES];
	uint64_t *pt;
	u_int slot, n;

	mtx_lock_spin(&kstack_lock);
	if (kstack_nfree > 0) {
		slot = kstack_free_slots[--kstack_nfree];
		mtx_unlock_spin(&kstack_lock);
		return ((void *)slot_stack(slot));
	}
	if (kstack_next == KSTACK_MAX_SLOTS ||
	    (pt = slot_pt(kstack_next)) == NULL) {
		mtx_unlock_spin(&kstack_lock);
		return (NULL);
	}
	for (n = 0; n < KSTACK_PAGES; n++) {
		if ((pages[n] = phys_alloc_page()) == PHYS_NONE) {
			while (n > 0)
				phys_free_page(pages[--n]);
			mtx_unlock_spin(&kstack_lock);
			return (NULL);
		}
	}
	slot = kstack_next++;
	for (n = 0; n < KSTACK_PAGES; n++)
		pt[slot_pte_index(slot, n)] = pages[n] | PG_V | PG_RW;
	mtx_unlock_spin(&kstack_lock);
	return ((void *)slot_stack(slot));
}

void
kstack_free(void *stack)
{
	vm_offset_t va = (vm_offset_t)stack;
	u_int slot = (u_int)((va - KSTACK_MIN_ADDRESS) / KSTACK_SLOT_SIZE);

	if (va < KSTACK_MIN_ADDRESS || slot == 0 || slot >= kstack_next ||
	    va != slot_stack(slot))
		panic("kstack_free: %p is not a kernel stack", stack);
	mtx_lock_spin(&kstack_lock);
	KASSERT(kstack_nfree < kstack_next, ("kstack_free: %p freed twice?",
	    stack));
	kstack_free_slots[kstack_nfree++] = (uint16_t)slot;
	mtx_unlock_spin(&kstack_lock);
}
