/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The I/O APIC's pure parts: MADT I/O APIC and interrupt source override
 * entries from crafted tables (good, damaged, past the limits), the
 * routing of an ISA IRQ or PCI interrupt line through the overrides, and
 * redirection entries, whose expected values are written out from the
 * 82093AA layout (vector 7:0, polarity bit 13, trigger bit 15, mask bit
 * 16, destination 63:56), not taken from the header under test.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <x86/ioapicvar.h>

#include "kunit.h"

#define HDR	36
#define BODY	8

static uint8_t	mt[512];
static size_t	mt_len;

static void
put32(size_t off, uint32_t v)
{
	memcpy(&mt[off], &v, 4);
}

static void
begin(void)
{
	memset(mt, 0, sizeof(mt));
	memcpy(mt, "APIC", 4);
	mt[8] = 4;
	put32(HDR, 0xfee00000);
	put32(HDR + 4, 1);		/* PCAT_COMPAT */
	mt_len = HDR + BODY;
}

static void
add_ioapic(uint8_t id, uint32_t addr, uint32_t base)
{
	mt[mt_len] = 1;
	mt[mt_len + 1] = 12;
	mt[mt_len + 2] = id;
	put32(mt_len + 4, addr);
	put32(mt_len + 8, base);
	mt_len += 12;
}

static void
add_iso(uint8_t bus, uint8_t src, uint32_t gsi, uint16_t flags)
{
	mt[mt_len] = 2;
	mt[mt_len + 1] = 10;
	mt[mt_len + 2] = bus;
	mt[mt_len + 3] = src;
	put32(mt_len + 4, gsi);
	memcpy(&mt[mt_len + 8], &flags, 2);
	mt_len += 10;
}

static void
add_raw(uint8_t type, uint8_t len)
{
	mt[mt_len] = type;
	mt[mt_len + 1] = len;
	mt_len += len;
}

static void
finish(void)
{
	uint8_t s = 0;

	put32(4, (uint32_t)mt_len);
	mt[9] = 0;
	for (size_t i = 0; i < mt_len; i++)
		s += mt[i];
	mt[9] = (uint8_t)-s;
}

/* What QEMU's and Xen's firmware put there: IRQ 0 on pin 2, PCI IRQs level. */
static void
build_pc(void)
{
	begin();
	add_raw(0, 8);				/* a local APIC */
	add_ioapic(1, 0xfec00000, 0);
	add_iso(0, 0, 2, 0);			/* conforming */
	add_iso(0, 9, 9, 0xd);			/* level, active high */
	add_iso(0, 10, 10, 0xf);		/* level, active low */
	add_iso(0, 5, 5, 0x5);			/* edge, active high */
	add_raw(4, 6);				/* local APIC NMI: ignored */
	finish();
}

KUNIT_TEST(madt_intr_good)
{
	struct madt_intr m;
	int dropped;

	build_pc();
	KU_ASSERT(madt_parse_intr(mt, mt_len, &m, &dropped) == 0, "refused");
	KU_ASSERT(dropped == 0, "dropped %d", dropped);
	KU_ASSERT(m.mt_pcat, "PCAT_COMPAT lost");
	KU_ASSERT(m.mt_nioapics == 1 && m.mt_ioapics[0].mi_id == 1 &&
	    m.mt_ioapics[0].mi_addr == 0xfec00000 &&
	    m.mt_ioapics[0].mi_gsi_base == 0, "I/O APIC entry");
	KU_ASSERT(m.mt_noverrides == 4, "%d overrides", m.mt_noverrides);
	KU_ASSERT(m.mt_overrides[0].mo_irq == 0 &&
	    m.mt_overrides[0].mo_gsi == 2 &&
	    m.mt_overrides[0].mo_trigger == INTR_TRIGGER_CONFORM &&
	    m.mt_overrides[0].mo_polarity == INTR_POLARITY_CONFORM, "IRQ 0");
	KU_ASSERT(m.mt_overrides[1].mo_trigger == INTR_TRIGGER_LEVEL &&
	    m.mt_overrides[1].mo_polarity == INTR_POLARITY_HIGH, "IRQ 9");
	KU_ASSERT(m.mt_overrides[2].mo_trigger == INTR_TRIGGER_LEVEL &&
	    m.mt_overrides[2].mo_polarity == INTR_POLARITY_LOW, "IRQ 10");
	KU_ASSERT(m.mt_overrides[3].mo_trigger == INTR_TRIGGER_EDGE &&
	    m.mt_overrides[3].mo_polarity == INTR_POLARITY_HIGH, "IRQ 5");
}

KUNIT_TEST(madt_intr_damaged)
{
	struct madt_intr m;

	build_pc();
	mt[9]++;
	KU_ASSERT(madt_parse_intr(mt, mt_len, &m, NULL) == -1, "checksum");
	build_pc();
	KU_ASSERT(madt_parse_intr(mt, mt_len - 1, &m, NULL) == -1,
	    "table longer than the buffer");
	build_pc();
	mt[0] = 'X';
	KU_ASSERT(madt_parse_intr(mt, mt_len, &m, NULL) == -1, "signature");
	begin();
	add_ioapic(1, 0xfec00000, 0);
	mt[HDR + BODY + 1] = 8;			/* too short for its type */
	mt_len -= 4;
	finish();
	KU_ASSERT(madt_parse_intr(mt, mt_len, &m, NULL) == -1, "short entry");
	begin();
	mt[mt_len] = 0x7f;			/* zero length: would spin */
	mt[mt_len + 1] = 0;
	mt_len += 2;
	finish();
	KU_ASSERT(madt_parse_intr(mt, mt_len, &m, NULL) == -1,
	    "zero-length entry");
	begin();
	add_iso(0, 1, 1, 0);
	mt[mt_len - 9] = 40;			/* runs past the table */
	finish();
	KU_ASSERT(madt_parse_intr(mt, mt_len, &m, NULL) == -1,
	    "entry past the end");
}

