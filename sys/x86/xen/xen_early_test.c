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
#include <sys/smp.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include <x86/apicvar.h>
#include <x86/init.h>
#include <x86/xen/hypercall.h>
#include <x86/xen/xen_cpuid.h>
#include <x86/xen/xen_hooks.h>
#include <x86/xen/xen_pvclock_raw.h>

#include <xen/features.h>
#include <sys/cons.h>

#include <xen/arch-x86/cpuid.h>
#include <xen/xen.h>
#include <xen/xen_evtchn.h>
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
	if (xen_guest.late)
		KT_SKIP("Xen found late (xenhvm.ko): the boot's memory map is "
		    "the firmware's");
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

/*
 * Xen keeps every CPU's time record current: each CPU, busy, sees its
 * record re-anchored (new version, new TSC stamp and system time) within
 * LIVE_WAIT_NS (Xen refreshes a running vCPU's record at least at each
 * one-second calibration), and the new anchor is not in the future of the
 * CPU's PV clock.  The new anchor may be earlier than the old one: seen in
 * the lab (TCG), 45 us back on the same stamp's pCPU, and 1.1 ms and 2.9M
 * TSC ticks back after a move to another physical CPU.
 */
#define LIVE_WAIT_NS	3000000000UL

struct live_seen {
	uint32_t	v0, v1;
	uint64_t	t0, t1, s0, s1, now;
	bool		moved;
};
static struct live_seen	live_seen[MAXCPU];

