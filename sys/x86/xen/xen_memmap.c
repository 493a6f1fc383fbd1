/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Memory map from XENMEM_memory_map.  Xen fills E820-format entries (the
 * BIOS INT 15h layout: 20 bytes, packed), which are translated to the
 * kernel's map.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/errno.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <x86/init.h>
#include <x86/xen/hypercall.h>
#include <x86/xen/xen_hooks.h>

#include <xen/memory.h>

/* The BIOS E820 entry layout that XENMEM_memory_map returns. */
struct e820_entry {
	uint64_t	base;
	uint64_t	len;
	uint32_t	type;
} __packed;
CTASSERT(sizeof(struct e820_entry) == 20);

#define XEN_MEMMAP_MAX	64

static struct e820_entry xen_e820[XEN_MEMMAP_MAX];
int	xen_memmap_entries;

int
xen_parse_memmap(struct bootinfo *bi, struct memmap *mm)
{
	struct xen_memory_map xmm;
	int error;

	xmm.nr_entries = XEN_MEMMAP_MAX;
	set_xen_guest_handle(xmm.buffer, xen_e820);
	error = HYPERVISOR_memory_op(XENMEM_memory_map, &xmm);
	if (error != 0) {
		/* Xen gave the same map in the PVH start info: use that. */
		printf("xen: XENMEM_memory_map failed (%d), using the boot map\n",
		    error);
		return (native_init_ops.parse_memmap(bi, mm));
	}
	/* Xen says how many it wrote; never trust it beyond our buffer. */
	if (xmm.nr_entries > XEN_MEMMAP_MAX)
		xmm.nr_entries = XEN_MEMMAP_MAX;
	xen_memmap_entries = (int)xmm.nr_entries;
	for (u_int i = 0; i < xmm.nr_entries; i++)
		(void)memmap_add(mm, xen_e820[i].base, xen_e820[i].len,
		    xen_e820[i].type);
	return (mm->count > 0 ? 0 : ENXIO);
}
