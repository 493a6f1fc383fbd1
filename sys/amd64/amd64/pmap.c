/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * User page tables (see machine/pmap.h).  Tables are reached through the
 * direct map.  Intermediate entries allow everything (user, writable,
 * executable); the last level decides.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>
#include <machine/pmap.h>
#include <machine/vmparam.h>

#include <vm/vm_pageref.h>

#define PG_V		0x001UL
#define PG_RW		0x002UL
#define PG_U		0x004UL
#define PG_PS		0x080UL
#define PG_OWNED	0x200UL		/* software: free the page on removal */
#define PG_COW		0x400UL		/* software: shared after fork, read-only */
#define PG_NX		(1UL << 63)
#define PG_FRAME	0x000ffffffffff000UL
#define NPTE		512
#define USER_PML4_SLOTS	256

static inline uint64_t *
pt_va(uint64_t entry)
{
	return ((uint64_t *)PHYS_TO_DMAP(entry & PG_FRAME));
}

static inline u_int
pt_index(vm_offset_t va, int level)
{
	return ((va >> (12 + 9 * level)) & (NPTE - 1));
}

int
pmap_pinit(struct pmap *pm)
{
	vm_paddr_t pa = phys_alloc_page();
	uint64_t *pml4;

	if (pa == PHYS_NONE)
		return (ENOMEM);
	pml4 = (uint64_t *)PHYS_TO_DMAP(pa);
	memset(pml4, 0, USER_PML4_SLOTS * sizeof(uint64_t));	/* lower half */
	memcpy(pml4 + USER_PML4_SLOTS, boot_pml4 + USER_PML4_SLOTS,
	    USER_PML4_SLOTS * sizeof(uint64_t));
	pm->pm_pml4 = pa;
	pm->pm_ptpages = 0;
	pm->pm_resident = 0;
	return (0);
}

/* The last-level entry for va, making the tables on the way if alloc. */
static uint64_t *
pmap_pte(struct pmap *pm, vm_offset_t va, bool alloc)
{
	uint64_t *table = (uint64_t *)PHYS_TO_DMAP(pm->pm_pml4);

	KASSERT(va < VM_MAXUSER_ADDRESS, ("pmap_pte: %#lx not user", va));
	for (int level = 3; level > 0; level--) {
		uint64_t *e = &table[pt_index(va, level)];

		if ((*e & PG_V) == 0) {
			vm_paddr_t pa;

			if (!alloc || (pa = phys_alloc_page()) == PHYS_NONE)
				return (NULL);
			pmap_zero_page(pa);
			pm->pm_ptpages++;
			*e = pa | PG_V | PG_RW | PG_U;
		}
		KASSERT((*e & PG_PS) == 0, ("pmap_pte: large page at %#lx", va));
		table = pt_va(*e);
	}
	return (&table[pt_index(va, 0)]);
}

static uint64_t
prot_bits(int prot)
{
	uint64_t bits = PG_V | PG_U;

	if (prot & VM_PROT_WRITE)
		bits |= PG_RW;
	if ((prot & VM_PROT_EXEC) == 0)
		bits |= PG_NX;
	return (bits);
}

bool
pmap_is_active(const struct pmap *pm)
{
	return (pm != NULL && (rcr3() & PG_FRAME) == pm->pm_pml4);
}

static void
pmap_invalidate(struct pmap *pm, vm_offset_t va)
{
	if (pmap_is_active(pm))
		invlpg(va);
}

static void
pte_clear(struct pmap *pm, uint64_t *pte, vm_offset_t va)
{
	uint64_t old = *pte;

	if ((old & PG_V) == 0)
		return;
	*pte = 0;
	pmap_invalidate(pm, va);
	pm->pm_resident--;
	if (old & PG_OWNED)
		vm_page_unshare(old & PG_FRAME);
}

