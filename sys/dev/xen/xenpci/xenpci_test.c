/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xenpci(4) under the real hypervisor and device model (lab scenarios
 * hvm-boot and hvm-fallback): the platform device claimed on our PCI bus,
 * and, in the INTx upcall mode, the callback Xen holds (read back with
 * HVMOP_get_param and checked against the function's own configuration
 * space), upcalls counted on that I/O APIC pin, events on every port, and
 * the local APIC timers and IPIs of every CPU.
 */
#include <sys/param.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/pcpu.h>
#include <sys/smp.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/timeet.h>

#include <machine/cpufunc.h>

#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

#include <x86/apicvar.h>
#include <x86/ioapicvar.h>
#include <x86/lapic_timer.h>
#include <x86/xen/xen_hooks.h>

#include <xen/xen.h>
#include <xen/hvm/params.h>
#include <xen/hvm_param.h>
#include <xen/xen_evtchn.h>
#include <xen/xen_evtchn_loop.h>
#include <xen/xen_guest.h>
#include <xen/xen_ktest.h>

#include <dev/xen/xenpci/xenpci.h>

#define REQUIRE_INTX() do {						\
	KT_REQUIRE_XEN();						\
	if (!xen_guest.hvm)						\
		KT_SKIP("not an HVM guest");				\
	if (!xen_upcall_intx)						\
		KT_SKIP("upcall on a vector (xen.upcall=intx or "	\
		    "xen.refuse=percpu,vector selects the INTx)");	\
} while (0)

/* Polls (interrupts on) until *v reaches want or the time runs out. */
static bool
wait_at_least(volatile uint64_t *v, uint64_t want, sbintime_t limit)
{
	sbintime_t t0 = sbinuptime();

	while (__atomic_load_n(v, __ATOMIC_ACQUIRE) < want) {
		if (sbinuptime() - t0 > limit)
			return (false);
		cpu_spinwait();
	}
	return (true);
}

/* The device model's platform device is on our bus, claimed by xenpci. */
KTEST(xenpci_attached)
{
	const struct xenpci_info *xi = xenpci_get_info();
	device_t d;

	KT_REQUIRE_XEN();
	if (!xen_guest.hvm)
		KT_SKIP("not an HVM guest");
	d = pci_find_device(XENPCI_VENDOR, XENPCI_DEVICE);
	KT_ASSERT(d != NULL, "no %04x:%04x function on the PCI bus",
	    XENPCI_VENDOR, XENPCI_DEVICE);
	KT_ASSERT(device_is_attached(d) && xi != NULL && xi->xi_dev == d,
	    "%s is not attached to xenpci", device_get_nameunit(d));
	KT_ASSERT(xi->xi_intpin == pci_read_config(d, PCIR_INTPIN, 1) &&
	    xi->xi_irq == pci_read_config(d, PCIR_INTLINE, 1),
	    "driver has INT pin %u line %u, config space %u %u", xi->xi_intpin,
	    xi->xi_irq, pci_read_config(d, PCIR_INTPIN, 1),
	    pci_read_config(d, PCIR_INTLINE, 1));
	KT_NOTE("%s at %02x:%02x.%u, INT pin %u, line %u",
	    device_get_nameunit(d), pci_get_bus(d), pci_get_slot(d),
	    pci_get_function(d), xi->xi_intpin, xi->xi_irq);
}

/*
 * Xen holds our device's INTx (or the GSI it is routed to) as the callback,
 * the pin is set up as a PCI line is (level, active low, unmasked), and an
 * event makes that pin fire and the upcall run from it.
 */
