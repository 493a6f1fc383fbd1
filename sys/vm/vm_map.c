/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Address-space bookkeeping: the sorted entry list of a vmspace, and its
 * creation, copy (fork) and destruction.  Faults are in vm_fault.c.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

#include <vm/vm_map.h>
#include <vm/vm_anon.h>

MALLOC_DEFINE(M_VMMAP, "vmmap", "address spaces and map entries");

struct vmspace *
vmspace_alloc(void)
{
	struct vmspace *vs;

	vs = malloc(sizeof(*vs), M_VMMAP, M_WAITOK | M_ZERO);
	if (vs == NULL)
		return (NULL);
	if (pmap_pinit(&vs->vm_pmap) != 0) {
		free(vs, M_VMMAP);
		return (NULL);
	}
	mtx_init(&vs->vm_mtx, "vmspace", NULL, MTX_DEF);
	TAILQ_INIT(&vs->vm_entries);
	vs->vm_mmap_base = VM_MMAP_BASE;
	vs->vm_stack_top = VM_STACK_TOP;
	return (vs);
}

static void
entry_free(struct vm_map_entry *me)
{
	if (me->me_pager != NULL && me->me_pager->vpo_release != NULL)
		me->me_pager->vpo_release(me->me_obj);
	if (me->me_shared != NULL)
		vm_anon_shared_rele(me->me_shared);
	free(me, M_VMMAP);
}

static void
entry_ref_obj(struct vm_map_entry *me)
{
	if (me->me_pager != NULL && me->me_pager->vpo_ref != NULL)
		me->me_pager->vpo_ref(me->me_obj);
	if (me->me_shared != NULL)
		vm_anon_shared_ref(me->me_shared);
}

void
vmspace_free(struct vmspace *vs)
{
	struct vm_map_entry *me;

	while ((me = TAILQ_FIRST(&vs->vm_entries)) != NULL) {
		TAILQ_REMOVE(&vs->vm_entries, me, me_link);
		entry_free(me);
	}
	/* Unmaps (and frees the owned pages) before the objects go. */
	pmap_release(&vs->vm_pmap);
	mtx_destroy(&vs->vm_mtx);
	free(vs, M_VMMAP);
}

struct vm_map_entry *
vm_map_lookup(struct vmspace *vs, vm_offset_t va)
{
	struct vm_map_entry *me;

	mtx_assert(&vs->vm_mtx, MA_OWNED);
	TAILQ_FOREACH(me, &vs->vm_entries, me_link) {
		if (va < me->me_start)
			return (NULL);
		if (va < me->me_end)
			return (me);
	}
	return (NULL);
}

/*
 * The list is sorted, its entries do not overlap and vm_nentries counts
 * them: checked after every change (INVARIANTS kernels; the walk is short
 * next to the change it follows).
 */
static void
vm_map_check(struct vmspace *vs, const char *op)
{
	struct vm_map_entry *me;
	vm_offset_t prev = 0;
	u_int n = 0;

	TAILQ_FOREACH(me, &vs->vm_entries, me_link) {
		KASSERT(me->me_start >= prev && me->me_end > me->me_start,
		    ("vm_map %s: entry [%#lx, %#lx) after %#lx", op,
		    me->me_start, me->me_end, prev));
		prev = me->me_end;
		n++;
	}
	KASSERT(n == vs->vm_nentries, ("vm_map %s: %u entries listed, "
	    "%u counted", op, n, vs->vm_nentries));
}

/* Splits me at va (inside it): me keeps [start, va), the new one the rest. */
static int
entry_split(struct vmspace *vs, struct vm_map_entry *me, vm_offset_t va)
{
	struct vm_map_entry *ne, *next;

	KASSERT(va > me->me_start && va < me->me_end,
	    ("entry_split: %#lx outside [%#lx, %#lx)", va, me->me_start,
	    me->me_end));
	if (vs->vm_nentries >= VM_MAX_ENTRIES)
		return (ENOMEM);
	ne = malloc(sizeof(*ne), M_VMMAP, M_WAITOK);
	if (ne == NULL)
		return (ENOMEM);
	*ne = *me;
	ne->me_start = va;
	ne->me_offset = me->me_offset + (off_t)(va - me->me_start);
	me->me_end = va;
	entry_ref_obj(ne);
	/*
	 * After me.  The successor goes through a variable: the macro names
	 * its first argument again after changing me's link, so
	 * TAILQ_NEXT(me) there would then be ne itself.
	 */
	if ((next = TAILQ_NEXT(me, me_link)) != NULL)
		TAILQ_INSERT_BEFORE(next, ne, me_link);
	else
		TAILQ_INSERT_TAIL(&vs->vm_entries, ne, me_link);
	vs->vm_nentries++;
	return (0);
}