int
pmap_enter(struct pmap *pm, vm_offset_t va, vm_paddr_t pa, int prot, int flags)
{
	uint64_t *pte;

	KASSERT((va & PAGE_MASK) == 0 && (pa & PAGE_MASK) == 0,
	    ("pmap_enter: unaligned %#lx -> %#lx", va, pa));
	if ((pte = pmap_pte(pm, va, true)) == NULL)
		return (ENOMEM);
	if ((*pte & PG_V) && (*pte & PG_FRAME) != pa)
		pte_clear(pm, pte, va);
	if ((*pte & PG_V) == 0)
		pm->pm_resident++;
	*pte = pa | prot_bits(prot) | ((flags & PMAP_OWNED) ? PG_OWNED : 0);
	pmap_invalidate(pm, va);
	return (0);
}

/* Calls fn on every valid last-level entry in [sva, eva), skipping holes. */
static void
pmap_walk(struct pmap *pm, vm_offset_t sva, vm_offset_t eva,
    void (*fn)(struct pmap *, uint64_t *, vm_offset_t, int), int arg)
{
	vm_offset_t va = sva;

	while (va < eva) {
		uint64_t *table = (uint64_t *)PHYS_TO_DMAP(pm->pm_pml4);
		int level;

		/* Descend; at a missing table, skip the span it would cover. */
		for (level = 3; level > 0; level--) {
			uint64_t e = table[pt_index(va, level)];

			if ((e & PG_V) == 0)
				break;
			table = pt_va(e);
		}
		if (level > 0) {
			vm_offset_t span = 1UL << (12 + 9 * level);
			vm_offset_t next = (va & ~(span - 1)) + span;

			if (next <= va)
				break;
			va = next;
			continue;
		}
		for (u_int i = pt_index(va, 0); i < NPTE && va < eva;
		    i++, va += PAGE_SIZE) {
			if (table[i] & PG_V)
				fn(pm, &table[i], va, arg);
		}
	}
}

static void
remove_one(struct pmap *pm, uint64_t *pte, vm_offset_t va, int arg __unused)
{
	pte_clear(pm, pte, va);
}

void
pmap_remove(struct pmap *pm, vm_offset_t sva, vm_offset_t eva)
{
	pmap_walk(pm, sva, MIN(eva, VM_MAXUSER_ADDRESS), remove_one, 0);
}

static void
protect_one(struct pmap *pm, uint64_t *pte, vm_offset_t va, int prot)
{
	*pte = (*pte & (PG_FRAME | PG_OWNED | PG_COW)) | prot_bits(prot);
	/* A shared page stays read-only until a write fault copies it. */
	if (*pte & PG_COW)
		*pte &= ~PG_RW;
	pmap_invalidate(pm, va);
}

void
pmap_protect(struct pmap *pm, vm_offset_t sva, vm_offset_t eva, int prot)
{
	pmap_walk(pm, sva, MIN(eva, VM_MAXUSER_ADDRESS), protect_one, prot);
}

bool
pmap_lookup(struct pmap *pm, vm_offset_t va, vm_paddr_t *pap, int *protp,
    bool *ownedp)
{
	uint64_t *pte, e;
	int prot;

	if (va >= VM_MAXUSER_ADDRESS ||
	    (pte = pmap_pte(pm, trunc_page(va), false)) == NULL ||
	    ((e = *pte) & PG_V) == 0)
		return (false);
	prot = VM_PROT_READ;
	if (e & PG_RW)
		prot |= VM_PROT_WRITE;
	if ((e & PG_NX) == 0)
		prot |= VM_PROT_EXEC;
	if (pap != NULL)
		*pap = e & PG_FRAME;
	if (protp != NULL)
		*protp = prot;
	if (ownedp != NULL)
		*ownedp = (e & PG_OWNED) != 0;
	return (true);
}

static void
free_tables(struct pmap *pm, uint64_t *table, int level)
{
	for (u_int i = 0; i < NPTE; i++) {
		if ((table[i] & PG_V) == 0)
			continue;
		if (level > 1)
			free_tables(pm, pt_va(table[i]), level - 1);
		phys_free_page(table[i] & PG_FRAME);
		pm->pm_ptpages--;
		table[i] = 0;
	}
}

