/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Physical address of a kernel virtual address, for code that hands pages
 * to a device or a peer.  Only the image and the direct map are covered:
 * kernel stacks are never handed out, and nothing else is mapped.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

vm_paddr_t
pmap_kextract(vm_offset_t va)
{
	if (va >= KERNBASE)
		return (KVA_TO_PHYS(va));
	if (va >= DMAP_MIN_ADDRESS && va < DMAP_MAX_ADDRESS)
		return (DMAP_TO_PHYS(va));
	panic("pmap_kextract: %#lx is neither image nor direct map", va);
}
