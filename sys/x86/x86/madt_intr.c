/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The interrupt model of the MADT: I/O APIC entries and interrupt source
 * overrides (madt_parse_intr(), intr_route_isa(), x86/ioapicvar.h).  The
 * table comes from firmware: the header is checked as madt_parse() checks
 * it, every entry must fit, and the tables it fills are bounded.  Pure, so
 * hosted tests can feed it crafted tables.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <x86/ioapicvar.h>

#define MADT_HDR		36	/* ACPI table header */
#define MADT_BODY		8	/* local APIC address, flags */
#define MADT_FLAG_PCAT		0x1
#define MADT_IOAPIC		1
#define MADT_IOAPIC_LEN		12
#define MADT_ISO		2
#define MADT_ISO_LEN		10
#define MADT_ISO_BUS_ISA	0

/* Flags of an override (MPS INTI flags). */
#define INTI_POLARITY_MASK	0x3
#define INTI_POLARITY_HIGH	0x1
#define INTI_POLARITY_LOW	0x3
#define INTI_TRIGGER_SHIFT	2
#define INTI_TRIGGER_EDGE	0x1
#define INTI_TRIGGER_LEVEL	0x3

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return (v);
}

static enum intr_polarity
inti_polarity(uint16_t flags)
{
	switch (flags & INTI_POLARITY_MASK) {
	case INTI_POLARITY_HIGH:
		return (INTR_POLARITY_HIGH);
	case INTI_POLARITY_LOW:
		return (INTR_POLARITY_LOW);
	default:	/* 0 conforms; 2 is reserved and treated so */
		return (INTR_POLARITY_CONFORM);
	}
}

static enum intr_trigger
inti_trigger(uint16_t flags)
{
	switch ((flags >> INTI_TRIGGER_SHIFT) & 0x3) {
	case INTI_TRIGGER_EDGE:
		return (INTR_TRIGGER_EDGE);
	case INTI_TRIGGER_LEVEL:
		return (INTR_TRIGGER_LEVEL);
	default:
		return (INTR_TRIGGER_CONFORM);
	}
}

static bool
override_known(const struct madt_intr *mt, u_int irq)
{
	for (int i = 0; i < mt->mt_noverrides; i++)
		if (mt->mt_overrides[i].mo_irq == irq)
			return (true);
	return (false);
}

int
madt_parse_intr(const void *madt, size_t len, struct madt_intr *mt,
    int *dropped)
{
	const uint8_t *t = madt, *p, *end;
	uint32_t tlen;
	uint8_t sum = 0;
	int drop = 0;

	memset(mt, 0, sizeof(*mt));
	if (dropped != NULL)
		*dropped = 0;
	if (len < MADT_HDR + MADT_BODY || memcmp(t, "APIC", 4) != 0)
		return (-1);
	tlen = get32(t + 4);
	if (tlen < MADT_HDR + MADT_BODY || tlen > len)
		return (-1);
	for (uint32_t i = 0; i < tlen; i++)
		sum += t[i];
	if (sum != 0)
		return (-1);
	mt->mt_pcat = (get32(t + MADT_HDR + 4) & MADT_FLAG_PCAT) != 0;
	p = t + MADT_HDR + MADT_BODY;
	end = t + tlen;
	while (p < end) {
		if (end - p < 2 || p[1] < 2 || p[1] > end - p)
			return (-1);
		switch (p[0]) {
		case MADT_IOAPIC:
			if (p[1] < MADT_IOAPIC_LEN)
				return (-1);
			if (mt->mt_nioapics == MADT_MAX_IOAPICS) {
				drop++;
				break;
			}
			mt->mt_ioapics[mt->mt_nioapics++] = (struct madt_ioapic){
				.mi_id = p[2],
				.mi_addr = get32(p + 4),
				.mi_gsi_base = get32(p + 8),
			};
			break;
		case MADT_ISO: {
			uint16_t flags;

			if (p[1] < MADT_ISO_LEN)
				return (-1);
			memcpy(&flags, p + 8, 2);
			/* Overrides only ever name ISA sources. */
			if (p[2] != MADT_ISO_BUS_ISA || p[3] >= ISA_NIRQ ||
			    override_known(mt, p[3]) ||
			    mt->mt_noverrides == MADT_MAX_OVERRIDES) {
				drop++;
				break;
			}
			mt->mt_overrides[mt->mt_noverrides++] =
			    (struct madt_override){
				.mo_irq = p[3],
				.mo_gsi = get32(p + 4),
				.mo_trigger = inti_trigger(flags),
				.mo_polarity = inti_polarity(flags),
			};
			break;
		}
		default:
			break;
		}
		p += p[1];
	}
	if (dropped != NULL)
		*dropped = drop;
	return (0);
}

void
intr_route_isa(const struct madt_intr *mt, u_int irq, bool pci, uint32_t *gsi,
    enum intr_trigger *trig, enum intr_polarity *pol)
{
	*gsi = irq;
	*trig = INTR_TRIGGER_CONFORM;
	*pol = INTR_POLARITY_CONFORM;
	for (int i = 0; mt != NULL && i < mt->mt_noverrides; i++) {
		if (mt->mt_overrides[i].mo_irq == irq) {
			*gsi = mt->mt_overrides[i].mo_gsi;
			*trig = mt->mt_overrides[i].mo_trigger;
			*pol = mt->mt_overrides[i].mo_polarity;
			break;
		}
	}
	if (*trig == INTR_TRIGGER_CONFORM)
		*trig = pci ? INTR_TRIGGER_LEVEL : INTR_TRIGGER_EDGE;
	if (*pol == INTR_POLARITY_CONFORM)
		*pol = pci ? INTR_POLARITY_LOW : INTR_POLARITY_HIGH;
}
