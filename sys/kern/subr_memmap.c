/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Memory-map sanitising.  Loaders hand over maps that may be unsorted,
 * overlapping or contradictory; the kernel wants sorted, disjoint ranges.
 * Pure code: also compiled into the hosted unit tests.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/physmem.h>
#include <sys/systm.h>

int
memmap_add(struct memmap *mm, vm_paddr_t base, vm_size_t len, uint32_t type)
{
	if (len == 0)
		return (0);
	if (mm->count >= MEMMAP_MAX)
		return (ENOSPC);
	/* A range running past the top of the address space is clipped. */
	if (base + len < base)
		len = UINT64_MAX - base;
	mm->ent[mm->count].base = base;
	mm->ent[mm->count].len = len;
	mm->ent[mm->count].type = type;
	mm->count++;
	return (0);
}

/* Where two entries disagree, the more restrictive type wins. */
static int
type_rank(uint32_t type)
{
	switch (type) {
	case MEMMAP_RAM:
		return (0);
	case MEMMAP_ACPI:
		return (1);
	case MEMMAP_NVS:
		return (2);
	case MEMMAP_PMEM:
		return (3);
	case MEMMAP_RESERVED:
		return (4);
	case MEMMAP_UNUSABLE:
		return (5);
	case MEMMAP_DISABLED:
		return (6);
	default:
		return (4);	/* unknown types are treated as reserved */
	}
}

static void
sort_u64(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++) {
		uint64_t x = v[i];
		int j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

int
memmap_sanitize(struct memmap *mm)
{
	static uint64_t edges[2 * MEMMAP_MAX];
	static struct memmap out;
	int nedges = 0;

	for (int i = 0; i < mm->count; i++) {
		if (mm->ent[i].len == 0)
			continue;
		edges[nedges++] = mm->ent[i].base;
		edges[nedges++] = mm->ent[i].base + mm->ent[i].len;
	}
	sort_u64(edges, nedges);

	out.count = 0;
	for (int e = 0; e + 1 < nedges; e++) {
		uint64_t lo = edges[e], hi = edges[e + 1];
		int best = -1;
		uint32_t type = 0;

		if (lo == hi)
			continue;
		/* Type of the elementary interval [lo, hi). */
		for (int i = 0; i < mm->count; i++) {
			const struct memmap_entry *me = &mm->ent[i];

			if (me->len == 0 || me->base > lo ||
			    me->base + me->len < hi)
				continue;
			if (type_rank(me->type) > best) {
				best = type_rank(me->type);
				type = me->type;
			}
		}
		if (best < 0)
			continue;	/* a hole */
		if (out.count > 0) {
			struct memmap_entry *prev = &out.ent[out.count - 1];

			if (prev->type == type && prev->base + prev->len == lo) {
				prev->len += hi - lo;
				continue;
			}
		}
		if (out.count == MEMMAP_MAX)
			break;
		out.ent[out.count].base = lo;
		out.ent[out.count].len = hi - lo;
		out.ent[out.count].type = type;
		out.count++;
	}
	*mm = out;
	return (mm->count);
}
