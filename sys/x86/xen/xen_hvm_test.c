/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Tests of the HVM pieces: the CPUID block search on made-up tables, HVM
 * detection against the PCI host bridge (only HVM has a PCI bus), and the
 * unplug seen on the guest's own PCI bus.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include <x86/xen/xen_cpuid.h>
#include <x86/xen/xen_hooks.h>
#include <x86/xen/xen_hvm.h>

#include <xen/arch-x86/cpuid.h>
#include <xen/hvm/params.h>
#include <xen/hvm_param.h>
#include <xen/xen_guest.h>
#include <xen/xen_ktest.h>

/* A made-up CPUID: up to four signature blocks, everything else zero. */
struct fake_cpuid {
	struct {
		u_int	base;
		u_int	eax;
		bool	xen;	/* Xen's signature, else Hyper-V's */
	} blk[4];
	u_int	calls;
	u_int	highest;	/* highest leaf asked for */
};

static void
fake_cpuid(void *arg, u_int leaf, u_int regs[4])
{
	struct fake_cpuid *f = arg;

	f->calls++;
	if (leaf > f->highest)
		f->highest = leaf;
	memset(regs, 0, 4 * sizeof(u_int));
	for (size_t i = 0; i < nitems(f->blk); i++) {
		if (f->blk[i].base != leaf || leaf == 0)
			continue;
		regs[0] = f->blk[i].eax;
		if (f->blk[i].xen) {
			regs[1] = XEN_CPUID_SIGNATURE_EBX;
			regs[2] = XEN_CPUID_SIGNATURE_ECX;
			regs[3] = XEN_CPUID_SIGNATURE_EDX;
		} else {
			/* "Microsoft Hv", as viridian puts at 0x40000000. */
			regs[1] = 0x7263694d;
			regs[2] = 0x666f736f;
			regs[3] = 0x76482074;
		}
	}
}

KTEST(xen_cpuid_scan_bases)
{
	static const struct {
		const char	*what;
		struct fake_cpuid f;
		u_int		want;
	} cases[] = {
		{ "plain Xen", { .blk = { { 0x40000000, 0x40000005, true } } },
		    0x40000000 },
		{ "viridian first", { .blk = { { 0x40000000, 0x40000006, false },
		    { 0x40000100, 0x40000105, true } } }, 0x40000100 },
		{ "last base", { .blk = { { 0x4000ff00, 0x4000ff02, true } } },
		    0x4000ff00 },
		{ "block without leaf 2 skipped", { .blk = {
		    { 0x40000000, 0x40000001, true },
		    { 0x40000200, 0x40000204, true } } }, 0x40000200 },
		{ "not 0x100-aligned", { .blk = { { 0x40000080, 0x40000085, true } } },
		    0 },
		{ "past the last base", { .blk = { { 0x40010000, 0x40010005, true } } },
		    0 },
		{ "no hypervisor", { .blk = { { 0 } } }, 0 },
	};

	for (size_t i = 0; i < nitems(cases); i++) {
		struct fake_cpuid f = cases[i].f;
		u_int max = 0, got;

		got = xen_cpuid_scan(fake_cpuid, &f, &max);
		KT_ASSERT(got == cases[i].want, "%s: base %#x, want %#x",
		    cases[i].what, got, cases[i].want);
		if (got != 0)
			KT_ASSERT(max >= got + 2, "%s: max leaf %#x", cases[i].what,
			    max);
		/* A miss looked at all 256 bases and never past the last. */
		if (got == 0)
			KT_ASSERT(f.calls == 256 && f.highest == 0x4000ff00,
			    "%s: %u bases tried, highest %#x", cases[i].what,
			    f.calls, f.highest);
	}
}

/* PCI configuration mechanism #1, read-only, for checks independent of the code. */
static uint32_t
pci_conf1_read(u_int bus, u_int slot, u_int func, u_int reg)
{
	register_t rf = intr_disable();
	uint32_t v;

	outl(0xcf8, 0x80000000U | bus << 16 | slot << 11 | func << 8 | (reg & 0xfc));
	v = inl(0xcfc);
	intr_restore(rf);
	return (v);
}

/* Detection agrees with the PCI host bridge: PVH domUs have no PCI bus. */
KTEST(xen_hvm_detected)
{
	uint32_t id;

	KT_REQUIRE_XEN();
	if (xen_initial_domain())
		KT_SKIP("dom0 is never HVM");
	id = pci_conf1_read(0, 0, 0, 0);
	KT_ASSERT(xen_guest.hvm == (id != 0xffffffff),
	    "detected %s, but PCI 00:00.0 reads %#x", xen_guest.hvm ? "HVM" :
	    "PVH", id);
	KT_NOTE("%s (host bridge %#x)", xen_guest.hvm ? "HVM" : "PVH", id);
}