/* Splits the entries around [start, end) so that none straddles an end. */
static int
clip_range(struct vmspace *vs, vm_offset_t start, vm_offset_t end)
{
	struct vm_map_entry *me;
	int error;

	TAILQ_FOREACH(me, &vs->vm_entries, me_link) {
		if (me->me_start >= end)
			break;
		if (start > me->me_start && start < me->me_end &&
		    (error = entry_split(vs, me, start)) != 0)
			return (error);
		if (end > me->me_start && end < me->me_end &&
		    (error = entry_split(vs, me, end)) != 0)
			return (error);
	}
	return (0);
}

static bool
user_range_ok(vm_offset_t start, vm_size_t len)
{
	return ((start & PAGE_MASK) == 0 && (len & PAGE_MASK) == 0 &&
	    len != 0 && start >= VM_MIN_USER_ADDRESS &&
	    start <= VM_MAXUSER_ADDRESS && len <= VM_MAXUSER_ADDRESS - start);
}

static int
remove_locked(struct vmspace *vs, vm_offset_t start, vm_offset_t end)
{
	struct vm_map_entry *me, *tmp;
	int error;

	if ((error = clip_range(vs, start, end)) != 0)
		return (error);
	TAILQ_FOREACH_SAFE(me, &vs->vm_entries, me_link, tmp) {
		if (me->me_start >= end)
			break;
		if (me->me_end <= start)
			continue;
		pmap_remove(&vs->vm_pmap, me->me_start, me->me_end);
		TAILQ_REMOVE(&vs->vm_entries, me, me_link);
		vs->vm_nentries--;
		entry_free(me);
	}
	return (0);
}

int
vm_map_remove(struct vmspace *vs, vm_offset_t start, vm_offset_t end)
{
	int error;

	if (end <= start || !user_range_ok(start, end - start))
		return (EINVAL);
	mtx_lock(&vs->vm_mtx);
	error = remove_locked(vs, start, end);
	vm_map_check(vs, "remove");
	mtx_unlock(&vs->vm_mtx);
	return (error);
}

static bool
range_free(struct vmspace *vs, vm_offset_t start, vm_offset_t end)
{
	struct vm_map_entry *me;

	TAILQ_FOREACH(me, &vs->vm_entries, me_link) {
		if (me->me_start >= end)
			return (true);
		if (me->me_end > start)
			return (false);
	}
	return (true);
}

/* The highest free range of len bytes that ends at or below hint, or 0. */
static vm_offset_t
findspace_locked(struct vmspace *vs, vm_offset_t hint, vm_size_t len)
{
	struct vm_map_entry *me;
	vm_offset_t top = MIN(hint, vs->vm_mmap_base);
	vm_offset_t lo = VM_MIN_USER_ADDRESS, best = 0, hi;

	TAILQ_FOREACH(me, &vs->vm_entries, me_link) {
		if (lo >= top)
			break;
		hi = MIN(me->me_start, top);
		if (hi > lo && hi - lo >= len)
			best = hi - len;
		lo = MAX(lo, me->me_end);
	}
	if (lo < top && top - lo >= len)
		best = top - len;
	return (best);
}

vm_offset_t
vm_map_findspace(struct vmspace *vs, vm_offset_t hint, vm_size_t len)
{
	vm_offset_t va;

	mtx_lock(&vs->vm_mtx);
	va = findspace_locked(vs, hint, len);
	mtx_unlock(&vs->vm_mtx);
	return (va);
}

