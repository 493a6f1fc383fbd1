/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The PCI bus ("pciN"): one instance per bus number, made by the bridge
 * above it, which also gives it configuration space (pcib_if.h).  Attach
 * scans the 32 slots (the 8 functions of multi-function devices), reads
 * each function's identity, sizes its BARs and walks its capabilities, and
 * gives it an unnamed child so drivers claim it by ID.  Everything read
 * from a device is bounded before use: the scan by the geometry, BAR
 * sizes by pci_bar_decode(), the capability list by pci_cap_list().
 *
 * Like the rest of the tree, buses are attached from thread context one
 * at a time; configuration cycles themselves are serialised by the host
 * bridge.
 */
#include <sys/param.h>
#include <sys/bootreport.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/rman.h>
#include <sys/systm.h>

#include <dev/pci/pcib_if.h>
#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

MALLOC_DEFINE(M_PCI, "pci", "PCI bus");

static int	pci_report;
TUNABLE_INT("pci.report", &pci_report,
    "print a pciconf-like line per PCI function as the bus attaches");

static uint32_t	pci_buses_claimed[(PCI_BUSMAX + 1) / 32];

bool
pci_bus_claim(u_int bus)
{
	if (bus > PCI_BUSMAX ||
	    (pci_buses_claimed[bus / 32] & (1U << (bus % 32))) != 0)
		return (false);
	pci_buses_claimed[bus / 32] |= 1U << (bus % 32);
	return (true);
}

/* The bus number of a "pci" device, which its bridge put in its ivars. */
static u_int
pci_busno(device_t bus)
{
	return ((u_int)(uintptr_t)device_get_ivars(bus));
}

static uint32_t
pci_bus_read(device_t bus, u_int s, u_int f, u_int reg, int w)
{
	return (PCIB_READ_CONFIG(device_get_parent(bus), pci_busno(bus), s, f,
	    reg, w));
}

static void
pci_bus_write(device_t bus, u_int s, u_int f, u_int reg, uint32_t v, int w)
{
	PCIB_WRITE_CONFIG(device_get_parent(bus), pci_busno(bus), s, f, reg,
	    v, w);
}

static struct pci_devinfo *
dinfo_of(device_t child)
{
	struct pci_devinfo *pd = device_get_ivars(child);

	KASSERT(pd != NULL, ("%s is not a PCI function",
	    device_get_nameunit(child)));
	return (pd);
}

/* Configuration space of a function */

uint32_t
pci_read_config(device_t child, int reg, int width)
{
	struct pci_devinfo *pd = dinfo_of(child);

	KASSERT((width == 1 || width == 2 || width == 4) && reg >= 0 &&
	    reg + width <= PCI_REGMAX + 1 && (reg & (width - 1)) == 0,
	    ("pci_read_config: reg %#x width %d", reg, width));
	return (pci_bus_read(device_get_parent(child), pd->pd_slot,
	    pd->pd_func, (u_int)reg, width));
}

void
pci_write_config(device_t child, int reg, uint32_t val, int width)
{
	struct pci_devinfo *pd = dinfo_of(child);

	KASSERT((width == 1 || width == 2 || width == 4) && reg >= 0 &&
	    reg + width <= PCI_REGMAX + 1 && (reg & (width - 1)) == 0,
	    ("pci_write_config: reg %#x width %d", reg, width));
	pci_bus_write(device_get_parent(child), pd->pd_slot, pd->pd_func,
	    (u_int)reg, val, width);
}

static int
pci_command_change(device_t child, uint16_t set, uint16_t clear)
{
	uint16_t cmd = (uint16_t)pci_read_config(child, PCIR_COMMAND, 2);

	pci_write_config(child, PCIR_COMMAND, (cmd | set) & ~clear, 2);
	return (0);
}

int
pci_enable_busmaster(device_t child)
{
	return (pci_command_change(child, PCIM_CMD_BUSMASTEREN, 0));
}

int
pci_disable_busmaster(device_t child)
{
	return (pci_command_change(child, 0, PCIM_CMD_BUSMASTEREN));
}

static int
pci_space_bit(int space, uint16_t *bit)
{
	switch (space) {
	case SYS_RES_IOPORT:
		*bit = PCIM_CMD_PORTEN;
		return (0);
	case SYS_RES_MEMORY:
		*bit = PCIM_CMD_MEMEN;
		return (0);
	default:
		return (EINVAL);
	}
}

