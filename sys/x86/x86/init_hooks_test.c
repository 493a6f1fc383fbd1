/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The early hooks: replaceable at run time, native unless a platform took
 * them over.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/ktest.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/md_var.h>

#include <x86/init.h>

static int	memmap_hook_calls;
static int	(*memmap_hook_saved)(struct bootinfo *, struct memmap *);

static int
counting_parse_memmap(struct bootinfo *bi, struct memmap *mm)
{
	memmap_hook_calls++;
	return (memmap_hook_saved(bi, mm));
}

static struct memmap	hook_mm;

KTEST(hook_memmap_replaceable)
{
	int error;

	memmap_hook_calls = 0;
	memmap_hook_saved = init_ops.parse_memmap;
	init_ops.parse_memmap = counting_parse_memmap;
	error = machdep_memmap_read(&hook_mm);
	init_ops.parse_memmap = memmap_hook_saved;

	KT_ASSERT(error == 0, "memory map read through the hook failed: %d", error);
	KT_ASSERT(memmap_hook_calls == 1, "replacement hook called %d times",
	    memmap_hook_calls);
	KT_ASSERT(hook_mm.count == phys_memmap.count,
	    "map through the hook has %d entries, boot map %d", hook_mm.count,
	    phys_memmap.count);
	KT_ASSERT(memcmp(hook_mm.ent, phys_memmap.ent,
	    sizeof(hook_mm.ent[0]) * (size_t)hook_mm.count) == 0,
	    "map through the hook differs from the boot map");
}

KTEST(hook_native_unless_replaced)
{
	bool native = strcmp(platform_name, "native") == 0;

	if (native) {
		KT_ASSERT(init_ops.parse_memmap == native_init_ops.parse_memmap,
		    "native boot but parse_memmap is not the native hook");
		KT_ASSERT(init_ops.early_delay == native_init_ops.early_delay,
		    "native boot but early_delay is not the native hook");
	} else {
		/* A platform that claimed the machine supplies its own map. */
		KT_ASSERT(init_ops.parse_memmap != native_init_ops.parse_memmap,
		    "platform %s left the native memory-map hook", platform_name);
	}
	KT_NOTE("platform %s", platform_name);
}

/* The map handed to the kernel is sorted and disjoint. */
KTEST(memmap_boot_sane)
{
	KT_ASSERT(phys_memmap.count > 0, "empty memory map");
	for (int i = 1; i < phys_memmap.count; i++) {
		const struct memmap_entry *a = &phys_memmap.ent[i - 1];
		const struct memmap_entry *b = &phys_memmap.ent[i];

		KT_ASSERT(a->base + a->len <= b->base,
		    "entries %d and %d overlap or are unsorted", i - 1, i);
		KT_ASSERT(!(a->base + a->len == b->base && a->type == b->type),
		    "entries %d and %d should have been merged", i - 1, i);
	}
}

/* Overlapping and unsorted input is sorted, merged and typed conservatively. */
KTEST(memmap_sanitize_overlaps)
{
	static struct memmap mm;

	mm.count = 0;
	memmap_add(&mm, 0x100000, 0x700000, MEMMAP_RAM);	/* 1-8 MiB */
	memmap_add(&mm, 0x0, 0x9f000, MEMMAP_RAM);
	memmap_add(&mm, 0x400000, 0x100000, MEMMAP_RESERVED);	/* hole in RAM */
	memmap_add(&mm, 0x800000, 0x100000, MEMMAP_RAM);	/* adjacent RAM */
	memmap_add(&mm, 0x200000, 0x10, MEMMAP_RAM);		/* contained */
	memmap_add(&mm, 0x5000, 0, MEMMAP_ACPI);		/* empty */
	KT_ASSERT(memmap_sanitize(&mm) == 4, "got %d entries, want 4", mm.count);
	KT_ASSERT(mm.ent[0].base == 0 && mm.ent[0].len == 0x9f000, "entry 0");
	KT_ASSERT(mm.ent[1].base == 0x100000 && mm.ent[1].len == 0x300000 &&
	    mm.ent[1].type == MEMMAP_RAM, "entry 1 %#lx+%#lx", mm.ent[1].base,
	    mm.ent[1].len);
	KT_ASSERT(mm.ent[2].base == 0x400000 && mm.ent[2].len == 0x100000 &&
	    mm.ent[2].type == MEMMAP_RESERVED, "entry 2");
	KT_ASSERT(mm.ent[3].base == 0x500000 && mm.ent[3].len == 0x400000 &&
	    mm.ent[3].type == MEMMAP_RAM, "entry 3 %#lx+%#lx", mm.ent[3].base,
	    mm.ent[3].len);
}
