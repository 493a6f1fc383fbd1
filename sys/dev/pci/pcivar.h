/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The PCI bus as its drivers see it.  A function found on a bus becomes an
 * unnamed child of that bus ("pciN"), so drivers claim it by ID in their
 * probe method (pci_get_vendor(), pci_get_device(), pci_get_class(), ...).
 * Configuration space, BARs (pci_alloc_resource() with rid PCIR_BAR(n))
 * and the INTx interrupt (pci_setup_intr()) go through the bus; the bus
 * asks its bridge (pcib_if.h), and the host bridge does the machine part.
 */
#ifndef _DEV_PCI_PCIVAR_H_
#define _DEV_PCI_PCIVAR_H_

#include <sys/types.h>
#include <sys/bus.h>
#include <sys/rman.h>

/*
 * Interrupt filters run in interrupt context with interrupts disabled and
 * say whether their device was the one interrupting (a line may be shared).
 */
#ifndef FILTER_STRAY
#define FILTER_STRAY	0x01
#define FILTER_HANDLED	0x02
typedef int	driver_filter_t(void *arg);
#endif

/* One base address register as the firmware left it. */
struct pci_bar {
	uint64_t	pb_base;	/* address programmed (0: none) */
	uint64_t	pb_size;	/* bytes decoded; 0: not implemented */
	int		pb_type;	/* SYS_RES_MEMORY or SYS_RES_IOPORT */
	bool		pb_64bit;	/* uses this register and the next */
	bool		pb_prefetch;
};

/* What the bus keeps about each function (the child's ivars). */
#define PCI_MAXBARS	6
#define PCI_MAXCAPS	48		/* (256 - 0x40) / 4 */
struct pci_devinfo {
	uint8_t		pd_bus, pd_slot, pd_func;
	uint8_t		pd_hdrtype;	/* without the multi-function bit */
	uint16_t	pd_vendor, pd_device;
	uint16_t	pd_subvendor, pd_subdevice;
	uint8_t		pd_class, pd_subclass, pd_progif, pd_revid;
	uint8_t		pd_intpin;	/* 0: none, 1-4: INTA-INTD */
	uint8_t		pd_intline;	/* as the firmware wrote it */
	int		pd_nbars;
	struct pci_bar	pd_bars[PCI_MAXBARS];
	int		pd_ncaps;	/* < 0: malformed list (errno) */
	uint8_t		pd_capid[PCI_MAXCAPS];
	uint8_t		pd_capreg[PCI_MAXCAPS];
	struct resource	*pd_res[PCI_MAXBARS];	/* allocated BARs */
};

/* Identity and place. */
uint16_t	pci_get_vendor(device_t);
uint16_t	pci_get_device(device_t);
uint16_t	pci_get_subvendor(device_t);
uint16_t	pci_get_subdevice(device_t);
uint8_t		pci_get_class(device_t);
uint8_t		pci_get_subclass(device_t);
uint8_t		pci_get_progif(device_t);
uint8_t		pci_get_revid(device_t);
uint8_t		pci_get_hdrtype(device_t);
uint8_t		pci_get_bus(device_t);
uint8_t		pci_get_slot(device_t);
uint8_t		pci_get_function(device_t);
uint8_t		pci_get_intpin(device_t);
uint8_t		pci_get_irq(device_t);		/* the interrupt line */
/* The BAR at index 0-5 (NULL past the header's BARs). */
const struct pci_bar *pci_get_bar(device_t, int bar);

/* Configuration space of the device; width 1, 2 or 4, reg aligned to it. */
uint32_t	pci_read_config(device_t, int reg, int width);
void		pci_write_config(device_t, int reg, uint32_t val, int width);

/* Command register. */
int		pci_enable_busmaster(device_t);
int		pci_disable_busmaster(device_t);
/* space: SYS_RES_IOPORT or SYS_RES_MEMORY. */
int		pci_enable_io(device_t, int space);
int		pci_disable_io(device_t, int space);

/* Offset of the first capability of this ID in *capreg; 0 or ENOENT. */
int		pci_find_cap(device_t, int capability, int *capreg);

/*
 * A BAR as a resource: *rid is PCIR_BAR(n), type SYS_RES_MEMORY or
 * SYS_RES_IOPORT (must match the BAR).  RF_ACTIVE maps memory (uncached)
 * and turns the command register's decoding of that space on.  NULL if
 * the BAR is absent, of the other type, already allocated or cannot be
 * mapped.
 */
struct resource	*pci_alloc_resource(device_t, int type, int *rid, u_int flags);
int		pci_release_resource(device_t, int type, int rid,
		    struct resource *);

/*
 * The device's INTx interrupt: routed from the interrupt line the firmware
 * wrote, level-triggered and shareable.  The filter must quiet its device
 * before returning FILTER_HANDLED; the interrupt controller is acknowledged
 * after every filter on the line has run.  *cookiep names the handler for
 * pci_teardown_intr().  ENXIO when the device has no routed INTx.
 */
int		pci_setup_intr(device_t, driver_filter_t *filter, void *arg,
		    void **cookiep);
int		pci_teardown_intr(device_t, void *cookie);

/*
 * Lookups over every PCI bus (behind bridges too), in scan order: the
 * first function with this vendor and device ID, or the function at
 * bus:slot.func; NULL if none.
 */
device_t	pci_find_device(uint16_t vendor, uint16_t device);
device_t	pci_find_bsf(uint8_t bus, uint8_t slot, uint8_t func);

/*
 * Pure helpers, also used by hosted tests.
 *
 * pci_bar_decode: a BAR from its original value and what reads back after
 * all ones were written (orig_hi/sized_hi: the next register, for 64-bit
 * memory BARs).  Returns how many registers the BAR uses (1 or 2), with
 * pb_size 0 when it is not implemented, or -1 when the read-back is not a
 * valid BAR (a size that is not a power of two, a reserved type).
 */
int	pci_bar_decode(uint32_t orig, uint32_t sized, uint32_t orig_hi,
	    uint32_t sized_hi, struct pci_bar *);

/*
 * pci_cap_list: walks the capability list through rd (8-bit reads of
 * configuration space), starting at the pointer in register ptrreg.  At
 * most max entries are stored.  Returns the number of capabilities, or
 * -EFTYPE for a pointer into the header or past the space, -ELOOP for a
 * list that comes back on itself.  The walk is bounded either way.
 */
typedef uint8_t	pci_cfg_read8_t(void *arg, int reg);
int	pci_cap_list(pci_cfg_read8_t *rd, void *arg, int ptrreg, uint8_t *ids,
	    uint8_t *regs, int max);

/* The class name pciconf would print ("bridge", "network", ...). */
const char	*pci_class_name(uint8_t class);

#endif /* !_DEV_PCI_PCIVAR_H_ */