int
pci_enable_io(device_t child, int space)
{
	uint16_t bit;

	if (pci_space_bit(space, &bit) != 0)
		return (EINVAL);
	return (pci_command_change(child, bit, 0));
}

int
pci_disable_io(device_t child, int space)
{
	uint16_t bit;

	if (pci_space_bit(space, &bit) != 0)
		return (EINVAL);
	return (pci_command_change(child, 0, bit));
}

int
pci_find_cap(device_t child, int capability, int *capreg)
{
	struct pci_devinfo *pd = dinfo_of(child);

	for (int i = 0; i < MIN(pd->pd_ncaps, PCI_MAXCAPS); i++) {
		if (pd->pd_capid[i] == capability) {
			if (capreg != NULL)
				*capreg = pd->pd_capreg[i];
			return (0);
		}
	}
	return (ENOENT);
}

/* Identity */

#define PCI_ACCESSOR(name, type, field)					\
type									\
pci_get_##name(device_t child)						\
{									\
	return (dinfo_of(child)->field);				\
}
PCI_ACCESSOR(vendor, uint16_t, pd_vendor)
PCI_ACCESSOR(device, uint16_t, pd_device)
PCI_ACCESSOR(subvendor, uint16_t, pd_subvendor)
PCI_ACCESSOR(subdevice, uint16_t, pd_subdevice)
PCI_ACCESSOR(class, uint8_t, pd_class)
PCI_ACCESSOR(subclass, uint8_t, pd_subclass)
PCI_ACCESSOR(progif, uint8_t, pd_progif)
PCI_ACCESSOR(revid, uint8_t, pd_revid)
PCI_ACCESSOR(hdrtype, uint8_t, pd_hdrtype)
PCI_ACCESSOR(bus, uint8_t, pd_bus)
PCI_ACCESSOR(slot, uint8_t, pd_slot)
PCI_ACCESSOR(function, uint8_t, pd_func)
PCI_ACCESSOR(intpin, uint8_t, pd_intpin)
PCI_ACCESSOR(irq, uint8_t, pd_intline)
#undef PCI_ACCESSOR

const struct pci_bar *
pci_get_bar(device_t child, int bar)
{
	struct pci_devinfo *pd = dinfo_of(child);

	if (bar < 0 || bar >= pd->pd_nbars)
		return (NULL);
	return (&pd->pd_bars[bar]);
}

/* BARs as resources */

static struct pci_bar *
pci_rid_bar(struct pci_devinfo *pd, int rid)
{
	int i;

	if (rid < PCIR_BARS || (rid - PCIR_BARS) % 4 != 0)
		return (NULL);
	i = PCI_RID2BAR(rid);
	if (i >= pd->pd_nbars || pd->pd_bars[i].pb_size == 0)
		return (NULL);
	return (&pd->pd_bars[i]);
}

struct resource *
pci_alloc_resource(device_t child, int type, int *rid, u_int flags)
{
	struct pci_devinfo *pd = dinfo_of(child);
	struct pci_bar *bar = pci_rid_bar(pd, *rid);
	struct resource *r;
	int i = PCI_RID2BAR(*rid);

	if (bar == NULL || bar->pb_type != type || bar->pb_base == 0 ||
	    pd->pd_res[i] != NULL)
		return (NULL);
	r = malloc(sizeof(*r), M_PCI, M_WAITOK | M_ZERO);
	r->r_type = type;
	r->r_rid = *rid;
	r->r_start = bar->pb_base;
	r->r_size = bar->pb_size;
	r->r_bustag = type == SYS_RES_IOPORT ? BUS_SPACE_TAG_IO :
	    BUS_SPACE_TAG_MEM;
	if ((flags & RF_ACTIVE) != 0) {
		if (bus_space_map(r->r_bustag, r->r_start, r->r_size,
		    &r->r_bushandle) != 0) {
			device_printf(child, "cannot map BAR %d at %#lx\n", i,
			    (u_long)r->r_start);
			free(r, M_PCI);
			return (NULL);
		}
		r->r_active = true;
		(void)pci_enable_io(child, type);
	}
	pd->pd_res[i] = r;
	return (r);
}

