/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * INTx through the I/O APIC, with QEMU's edu device (docs/specs/edu.txt:
 * a write to 0x60 raises its interrupt and ORs the value into 0x24 until
 * it is written to 0x64).  The references are outside the code under
 * test: the device's own status register, the I/O APIC's redirection
 * entries read back (remote IRR: delivered and not yet EOIed; mask), and
 * the IDT-level count of the vector (intr_count()).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/rman.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/cpufunc.h>
#include <machine/intr.h>

#include <dev/pci/pci_test.h>
#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

#include <x86/ioapicvar.h>

struct edu_ctx {
	struct resource	*r;
	bool		ack;		/* quiet the device when called */
	volatile u_int	called;
	volatile u_int	handled;
	volatile uint32_t last;
};

static int
edu_filter(void *arg)
{
	struct edu_ctx *c = arg;
	uint32_t st;

	c->called++;
	st = bus_read_4(c->r, EDU_INTR_STATUS);
	if (st == 0 || !c->ack)
		return (FILTER_STRAY);
	bus_write_4(c->r, EDU_INTR_ACK, st);
	c->last = st;
	c->handled++;
	return (FILTER_HANDLED);
}

static int
other_filter(void *arg)
{
	volatile u_int *calls = arg;

	(*calls)++;
	return (FILTER_STRAY);
}

/* Waits (bounded) until *v reaches want; true if it did. */
static bool
wait_count(volatile u_int *v, u_int want, sbintime_t timo)
{
	sbintime_t end = sbinuptime() + timo;

	while (*v < want && sbinuptime() < end)
		cpu_spinwait();
	return (*v >= want);
}

/* Lets a re-delivery (a storm) happen before the counts are read. */
static void
settle(void)
{
	sbintime_t end = sbinuptime() + 10 * SBT_1MS;

	while (sbinuptime() < end)
		cpu_spinwait();
}

struct edu_setup {
	device_t	dev;
	int		rid;
	uint32_t	gsi;
	enum intr_trigger trig;
	enum intr_polarity pol;
};

static int
edu_open(struct ktest_ctx *ktest_ctx, struct edu_setup *es,
    struct edu_ctx *c)
{
	if (ioapic_count() == 0) {
		ktest_set_result(ktest_ctx, KTEST_SKIP, "no I/O APIC here");
		return (ENXIO);
	}
	if (pci_test_want(ktest_ctx, EDU_VENDOR, EDU_DEVICE, &es->dev) != 0)
		return (ENOENT);
	memset(c, 0, sizeof(*c));
	c->ack = true;
	es->rid = PCIR_BAR(0);
	c->r = pci_alloc_resource(es->dev, SYS_RES_MEMORY, &es->rid,
	    RF_ACTIVE);
	if (c->r == NULL) {
		ktest_set_result(ktest_ctx, KTEST_FAIL, "cannot map BAR 0");
		return (ENXIO);
	}
	/* The device must be quiet before we start counting. */
	bus_write_4(c->r, EDU_INTR_ACK, bus_read_4(c->r, EDU_INTR_STATUS));
	intr_route_isa(madt_intr_get(), pci_get_irq(es->dev), true, &es->gsi,
	    &es->trig, &es->pol);
	return (0);
}

static void
edu_close(struct edu_setup *es, struct edu_ctx *c)
{
	bus_write_4(c->r, EDU_INTR_ACK, bus_read_4(c->r, EDU_INTR_STATUS));
	(void)pci_release_resource(es->dev, SYS_RES_MEMORY, es->rid, c->r);
}

/*
 * What the firmware's table says matches the hardware: each I/O APIC's ID
 * register holds the ID of its MADT entry, and its version register's pin
 * count covers the GSIs without overlap.
 */
KTEST(ioapic_madt_matches_hw)
{
	struct ioapic_info ii;
	uint32_t next = 0;
	int n = ioapic_count();

	if (n == 0)
		KT_SKIP("no I/O APIC here");
	for (int i = 0; i < n; i++) {
		KT_ASSERT(ioapic_get_info(i, &ii) == 0, "no info for %d", i);
		KT_ASSERT(ii.ii_id == (ii.ii_madt_id & 0xf), "I/O APIC at %#x: "
		    "ID register %u, MADT %u", ii.ii_addr, ii.ii_id,
		    ii.ii_madt_id);
		KT_ASSERT(ii.ii_npins >= 16 && ii.ii_npins <= 240,
		    "%u pins", ii.ii_npins);
		KT_ASSERT(i == 0 || ii.ii_gsi_base >= next, "GSI base %u "
		    "overlaps", ii.ii_gsi_base);
		next = ii.ii_gsi_base + ii.ii_npins;
	}
	KT_ASSERT(ioapic_get_info(n, &ii) == ENOENT, "info past the end");
	KT_NOTE("%d I/O APIC(s), first id %u, %u pins", n, ii.ii_id,
	    ii.ii_npins);
}

