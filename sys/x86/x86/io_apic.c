/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * I/O APICs ("ioapicN" on the nexus), one per MADT entry.  Attach masks
 * every pin: nothing is delivered until a driver sets up a handler, which
 * gives the pin a vector, the boot CPU as its (physical) destination and
 * the trigger mode and polarity of its source (x86/ioapicvar.h).  The
 * local APIC EOI after the handlers acknowledges the interrupt; for a
 * level-triggered pin the broadcast EOI also clears the I/O APIC's remote
 * IRR, so the line is sampled again (directed EOI is not used).
 *
 * One spin mutex covers the register windows (select, then access), the
 * pins and their handler lists; the dispatcher holds it while the filters
 * run, so a handler that pci_teardown_intr() removed is never called again
 * once it returns.
 */
#include <sys/param.h>
#include <sys/bootreport.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/systm.h>

#include <machine/bus.h>
#include <machine/cpufunc.h>
#include <machine/intr.h>

#include <x86/acpi_madt.h>
#include <x86/apicvar.h>
#include <x86/ioapicvar.h>

MALLOC_DEFINE(M_IOAPIC, "ioapic", "I/O APIC pins and handlers");

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_WINDOW_SIZE	0x20
#define IOAPIC_ID		0x00
#define IOAPIC_VER		0x01
#define IOAPIC_REDTBL		0x10
#define IOAPIC_MAX_PINS		240	/* the version register's 8 bits, bounded */
#define IOAPIC_MAX_HANDLERS	8	/* sharing one pin */
#define IOAPIC_ORDER		10	/* before the PCI host bridge */

#define PIC_MASTER_IMR		0x21
#define PIC_SLAVE_IMR		0xa1

struct ioapic_softc;

struct ioapic_handler {
	driver_filter_t		*ih_filter;
	void			*ih_arg;
	const char		*ih_name;
	struct ioapic_pin	*ih_pin;
};

struct ioapic_pin {
	struct ioapic_softc	*ip_io;
	u_int			ip_pin;
	uint32_t		ip_gsi;
	u_int			ip_vector;	/* 0 until first set up; kept */
	enum intr_trigger	ip_trigger;
	enum intr_polarity	ip_polarity;
	int			ip_nhandlers;
	struct ioapic_handler	*ip_handlers[IOAPIC_MAX_HANDLERS];
	uint64_t		ip_count;
	uint64_t		ip_strays;
	u_int			ip_stray_run;
	bool			ip_storm_masked;
};

struct ioapic_softc {
	device_t		io_dev;
	const struct madt_ioapic *io_madt;
	volatile uint32_t	*io_regs;
	u_int			io_id;
	u_int			io_npins;
	uint32_t		io_gsi_base;
	struct ioapic_pin	*io_pins;
};

static struct mtx		ioapic_mtx;
static struct ioapic_softc	*ioapics[MADT_MAX_IOAPICS];
static int			nioapics;
static struct madt_intr		madt_intr;
static int			madt_intr_state;	/* 0, 1 parsed, -1 none */

const struct madt_intr *
madt_intr_get(void)
{
	const void *madt;
	uint32_t len;
	int dropped;

	if (madt_intr_state == 0) {
		madt = acpi_find_table("APIC", &len);
		madt_intr_state = madt != NULL &&
		    madt_parse_intr(madt, len, &madt_intr, &dropped) == 0 ?
		    1 : -1;
		if (madt_intr_state > 0 && dropped > 0)
			printf("ioapic: %d MADT interrupt entries ignored "
			    "(past the limits or duplicated)\n", dropped);
	}
	return (madt_intr_state > 0 ? &madt_intr : NULL);
}

/* Registers; the lock is held across select and access. */

static uint32_t
ioapic_read(struct ioapic_softc *io, u_int reg)
{
	mtx_assert(&ioapic_mtx, MA_OWNED);
	io->io_regs[IOAPIC_REGSEL / 4] = reg;
	return (io->io_regs[IOAPIC_WINDOW / 4]);
}

static void
ioapic_write(struct ioapic_softc *io, u_int reg, uint32_t v)
{
	mtx_assert(&ioapic_mtx, MA_OWNED);
	io->io_regs[IOAPIC_REGSEL / 4] = reg;
	io->io_regs[IOAPIC_WINDOW / 4] = v;
}