int
pci_release_resource(device_t child, int type, int rid, struct resource *r)
{
	struct pci_devinfo *pd = dinfo_of(child);
	int i = PCI_RID2BAR(rid);

	if (pci_rid_bar(pd, rid) == NULL || pd->pd_res[i] != r ||
	    r->r_type != type)
		return (EINVAL);
	if (r->r_active)
		bus_space_unmap(r->r_bustag, r->r_bushandle, r->r_size);
	pd->pd_res[i] = NULL;
	free(r, M_PCI);
	return (0);
}

/* INTx */

int
pci_setup_intr(device_t child, driver_filter_t *filter, void *arg,
    void **cookiep)
{
	struct pci_devinfo *pd = dinfo_of(child);
	device_t bus = device_get_parent(child);
	int error;

	if (filter == NULL || cookiep == NULL)
		return (EINVAL);
	if (pd->pd_intpin == 0 || pd->pd_intpin > 4 ||
	    pd->pd_intline == PCI_INVALID_IRQ)
		return (ENXIO);
	error = PCIB_SETUP_INTR(device_get_parent(bus), child, pd->pd_intline,
	    pd->pd_intpin, filter, arg, cookiep);
	if (error == 0)
		(void)pci_command_change(child, 0, PCIM_CMD_INTxDIS);
	return (error);
}

int
pci_teardown_intr(device_t child, void *cookie)
{
	device_t bus = device_get_parent(child);

	return (PCIB_TEARDOWN_INTR(device_get_parent(bus), child, cookie));
}

/* Enumeration */

struct pci_cap_arg {
	device_t	bus;
	u_int		slot, func;
};

static uint8_t
pci_cap_read8(void *arg, int reg)
{
	struct pci_cap_arg *a = arg;

	return ((uint8_t)pci_bus_read(a->bus, a->slot, a->func, (u_int)reg,
	    1));
}

/*
 * Sizes the BARs with decoding off, so a half-written BAR never claims an
 * address, and puts every register back.  Host and ISA bridges are left
 * alone: turning their decoding off could cut the console or the memory
 * controller away, and their registers are not ours to move.
 */
static void
pci_size_bars(device_t bus, struct pci_devinfo *pd)
{
	u_int s = pd->pd_slot, f = pd->pd_func;
	uint16_t cmd;
	int nbars;

	if (pd->pd_class == PCIC_BRIDGE && (pd->pd_subclass ==
	    PCIS_BRIDGE_HOST || pd->pd_subclass == PCIS_BRIDGE_ISA))
		return;
	switch (pd->pd_hdrtype) {
	case PCIM_HDRTYPE_NORMAL:
		nbars = PCI_MAXBARS_NORMAL;
		break;
	case PCIM_HDRTYPE_BRIDGE:
		nbars = PCI_MAXBARS_BRIDGE;
		break;
	default:
		return;
	}
	cmd = (uint16_t)pci_bus_read(bus, s, f, PCIR_COMMAND, 2);
	pci_bus_write(bus, s, f, PCIR_COMMAND,
	    cmd & ~(PCIM_CMD_PORTEN | PCIM_CMD_MEMEN), 2);
	for (int i = 0; i < nbars;) {
		u_int reg = PCIR_BAR(i);
		uint32_t orig, sized, orig_hi = 0, sized_hi = 0;
		bool is64;
		int used;

		orig = pci_bus_read(bus, s, f, reg, 4);
		is64 = (orig & PCIM_BAR_SPACE) == PCIM_BAR_MEM_SPACE &&
		    (orig & PCIM_BAR_MEM_TYPE) == PCIM_BAR_MEM_64 &&
		    i + 1 < nbars;
		pci_bus_write(bus, s, f, reg, 0xffffffffU, 4);
		sized = pci_bus_read(bus, s, f, reg, 4);
		pci_bus_write(bus, s, f, reg, orig, 4);
		if (is64) {
			orig_hi = pci_bus_read(bus, s, f, reg + 4, 4);
			pci_bus_write(bus, s, f, reg + 4, 0xffffffffU, 4);
			sized_hi = pci_bus_read(bus, s, f, reg + 4, 4);
			pci_bus_write(bus, s, f, reg + 4, orig_hi, 4);
		}
		used = pci_bar_decode(orig, sized, orig_hi, sized_hi,
		    &pd->pd_bars[i]);
		/* A 64-bit type in the last register has no upper half. */
		if (used == 2 && !is64)
			used = -1;
		if (used < 0) {
			printf("pci%u:%u:%u: BAR %d malformed (%#x read back "
			    "%#x), ignored\n", pd->pd_bus, s, f, i, orig,
			    sized);
			memset(&pd->pd_bars[i], 0, sizeof(pd->pd_bars[i]));
			used = 1;
		}
		i += used;
	}
	pci_bus_write(bus, s, f, PCIR_COMMAND, cmd, 2);
	pd->pd_nbars = nbars;
}