/* Every pin nobody asked for stays masked, as attach left it. */
KTEST(ioapic_masked_at_boot)
{
	struct ioapic_gsi_stats st;
	u_int masked = 0, used = 0;

	if (ioapic_count() == 0)
		KT_SKIP("no I/O APIC here");
	for (uint32_t gsi = 0; ioapic_gsi_stats(gsi, &st) == 0; gsi++) {
		if (st.ig_handlers > 0) {
			used++;
			continue;
		}
		KT_ASSERT((st.ig_rte & IOART_INTMSET) != 0,
		    "GSI %u unmasked without a handler (entry %#lx)", gsi,
		    (u_long)st.ig_rte);
		masked++;
	}
	KT_ASSERT(masked > 0, "no pins found");
	KT_NOTE("%u pins masked, %u in use", masked, used);
}

/*
 * Each raise is one interrupt, handled and acknowledged: a level line the
 * EOI did not reach would stay remote-IRR (no second interrupt), one the
 * device did not drop would fire again (a storm).
 */
#define EDU_ROUNDS	20
KTEST(ioapic_edu_intx)
{
	struct ioapic_gsi_stats st0, st;
	struct edu_setup es;
	struct edu_ctx c;
	uint64_t vec0;
	void *cookie;
	int error;

	if (edu_open(ktest_ctx, &es, &c) != 0)
		return;
	error = pci_setup_intr(es.dev, edu_filter, &c, &cookie);
	if (!KT_CHECK(error == 0, "pci_setup_intr: error %d", error)) {
		edu_close(&es, &c);
		return;
	}
	(void)ioapic_gsi_stats(es.gsi, &st0);
	vec0 = intr_count(st0.ig_vector);
	KT_CHECK(st0.ig_vector >= IDT_IO_INTS && (st0.ig_rte & IOART_VECTOR) ==
	    st0.ig_vector, "GSI %u entry %#lx, vector %u", es.gsi,
	    (u_long)st0.ig_rte, st0.ig_vector);
	KT_CHECK((st0.ig_rte & IOART_INTMSET) == 0, "GSI %u still masked",
	    es.gsi);
	KT_CHECK((st0.ig_rte & IOART_TRGRLVL) != 0, "PCI INTx on GSI %u not "
	    "level-triggered", es.gsi);
	for (u_int i = 0; i < EDU_ROUNDS && !KT_FAILED(); i++) {
		uint32_t bit = 1U << (i % 8);

		bus_write_4(c.r, EDU_INTR_RAISE, bit);
		KT_CHECK(wait_count(&c.handled, i + 1, SBT_1S),
		    "raise %u: no interrupt within 1 s (called %u)", i,
		    c.called);
		KT_CHECK(c.last == bit, "raise %u: status %#x, want %#x", i,
		    c.last, bit);
		KT_CHECK(bus_read_4(c.r, EDU_INTR_STATUS) == 0,
		    "raise %u: device still asserting", i);
	}
	settle();
	(void)ioapic_gsi_stats(es.gsi, &st);
	KT_CHECK(c.handled == EDU_ROUNDS, "%u handled for %u raises",
	    c.handled, EDU_ROUNDS);
	KT_CHECK(intr_count(st.ig_vector) - vec0 == EDU_ROUNDS,
	    "vector %u seen %lu times for %u raises", st.ig_vector,
	    (u_long)(intr_count(st.ig_vector) - vec0), EDU_ROUNDS);
	KT_CHECK((st.ig_rte & IOART_REM_IRR) == 0, "remote IRR still set: "
	    "the EOI did not reach the I/O APIC");
	KT_CHECK((pci_read_config(es.dev, PCIR_STATUS, 2) &
	    PCIM_STATUS_INTxSTATE) == 0, "PCI status still shows INTx");
	KT_CHECK(pci_teardown_intr(es.dev, cookie) == 0, "teardown failed");
	(void)ioapic_gsi_stats(es.gsi, &st);
	KT_CHECK(st.ig_handlers > 0 || (st.ig_rte & IOART_INTMSET) != 0,
	    "GSI %u left unmasked without handlers", es.gsi);
	edu_close(&es, &c);
	KT_NOTE_OK("irq %u -> GSI %u %s/%s, vector %u: %u raises, %u "
	    "interrupts", pci_get_irq(es.dev), es.gsi,
	    es.trig == INTR_TRIGGER_LEVEL ? "level" : "edge",
	    es.pol == INTR_POLARITY_LOW ? "low" : "high", st.ig_vector,
	    EDU_ROUNDS, c.handled);
}

