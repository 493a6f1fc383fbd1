/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * User page tables.  Each address space has its own PML4 whose upper half
 * (slots 256-511: direct map, kernel stacks, kernel image) is a copy of the
 * boot PML4's, taken at creation: those slots are all filled during boot
 * and never change afterwards, so the copies stay true.  The lower half is
 * the process's, 4 KiB pages only.
 *
 * A mapping either owns its physical page (anonymous memory: freed when
 * its last mapping goes, see vm/vm_pageref.h) or borrows it (a page a
 * pager keeps, MAP_SHARED).
 * An address space is only ever active on one CPU (a process's threads
 * share its CPU), so a changed mapping is flushed from that CPU's TLB
 * alone.
 */
#ifndef _MACHINE_PMAP_H_
#define _MACHINE_PMAP_H_

#include <sys/types.h>

#define VM_MIN_USER_ADDRESS	0x0000000000010000UL	/* no page 0 games */
#define VM_MAXUSER_ADDRESS	0x00007ffffffff000UL	/* as Linux's TASK_SIZE */

#define VM_PROT_NONE	0x0
#define VM_PROT_READ	0x1
#define VM_PROT_WRITE	0x2
#define VM_PROT_EXEC	0x4

struct pmap {
	vm_paddr_t	pm_pml4;	/* physical */
	u_long		pm_ptpages;	/* page-table pages, PML4 excluded */
	u_long		pm_resident;	/* pages mapped */
};

#define PMAP_OWNED	0x1		/* pmap_enter: the mapping owns pa */

int	pmap_pinit(struct pmap *);
/* Removes every user mapping and frees the page tables. */
void	pmap_release(struct pmap *);
/* Maps one page (replacing what was there); ENOMEM without page tables. */
int	pmap_enter(struct pmap *, vm_offset_t va, vm_paddr_t pa, int prot,
	    int flags);
/* Unmaps [sva, eva), freeing owned pages. */
void	pmap_remove(struct pmap *, vm_offset_t sva, vm_offset_t eva);
/* Changes the protection of the pages mapped in [sva, eva). */
void	pmap_protect(struct pmap *, vm_offset_t sva, vm_offset_t eva, int prot);
/*
 * The page mapped at va: true with its physical address, protection and
 * whether the mapping owns it; false when nothing is mapped.
 */
bool	pmap_lookup(struct pmap *, vm_offset_t va, vm_paddr_t *pap, int *protp,
	    bool *ownedp);
/*
 * Copy-on-write.  pmap_cow_share maps src's owned page at va into dst too,
 * read-only in both (0; ENOTSUP for a page src does not own or when
 * sharer counts are not kept: the caller copies; ENOMEM).  A write fault
 * on such a page (pmap_is_cow) is resolved by pmap_cow_resolve: a copy
 * of its own, or the page itself once nobody else maps it, mapped with
 * prot; its physical address in *pap.
 */
int	pmap_cow_share(struct pmap *src, struct pmap *dst, vm_offset_t va);
bool	pmap_is_cow(struct pmap *, vm_offset_t va);
int	pmap_cow_resolve(struct pmap *, vm_offset_t va, int prot,
	    vm_paddr_t *pap);
/* Whole physical pages, eight bytes at a time (through the direct map). */
void	pmap_zero_page(vm_paddr_t pa);
void	pmap_copy_page(vm_paddr_t src, vm_paddr_t dst);
/* Loads the address space on this CPU (the kernel's when NULL). */
void	pmap_activate(struct pmap *);
bool	pmap_is_active(const struct pmap *);

#endif /* !_MACHINE_PMAP_H_ */
