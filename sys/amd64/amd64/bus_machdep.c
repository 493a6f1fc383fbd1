/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Mapping device memory.  Below 4 GiB the boot direct map already covers
 * every physical address with 2 MiB pages; a device window is used through
 * it once its large pages are made uncached.  A 2 MiB page that holds any
 * RAM is refused rather than made uncached under the kernel's feet.  TLB
 * fills may be speculative, so any CPU may hold the old translation: every
 * CPU flushes the changed pages before the window is handed out.  Windows
 * above the boot direct map are not supported (ENXIO).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/physmem.h>
#include <sys/smp.h>
#include <sys/systm.h>

#include <machine/bus.h>
#include <machine/cpufunc.h>
#include <machine/md_var.h>
#include <machine/vmparam.h>

#define PG_PWT		0x008UL
#define PG_PCD		0x010UL
#define LARGE_SHIFT	21
#define LARGE_SIZE	(1UL << LARGE_SHIFT)

static bool
range_has_ram(vm_paddr_t lo, vm_paddr_t hi)
{
	for (int i = 0; i < phys_memmap.count; i++) {
		const struct memmap_entry *e = &phys_memmap.ent[i];

		if (e->type == MEMMAP_RAM && e->base < hi &&
		    e->base + e->len > lo)
			return (true);
	}
	return (false);
}

struct large_range {
	vm_paddr_t	first, last;	/* 2 MiB page numbers */
};

static void
large_range_flush(void *arg)
{
	const struct large_range *lr = arg;

	/* The identity map shares boot_pd with the direct map. */
	for (vm_paddr_t i = lr->first; i <= lr->last; i++) {
		invlpg(PHYS_TO_DMAP(i << LARGE_SHIFT));
		invlpg((vm_offset_t)(i << LARGE_SHIFT));
	}
}

int
bus_space_map(bus_space_tag_t t, bus_addr_t addr, bus_size_t size,
    bus_space_handle_t *hp)
{
	struct large_range lr;
	vm_paddr_t first, last;
	bool changed = false;

	if (t == X86_BUS_SPACE_IO) {
		if (addr + size > 0x10000 || addr + size < addr)
			return (EINVAL);
		*hp = addr;
		return (0);
	}
	if (size == 0 || addr + size < addr || addr + size > DMAP_BOOT_SIZE)
		return (ENXIO);
	first = addr >> LARGE_SHIFT;
	last = (addr + size - 1) >> LARGE_SHIFT;
	for (vm_paddr_t i = first; i <= last; i++)
		if (range_has_ram(i << LARGE_SHIFT, (i + 1) << LARGE_SHIFT))
			return (ENXIO);
	for (vm_paddr_t i = first; i <= last; i++) {
		if ((boot_pd[i] & (PG_PCD | PG_PWT)) == (PG_PCD | PG_PWT))
			continue;
		__atomic_or_fetch(&boot_pd[i], PG_PCD | PG_PWT,
		    __ATOMIC_SEQ_CST);
		changed = true;
	}
	if (changed) {
		lr.first = first;
		lr.last = last;
		smp_rendezvous(NULL, large_range_flush, NULL, &lr);
	}
	*hp = PHYS_TO_DMAP(addr);
	return (0);
}

/* The direct map stays; an uncached device page is harmless to keep. */
void
bus_space_unmap(bus_space_tag_t t __unused, bus_space_handle_t h __unused,
    bus_size_t size __unused)
{
}