KTEST(xenpci_callback_on_intx)
{
	static struct loop_seen seen;
	const struct xenpci_info *xi;
	struct ioapic_gsi_stats st0, st1;
	evtchn_handle_t a = NULL, b = NULL;
	uint64_t v = 0, up0, want;
	u_int pin, devfn;
	bool gsi_type, got;
	device_t d;
	int error;

	REQUIRE_INTX();
	xi = xenpci_get_info();
	d = pci_find_device(XENPCI_VENDOR, XENPCI_DEVICE);
	KT_ASSERT(xi != NULL && d != NULL && xi->xi_dev == d && xi->xi_intr,
	    "platform device not attached with its interrupt");
	error = xen_hvm_param_get(HVM_PARAM_CALLBACK_IRQ, &v);
	KT_ASSERT(error == 0, "HVMOP_get_param CALLBACK_IRQ: %d", error);
	pin = pci_read_config(d, PCIR_INTPIN, 1);
	devfn = (u_int)(pci_get_slot(d) << 3 | pci_get_function(d));
	gsi_type = strstr_simple(kern_cmdline, "xenpci.callback=gsi") != NULL;
	if (gsi_type)
		want = (uint64_t)HVM_PARAM_CALLBACK_TYPE_GSI << 56 | xi->xi_gsi;
	else
		want = (uint64_t)HVM_PARAM_CALLBACK_TYPE_PCI_INTX << 56 |
		    (uint64_t)pci_get_bus(d) << 16 | (uint64_t)devfn << 8 |
		    (pin - 1);
	KT_ASSERT(v == want, "HVM_PARAM_CALLBACK_IRQ is %#lx, want %#lx (%s, "
	    "devfn %#x, INT pin %u)", v, want, gsi_type ? "GSI" : "PCI INTx",
	    devfn, pin);
	error = ioapic_gsi_stats(xi->xi_gsi, &st0);
	KT_ASSERT(error == 0 && st0.ig_handlers >= 1 && st0.ig_vector != 0,
	    "GSI %u: error %d, %u handlers, vector %u", xi->xi_gsi, error,
	    st0.ig_handlers, st0.ig_vector);
	KT_ASSERT((st0.ig_rte & IOART_TRGRLVL) != 0 &&
	    (st0.ig_rte & IOART_INTALO) != 0 &&
	    (st0.ig_rte & IOART_INTMSET) == 0,
	    "GSI %u entry %#lx: not level, active low and unmasked", xi->xi_gsi,
	    (u_long)st0.ig_rte);
	KT_ASSERT(st0.ig_count > 0, "GSI %u never fired since boot",
	    xi->xi_gsi);

	seen.count = 0;
	error = loop_pair_make(0, NULL, &seen, NULL, &a, &b);
	KT_ASSERT(error == 0, "loopback pair: %d", error);
	up0 = xen_upcall_intx_count();
	evtchn_notify(b);
	got = loop_wait(&seen, 1);
	(void)ioapic_gsi_stats(xi->xi_gsi, &st1);
	evtchn_unbind(&b);
	evtchn_unbind(&a);
	KT_ASSERT(got && seen.cpu == 0, "event: count %u on cpu%u (want 1 on "
	    "cpu0)", seen.count, seen.cpu);
	KT_ASSERT(xen_upcall_intx_count() > up0, "the event came without an "
	    "INTx upcall");
	KT_ASSERT(st1.ig_count > st0.ig_count, "GSI %u did not fire for it",
	    xi->xi_gsi);
	KT_NOTE("callback %#lx (%s), IRQ %u -> GSI %u vector %u: %lu "
	    "interrupts, %lu stray, %lu INTx upcalls", v, gsi_type ? "GSI" :
	    "PCI INTx", xi->xi_irq, xi->xi_gsi, st1.ig_vector,
	    (u_long)st1.ig_count, (u_long)st1.ig_strays,
	    (u_long)xen_upcall_intx_count());
}

#define EVERY_PORT_PAIRS	48

/*
 * Events on many ports at once all arrive, on CPU 0; a port, VIRQ or IPI
 * cannot be bound to another CPU, which Xen would never signal.
 */
KTEST(xenpci_intx_events_every_port)
{
	static evtchn_handle_t a[EVERY_PORT_PAIRS], b[EVERY_PORT_PAIRS];
	static struct loop_seen seen[EVERY_PORT_PAIRS];
	evtchn_handle_t h = NULL;
	u_int n, missing = 0, wrong_cpu = 0;
	int error = 0, rebind = 0, ipi = 0;

	REQUIRE_INTX();
	KT_ASSERT(evtchn_cpu0_only, "INTx upcall without the CPU 0 rule");
	for (n = 0; n < EVERY_PORT_PAIRS; n++) {
		seen[n].count = 0;
		seen[n].cpu = ~0U;
		if ((error = loop_pair_make(0, NULL, &seen[n], NULL, &a[n],
		    &b[n])) != 0)
			break;
	}
	if (error == 0 && mp_ncpus >= 2) {
		rebind = evtchn_bind_cpu(a[0], 1);
		ipi = evtchn_bind_ipi(1, loop_handler, &seen[0], 0, &h);
		if (ipi == 0)
			evtchn_unbind(&h);
	}
	for (u_int i = 0; i < n; i++)
		evtchn_notify(b[i]);
	for (u_int i = 0; i < n; i++) {
		if (!loop_wait(&seen[i], 1))
			missing++;
		else if (seen[i].cpu != 0)
			wrong_cpu++;
	}
	for (u_int i = 0; i < n; i++) {
		evtchn_unbind(&b[i]);
		evtchn_unbind(&a[i]);
	}
	KT_ASSERT(error == 0, "set-up after %u pairs: %d", n, error);
	KT_ASSERT(missing == 0 && wrong_cpu == 0, "of %u events %u missing, "
	    "%u off cpu0", n, missing, wrong_cpu);
	if (mp_ncpus >= 2)
		KT_ASSERT(rebind == EOPNOTSUPP && ipi == EOPNOTSUPP,
		    "binding to cpu1: port %d, IPI %d (want EOPNOTSUPP)",
		    rebind, ipi);
	KT_NOTE("%s ABI: %u ports raised at once, all delivered on cpu0%s",
	    evtchn_abi_name(), n, mp_ncpus >= 2 ? "; cpu1 refused" : "");
}

