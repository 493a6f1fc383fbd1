/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Guest-physical space for pages Xen maps into us (shared_info, grant
 * frames).  They go in a hole of the memory map, never over RAM: mapping
 * over RAM would waste the page and split the host's large mappings.
 */
#include <sys/param.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

#include <x86/xen/xen_hooks.h>

/* Stay below the local APIC / IO-APIC window at the top of 4 GiB. */
#define HOLE_LIMIT	0xfc000000UL

/*
 * The next free address, advanced with compare-and-swap: backends allocate
 * ring space from their own threads, concurrently with each other.
 */
static vm_paddr_t	hole_next;

static bool
range_free(vm_paddr_t base, vm_size_t len)
{
	for (int i = 0; i < phys_memmap.count; i++) {
		const struct memmap_entry *e = &phys_memmap.ent[i];

		if (base < e->base + e->len && e->base < base + len)
			return (false);
	}
	return (true);
}

/* Where the holes start: above every RAM range below the limit. */
static vm_paddr_t
hole_base(void)
{
	vm_paddr_t top = 0;

	for (int i = 0; i < phys_memmap.count; i++) {
		const struct memmap_entry *e = &phys_memmap.ent[i];

		if (e->type == MEMMAP_RAM && e->base < HOLE_LIMIT &&
		    e->base + e->len > top)
			top = e->base + e->len;
	}
	return (roundup2(top, 0x200000UL));
}

vm_paddr_t
xen_hole_alloc(u_long npages)
{
	vm_size_t len = ptoa(npages);
	vm_paddr_t pa, zero = 0;

	pa = __atomic_load_n(&hole_next, __ATOMIC_ACQUIRE);
	if (pa == 0) {
		/* Every racer computes the same base; one store wins. */
		(void)__atomic_compare_exchange_n(&hole_next, &zero, hole_base(),
		    false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
		pa = __atomic_load_n(&hole_next, __ATOMIC_ACQUIRE);
	}
	while (pa + len <= HOLE_LIMIT) {
		/* On failure pa is reloaded with the winner's value. */
		if (!__atomic_compare_exchange_n(&hole_next, &pa, pa + len, false,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			continue;
		if (range_free(pa, len))
			return (pa);
		pa += len;
	}
	return (PHYS_NONE);
}