static uint64_t
ioapic_read_rte(struct ioapic_softc *io, u_int pin)
{
	uint32_t lo = ioapic_read(io, IOAPIC_REDTBL + 2 * pin);
	uint32_t hi = ioapic_read(io, IOAPIC_REDTBL + 2 * pin + 1);

	return ((uint64_t)hi << 32 | lo);
}

/*
 * The low word holds the mask: mask first, then the destination, then the
 * final low word, so the pin never fires half programmed.
 */
static void
ioapic_write_rte(struct ioapic_softc *io, u_int pin, uint64_t rte)
{
	ioapic_write(io, IOAPIC_REDTBL + 2 * pin, (uint32_t)IOART_INTMSET);
	ioapic_write(io, IOAPIC_REDTBL + 2 * pin + 1, (uint32_t)(rte >> 32));
	ioapic_write(io, IOAPIC_REDTBL + 2 * pin, (uint32_t)rte);
}

static void
ioapic_set_mask(struct ioapic_pin *ip, bool masked)
{
	struct ioapic_softc *io = ip->ip_io;
	uint32_t lo = ioapic_read(io, IOAPIC_REDTBL + 2 * ip->ip_pin);

	lo = masked ? lo | (uint32_t)IOART_INTMSET :
	    lo & ~(uint32_t)IOART_INTMSET;
	ioapic_write(io, IOAPIC_REDTBL + 2 * ip->ip_pin, lo);
}

static struct ioapic_pin *
ioapic_find_pin(uint32_t gsi)
{
	mtx_assert(&ioapic_mtx, MA_OWNED);
	for (int i = 0; i < nioapics; i++) {
		struct ioapic_softc *io = ioapics[i];

		if (gsi >= io->io_gsi_base && gsi - io->io_gsi_base <
		    io->io_npins)
			return (&io->io_pins[gsi - io->io_gsi_base]);
	}
	return (NULL);
}

/* Dispatch */

static void
ioapic_intr(struct trapframe *tf __unused, void *arg)
{
	struct ioapic_pin *ip = arg;
	bool handled = false, storm = false;

	mtx_lock_spin(&ioapic_mtx);
	ip->ip_count++;
	for (int i = 0; i < ip->ip_nhandlers; i++) {
		struct ioapic_handler *ih = ip->ip_handlers[i];

		if ((ih->ih_filter(ih->ih_arg) & FILTER_HANDLED) != 0)
			handled = true;
	}
	if (handled)
		ip->ip_stray_run = 0;
	else {
		ip->ip_strays++;
		if (ip->ip_trigger == INTR_TRIGGER_LEVEL &&
		    ++ip->ip_stray_run >= IOAPIC_STORM_LIMIT &&
		    !ip->ip_storm_masked) {
			ioapic_set_mask(ip, true);
			ip->ip_storm_masked = true;
			storm = true;
		}
	}
	mtx_unlock_spin(&ioapic_mtx);
	/* Masked before the EOI: a line still held cannot fire again. */
	apic_ops.eoi();
	if (storm)
		printf("ioapic: GSI %u: %u interrupts in a row nobody claimed, "
		    "masked\n", ip->ip_gsi, IOAPIC_STORM_LIMIT);
}

/* Driver interface */

static u_int
ioapic_dest(void)
{
	struct pcpu *pc = pcpu_find(0);

	return (pc != NULL ? pc->pc_apic_id : apic_ops.id());
}

