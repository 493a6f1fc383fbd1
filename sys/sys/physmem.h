/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The physical memory map and the physical page allocator.
 */
#ifndef _SYS_PHYSMEM_H_
#define _SYS_PHYSMEM_H_

#include <sys/types.h>

enum memmap_type {
	MEMMAP_RAM = 1,
	MEMMAP_RESERVED = 2,
	MEMMAP_ACPI = 3,
	MEMMAP_NVS = 4,
	MEMMAP_UNUSABLE = 5,
	MEMMAP_DISABLED = 6,
	MEMMAP_PMEM = 7,
};

struct memmap_entry {
	vm_paddr_t	base;
	vm_size_t	len;
	uint32_t	type;
};

#define MEMMAP_MAX	128

struct memmap {
	int			count;
	struct memmap_entry	ent[MEMMAP_MAX];
};

/*
 * Sorts the map, merges adjacent and overlapping entries of one type, and
 * where types overlap gives the range to the more restrictive type (anything
 * beats RAM).  Zero-length entries are dropped.  Pure; returns the count.
 */
int	memmap_sanitize(struct memmap *);
/* Adds an entry, returning ENOSPC when the table is full. */
int	memmap_add(struct memmap *, vm_paddr_t base, vm_size_t len, uint32_t type);

/* The kernel's sanitised memory map, filled by the machine-dependent start. */
extern struct memmap	phys_memmap;

/*
 * Physical pages.  Allocation never panics: NULL-like 0 means none left.
 * The free pool is built from RAM in phys_memmap minus the ranges handed to
 * physmem_exclude() (kernel image, boot tables, modules).
 */
#define PHYS_NONE	((vm_paddr_t)0)
void		physmem_exclude(vm_paddr_t base, vm_size_t len);
void		physmem_init(void);
vm_paddr_t	phys_alloc_page(void);
vm_paddr_t	phys_alloc_contig(u_long npages, vm_paddr_t low, vm_paddr_t high);
void		phys_free_page(vm_paddr_t);
void		phys_free_contig(vm_paddr_t, u_long npages);
u_long		phys_free_count(void);	/* pages */
u_long		phys_total_count(void);	/* pages */

#endif /* !_SYS_PHYSMEM_H_ */
