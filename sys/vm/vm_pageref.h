/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Sharers of anonymous pages (copy-on-write after fork).  A page the page
 * tables own (PMAP_OWNED) has one mapper; fork adds one per child
 * instead of copying, and the page is freed when its last mapper goes.
 * Counts are kept per physical page frame, in an array sized at boot to
 * the RAM the page allocator hands out.
 */
#ifndef _VM_VM_PAGEREF_H_
#define _VM_VM_PAGEREF_H_

#include <sys/types.h>

/* One more mapper of pa; false when counts are not kept (copy instead). */
bool	vm_page_share(vm_paddr_t pa);
/* Whether the caller's mapping is pa's only one. */
bool	vm_page_sole(vm_paddr_t pa);
/* A mapper of an owned page goes away: the last one frees it. */
void	vm_page_unshare(vm_paddr_t pa);

#endif /* !_VM_VM_PAGEREF_H_ */