int
ioapic_setup_intr(uint32_t gsi, enum intr_trigger trig, enum intr_polarity pol,
    const char *name, driver_filter_t *filter, void *arg, void **cookiep)
{
	struct ioapic_handler *ih;
	struct ioapic_pin *ip;
	u_int dest = ioapic_dest();
	int error = 0;

	if (filter == NULL || cookiep == NULL || trig == INTR_TRIGGER_CONFORM ||
	    pol == INTR_POLARITY_CONFORM)
		return (EINVAL);
	/* Without interrupt remapping the destination field is 8 bits. */
	if (dest > 0xff)
		return (ENXIO);
	if (nioapics == 0)
		return (ENXIO);
	ih = malloc(sizeof(*ih), M_IOAPIC, M_WAITOK | M_ZERO);
	ih->ih_filter = filter;
	ih->ih_arg = arg;
	ih->ih_name = name;
	mtx_lock_spin(&ioapic_mtx);
	if ((ip = ioapic_find_pin(gsi)) == NULL) {
		error = ENXIO;
		goto out;
	}
	if (ip->ip_nhandlers > 0) {
		/* Only a level line can be shared without losing edges. */
		if (ip->ip_trigger != trig || ip->ip_polarity != pol ||
		    trig != INTR_TRIGGER_LEVEL)
			error = EBUSY;
		else if (ip->ip_nhandlers == IOAPIC_MAX_HANDLERS)
			error = ENOSPC;
		if (error != 0)
			goto out;
	} else {
		if (ip->ip_vector == 0 &&
		    (error = intr_alloc_vector(ioapic_intr, ip,
		    &ip->ip_vector)) != 0)
			goto out;
		ip->ip_trigger = trig;
		ip->ip_polarity = pol;
		ip->ip_stray_run = 0;
		ip->ip_storm_masked = false;
	}
	ih->ih_pin = ip;
	ip->ip_handlers[ip->ip_nhandlers++] = ih;
	if (ip->ip_nhandlers == 1)
		ioapic_write_rte(ip->ip_io, ip->ip_pin, ioapic_rte_encode(
		    ip->ip_vector, dest, trig, pol, false));
	*cookiep = ih;
out:
	mtx_unlock_spin(&ioapic_mtx);
	if (error != 0)
		free(ih, M_IOAPIC);
	return (error);
}

int
ioapic_setup_pci_intr(u_int irq, const char *name, driver_filter_t *filter,
    void *arg, void **cookiep)
{
	enum intr_trigger trig;
	enum intr_polarity pol;
	uint32_t gsi;

	/*
	 * PC firmware writes the ISA IRQ the function's INTx line is wired
	 * to; 0 (the timer) and 255 mean it routed none.
	 */
	if (irq == 0 || irq >= ISA_NIRQ)
		return (ENXIO);
	intr_route_isa(madt_intr_get(), irq, true, &gsi, &trig, &pol);
	return (ioapic_setup_intr(gsi, trig, pol, name, filter, arg, cookiep));
}

int
ioapic_teardown_intr(void *cookie)
{
	struct ioapic_handler *ih = cookie;
	struct ioapic_pin *ip;
	int i;

	if (ih == NULL)
		return (EINVAL);
	mtx_lock_spin(&ioapic_mtx);
	ip = ih->ih_pin;
	for (i = 0; i < ip->ip_nhandlers; i++)
		if (ip->ip_handlers[i] == ih)
			break;
	if (i == ip->ip_nhandlers) {
		mtx_unlock_spin(&ioapic_mtx);
		return (ENOENT);
	}
	for (; i + 1 < ip->ip_nhandlers; i++)
		ip->ip_handlers[i] = ip->ip_handlers[i + 1];
	ip->ip_nhandlers--;
	if (ip->ip_nhandlers == 0)
		ioapic_set_mask(ip, true);
	mtx_unlock_spin(&ioapic_mtx);
	free(ih, M_IOAPIC);
	return (0);
}

int
ioapic_unmask_gsi(uint32_t gsi)
{
	struct ioapic_pin *ip;
	int error = 0;

	if (nioapics == 0)
		return (ENXIO);
	mtx_lock_spin(&ioapic_mtx);
	if ((ip = ioapic_find_pin(gsi)) == NULL)
		error = ENXIO;
	else if (ip->ip_nhandlers == 0)
		error = ENOENT;
	else {
		ip->ip_storm_masked = false;
		ip->ip_stray_run = 0;
		ioapic_set_mask(ip, false);
	}
	mtx_unlock_spin(&ioapic_mtx);
	return (error);
}