void
pmap_release(struct pmap *pm)
{
	uint64_t *pml4 = (uint64_t *)PHYS_TO_DMAP(pm->pm_pml4);

	KASSERT(!pmap_is_active(pm), ("pmap_release of the active pmap"));
	pmap_remove(pm, 0, VM_MAXUSER_ADDRESS);
	for (u_int i = 0; i < USER_PML4_SLOTS; i++) {
		if ((pml4[i] & PG_V) == 0)
			continue;
		free_tables(pm, pt_va(pml4[i]), 2);
		phys_free_page(pml4[i] & PG_FRAME);
		pm->pm_ptpages--;
		pml4[i] = 0;
	}
	KASSERT(pm->pm_ptpages == 0 && pm->pm_resident == 0,
	    ("pmap_release: %lu tables, %lu pages left", pm->pm_ptpages,
	    pm->pm_resident));
	phys_free_page(pm->pm_pml4);
	pm->pm_pml4 = 0;
}

void
pmap_activate(struct pmap *pm)
{
	vm_paddr_t pa = pm != NULL ? pm->pm_pml4 :
	    KVA_TO_PHYS((vm_offset_t)boot_pml4);

	if ((rcr3() & PG_FRAME) != pa)
		load_cr3(pa);
}

/*
 * Quadword string moves: a page in 512 steps instead of 4096 (what the
 * byte-wise memcpy/memset of libkern costs matters under emulation,
 * where fork copies every page).
 */
void
pmap_zero_page(vm_paddr_t pa)
{
	void *d = (void *)PHYS_TO_DMAP(pa);
	size_t n = PAGE_SIZE / 8;

	__asm__ __volatile__("rep stosq" : "+D"(d), "+c"(n) : "a"(0UL) :
	    "memory");
}

void
pmap_copy_page(vm_paddr_t src, vm_paddr_t dst)
{
	void *d = (void *)PHYS_TO_DMAP(dst);
	const void *s = (const void *)PHYS_TO_DMAP(src);
	size_t n = PAGE_SIZE / 8;

	__asm__ __volatile__("rep movsq" : "+D"(d), "+S"(s), "+c"(n) ::
	    "memory");
}

int
pmap_cow_share(struct pmap *src, struct pmap *dst, vm_offset_t va)
{
	uint64_t *spte, *dpte, e;

	if ((spte = pmap_pte(src, va, false)) == NULL || (*spte & PG_V) == 0)
		return (0);
	e = *spte;
	if ((e & PG_OWNED) == 0)
		return (ENOTSUP);
	if ((dpte = pmap_pte(dst, va, true)) == NULL)
		return (ENOMEM);
	if (!vm_page_share(e & PG_FRAME))
		return (ENOTSUP);
	e = (e & ~PG_RW) | PG_COW;
	*spte = e;
	pmap_invalidate(src, va);
	KASSERT((*dpte & PG_V) == 0, ("pmap_cow_share: %#lx mapped", va));
	*dpte = e;
	dst->pm_resident++;
	return (0);
}

bool
pmap_is_cow(struct pmap *pm, vm_offset_t va)
{
	uint64_t *pte = pmap_pte(pm, trunc_page(va), false);

	return (pte != NULL && (*pte & (PG_V | PG_COW)) == (PG_V | PG_COW));
}

int
pmap_cow_resolve(struct pmap *pm, vm_offset_t va, int prot, vm_paddr_t *pap)
{
	uint64_t *pte = pmap_pte(pm, trunc_page(va), false), e;
	vm_paddr_t old, npa;

	KASSERT(pte != NULL && (*pte & PG_COW), ("pmap_cow_resolve: %#lx", va));
	e = *pte;
	old = e & PG_FRAME;
	if (vm_page_sole(old)) {
		/* The others went: the page is ours again. */
		*pte = old | prot_bits(prot) | PG_OWNED;
		pmap_invalidate(pm, trunc_page(va));
		*pap = old;
		return (0);
	}
	if ((npa = phys_alloc_page()) == PHYS_NONE)
		return (ENOMEM);
	pmap_copy_page(old, npa);
	*pte = npa | prot_bits(prot) | PG_OWNED;
	pmap_invalidate(pm, trunc_page(va));
	vm_page_unshare(old);
	*pap = npa;
	return (0);
}
