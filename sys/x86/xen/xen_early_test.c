/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Early Xen layer checks; they skip on bare metal.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/ktest.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <x86/init.h>
#include <x86/xen/hypercall.h>
#include <x86/xen/xen_hooks.h>

#include <xen/xen_guest.h>

#define REQUIRE_XEN() do {						\
	if (!xen_domain())						\
		KT_SKIP("not running on Xen");				\
} while (0)

KTEST(xen_hypercall_page_installed)
{
	REQUIRE_XEN();
	KT_ASSERT(xen_guest.hypercall_page_ok,
	    "Xen did not write the hypercall page");
}

/* A real hypercall agrees with what CPUID said. */
KTEST(xen_version_hypercall)
{
	int v;

	REQUIRE_XEN();
	v = HYPERVISOR_xen_version(XENVER_version, NULL);
	KT_ASSERT(v > 0, "XENVER_version returned %d", v);
	KT_ASSERT((u_int)v >> 16 == xen_guest.version_major &&
	    ((u_int)v & 0xffff) == xen_guest.version_minor,
	    "hypercall says %d.%d, CPUID %u.%u", v >> 16, v & 0xffff,
	    xen_guest.version_major, xen_guest.version_minor);
	KT_NOTE("Xen %d.%d", v >> 16, v & 0xffff);
}

/* The kernel's memory map is Xen's (XENMEM_memory_map), sanitised. */
KTEST(xen_memmap_from_xen)
{
	static struct memmap mm;

	REQUIRE_XEN();
	KT_ASSERT(init_ops.parse_memmap == xen_parse_memmap,
	    "memory-map hook is not Xen's");
	mm.count = 0;
	KT_ASSERT(xen_parse_memmap(&bootinfo, &mm) == 0,
	    "XENMEM_memory_map failed");
	memmap_sanitize(&mm);
	KT_ASSERT(mm.count == phys_memmap.count &&
	    memcmp(mm.ent, phys_memmap.ent, sizeof(mm.ent[0]) *
	    (size_t)mm.count) == 0, "boot map differs from Xen's (%d vs %d entries)",
	    phys_memmap.count, mm.count);
	KT_NOTE("%d entries from Xen", xen_memmap_entries);
}