static struct pci_devinfo *
pci_read_function(device_t bus, u_int s, u_int f)
{
	struct pci_devinfo *pd;
	struct pci_cap_arg ca = { bus, s, f };
	uint32_t id = pci_bus_read(bus, s, f, PCIR_VENDOR, 4);
	uint32_t cl = pci_bus_read(bus, s, f, PCIR_REVID, 4);
	uint16_t status;

	pd = malloc(sizeof(*pd), M_PCI, M_WAITOK | M_ZERO);
	pd->pd_bus = (uint8_t)pci_busno(bus);
	pd->pd_slot = (uint8_t)s;
	pd->pd_func = (uint8_t)f;
	pd->pd_vendor = (uint16_t)id;
	pd->pd_device = (uint16_t)(id >> 16);
	pd->pd_revid = (uint8_t)cl;
	pd->pd_progif = (uint8_t)(cl >> 8);
	pd->pd_subclass = (uint8_t)(cl >> 16);
	pd->pd_class = (uint8_t)(cl >> 24);
	pd->pd_hdrtype = (uint8_t)pci_bus_read(bus, s, f, PCIR_HDRTYPE, 1) &
	    PCIM_HDRTYPE;
	if (pd->pd_hdrtype == PCIM_HDRTYPE_NORMAL) {
		pd->pd_subvendor = (uint16_t)pci_bus_read(bus, s, f,
		    PCIR_SUBVEND_0, 2);
		pd->pd_subdevice = (uint16_t)pci_bus_read(bus, s, f,
		    PCIR_SUBDEV_0, 2);
	}
	pd->pd_intline = (uint8_t)pci_bus_read(bus, s, f, PCIR_INTLINE, 1);
	pd->pd_intpin = (uint8_t)pci_bus_read(bus, s, f, PCIR_INTPIN, 1);
	pci_size_bars(bus, pd);
	status = (uint16_t)pci_bus_read(bus, s, f, PCIR_STATUS, 2);
	if ((status & PCIM_STATUS_CAPPRESENT) != 0 &&
	    (pd->pd_hdrtype == PCIM_HDRTYPE_NORMAL ||
	    pd->pd_hdrtype == PCIM_HDRTYPE_BRIDGE)) {
		pd->pd_ncaps = pci_cap_list(pci_cap_read8, &ca, PCIR_CAP_PTR,
		    pd->pd_capid, pd->pd_capreg, PCI_MAXCAPS);
		if (pd->pd_ncaps < 0)
			printf("pci%u:%u:%u: capability list malformed "
			    "(error %d), using none\n", pd->pd_bus, s, f,
			    -pd->pd_ncaps);
	}
	return (pd);
}

static const char *const pci_class_names[] = {
	"old", "mass storage", "network", "display", "multimedia", "memory",
	"bridge", "simple comms", "base peripheral", "input device", "docking",
	"processor", "serial bus", "wireless", "intelligent io", "satellite",
	"encrypt/decrypt", "dasp", "accelerator", "instrumentation",
};

const char *
pci_class_name(uint8_t class)
{
	if (class < nitems(pci_class_names))
		return (pci_class_names[class]);
	return (class == 0xff ? "unassigned" : "unknown");
}

