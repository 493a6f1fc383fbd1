/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): one array of pages,
 * made on first touch, shared by every entry that inherits it (fork) and
 * freed with the last reference.
 */
#ifndef _VM_VM_ANON_H_
#define _VM_VM_ANON_H_

#include <sys/types.h>

struct vm_anon_shared;

struct vm_anon_shared *vm_anon_shared_alloc(vm_size_t len);
void	vm_anon_shared_ref(struct vm_anon_shared *);
void	vm_anon_shared_rele(struct vm_anon_shared *);
/* The page at byte off (made zeroed on first use): 0, EFAULT or ENOMEM. */
int	vm_anon_shared_page(struct vm_anon_shared *, off_t off, vm_paddr_t *pap);

#endif /* !_VM_VM_ANON_H_ */