int
vm_map_insert(struct vmspace *vs, vm_offset_t *startp, vm_size_t len,
    int prot, int flags, bool fixed, const struct vm_pager_ops *pager,
    void *obj, off_t offset)
{
	struct vm_map_entry *me, *pos;
	struct vm_anon_shared *shared = NULL;
	vm_offset_t start = *startp;
	int error;

	len = round_page(len);
	if (len == 0 || len > VM_MAXUSER_ADDRESS)
		return (EINVAL);
	if ((flags & MAP_ENTRY_SHARED) && pager == NULL &&
	    (shared = vm_anon_shared_alloc(len)) == NULL)
		return (ENOMEM);
	me = malloc(sizeof(*me), M_VMMAP, M_WAITOK | M_ZERO);
	if (me == NULL) {
		if (shared != NULL)
			vm_anon_shared_rele(shared);
		return (ENOMEM);
	}
	mtx_lock(&vs->vm_mtx);
	error = 0;
	if (vs->vm_nentries >= VM_MAX_ENTRIES)
		error = ENOMEM;
	else if (start == 0 && !fixed) {
		if ((start = findspace_locked(vs, vs->vm_mmap_base, len)) == 0)
			error = ENOMEM;
	} else if (!user_range_ok(start, len))
		error = fixed ? EINVAL : ENOMEM;
	else if (fixed)
		error = remove_locked(vs, start, start + len);
	else if (!range_free(vs, start, start + len))
		error = EEXIST;
	if (error != 0) {
		mtx_unlock(&vs->vm_mtx);
		free(me, M_VMMAP);
		if (shared != NULL)
			vm_anon_shared_rele(shared);
		return (error);
	}
	me->me_start = start;
	me->me_end = start + len;
	me->me_prot = prot;
	me->me_flags = flags;
	me->me_pager = pager;
	me->me_obj = obj;
	me->me_offset = offset;
	me->me_shared = shared;
	if (pager != NULL && pager->vpo_ref != NULL)
		pager->vpo_ref(obj);
	TAILQ_FOREACH(pos, &vs->vm_entries, me_link) {
		if (pos->me_start >= me->me_end)
			break;
	}
	if (pos != NULL)
		TAILQ_INSERT_BEFORE(pos, me, me_link);
	else
		TAILQ_INSERT_TAIL(&vs->vm_entries, me, me_link);
	vs->vm_nentries++;
	vm_map_check(vs, "insert");
	mtx_unlock(&vs->vm_mtx);
	*startp = start;
	return (0);
}

/* Whether every page of [start, end) is mapped; vm_mtx held. */
static bool
range_mapped(struct vmspace *vs, vm_offset_t start, vm_offset_t end)
{
	struct vm_map_entry *me;
	vm_offset_t next = start;

	mtx_assert(&vs->vm_mtx, MA_OWNED);
	TAILQ_FOREACH(me, &vs->vm_entries, me_link) {
		if (me->me_end <= next)
			continue;
		if (me->me_start > next)
			break;
		next = me->me_end;
		if (next >= end)
			break;
	}
	return (next >= end);
}

int
vm_map_mapped(struct vmspace *vs, vm_offset_t start, vm_offset_t end)
{
	bool ok;

	if (end <= start || !user_range_ok(start, end - start))
		return (ENOMEM);
	mtx_lock(&vs->vm_mtx);
	ok = range_mapped(vs, start, end);
	mtx_unlock(&vs->vm_mtx);
	return (ok ? 0 : ENOMEM);
}

int
vm_map_protect(struct vmspace *vs, vm_offset_t start, vm_offset_t end,
    int prot)
{
	struct vm_map_entry *me;
	int error;

	if (end <= start || !user_range_ok(start, end - start))
		return (EINVAL);
	mtx_lock(&vs->vm_mtx);
	/* All of the range must be mapped, as Linux wants (ENOMEM). */
	if (!range_mapped(vs, start, end)) {
		mtx_unlock(&vs->vm_mtx);
		return (ENOMEM);
	}
	if ((error = clip_range(vs, start, end)) != 0) {
		mtx_unlock(&vs->vm_mtx);
		return (error);
	}
	TAILQ_FOREACH(me, &vs->vm_entries, me_link) {
		if (me->me_start >= end)
			break;
		if (me->me_end <= start)
			continue;
		me->me_prot = prot;
		pmap_protect(&vs->vm_pmap, me->me_start, me->me_end, prot);
	}
	vm_map_check(vs, "protect");
	mtx_unlock(&vs->vm_mtx);
	return (0);
}