/* Functions no driver took are "noneN", numbered as they are printed. */
static void
pci_print_function(device_t child, bool verbose, int *nonep)
{
	struct pci_devinfo *pd = dinfo_of(child);
	const char *name = device_get_name(child);
	bool attached = name != NULL && device_is_attached(child);

	printf("%s%d@pci0:%u:%u:%u:\tclass=0x%02x%02x%02x rev=0x%02x "
	    "hdr=0x%02x vendor=0x%04x device=0x%04x subvendor=0x%04x "
	    "subdevice=0x%04x\n", attached ? name : "none",
	    attached ? device_get_unit(child) : (*nonep)++, pd->pd_bus,
	    pd->pd_slot, pd->pd_func, pd->pd_class, pd->pd_subclass,
	    pd->pd_progif, pd->pd_revid, pd->pd_hdrtype, pd->pd_vendor,
	    pd->pd_device, pd->pd_subvendor, pd->pd_subdevice);
	if (!verbose)
		return;
	printf("    %s, intpin %c, irq %u", pci_class_name(pd->pd_class),
	    pd->pd_intpin >= 1 && pd->pd_intpin <= 4 ? 'A' + pd->pd_intpin - 1 :
	    '-', pd->pd_intline);
	for (int i = 0; i < MIN(pd->pd_ncaps, PCI_MAXCAPS); i++)
		printf("%s%02x@%02x", i == 0 ? ", caps " : " ",
		    pd->pd_capid[i], pd->pd_capreg[i]);
	printf("\n");
	for (int i = 0; i < pd->pd_nbars; i++) {
		const struct pci_bar *b = &pd->pd_bars[i];

		if (b->pb_size == 0)
			continue;
		printf("    bar [%02x] = type %s, range %2d, base %#lx, "
		    "size %#lx\n", PCIR_BAR(i), b->pb_type == SYS_RES_IOPORT ?
		    "I/O Port" : b->pb_prefetch ? "Prefetchable Memory" :
		    "Memory", b->pb_type == SYS_RES_IOPORT ? 32 :
		    b->pb_64bit ? 64 : 32, (u_long)b->pb_base,
		    (u_long)b->pb_size);
	}
}

static int
pci_probe(device_t dev)
{
	device_set_desc(dev, "PCI bus");
	return (BUS_PROBE_GENERIC);
}

static void
pci_add_function(device_t dev, u_int s, u_int f)
{
	struct pci_devinfo *pd = pci_read_function(dev, s, f);
	device_t child;

	child = device_add_child_ordered(dev, s * (PCI_FUNCMAX + 1) + f, NULL,
	    -1);
	device_set_ivars(child, pd);
}

static void	pci_report_bus(device_t dev, bool verbose, int *nonep);

static int
pci_attach(device_t dev)
{
	int none = 0;

	for (u_int s = 0; s <= PCI_SLOTMAX; s++) {
		uint8_t hdr;
		u_int nfunc;

		if ((uint16_t)pci_bus_read(dev, s, 0, PCIR_VENDOR, 2) ==
		    0xffff)
			continue;
		hdr = (uint8_t)pci_bus_read(dev, s, 0, PCIR_HDRTYPE, 1);
		nfunc = (hdr & PCIM_MFDEV) != 0 ? PCI_FUNCMAX + 1 : 1;
		for (u_int f = 0; f < nfunc; f++) {
			if ((uint16_t)pci_bus_read(dev, s, f, PCIR_VENDOR,
			    2) != 0xffff)
				pci_add_function(dev, s, f);
		}
	}
	bus_generic_attach(dev);
	/* Bus 0 last, so the buses behind bridges print under their bridge. */
	if (pci_report && pci_busno(dev) == 0)
		pci_report_bus(dev, bootverbose != 0, &none);
	return (0);
}

static void
pci_child_detached(device_t dev __unused, device_t child)
{
	struct pci_devinfo *pd = dinfo_of(child);

	/* A driver that forgot its BARs must not leave them to the next. */
	for (int i = 0; i < PCI_MAXBARS; i++) {
		if (pd->pd_res[i] != NULL) {
			device_printf(child, "BAR %d still allocated at "
			    "detach, released\n", i);
			(void)pci_release_resource(child,
			    pd->pd_res[i]->r_type, pd->pd_res[i]->r_rid,
			    pd->pd_res[i]);
		}
	}
}

static int
pci_print_child(device_t dev, device_t child)
{
	struct pci_devinfo *pd = dinfo_of(child);
	const char *desc = device_get_desc(child);

	return (printf("%s: <%s> at device %u.%u on %s\n",
	    device_get_nameunit(child), desc != NULL ? desc : "unknown",
	    pd->pd_slot, pd->pd_func, device_get_nameunit(dev)));
}