int
ioapic_gsi_stats(uint32_t gsi, struct ioapic_gsi_stats *st)
{
	struct ioapic_pin *ip;

	memset(st, 0, sizeof(*st));
	if (nioapics == 0)
		return (ENXIO);
	mtx_lock_spin(&ioapic_mtx);
	if ((ip = ioapic_find_pin(gsi)) == NULL) {
		mtx_unlock_spin(&ioapic_mtx);
		return (ENXIO);
	}
	st->ig_rte = ioapic_read_rte(ip->ip_io, ip->ip_pin);
	st->ig_vector = ip->ip_vector;
	st->ig_handlers = (u_int)ip->ip_nhandlers;
	st->ig_count = ip->ip_count;
	st->ig_strays = ip->ip_strays;
	st->ig_storm_masked = ip->ip_storm_masked;
	mtx_unlock_spin(&ioapic_mtx);
	return (0);
}

int
ioapic_count(void)
{
	return (nioapics);
}

int
ioapic_get_info(int i, struct ioapic_info *ii)
{
	const struct ioapic_softc *io;

	if (i < 0 || i >= nioapics)
		return (ENOENT);
	io = ioapics[i];
	ii->ii_id = io->io_id;
	ii->ii_madt_id = io->io_madt->mi_id;
	ii->ii_addr = io->io_madt->mi_addr;
	ii->ii_gsi_base = io->io_gsi_base;
	ii->ii_npins = io->io_npins;
	return (0);
}

/* The boot report: each I/O APIC, the overrides, the pins in use. */
static bool
ioapic_report_applies(void)
{
	return (nioapics > 0);
}

static void
ioapic_report_print(void)
{
	const struct madt_intr *mt = madt_intr_get();

	for (int i = 0; i < nioapics; i++) {
		struct ioapic_softc *io = ioapics[i];

		printf("  %s: id %u at %#x, GSI %u-%u\n",
		    device_get_nameunit(io->io_dev), io->io_id,
		    io->io_madt->mi_addr, io->io_gsi_base,
		    io->io_gsi_base + io->io_npins - 1);
		for (u_int p = 0; p < io->io_npins; p++) {
			struct ioapic_gsi_stats st;

			if (ioapic_gsi_stats(io->io_gsi_base + p, &st) != 0 ||
			    st.ig_handlers == 0)
				continue;
			printf("    GSI %u: vector %u, %u handler(s), entry "
			    "%#lx, %lu interrupts, %lu stray\n",
			    io->io_gsi_base + p, st.ig_vector, st.ig_handlers,
			    (u_long)st.ig_rte, (u_long)st.ig_count,
			    (u_long)st.ig_strays);
		}
	}
	for (int i = 0; mt != NULL && i < mt->mt_noverrides; i++) {
		static const char *const trig[] = { "conforming", "edge",
		    "level" };
		static const char *const pol[] = { "conforming", "high",
		    "low" };
		const struct madt_override *mo = &mt->mt_overrides[i];

		printf("  override: IRQ %u -> GSI %u, %s, %s\n", mo->mo_irq,
		    mo->mo_gsi, trig[mo->mo_trigger], pol[mo->mo_polarity]);
	}
}
BOOT_REPORT(ioapic_boot_report, "ioapic", ioapic_report_applies,
    ioapic_report_print);

/* Devices */

static void
ioapic_identify(driver_t *driver __unused, device_t parent)
{
	const struct madt_intr *mt;

	if (device_find_child(parent, "ioapic", -1) != NULL ||
	    (mt = madt_intr_get()) == NULL)
		return;
	mtx_init(&ioapic_mtx, "ioapic", NULL, MTX_SPIN);
	for (int i = 0; i < mt->mt_nioapics; i++) {
		device_t child = device_add_child_ordered(parent,
		    IOAPIC_ORDER, "ioapic", i);

		device_set_ivars(child,
		    (void *)(uintptr_t)&mt->mt_ioapics[i]);
	}
}

static int
ioapic_probe(device_t dev)
{
	return (device_get_ivars(dev) != NULL ? BUS_PROBE_GENERIC : ENXIO);
}

