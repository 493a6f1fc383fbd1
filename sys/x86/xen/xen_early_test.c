/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Early Xen layer checks; they skip on bare metal.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/bus.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/pcpu.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <x86/apicvar.h>
#include <x86/init.h>
#include <x86/xen/hypercall.h>
#include <x86/xen/xen_hooks.h>

#include <xen/features.h>
#include <sys/cons.h>

#include <xen/xen_guest.h>
#include <xen/xen_ktest.h>
#include <xen/xenpv.h>

KTEST(xen_hypercall_page_installed)
{
	KT_REQUIRE_XEN();
	KT_ASSERT(xen_guest.hypercall_page_ok,
	    "Xen did not write the hypercall page");
}

/* A real hypercall agrees with what CPUID said. */
KTEST(xen_version_hypercall)
{
	int v;

	KT_REQUIRE_XEN();
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

	KT_REQUIRE_XEN();
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

KTEST(xen_features_read)
{
	KT_REQUIRE_XEN();
	KT_ASSERT(xen_features_valid(), "XENVER_get_features failed");
	KT_ASSERT(xen_has_feature(XENFEAT_hvm_callback_vector),
	    "no hvm_callback_vector");
	KT_ASSERT(xen_has_feature(XENFEAT_auto_translated_physmap),
	    "a PVH guest must be auto-translated");
	KT_ASSERT(xen_has_feature(XENFEAT_dom0) == xen_initial_domain(),
	    "dom0 flag %d but start info says initial domain %d",
	    xen_has_feature(XENFEAT_dom0), xen_initial_domain());
	KT_NOTE("%s", xen_initial_domain() ? "dom0" : "domU");
}

/* shared_info sits in a hole of the map; every CPU has its own vcpu_info. */
KTEST(xen_shared_and_vcpu_info_live)
{
	u_int cpu;

	KT_REQUIRE_XEN();
	KT_ASSERT(HYPERVISOR_shared_info != NULL && xen_shared_info_pa != 0,
	    "shared_info not mapped");
	for (int i = 0; i < phys_memmap.count; i++) {
		const struct memmap_entry *e = &phys_memmap.ent[i];

		KT_ASSERT(xen_shared_info_pa + PAGE_SIZE <= e->base ||
		    xen_shared_info_pa >= e->base + e->len,
		    "shared_info at %#lx lies in map entry %d (type %u)",
		    xen_shared_info_pa, i, e->type);
	}
	CPU_FOREACH(cpu) {
		struct vcpu_info *vi = xen_vcpu_info(cpu);
		uint32_t v1, v2;

		KT_ASSERT(vi != NULL, "cpu%u has no vcpu_info", cpu);
		KT_ASSERT((uintptr_t)vi < (uintptr_t)HYPERVISOR_shared_info ||
		    (uintptr_t)vi >= (uintptr_t)HYPERVISOR_shared_info + PAGE_SIZE,
		    "cpu%u uses the legacy shared_info slot", cpu);
		/* Xen keeps the time record of a live vcpu_info current. */
		v1 = __atomic_load_n(&vi->time.version, __ATOMIC_ACQUIRE);
		DELAY(20000);
		v2 = __atomic_load_n(&vi->time.version, __ATOMIC_ACQUIRE);
		KT_ASSERT(vi->time.system_time != 0 && v2 != 0,
		    "cpu%u time record empty (version %u)", cpu, v2);
		(void)v1;
	}
	KT_NOTE("shared_info at %#lx, %u vcpu_info areas", xen_shared_info_pa,
	    mp_ncpus);
}

static void
call_ipi_startup(struct ktest_ctx *ctx __unused)
{
	(void)apic_ops.ipi_startup(0, 0x8000);
}

/* A local-APIC hook with no meaning under Xen stops the kernel by name. */
KTEST(xen_apic_unsupported_hook_panics)
{
	struct ktest inner = { "inner", call_ipi_startup, __FILE__ };
	struct ktest_ctx ctx;

	KT_REQUIRE_XEN();
	KT_ASSERT(ktest_run_one(&inner, &ctx) == KTEST_ERROR,
	    "apic_ops.ipi_startup returned under Xen");
	KT_ASSERT(strstr_simple(ctx.detail, "apic_ops.ipi_startup") != NULL,
	    "panic does not name the hook: %s", ctx.detail);
}

/* The upcall path in use is the one asked for (xen.upcall, default percpu). */
KTEST(xen_upcall_mode)
{
	bool want_callback = strstr_simple(kern_cmdline, "xen.upcall=callback") != NULL;
	uint64_t n = 0;
	u_int cpu;

	KT_REQUIRE_XEN();
	KT_ASSERT(xen_upcall_percpu == !want_callback,
	    "upcall is %s, command line asked for %s",
	    xen_upcall_percpu ? "per-vCPU" : "callback",
	    want_callback ? "callback" : "per-vCPU");
	CPU_FOREACH(cpu)
		n += xen_upcall_counter(cpu);
	KT_ASSERT(n > 0, "no upcall taken on any CPU");
	KT_NOTE("%s vector %u, %lu upcalls", xen_upcall_percpu ? "per-vCPU" :
	    "callback", xen_upcall_vector, n);
}

/* Early delays wait on the PV clock, and wait long enough. */
KTEST(xen_early_delay_on_pvclock)
{
	uint64_t t0, t1;

	KT_REQUIRE_XEN();
	KT_ASSERT(init_ops.early_delay == xen_pvclock_delay,
	    "early_delay is not the PV clock hook");
	t0 = xen_pvclock_ns();
	DELAY(20000);
	t1 = xen_pvclock_ns();
	KT_ASSERT(t1 - t0 >= 20000000, "DELAY(20 ms) took %lu ns", t1 - t0);
	KT_NOTE("DELAY(20 ms) took %lu us", (t1 - t0) / 1000);
}

/* In a domU the PV console took over from the debug port and lost nothing. */
KTEST(xen_pv_console_is_console)
{
	KT_REQUIRE_XEN();
	if (xen_initial_domain())
		KT_SKIP("dom0 writes its console through console_io");
	KT_ASSERT(xencons_attached(), "PV console not attached");
	KT_ASSERT(!xen_early_consdev->cn_active,
	    "the early debug port is still an active console");
	KT_ASSERT(xencons_dropped() == 0, "%lu characters dropped",
	    xencons_dropped());
}

/*
 * The Xen nexus took the root and xenpv attached its children in order.
 * The log records a device when its attach returns, so parents come after
 * their children.
 */
KTEST(xen_xenpv_attach_order)
{
	static const char *names[128];
	static const char *const want[] = {
		"xencons0", "timer0", "xenstore0", "control0", "xenpv0", "nexus0"
	};
	int n, at[nitems(want)];

	KT_REQUIRE_XEN();
	n = device_attach_log(names, (int)nitems(names));
	for (size_t w = 0; w < nitems(want); w++) {
		at[w] = -1;
		for (int i = 0; i < n; i++) {
			if (strcmp(names[i], want[w]) == 0) {
				at[w] = i;
				break;
			}
		}
		if (at[w] < 0 && xen_initial_domain() &&
		    (strcmp(want[w], "xencons0") == 0 ||
		    strcmp(want[w], "xenstore0") == 0 ||
		    strcmp(want[w], "control0") == 0))
			continue;	/* dom0: no console ring or store yet */
		KT_ASSERT(at[w] >= 0, "%s never attached", want[w]);
		for (size_t e = 0; e < w; e++)
			KT_ASSERT(at[e] < 0 || at[e] < at[w], "%s attached before %s",
			    want[w], want[e]);
	}
}