KUNIT_TEST(madt_intr_limits)
{
	struct madt_intr m;
	int dropped;

	begin();
	for (int i = 0; i < MADT_MAX_IOAPICS + 2; i++)
		add_ioapic((uint8_t)i, 0xfec00000 + 0x1000 * i, 24 * i);
	add_iso(0, 9, 20, 0xd);
	add_iso(0, 9, 21, 0xf);			/* a second one for IRQ 9 */
	add_iso(1, 3, 3, 0);			/* not ISA */
	add_iso(0, 16, 16, 0);			/* not an ISA IRQ */
	finish();
	KU_ASSERT(madt_parse_intr(mt, mt_len, &m, &dropped) == 0, "refused");
	KU_ASSERT(m.mt_nioapics == MADT_MAX_IOAPICS, "%d I/O APICs",
	    m.mt_nioapics);
	KU_ASSERT(m.mt_ioapics[7].mi_gsi_base == 24 * 7, "eighth");
	KU_ASSERT(m.mt_noverrides == 1 && m.mt_overrides[0].mo_gsi == 20,
	    "overrides %d, first gsi %u", m.mt_noverrides,
	    m.mt_overrides[0].mo_gsi);
	KU_ASSERT(dropped == 2 + 3, "dropped %d", dropped);
}

KUNIT_TEST(route_isa_and_pci)
{
	enum intr_trigger t;
	enum intr_polarity p;
	struct madt_intr m;
	uint32_t gsi;

	build_pc();
	KU_ASSERT(madt_parse_intr(mt, mt_len, &m, NULL) == 0, "refused");
	intr_route_isa(&m, 0, false, &gsi, &t, &p);
	KU_ASSERT(gsi == 2 && t == INTR_TRIGGER_EDGE &&
	    p == INTR_POLARITY_HIGH, "timer: gsi %u %d/%d", gsi, t, p);
	intr_route_isa(&m, 9, true, &gsi, &t, &p);
	KU_ASSERT(gsi == 9 && t == INTR_TRIGGER_LEVEL &&
	    p == INTR_POLARITY_HIGH, "override beats the PCI default");
	intr_route_isa(&m, 10, true, &gsi, &t, &p);
	KU_ASSERT(gsi == 10 && t == INTR_TRIGGER_LEVEL &&
	    p == INTR_POLARITY_LOW, "IRQ 10");
	intr_route_isa(&m, 5, true, &gsi, &t, &p);
	KU_ASSERT(t == INTR_TRIGGER_EDGE && p == INTR_POLARITY_HIGH,
	    "an explicit edge override holds for PCI too");
	intr_route_isa(&m, 11, true, &gsi, &t, &p);
	KU_ASSERT(gsi == 11 && t == INTR_TRIGGER_LEVEL &&
	    p == INTR_POLARITY_LOW, "PCI without override: level/low");
	intr_route_isa(&m, 4, false, &gsi, &t, &p);
	KU_ASSERT(gsi == 4 && t == INTR_TRIGGER_EDGE &&
	    p == INTR_POLARITY_HIGH, "ISA without override: edge/high");
	intr_route_isa(NULL, 0, false, &gsi, &t, &p);
	KU_ASSERT(gsi == 0, "no MADT: identity");
}

KUNIT_TEST(rte_encoding)
{
	KU_ASSERT(ioapic_rte_encode(0x30, 1, INTR_TRIGGER_LEVEL,
	    INTR_POLARITY_LOW, false) == 0x010000000000a030ULL, "level low: "
	    "%#lx", (u_long)ioapic_rte_encode(0x30, 1, INTR_TRIGGER_LEVEL,
	    INTR_POLARITY_LOW, false));
	KU_ASSERT(ioapic_rte_encode(0x41, 0, INTR_TRIGGER_EDGE,
	    INTR_POLARITY_HIGH, true) == 0x0000000000010041ULL, "edge masked");
	KU_ASSERT(ioapic_rte_encode(0xee, 0xff, INTR_TRIGGER_LEVEL,
	    INTR_POLARITY_HIGH, false) == 0xff000000000080eeULL, "dest 255");
	KU_EXPECT_PANIC(ioapic_rte_encode(0x05, 0, INTR_TRIGGER_EDGE,
	    INTR_POLARITY_HIGH, false), "vector");
	KU_EXPECT_PANIC(ioapic_rte_encode(0x30, 256, INTR_TRIGGER_EDGE,
	    INTR_POLARITY_HIGH, false), "APIC ID");
	KU_EXPECT_PANIC(ioapic_rte_encode(0x30, 0, INTR_TRIGGER_CONFORM,
	    INTR_POLARITY_HIGH, false), "unresolved");
}
