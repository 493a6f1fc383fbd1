/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * I/O APICs and the routing of device interrupts to them.  The MADT lists
 * the I/O APICs (each with the first global system interrupt, GSI, of its
 * pins) and the interrupt source overrides that move an ISA IRQ to another
 * GSI or give it another trigger mode or polarity.  Drivers ask for a GSI,
 * or for a PCI function's interrupt line (an ISA IRQ number on PC
 * firmware); several handlers may share one pin.
 */
#ifndef _X86_IOAPICVAR_H_
#define _X86_IOAPICVAR_H_

#include <sys/types.h>

#ifndef FILTER_STRAY
#define FILTER_STRAY	0x01
#define FILTER_HANDLED	0x02
typedef int	driver_filter_t(void *arg);
#endif

enum intr_trigger { INTR_TRIGGER_CONFORM, INTR_TRIGGER_EDGE,
	INTR_TRIGGER_LEVEL };
enum intr_polarity { INTR_POLARITY_CONFORM, INTR_POLARITY_HIGH,
	INTR_POLARITY_LOW };

#define MADT_MAX_IOAPICS	8
#define MADT_MAX_OVERRIDES	16	/* at most one per ISA IRQ */
#define ISA_NIRQ		16

struct madt_ioapic {
	u_int		mi_id;
	uint32_t	mi_addr;	/* physical, register window */
	uint32_t	mi_gsi_base;
};

struct madt_override {
	u_int			mo_irq;		/* ISA source */
	uint32_t		mo_gsi;
	enum intr_trigger	mo_trigger;
	enum intr_polarity	mo_polarity;
};

struct madt_intr {
	bool			mt_pcat;	/* 8259 pair present */
	int			mt_nioapics;
	struct madt_ioapic	mt_ioapics[MADT_MAX_IOAPICS];
	int			mt_noverrides;
	struct madt_override	mt_overrides[MADT_MAX_OVERRIDES];
};

/*
 * Pure helpers (madt_intr.c, io_apic_rte.c), also used by hosted tests.
 *
 * madt_parse_intr: the I/O APIC and override entries of a MADT image of
 * len bytes.  0, or -1 for a malformed table (the checks of madt_parse())
 * or an entry of the wrong length.  Entries past the limits above are
 * dropped (and counted in *dropped if not NULL); a second override of one
 * IRQ or an override of a non-ISA source is dropped too.
 */
int	madt_parse_intr(const void *madt, size_t len, struct madt_intr *,
	    int *dropped);
/*
 * Where ISA IRQ (or PC interrupt line) irq arrives: its GSI and, with the
 * "conforming" values resolved, its trigger and polarity.  Without an
 * override the GSI is the IRQ number; conforming means edge/high for an
 * ISA device and level/low for PCI INTx (pci true).
 */
void	intr_route_isa(const struct madt_intr *mt, u_int irq, bool pci,
	    uint32_t *gsi, enum intr_trigger *trig, enum intr_polarity *pol);
/*
 * A redirection table entry: fixed delivery, physical destination
 * dest (an 8-bit APIC ID), the vector, the trigger mode and polarity (no
 * conforming values here), masked or not.
 */
uint64_t ioapic_rte_encode(u_int vector, u_int dest, enum intr_trigger trig,
	    enum intr_polarity pol, bool masked);

/* Bits of a redirection table entry. */
#define IOART_VECTOR		0x000000ffULL
#define IOART_DESTPHY		0x00000000ULL
#define IOART_DELIVS		0x00001000ULL	/* delivery pending (RO) */
#define IOART_INTALO		0x00002000ULL	/* active low */
#define IOART_REM_IRR		0x00004000ULL	/* level accepted, no EOI yet */
#define IOART_TRGRLVL		0x00008000ULL	/* level triggered */
#define IOART_INTMSET		0x00010000ULL	/* masked */
#define IOART_DEST_SHIFT	56

/* The firmware's interrupt model, parsed once (NULL without a MADT). */
const struct madt_intr *madt_intr_get(void);

/*
 * Drivers.  The handler list of a pin runs with the I/O APIC lock held
 * and interrupts off; after it the local APIC gets its EOI, which for a
 * level-triggered pin also tells the I/O APIC the line may be sampled
 * again.  A level pin no filter claims for IOAPIC_STORM_LIMIT interrupts
 * in a row is masked (a device nobody quiets would hold the CPU).
 */
#define IOAPIC_STORM_LIMIT	1000U
int	ioapic_setup_intr(uint32_t gsi, enum intr_trigger trig,
	    enum intr_polarity pol, const char *name, driver_filter_t *filter,
	    void *arg, void **cookiep);
/* irq: the interrupt line of a PCI function, routed by intr_route_isa. */
int	ioapic_setup_pci_intr(u_int irq, const char *name,
	    driver_filter_t *filter, void *arg, void **cookiep);
int	ioapic_teardown_intr(void *cookie);
/* Unmasks a pin the storm guard masked (after its device was quieted). */
int	ioapic_unmask_gsi(uint32_t gsi);

/* Observation, for tests and reports. */
struct ioapic_gsi_stats {
	uint64_t	ig_rte;		/* as read from the I/O APIC */
	u_int		ig_vector;	/* 0: no handler */
	u_int		ig_handlers;
	uint64_t	ig_count;	/* interrupts dispatched */
	uint64_t	ig_strays;	/* no filter claimed them */
	bool		ig_storm_masked;
};
int	ioapic_gsi_stats(uint32_t gsi, struct ioapic_gsi_stats *);
/* Number of I/O APICs attached. */
int	ioapic_count(void);
/* The i-th I/O APIC: the ID its register holds and the MADT's, its GSIs. */
struct ioapic_info {
	u_int		ii_id;		/* from the I/O APIC's ID register */
	u_int		ii_madt_id;	/* from its MADT entry */
	uint32_t	ii_addr;
	uint32_t	ii_gsi_base;
	u_int		ii_npins;
};
int	ioapic_get_info(int i, struct ioapic_info *);

#endif /* !_X86_IOAPICVAR_H_ */
