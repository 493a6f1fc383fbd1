/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tmpfs data pages come from the physical allocator and are used through
 * the direct map, so file mmap can hand the very page to a process.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/physmem.h>
#include <sys/systm.h>
#include <machine/vmparam.h>

#include <fs/tmpfs/tmpfs.h>

void *
tmpfs_page_alloc(void)
{
	vm_paddr_t pa;
	void *va;

	pa = phys_alloc_page();
	if (pa == PHYS_NONE)
		return (NULL);
	va = (void *)PHYS_TO_DMAP(pa);
	memset(va, 0, PAGE_SIZE);
	return (va);
}

void
tmpfs_page_free(void *va)
{
	phys_free_page(DMAP_TO_PHYS(va));
}

vm_paddr_t
tmpfs_page_pa(void *va)
{
	return (DMAP_TO_PHYS(va));
}

u_long
tmpfs_page_limit(void)
{
	/* Half of what is free when it mounts: the rest stays for the kernel. */
	return (phys_free_count() / 2);
}
