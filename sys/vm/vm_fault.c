/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Page faults on user addresses: make the page an entry promises, or say
 * why not (EFAULT becomes SIGSEGV, or a system call's EFAULT).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

#include <vm/vm_anon.h>
#include <vm/vm_map.h>

/* A private page for me at va: zeroes, or a copy of the pager's page. */
static int
fault_private(struct vm_map_entry *me, vm_offset_t va, vm_paddr_t *pap)
{
	vm_paddr_t pa, src;
	int error;

	if ((pa = phys_alloc_page()) == PHYS_NONE)
		return (ENOMEM);
	if (me->me_pager == NULL) {
		pmap_zero_page(pa);
	} else {
		error = me->me_pager->vpo_getpage(me->me_obj,
		    me->me_offset + (off_t)(va - me->me_start), &src);
		if (error != 0) {
			phys_free_page(pa);
			return (error);
		}
		pmap_copy_page(src, pa);
	}
	*pap = pa;
	return (0);
}

/*
 * kwrite: the kernel is about to write the page through the direct map
 * whatever the entry allows (exec building an image, fork's child tid):
 * a shared copy-on-write page must become the process's own first.
 */
static int
vm_fault_common(struct vmspace *vs, vm_offset_t va, int prot, vm_paddr_t *pap,
    bool kwrite)
{
	struct vm_map_entry *me;
	vm_paddr_t pa;
	off_t off;
	int error, have;
	bool shared;

	if (va >= VM_MAXUSER_ADDRESS)
		return (EFAULT);
	va = trunc_page(va);
	mtx_lock(&vs->vm_mtx);
	me = vm_map_lookup(vs, va);
	if (me == NULL || (me->me_prot & prot) != prot) {
		mtx_unlock(&vs->vm_mtx);
		return (EFAULT);
	}
	if (pmap_lookup(&vs->vm_pmap, va, &pa, &have, NULL)) {
		/* A write to a page fork left shared: a copy of our own. */
		if (((prot & VM_PROT_WRITE) || kwrite) &&
		    pmap_is_cow(&vs->vm_pmap, va)) {
			error = pmap_cow_resolve(&vs->vm_pmap, va, me->me_prot,
			    &pa);
			mtx_unlock(&vs->vm_mtx);
			if (error == 0 && pap != NULL)
				*pap = pa;
			return (error);
		}
		/* There with the rights asked for (a racing thread, copyin). */
		if ((have & prot) == prot) {
			mtx_unlock(&vs->vm_mtx);
			if (pap != NULL)
				*pap = pa;
			return (0);
		}
	}
	off = me->me_offset + (off_t)(va - me->me_start);
	shared = (me->me_flags & MAP_ENTRY_SHARED) != 0;
	if (shared && me->me_shared != NULL)
		error = vm_anon_shared_page(me->me_shared, off, &pa);
	else if (shared && me->me_pager != NULL)
		error = me->me_pager->vpo_getpage(me->me_obj, off, &pa);
	else
		error = fault_private(me, va, &pa);
	if (error == 0) {
		error = pmap_enter(&vs->vm_pmap, va, pa, me->me_prot,
		    shared ? 0 : PMAP_OWNED);
		if (error != 0 && !shared)
			phys_free_page(pa);
	}
	if (error == 0)
		vs->vm_faults++;
	mtx_unlock(&vs->vm_mtx);
	if (error == 0 && pap != NULL)
		*pap = pa;
	return (error);
}

int
vm_fault(struct vmspace *vs, vm_offset_t va, int prot, vm_paddr_t *pap)
{
	return (vm_fault_common(vs, va, prot, pap, false));
}

int
vm_copyout_space(struct vmspace *vs, const void *kaddr, vm_offset_t uaddr,
    size_t len)
{
	const char *src = kaddr;
	vm_paddr_t pa;
	int error;

	if (uaddr >= VM_MAXUSER_ADDRESS || len > VM_MAXUSER_ADDRESS - uaddr)
		return (EFAULT);
	while (len > 0) {
		size_t in_page = MIN(len, PAGE_SIZE - (uaddr & PAGE_MASK));

		/* As the kernel writes, whatever the entry lets the user do. */
		error = vm_fault_common(vs, uaddr, VM_PROT_READ, &pa, true);
		if (error != 0)
			return (error);
		memcpy((char *)PHYS_TO_DMAP(pa) + (uaddr & PAGE_MASK), src,
		    in_page);
		src += in_page;
		uaddr += in_page;
		len -= in_page;
	}
	return (0);
}