static void
record_snapshot(const struct vcpu_time_info *ti, uint32_t *verp, uint64_t *sysp,
    uint64_t *stampp)
{
	uint32_t v;

	do {
		v = __atomic_load_n(&ti->version, __ATOMIC_ACQUIRE);
		*sysp = ti->system_time;
		*stampp = ti->tsc_timestamp;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((v & 1) != 0 || v != __atomic_load_n(&ti->version,
	    __ATOMIC_ACQUIRE));
	*verp = v;
}

static void
live_action(void *arg __unused)
{
	struct live_seen *ls = &live_seen[curcpu];
	const struct vcpu_time_info *ti = &xen_vcpu_info(curcpu)->time;
	uint64_t end;

	record_snapshot(ti, &ls->v0, &ls->t0, &ls->s0);
	end = xen_pvclock_raw_ns() + LIVE_WAIT_NS;
	ls->moved = false;
	do {
		for (int i = 0; i < 1000; i++)
			cpu_spinwait();
		record_snapshot(ti, &ls->v1, &ls->t1, &ls->s1);
		ls->now = xen_pvclock_raw_ns();
		if (ls->v1 != ls->v0 && ls->s1 != ls->s0) {
			ls->moved = true;
			break;
		}
	} while (ls->now < end);
}

/* A masked loopback port's event shows as pending in the 2-level bitmap. */
static void
pending_handler(void *arg)
{
	__atomic_fetch_add((u_int *)arg, 1, __ATOMIC_SEQ_CST);
}

static int
shared_pending_check(bool *pendingp)
{
	static u_int ran;
	evtchn_handle_t a = NULL, b = NULL;
	evtchn_port_t port;
	const xen_ulong_t *bits = HYPERVISOR_shared_info->evtchn_pending;
	const u_int wbits = sizeof(xen_ulong_t) * 8;
	bool before;
	int error;

	ran = 0;
	error = evtchn_alloc_unbound(DOMID_SELF, pending_handler,
	    &ran, EVTCHN_BIND_MASKED, &a);
	if (error != 0)
		return (error);
	port = evtchn_port(a);
	error = evtchn_bind_interdomain(DOMID_SELF, port, pending_handler,
	    &ran, 0, &b);
	if (error == 0) {
		before = (__atomic_load_n(&bits[port / wbits], __ATOMIC_ACQUIRE) >>
		    (port % wbits)) & 1;
		evtchn_notify(b);
		*pendingp = !before && ((__atomic_load_n(&bits[port / wbits],
		    __ATOMIC_ACQUIRE) >> (port % wbits)) & 1) != 0 && __atomic_load_n(&ran, __ATOMIC_SEQ_CST) == 0;
	}
	evtchn_unbind(&b);
	evtchn_unbind(&a);
	return (error);
}

/* shared_info sits in a hole of the map; every CPU has its own vcpu_info. */
KTEST(xen_shared_and_vcpu_info_live)
{
	bool pending = false, twolevel;
	u_int cpu;
	int error;

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

		KT_ASSERT(vi != NULL, "cpu%u has no vcpu_info", cpu);
		KT_ASSERT((uintptr_t)vi < (uintptr_t)HYPERVISOR_shared_info ||
		    (uintptr_t)vi >= (uintptr_t)HYPERVISOR_shared_info + PAGE_SIZE,
		    "cpu%u uses the legacy shared_info slot", cpu);
	}
	memset(live_seen, 0, sizeof(live_seen));
	smp_rendezvous(NULL, live_action, NULL, NULL);
	CPU_FOREACH(cpu) {
		const struct live_seen *ls = &live_seen[cpu];

		KT_ASSERT(ls->moved, "cpu%u: time record still at version %u, "
		    "%lu ns after %lu ms", cpu, ls->v1, ls->t1,
		    LIVE_WAIT_NS / 1000000);
		/* Xen may re-anchor at the same system time with a new stamp. */
		KT_ASSERT(ls->s1 != ls->s0 && ls->t1 <= ls->now,
		    "cpu%u: record went from TSC %lu at %lu ns to TSC %lu at %lu "
		    "ns, PV clock %lu", cpu, ls->s0, ls->t0, ls->s1, ls->t1,
		    ls->now);
	}
	/* Event bits live in shared_info only with the 2-level ABI. */
	twolevel = strcmp(evtchn_abi_name(), "2-level") == 0;
	if (twolevel) {
		error = shared_pending_check(&pending);
		KT_ASSERT(error == 0, "loopback pair: %d", error);
		KT_ASSERT(pending, "a masked port's event is not pending in "
		    "shared_info");
	}
	KT_NOTE("shared_info at %#lx, %u vcpu_info areas updated by Xen "
	    "(cpu0 version %u -> %u, system time %+ld ns)%s", xen_shared_info_pa,
	    mp_ncpus, live_seen[0].v0, live_seen[0].v1,
	    (long)(live_seen[0].t1 - live_seen[0].t0),
	    twolevel ? "; masked event pending in shared_info" : "");
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

/*
 * The upcall path in use is the one asked for (xen.upcall, default percpu;
 * xen.refuse=vector without a per-vCPU vector leaves the PCI INTx).
 */
KTEST(xen_upcall_mode)
{
	bool no_percpu = strstr_simple(kern_cmdline, "xen.upcall=callback") !=
	    NULL || kt_xen_refuse_asked("percpu");
	bool want_intx = xen_guest.hvm &&
	    (strstr_simple(kern_cmdline, "xen.upcall=intx") != NULL ||
	    (no_percpu && kt_xen_refuse_asked("vector")));
	bool want_callback = !want_intx && no_percpu;
	const char *have = xen_upcall_intx ? "PCI INTx" : xen_upcall_percpu ?
	    "per-vCPU" : "callback";
	const char *want = want_intx ? "PCI INTx" : want_callback ?
	    "callback" : "per-vCPU";
	uint64_t n = 0;
	u_int cpu;

	KT_REQUIRE_XEN();
	KT_ASSERT(strcmp(have, want) == 0,
	    "upcall is %s, command line asked for %s", have, want);
	CPU_FOREACH(cpu)
		n += xen_upcall_counter(cpu);
	KT_ASSERT(n > 0, "no upcall taken on any CPU");
	if (xen_upcall_intx)
		KT_NOTE("PCI INTx, %lu upcalls", n);
	else
		KT_NOTE("%s vector %u, %lu upcalls", have, xen_upcall_vector, n);
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

/*
 * A Xen CPUID leaf exists only up to the base leaf's EAX (the probe reads
 * the TSC leaf, base + 3, only then).  Runs natively too: pure arithmetic.
 */
KTEST(xen_cpuid_leaf_count)
{
	const u_int b = XEN_CPUID_FIRST_LEAF + 0x100;

	KT_ASSERT(!xen_cpuid_has_leaf(b, b + 2, 3), "leaf 3 of a 3-leaf block");
	KT_ASSERT(xen_cpuid_has_leaf(b, b + 2, 2), "leaf 2 of a 3-leaf block");
	KT_ASSERT(xen_cpuid_has_leaf(b, b + 5, 3), "leaf 3 of a 6-leaf block");
	/* An EAX below the base (garbage) means no leaves past the base. */
	KT_ASSERT(!xen_cpuid_has_leaf(b, b - 1, 1), "EAX below the base");
	KT_ASSERT(xen_cpuid_has_leaf(b, b, 0), "the base leaf itself");
}