int
vm_map_dontneed(struct vmspace *vs, vm_offset_t start, vm_offset_t end)
{
	struct vm_map_entry *me;

	if (end <= start || !user_range_ok(start, end - start))
		return (EINVAL);
	mtx_lock(&vs->vm_mtx);
	TAILQ_FOREACH(me, &vs->vm_entries, me_link) {
		if (me->me_start >= end)
			break;
		if (me->me_end <= start)
			continue;
		/* Gone pages come back on the next touch: zeroes, or the file. */
		pmap_remove(&vs->vm_pmap, MAX(start, me->me_start),
		    MIN(end, me->me_end));
	}
	mtx_unlock(&vs->vm_mtx);
	return (0);
}

/*
 * One resident page of a private entry for fork: shared copy-on-write,
 * or copied when sharer counts are not kept; a borrowed page is mapped
 * again, borrowed.
 */
static int
fork_page(struct vmspace *dst, struct vmspace *src, vm_offset_t va)
{
	vm_paddr_t pa, npa;
	int prot, error;
	bool owned;

	if (!pmap_lookup(&src->vm_pmap, va, &pa, &prot, &owned))
		return (0);
	if (owned && (error = pmap_cow_share(&src->vm_pmap, &dst->vm_pmap,
	    va)) != ENOTSUP)
		return (error);
	if (!owned)
		return (pmap_enter(&dst->vm_pmap, va, pa, prot, 0));
	if ((npa = phys_alloc_page()) == PHYS_NONE)
		return (ENOMEM);
	pmap_copy_page(pa, npa);
	if (pmap_enter(&dst->vm_pmap, va, npa, prot, PMAP_OWNED) != 0) {
		phys_free_page(npa);
		return (ENOMEM);
	}
	return (0);
}

struct vmspace *
vmspace_fork(struct vmspace *src)
{
	struct vmspace *dst;
	struct vm_map_entry *me, *ne;
	int error = 0;

	if ((dst = vmspace_alloc()) == NULL)
		return (NULL);
	mtx_lock(&src->vm_mtx);
	TAILQ_FOREACH(me, &src->vm_entries, me_link) {
		ne = malloc(sizeof(*ne), M_VMMAP, M_WAITOK);
		if (ne == NULL) {
			error = ENOMEM;
			break;
		}
		*ne = *me;
		entry_ref_obj(ne);
		TAILQ_INSERT_TAIL(&dst->vm_entries, ne, me_link);
		dst->vm_nentries++;
		for (vm_offset_t va = me->me_start; va < me->me_end &&
		    error == 0; va += PAGE_SIZE)
			error = fork_page(dst, src, va);
		if (error != 0)
			break;
	}
	dst->vm_brk_base = src->vm_brk_base;
	dst->vm_brk = src->vm_brk;
	dst->vm_mmap_base = src->vm_mmap_base;
	dst->vm_stack_top = src->vm_stack_top;
	mtx_unlock(&src->vm_mtx);
	if (error != 0) {
		vmspace_free(dst);
		return (NULL);
	}
	return (dst);
}

void
vm_map_print_near(struct vmspace *vs, vm_offset_t va)
{
	struct vm_map_entry *me;

	mtx_lock(&vs->vm_mtx);
	printf("  map: %u entries; those within 256 KiB of %#lx:\n",
	    vs->vm_nentries, va);
	TAILQ_FOREACH(me, &vs->vm_entries, me_link) {
		if (me->me_end + 0x40000 < va || me->me_start > va + 0x40000)
			continue;
		printf("  [%#lx, %#lx) prot %#x flags %#x pager %p off %#lx\n",
		    me->me_start, me->me_end, me->me_prot, me->me_flags,
		    me->me_pager, (u_long)me->me_offset);
	}
	mtx_unlock(&vs->vm_mtx);
}
