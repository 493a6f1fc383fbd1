/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * memmap_sanitize() and memmap_add().
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include "kunit.h"

static struct memmap mm;

static void
check_sorted_disjoint(void)
{
	for (int i = 1; i < mm.count; i++)
		KU_ASSERT(mm.ent[i - 1].base + mm.ent[i - 1].len <=
		    mm.ent[i].base, "entries %d and %d overlap or unsorted",
		    i - 1, i);
	for (int i = 0; i < mm.count; i++)
		KU_ASSERT(mm.ent[i].len > 0, "zero-length entry %d", i);
}

/* Type of the byte at pa, 0 if unmapped. */
static uint32_t
type_at(vm_paddr_t pa)
{
	for (int i = 0; i < mm.count; i++)
		if (pa >= mm.ent[i].base && pa - mm.ent[i].base < mm.ent[i].len)
			return (mm.ent[i].type);
	return (0);
}

KUNIT_TEST(memmap_unsorted_and_adjacent)
{
	mm.count = 0;
	memmap_add(&mm, 0x200000, 0x100000, MEMMAP_RAM);
	memmap_add(&mm, 0x0, 0x9f000, MEMMAP_RAM);
	memmap_add(&mm, 0x100000, 0x100000, MEMMAP_RAM);
	memmap_add(&mm, 0xf0000, 0x10000, MEMMAP_RESERVED);
	memmap_sanitize(&mm);
	check_sorted_disjoint();
	KU_ASSERT(mm.count == 3, "count %d", mm.count);
	KU_ASSERT(mm.ent[2].base == 0x100000 && mm.ent[2].len == 0x200000,
	    "adjacent RAM not merged: %#lx+%#lx", (u_long)mm.ent[2].base,
	    (u_long)mm.ent[2].len);
}

KUNIT_TEST(memmap_overlap_restrictive_wins)
{
	mm.count = 0;
	memmap_add(&mm, 0x100000, 0x1000000, MEMMAP_RAM);
	memmap_add(&mm, 0x800000, 0x10000, MEMMAP_ACPI);	/* contained */
	memmap_add(&mm, 0x1080000, 0x100000, MEMMAP_RESERVED);	/* straddles end */
	memmap_add(&mm, 0x400000, 0x1000, MEMMAP_RAM);		/* RAM inside RAM */
	memmap_sanitize(&mm);
	check_sorted_disjoint();
	KU_ASSERT(type_at(0x100000) == MEMMAP_RAM, "start");
	KU_ASSERT(type_at(0x800000) == MEMMAP_ACPI, "contained ACPI lost");
	KU_ASSERT(type_at(0x80ffff) == MEMMAP_ACPI, "end of ACPI");
	KU_ASSERT(type_at(0x810000) == MEMMAP_RAM, "RAM after ACPI");
	KU_ASSERT(type_at(0x1080000) == MEMMAP_RESERVED, "reserved overlap");
	KU_ASSERT(type_at(0x107ffff) == MEMMAP_RAM, "RAM before reserved");
	KU_ASSERT(type_at(0x1180000) == 0, "past the end");
}

KUNIT_TEST(memmap_zero_length_and_full)
{
	mm.count = 0;
	KU_ASSERT(memmap_add(&mm, 0x1000, 0, MEMMAP_RAM) == 0 && mm.count == 0,
	    "zero-length entry kept");
	for (int i = 0; i < MEMMAP_MAX; i++)
		KU_ASSERT(memmap_add(&mm, (vm_paddr_t)i * 0x10000, 0x1000,
		    MEMMAP_RAM) == 0, "add %d", i);
	KU_ASSERT(memmap_add(&mm, 0x10000000, 0x1000, MEMMAP_RAM) == ENOSPC,
	    "add to a full table");
	KU_ASSERT(memmap_sanitize(&mm) == MEMMAP_MAX, "count after sanitize");
	check_sorted_disjoint();
}