/*
 * After the unplug the emulated NIC is gone from bus 0, and the platform
 * device (5853:0001) is still there, which shows the scan sees devices.
 */
KTEST(xen_hvm_unplugged)
{
	u_int nics = 0, platform = 0, devs = 0;

	KT_REQUIRE_XEN();
	if (!xen_guest.hvm)
		KT_SKIP("not an HVM guest");
	if ((xen_hvm_unplug.mask & XEN_UNPLUG_NICS) == 0)
		KT_SKIP("NICs not unplugged (xen.unplug)");
	KT_ASSERT(xen_hvm_unplug.done, "unplug not done: magic %d protocol %u "
	    "blacklisted %d", xen_hvm_unplug.magic_seen, xen_hvm_unplug.protocol,
	    xen_hvm_unplug.blacklisted);
	for (u_int slot = 0; slot < 32; slot++) {
		uint32_t id = pci_conf1_read(0, slot, 0, 0);
		uint32_t class;

		if ((id & 0xffff) == 0xffff)
			continue;
		devs++;
		class = pci_conf1_read(0, slot, 0, 8) >> 8;
		if ((class >> 16) == 0x02)
			nics++;
		if (id == 0x00015853)
			platform++;
	}
	KT_ASSERT(platform == 1, "%u Xen platform devices on bus 0", platform);
	KT_ASSERT(nics == 0, "%u network controllers still on bus 0", nics);
	KT_NOTE("%u devices on bus 0, no NIC, mask %#x", devs,
	    xen_hvm_unplug.mask);
}

/* The xen.refuse list parser: whole names only, anywhere in the list. */
KTEST(xen_refuse_list_parse)
{
	static const struct {
		const char	*list;
		const char	*what;
		bool		want;
	} cases[] = {
		{ "fifo,percpu", "fifo", true },
		{ "fifo,percpu", "percpu", true },
		{ "percpu", "fifo", false },
		{ "fifox,percpu", "fifo", false },
		{ "fif,percpu", "fifo", false },
		{ "", "fifo", false },
		{ ",fifo", "fifo", true },
		{ "percpu,", "percpu", true },
	};

	for (size_t i = 0; i < nitems(cases); i++)
		KT_ASSERT(xen_refuse_listed(cases[i].list, cases[i].what) ==
		    cases[i].want, "\"%s\" in \"%s\": %d, want %d", cases[i].what,
		    cases[i].list, !cases[i].want, cases[i].want);
	/* This boot's own list, read apart from the kernel. */
	KT_ASSERT(xen_refused("fifo") == kt_xen_refuse_asked("fifo") &&
	    xen_refused("percpu") == kt_xen_refuse_asked("percpu"),
	    "xen.refuse read differently by the kernel and the test");
}

/*
 * The toolstack sees PV drivers in an HVM guest only through a non-zero
 * HVM_PARAM_CALLBACK_IRQ (xl shutdown and reboot need them): set whichever
 * upcall path is in use.
 */
KTEST(xen_hvm_callback_registered)
{
	uint64_t v = 0;
	int error;

	KT_REQUIRE_XEN();
	if (!xen_guest.hvm)
		KT_SKIP("not an HVM guest");
	error = xen_hvm_param_get(HVM_PARAM_CALLBACK_IRQ, &v);
	KT_ASSERT(error == 0, "HVM_PARAM_CALLBACK_IRQ: error %d", error);
	if (xen_upcall_intx || kt_xen_refuse_asked("vector")) {
		/* The platform device's line (xenpci_callback_on_intx). */
		KT_ASSERT(v != 0 && v == xen_upcall_intx_via() &&
		    (v >> 56 == HVM_PARAM_CALLBACK_TYPE_PCI_INTX ||
		    v >> 56 == HVM_PARAM_CALLBACK_TYPE_GSI),
		    "HVM_PARAM_CALLBACK_IRQ %#lx, registered %#lx", v,
		    xen_upcall_intx_via());
		KT_NOTE("%#lx (%s upcalls)", v, xen_upcall_intx ? "PCI INTx" :
		    "per-vCPU");
		return;
	}
	KT_ASSERT(v >> 56 == HVM_PARAM_CALLBACK_TYPE_VECTOR &&
	    (v & 0xff) == xen_upcall_vector, "HVM_PARAM_CALLBACK_IRQ %#lx, "
	    "upcall vector %u", v, xen_upcall_vector);
	KT_NOTE("%#lx (%s upcalls)", v, xen_upcall_percpu ? "per-vCPU" :
	    "callback");
}
