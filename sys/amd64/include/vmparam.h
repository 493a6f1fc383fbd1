/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Kernel address-space layout.
 */
#ifndef _MACHINE_VMPARAM_H_
#define _MACHINE_VMPARAM_H_

#define KERNBASE	0xffffffff80000000UL	/* kernel image: phys + KERNBASE */
#define KERNLOAD	0x1000000UL		/* kernel physical load address (16 MiB) */
#define DMAP_MIN_ADDRESS 0xffff800000000000UL	/* direct map of physical memory */
#define DMAP_MAX_ADDRESS 0xffff808000000000UL	/* 512 GiB */
#define DMAP_BOOT_SIZE	0x100000000UL		/* mapped by locore: first 4 GiB */
/* Kernel stacks, 4 KiB pages with guards (kstack.c): PML4 slot 510. */
#define KSTACK_MIN_ADDRESS 0xffffff0000000000UL
#define KSTACK_MAX_ADDRESS 0xffffff8000000000UL
#define KSTACK_PAGES	4			/* every kernel stack: 16 KiB */
#define KSTACK_SIZE	(KSTACK_PAGES * 4096UL)
#define KSTACK_SLOT_PAGES 8			/* stack plus the guard below */
#define KSTACK_GUARD_PAGES (KSTACK_SLOT_PAGES - KSTACK_PAGES)

#ifndef __ASSEMBLER__
#include <sys/types.h>
#define PHYS_TO_DMAP(pa)	((vm_offset_t)(pa) + DMAP_MIN_ADDRESS)
#define DMAP_TO_PHYS(va)	((vm_paddr_t)(va) - DMAP_MIN_ADDRESS)
#define KVA_TO_PHYS(va)		((vm_paddr_t)(va) - KERNBASE)
/* Translates any kernel virtual address (image or direct map) to physical. */
vm_paddr_t	pmap_kextract(vm_offset_t va);
/* Extends the direct map to cover [0, top). */
int		pmap_dmap_extend(vm_paddr_t top);
/*
 * Kernel stacks of KSTACK_SIZE bytes with unmapped pages below; NULL when
 * out of memory.  kstack_bootstrap() maps thread0's, before the physical
 * allocator exists.
 */
void		*kstack_bootstrap(void);
void		*kstack_alloc(void);
void		kstack_free(void *);
#endif

#endif /* !_MACHINE_VMPARAM_H_ */
