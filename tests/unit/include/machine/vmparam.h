/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Hosted: the "direct map" is a buffer of the test process, placed so that
 * the fake physical addresses of its memory map land inside it.
 */
#ifndef _MACHINE_VMPARAM_H_
#define _MACHINE_VMPARAM_H_

#include <sys/types.h>

#define DMAP_BOOT_SIZE	0x100000000UL
#define KERNLOAD	0x1000000UL

extern uintptr_t	hosted_dmap_base;	/* address of "physical 0" */
#define PHYS_TO_DMAP(pa)	((vm_offset_t)(pa) + hosted_dmap_base)
#define DMAP_TO_PHYS(va)	((vm_paddr_t)((vm_offset_t)(va) - hosted_dmap_base))
vm_paddr_t	hosted_kva_to_phys(const void *);
#define KVA_TO_PHYS(va)		hosted_kva_to_phys((const void *)(va))
/* Any address of the hosted direct map (provided by the programs using it). */
vm_paddr_t	pmap_kextract(vm_offset_t va);

#endif /* !_MACHINE_VMPARAM_H_ */
