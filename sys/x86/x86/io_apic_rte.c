/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Encoding of I/O APIC redirection table entries (ioapic_rte_encode(),
 * x86/ioapicvar.h).  Pure, so hosted tests can check every field.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <x86/ioapicvar.h>

uint64_t
ioapic_rte_encode(u_int vector, u_int dest, enum intr_trigger trig,
    enum intr_polarity pol, bool masked)
{
	uint64_t rte;

	KASSERT(vector >= 0x10 && vector <= 0xfe,
	    ("ioapic_rte_encode: vector %#x", vector));
	KASSERT(dest <= 0xff, ("ioapic_rte_encode: APIC ID %u", dest));
	KASSERT(trig != INTR_TRIGGER_CONFORM && pol != INTR_POLARITY_CONFORM,
	    ("ioapic_rte_encode: unresolved trigger or polarity"));
	rte = (vector & IOART_VECTOR) | IOART_DESTPHY |
	    ((uint64_t)(dest & 0xff) << IOART_DEST_SHIFT);
	if (trig == INTR_TRIGGER_LEVEL)
		rte |= IOART_TRGRLVL;
	if (pol == INTR_POLARITY_LOW)
		rte |= IOART_INTALO;
	if (masked)
		rte |= IOART_INTMSET;
	return (rte);
}
