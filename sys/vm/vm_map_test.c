/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The entry list of an address space through splits: mprotect and munmap
 * of parts of one entry between two others, as ld.so does when it maps a
 * library's segments over its reservation.  The list is walked here, with
 * its back links, and held against the entries expected.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/mutex.h>
#include <sys/systm.h>

#include <vm/vm_map.h>

#define T_BASE	0x10000000UL

struct span {
	vm_offset_t	start, end;
	int		prot;
};

/* 0 when vs lists exactly want[0 .. n), forward and backward. */
static int
map_is(struct vmspace *vs, const struct span *want, u_int n, char *why,
    size_t whylen)
{
	struct vm_map_entry *me;
	u_int i = 0;

	mtx_lock(&vs->vm_mtx);
	TAILQ_FOREACH(me, &vs->vm_entries, me_link) {
		if (i >= n || me->me_start != want[i].start ||
		    me->me_end != want[i].end || me->me_prot != want[i].prot) {
			snprintf(why, whylen, "entry %u is [%#lx, %#lx) prot %d",
			    i, me->me_start, me->me_end, me->me_prot);
			goto bad;
		}
		i++;
	}
	if (i != n || vs->vm_nentries != n) {
		snprintf(why, whylen, "%u entries listed, %u counted, want %u",
		    i, vs->vm_nentries, n);
		goto bad;
	}
	/* Each back link names its entry: a bad insertion leaves one stale. */
	i = 0;
	TAILQ_FOREACH(me, &vs->vm_entries, me_link) {
		if (*me->me_link.tqe_prev != me) {
			snprintf(why, whylen, "entry %u's back link is stale", i);
			goto bad;
		}
		i++;
	}
	mtx_unlock(&vs->vm_mtx);
	return (0);
bad:
	mtx_unlock(&vs->vm_mtx);
	return (EINVAL);
}

KTEST(vm_map_split_middle_entry)
{
	struct vmspace *vs = vmspace_alloc();
	vm_offset_t va;
	char why[96];
	int error = 0;

	KT_ASSERT(vs != NULL, "no vmspace");
	/* A, B, C with gaps; then B's middle page protected, B's tail gone. */
	for (int i = 0; i < 3 && error == 0; i++) {
		va = T_BASE + (vm_offset_t)i * 0x10000;
		error = vm_map_insert(vs, &va, 0x4000, VM_PROT_READ, 0, true,
		    NULL, NULL, 0);
	}
	KT_CHECK(error == 0, "insert: %d", error);
	error = vm_map_protect(vs, T_BASE + 0x11000, T_BASE + 0x12000,
	    VM_PROT_READ | VM_PROT_WRITE);
	KT_CHECK(error == 0, "protect: %d", error);
	{
		static const struct span want[] = {
			{ T_BASE, T_BASE + 0x4000, VM_PROT_READ },
			{ T_BASE + 0x10000, T_BASE + 0x11000, VM_PROT_READ },
			{ T_BASE + 0x11000, T_BASE + 0x12000,
			    VM_PROT_READ | VM_PROT_WRITE },
			{ T_BASE + 0x12000, T_BASE + 0x14000, VM_PROT_READ },
			{ T_BASE + 0x20000, T_BASE + 0x24000, VM_PROT_READ },
		};

		KT_CHECK(map_is(vs, want, nitems(want), why, sizeof(why)) == 0,
		    "after the split: %s", why);
	}
	/* Removing the last piece follows its stale back link, if any. */
	error = vm_map_remove(vs, T_BASE + 0x12000, T_BASE + 0x14000);
	KT_CHECK(error == 0, "remove: %d", error);
	va = T_BASE + 0x13000;
	error = vm_map_insert(vs, &va, 0x1000, VM_PROT_READ, 0, true, NULL,
	    NULL, 0);
	KT_CHECK(error == 0, "insert into the hole: %d", error);
	{
		static const struct span want[] = {
			{ T_BASE, T_BASE + 0x4000, VM_PROT_READ },
			{ T_BASE + 0x10000, T_BASE + 0x11000, VM_PROT_READ },
			{ T_BASE + 0x11000, T_BASE + 0x12000,
			    VM_PROT_READ | VM_PROT_WRITE },
			{ T_BASE + 0x13000, T_BASE + 0x14000, VM_PROT_READ },
			{ T_BASE + 0x20000, T_BASE + 0x24000, VM_PROT_READ },
		};

		KT_CHECK(map_is(vs, want, nitems(want), why, sizeof(why)) == 0,
		    "after the remove: %s", why);
	}
	vmspace_free(vs);
	KT_NOTE_OK("five entries and their back links as expected after split and remove");
}
