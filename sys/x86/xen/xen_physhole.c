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

vm_paddr_t
xen_hole_alloc(u_long npages)
{
	vm_size_t len = ptoa(npages);

	if (hole_next == 0) {
		vm_paddr_t top = 0;

		/* Start above every RAM range that sits below the limit. */
		for (int i = 0; i < phys_memmap.count; i++) {
			const struct memmap_entry *e = &phys_memmap.ent[i];

			if (e->type == MEMMAP_RAM && e->base < HOLE_LIMIT &&
			    e->base + e->len > top)
				top = e->base + e->len;
		}
		hole_next = roundup2(top, 0x200000UL);
	}
	while (hole_next + len <= HOLE_LIMIT) {
		vm_paddr_t pa = hole_next;

		hole_next += len;
		if (range_free(pa, len))
			return (pa);
	}
	return (PHYS_NONE);
}