static const struct device_method pci_methods[] = {
	DEVMETHOD(device_probe, pci_probe),
	DEVMETHOD(device_attach, pci_attach),
	DEVMETHOD(device_detach, bus_generic_detach),
	DEVMETHOD(device_shutdown, bus_generic_shutdown),
	DEVMETHOD(bus_child_detached, pci_child_detached),
	DEVMETHOD(bus_print_child, pci_print_child),
	DEVMETHOD_END
};

static driver_t pci_driver = { "pci", pci_methods, 0 };
DRIVER_MODULE(pci, pcib, pci_driver, NULL, NULL);

/* Every function of every bus, for the boot report. */
static void
pci_report_bus(device_t dev, bool verbose, int *nonep)
{
	device_t *kids;
	int n;

	device_get_children(dev, &kids, &n);
	for (int i = 0; i < n; i++) {
		device_t *gk;
		int gn;

		if (device_get_ivars(kids[i]) == NULL)
			continue;
		pci_print_function(kids[i], verbose, nonep);
		/* A bridge's bus follows it. */
		device_get_children(kids[i], &gk, &gn);
		for (int j = 0; j < gn; j++)
			if (strcmp(device_get_name(gk[j]) != NULL ?
			    device_get_name(gk[j]) : "", "pci") == 0)
				pci_report_bus(gk[j], verbose, nonep);
		free(gk, M_TEMP);
	}
	free(kids, M_TEMP);
}

static device_t
pci_find_root_bus(void)
{
	device_t nexus, pcib;

	if (root_bus == NULL ||
	    (nexus = device_find_child(root_bus, "nexus", -1)) == NULL ||
	    (pcib = device_find_child(nexus, "pcib", -1)) == NULL)
		return (NULL);
	return (device_find_child(pcib, "pci", -1));
}

/* Depth-first over the functions of bus and the buses behind its bridges. */
static device_t
pci_walk(device_t bus, bool (*match)(struct pci_devinfo *, const void *),
    const void *arg)
{
	device_t *kids, found = NULL;
	int n;

	device_get_children(bus, &kids, &n);
	for (int i = 0; i < n && found == NULL; i++) {
		struct pci_devinfo *pd = device_get_ivars(kids[i]);
		device_t *gk;
		int gn;

		if (pd == NULL)
			continue;
		if (match(pd, arg)) {
			found = kids[i];
			break;
		}
		device_get_children(kids[i], &gk, &gn);
		for (int j = 0; j < gn && found == NULL; j++) {
			const char *gname = device_get_name(gk[j]);

			if (gname != NULL && strcmp(gname, "pci") == 0)
				found = pci_walk(gk[j], match, arg);
		}
		free(gk, M_TEMP);
	}
	free(kids, M_TEMP);
	return (found);
}

static bool
pci_match_id(struct pci_devinfo *pd, const void *arg)
{
	const uint16_t *id = arg;

	return (pd->pd_vendor == id[0] && pd->pd_device == id[1]);
}

static bool
pci_match_bsf(struct pci_devinfo *pd, const void *arg)
{
	const uint8_t *bsf = arg;

	return (pd->pd_bus == bsf[0] && pd->pd_slot == bsf[1] &&
	    pd->pd_func == bsf[2]);
}

device_t
pci_find_device(uint16_t vendor, uint16_t device)
{
	device_t bus = pci_find_root_bus();
	uint16_t id[2] = { vendor, device };

	return (bus != NULL ? pci_walk(bus, pci_match_id, id) : NULL);
}

device_t
pci_find_bsf(uint8_t b, uint8_t s, uint8_t f)
{
	device_t bus = pci_find_root_bus();
	uint8_t bsf[3] = { b, s, f };

	return (bus != NULL ? pci_walk(bus, pci_match_bsf, bsf) : NULL);
}

static bool
pci_report_applies(void)
{
	return (pci_find_root_bus() != NULL);
}

static void
pci_report_print(void)
{
	device_t bus = pci_find_root_bus();
	int none = 0;

	if (bus != NULL)
		pci_report_bus(bus, true, &none);
}
BOOT_REPORT(pci_boot_report, "pci (pciconf -lv)", pci_report_applies,
    pci_report_print);