static volatile uint64_t	tmr_fired[MAXCPU];
static volatile u_int		tmr_wrong;

static void
tmr_fire(void *arg)
{
	u_int want = (u_int)(uintptr_t)arg;

	if (curcpu != want)
		__atomic_fetch_add(&tmr_wrong, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&tmr_fired[want], 1, __ATOMIC_RELEASE);
}

/* Every CPU's timer is its local APIC's, and a callout on each fires. */
KTEST(xenpci_intx_timers_every_cpu)
{
	static struct callout co[MAXCPU];
	struct eventtimer *et = et_current();
	uint64_t lt0[MAXCPU] = { 0 };
	u_int cpu, late = 0, quiet = 0;

	REQUIRE_INTX();
	KT_ASSERT(et != NULL && et == lapic_timer_et(), "event timer is %s",
	    et != NULL ? et->et_name : "none");
	tmr_wrong = 0;
	CPU_FOREACH(cpu) {
		tmr_fired[cpu] = 0;
		lt0[cpu] = lapic_timer_intr_count(cpu);
		callout_init(&co[cpu], 1);
		callout_reset_sbt_on(&co[cpu], 20 * SBT_1MS, tmr_fire,
		    (void *)(uintptr_t)cpu, (int)cpu);
	}
	CPU_FOREACH(cpu) {
		if (!wait_at_least(&tmr_fired[cpu], 1, 2 * SBT_1S))
			late++;
		else if (lapic_timer_intr_count(cpu) <= lt0[cpu])
			quiet++;
		callout_drain(&co[cpu]);
	}
	KT_ASSERT(late == 0, "%u of %u CPUs' callouts did not fire in 2 s",
	    late, mp_ncpus);
	KT_ASSERT(tmr_wrong == 0, "%u callouts ran on another CPU", tmr_wrong);
	KT_ASSERT(quiet == 0, "%u CPUs fired without a local APIC timer "
	    "interrupt", quiet);
	KT_NOTE("%u CPUs, %s at %lu Hz", mp_ncpus, et->et_name,
	    (u_long)lapic_timer_hz());
}

static volatile u_int	ipi_ran[MAXCPU];

static void
ipi_action(void *arg __unused)
{
	__atomic_fetch_add(&ipi_ran[curcpu], 1, __ATOMIC_SEQ_CST);
}

/* A rendezvous reaches every CPU through the local APIC's IPIs. */
KTEST(xenpci_intx_ipis_every_cpu)
{
	u_int cpu, missing = 0;

	REQUIRE_INTX();
	if (mp_ncpus < 2)
		KT_SKIP("one vCPU");
	KT_ASSERT(strcmp(apic_ops.name, "xen-lapic") == 0, "apic_ops is %s",
	    apic_ops.name);
	CPU_FOREACH(cpu)
		ipi_ran[cpu] = 0;
	for (int round = 0; round < 20; round++)
		smp_rendezvous(NULL, ipi_action, NULL, NULL);
	CPU_FOREACH(cpu) {
		if (ipi_ran[cpu] != 20)
			missing++;
	}
	KT_ASSERT(missing == 0, "%u CPUs missed rendezvous (cpu1 ran %u of "
	    "20)", missing, ipi_ran[1]);
	KT_NOTE("20 rendezvous on %u CPUs over local APIC IPIs", mp_ncpus);
}