/* Two handlers on one line: both run; the one removed runs no more. */
KTEST(ioapic_shared_line)
{
	struct ioapic_gsi_stats st;
	struct edu_setup es;
	struct edu_ctx c;
	void *ck_edu, *ck_other, *ck_edge;
	volatile u_int other = 0;
	u_int seen;
	int error;

	if (edu_open(ktest_ctx, &es, &c) != 0)
		return;
	error = ioapic_setup_intr(es.gsi, es.trig, es.pol, "ktest-other",
	    other_filter, (void *)(uintptr_t)&other, &ck_other);
	if (!KT_CHECK(error == 0, "first handler: error %d", error)) {
		edu_close(&es, &c);
		return;
	}
	error = pci_setup_intr(es.dev, edu_filter, &c, &ck_edu);
	if (KT_CHECK(error == 0, "edu's handler: error %d", error)) {
		(void)ioapic_gsi_stats(es.gsi, &st);
		KT_CHECK(st.ig_handlers >= 2, "%u handlers on GSI %u",
		    st.ig_handlers, es.gsi);
		/* An edge handler cannot join a level line. */
		error = ioapic_setup_intr(es.gsi, INTR_TRIGGER_EDGE,
		    INTR_POLARITY_HIGH, "ktest-edge", other_filter,
		    (void *)(uintptr_t)&other, &ck_edge);
		KT_CHECK(error == EBUSY, "edge on a level line: error %d",
		    error);
		if (error == 0)
			(void)ioapic_teardown_intr(ck_edge);
		bus_write_4(c.r, EDU_INTR_RAISE, 1);
		KT_CHECK(wait_count(&c.handled, 1, SBT_1S),
		    "no interrupt within 1 s");
		KT_CHECK(other >= 1, "the other handler was not called");
		KT_CHECK(ioapic_teardown_intr(ck_other) == 0,
		    "teardown of the other handler failed");
		seen = other;
		bus_write_4(c.r, EDU_INTR_RAISE, 2);
		KT_CHECK(wait_count(&c.handled, 2, SBT_1S),
		    "no interrupt after the other handler left");
		settle();
		KT_CHECK(other == seen, "a removed handler ran (%u calls, "
		    "%u before)", other, seen);
		KT_CHECK(ioapic_teardown_intr(ck_edu) == 0,
		    "teardown of edu's handler failed");
		KT_CHECK(ioapic_teardown_intr(ck_edu) == ENOENT,
		    "second teardown accepted");
	} else
		(void)ioapic_teardown_intr(ck_other);
	edu_close(&es, &c);
	KT_NOTE_OK("GSI %u: edu %u interrupts, other handler %u calls", es.gsi,
	    c.handled, other);
}

/*
 * A level line nobody quiets is masked after IOAPIC_STORM_LIMIT unclaimed
 * interrupts, and works again once its device is quiet and the pin
 * unmasked.
 */
KTEST(ioapic_storm_guard)
{
	struct ioapic_gsi_stats st;
	struct edu_setup es;
	struct edu_ctx c;
	sbintime_t end;
	void *cookie;
	int error;

	if (edu_open(ktest_ctx, &es, &c) != 0)
		return;
	c.ack = false;
	error = pci_setup_intr(es.dev, edu_filter, &c, &cookie);
	if (!KT_CHECK(error == 0, "pci_setup_intr: error %d", error)) {
		edu_close(&es, &c);
		return;
	}
	bus_write_4(c.r, EDU_INTR_RAISE, 1);
	end = sbinuptime() + 5 * SBT_1S;
	do {
		(void)ioapic_gsi_stats(es.gsi, &st);
	} while (!st.ig_storm_masked && sbinuptime() < end);
	KT_CHECK(st.ig_storm_masked, "not masked within 5 s (%u calls)",
	    c.called);
	KT_CHECK((st.ig_rte & IOART_INTMSET) != 0, "entry %#lx not masked",
	    (u_long)st.ig_rte);
	KT_CHECK(c.called >= IOAPIC_STORM_LIMIT, "masked after %u calls",
	    c.called);
	/* The EOI after the masking still reached the I/O APIC. */
	settle();
	(void)ioapic_gsi_stats(es.gsi, &st);
	KT_CHECK((st.ig_rte & IOART_REM_IRR) == 0, "remote IRR left set");
	/* Quiet the device, then the line may be used again. */
	bus_write_4(c.r, EDU_INTR_ACK, bus_read_4(c.r, EDU_INTR_STATUS));
	c.ack = true;
	KT_CHECK(ioapic_unmask_gsi(es.gsi) == 0, "unmask failed");
	bus_write_4(c.r, EDU_INTR_RAISE, 4);
	KT_CHECK(wait_count(&c.handled, 1, SBT_1S),
	    "no interrupt after unmasking");
	(void)ioapic_gsi_stats(es.gsi, &st);
	KT_CHECK(!st.ig_storm_masked && (st.ig_rte & IOART_INTMSET) == 0,
	    "still masked");
	KT_CHECK(pci_teardown_intr(es.dev, cookie) == 0, "teardown failed");
	edu_close(&es, &c);
	KT_NOTE_OK("masked after %u unclaimed interrupts", c.called -
	    c.handled);
}

/* A function with no interrupt pin gets no handler. */
KTEST(ioapic_no_pin)
{
	device_t d;
	void *cookie;
	int error;

	if (ioapic_count() == 0)
		KT_SKIP("no I/O APIC here");
	if (pci_test_want(ktest_ctx, 0x1b36, 0x0005, &d) != 0)
		return;
	KT_ASSERT(pci_get_intpin(d) == 0, "pci-testdev has pin %u",
	    pci_get_intpin(d));
	error = pci_setup_intr(d, other_filter, NULL, &cookie);
	KT_ASSERT(error == ENXIO, "pci_setup_intr without a pin: error %d",
	    error);
}