static int
ioapic_attach(device_t dev)
{
	const struct madt_ioapic *mi = device_get_ivars(dev);
	struct ioapic_softc *io = device_get_softc(dev);
	bus_space_handle_t h;
	uint32_t ver;
	char desc[80];
	int error;

	if ((error = bus_space_map(BUS_SPACE_TAG_MEM, mi->mi_addr,
	    IOAPIC_WINDOW_SIZE, &h)) != 0) {
		device_printf(dev, "cannot map registers at %#x\n",
		    mi->mi_addr);
		return (error);
	}
	io->io_dev = dev;
	io->io_madt = mi;
	io->io_regs = (volatile uint32_t *)(uintptr_t)h;
	io->io_gsi_base = mi->mi_gsi_base;
	mtx_lock_spin(&ioapic_mtx);
	ver = ioapic_read(io, IOAPIC_VER);
	io->io_id = (ioapic_read(io, IOAPIC_ID) >> 24) & 0xf;
	/*
	 * The ID is the operating system's to program where firmware left it
	 * unset: some platforms describe one ID in the MADT and reset the
	 * register to another (0).  The tables are what the OS goes by.
	 */
	if (ver != 0xffffffffU && io->io_id != (mi->mi_id & 0xfU)) {
		u_int was = io->io_id;

		ioapic_write(io, IOAPIC_ID, (mi->mi_id & 0xfU) << 24);
		io->io_id = (ioapic_read(io, IOAPIC_ID) >> 24) & 0xf;
		mtx_unlock_spin(&ioapic_mtx);
		device_printf(dev, "ID register %u, MADT %u: set to %u\n", was,
		    mi->mi_id, io->io_id);
		mtx_lock_spin(&ioapic_mtx);
	}
	mtx_unlock_spin(&ioapic_mtx);
	io->io_npins = MIN(((ver >> 16) & 0xff) + 1, IOAPIC_MAX_PINS);
	/* A window of all ones is no I/O APIC. */
	if (ver == 0xffffffffU) {
		device_printf(dev, "no I/O APIC at %#x\n", mi->mi_addr);
		return (ENXIO);
	}
	for (int i = 0; i < nioapics; i++) {
		struct ioapic_softc *o = ioapics[i];

		if (io->io_gsi_base < o->io_gsi_base + o->io_npins &&
		    o->io_gsi_base < io->io_gsi_base + io->io_npins) {
			device_printf(dev, "GSIs %u-%u overlap %s's\n",
			    io->io_gsi_base, io->io_gsi_base + io->io_npins - 1,
			    device_get_nameunit(o->io_dev));
			return (EEXIST);
		}
	}
	io->io_pins = malloc(sizeof(*io->io_pins) * io->io_npins, M_IOAPIC,
	    M_WAITOK | M_ZERO);
	/*
	 * The 8259s must stay silent once the I/O APIC routes the ISA lines
	 * (the local APIC code masks them too, but not every platform runs
	 * it).
	 */
	outb(PIC_MASTER_IMR, 0xff);
	outb(PIC_SLAVE_IMR, 0xff);
	mtx_lock_spin(&ioapic_mtx);
	for (u_int p = 0; p < io->io_npins; p++) {
		io->io_pins[p].ip_io = io;
		io->io_pins[p].ip_pin = p;
		io->io_pins[p].ip_gsi = io->io_gsi_base + p;
		ioapic_write_rte(io, p, IOART_INTMSET);
	}
	ioapics[nioapics++] = io;
	mtx_unlock_spin(&ioapic_mtx);
	snprintf(desc, sizeof(desc), "I/O APIC id %u, version %#x, GSI %u-%u",
	    io->io_id, ver & 0xff, io->io_gsi_base,
	    io->io_gsi_base + io->io_npins - 1);
	device_set_desc_copy(dev, desc);
	device_printf(dev, "%s, all pins masked\n", desc);
	return (0);
}

/* Pins hold vectors and handlers of other devices: an I/O APIC stays. */
static int
ioapic_detach(device_t dev __unused)
{
	return (EBUSY);
}

static const struct device_method ioapic_methods[] = {
	DEVMETHOD(device_identify, ioapic_identify),
	DEVMETHOD(device_probe, ioapic_probe),
	DEVMETHOD(device_attach, ioapic_attach),
	DEVMETHOD(device_detach, ioapic_detach),
	DEVMETHOD_END
};

static driver_t ioapic_driver = {
	"ioapic", ioapic_methods, sizeof(struct ioapic_softc)
};
DRIVER_MODULE(ioapic, nexus, ioapic_driver, NULL, NULL);
