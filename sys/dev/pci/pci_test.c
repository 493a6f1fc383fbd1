/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The PCI bus against devices QEMU documents (docs/specs/edu.txt,
 * pci-testdev.txt, pci-ids.txt): the boot tests add "-device edu" and
 * "-device pci-testdev,membar=SIZE" and say so with ktest.pci_qemu=1 and
 * ktest.pci_membar=SIZE; then a missing device fails instead of skipping.
 * The references are the documents and the devices' own registers (edu
 * computes factorials and inverts words; pci-testdev counts the writes
 * its tests ask for), never our own tables.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/rman.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

#include "pci_test.h"

static int	pci_qemu_devices;
TUNABLE_INT("ktest.pci_qemu", &pci_qemu_devices,
    "the boot added QEMU's edu and pci-testdev devices (their ktests fail "
    "without them)");
static u_long	pci_membar;
TUNABLE_ULONG("ktest.pci_membar", &pci_membar,
    "size given to pci-testdev's membar= (its 64-bit BAR 2)");
static int	pci_bridge_expected;
TUNABLE_INT("ktest.pci_bridge", &pci_bridge_expected,
    "the boot put a pci-testdev behind a PCI-PCI bridge");

#define PCITEST_VENDOR	0x1b36		/* pci-ids.txt: Red Hat, Inc. */
#define PCITEST_DEVICE	0x0005		/* pci-ids.txt: pci-testdev */

/* pci-testdev.txt: the header at the start of BAR 0 and BAR 1. */
#define PT_TEST		0
#define PT_WIDTH_TYPE	1
#define PT_OFFSET	4
#define PT_DATA		8
#define PT_COUNT	12
#define PT_NAME		16

int
pci_test_want(struct ktest_ctx *ktest_ctx, uint16_t vendor, uint16_t device,
    device_t *devp)
{
	*devp = pci_find_device(vendor, device);
	if (*devp != NULL)
		return (0);
	if (pci_qemu_devices)
		ktest_set_result(ktest_ctx, KTEST_FAIL, "no %04x:%04x on any "
		    "PCI bus, yet the boot added it", vendor, device);
	else
		ktest_set_result(ktest_ctx, KTEST_SKIP, "no %04x:%04x (boot "
		    "with -device edu -device pci-testdev and "
		    "ktest.pci_qemu=1)", vendor, device);
	return (ENOENT);
}

/* The host bridge is at 0:0.0 on both i440FX and Q35. */
KTEST(pci_host_bridge)
{
	device_t d = pci_find_bsf(0, 0, 0);

	if (d == NULL && !pci_qemu_devices)
		KT_SKIP("no PCI bus");
	KT_ASSERT(d != NULL, "no function at 0:0.0");
	KT_ASSERT(pci_get_class(d) == PCIC_BRIDGE &&
	    pci_get_subclass(d) == PCIS_BRIDGE_HOST,
	    "0:0.0 is class %02x/%02x, not a host bridge", pci_get_class(d),
	    pci_get_subclass(d));
	KT_ASSERT(pci_get_vendor(d) == 0x8086, "host bridge vendor %#x",
	    pci_get_vendor(d));
	/* The same identity straight from configuration space. */
	KT_ASSERT(pci_read_config(d, PCIR_VENDOR, 4) ==
	    ((uint32_t)pci_get_device(d) << 16 | pci_get_vendor(d)),
	    "config space says %#x", pci_read_config(d, PCIR_VENDOR, 4));
	KT_NOTE("%04x:%04x", pci_get_vendor(d), pci_get_device(d));
}

/* edu.txt: ID 1234:11e8, region 0 is 1 MB of memory, INTx and MSI. */
KTEST(pci_edu_identity)
{
	const struct pci_bar *b;
	device_t d;
	int cap;

	if (pci_test_want(ktest_ctx, EDU_VENDOR, EDU_DEVICE, &d) != 0)
		return;
	b = pci_get_bar(d, 0);
	KT_ASSERT(b != NULL && b->pb_type == SYS_RES_MEMORY, "BAR 0 not memory");
	KT_ASSERT(b->pb_size == 1024 * 1024, "BAR 0 is %#lx bytes, edu.txt "
	    "says 1 MB", (u_long)b->pb_size);
	KT_ASSERT(!b->pb_64bit, "BAR 0 64-bit");
	for (int i = 1; i < PCI_MAXBARS; i++)
		KT_ASSERT(pci_get_bar(d, i) != NULL &&
		    pci_get_bar(d, i)->pb_size == 0, "BAR %d implemented", i);
	KT_ASSERT(pci_find_cap(d, PCIY_MSI, &cap) == 0, "no MSI capability");
	KT_ASSERT(cap >= PCI_CAP_FIRST && (pci_read_config(d, cap, 1) ==
	    PCIY_MSI), "MSI capability at %#x reads id %#x", cap,
	    pci_read_config(d, cap, 1));
	KT_ASSERT(pci_find_cap(d, PCIY_MSIX, NULL) == ENOENT,
	    "edu has no MSI-X, yet one was found");
	KT_ASSERT(pci_get_intpin(d) == 1, "interrupt pin %u, want INTA",
	    pci_get_intpin(d));
	KT_ASSERT(pci_get_irq(d) != 0 && pci_get_irq(d) != PCI_INVALID_IRQ,
	    "firmware routed no interrupt line (%u)", pci_get_irq(d));
	KT_NOTE("at %u:%u.%u, BAR 0 %#lx, MSI cap at %#x, irq %u",
	    pci_get_bus(d), pci_get_slot(d), pci_get_function(d),
	    (u_long)b->pb_base, cap, pci_get_irq(d));
}

/*
 * The BAR still holds the firmware's address after sizing (else nothing
 * would answer there), and the device computes through it.
 */
KTEST(pci_edu_mmio)
{
	struct resource *r;
	uint32_t id, v;
	device_t d;
	int rid = PCIR_BAR(0);
	sbintime_t end;

	if (pci_test_want(ktest_ctx, EDU_VENDOR, EDU_DEVICE, &d) != 0)
		return;
	KT_ASSERT((pci_read_config(d, PCIR_BAR(0), 4) & PCIM_BAR_MEM_BASE) ==
	    pci_get_bar(d, 0)->pb_base, "BAR 0 reads %#x after sizing, was "
	    "%#lx", pci_read_config(d, PCIR_BAR(0), 4),
	    (u_long)pci_get_bar(d, 0)->pb_base);
	KT_ASSERT(pci_alloc_resource(d, SYS_RES_IOPORT, &rid, RF_ACTIVE) ==
	    NULL, "BAR 0 handed out as I/O ports");
	r = pci_alloc_resource(d, SYS_RES_MEMORY, &rid, RF_ACTIVE);
	KT_ASSERT(r != NULL, "cannot allocate BAR 0");
	KT_CHECK(pci_alloc_resource(d, SYS_RES_MEMORY, &rid, RF_ACTIVE) ==
	    NULL, "BAR 0 allocated twice");
	KT_CHECK((pci_read_config(d, PCIR_COMMAND, 2) & PCIM_CMD_MEMEN) != 0,
	    "memory decoding still off");
	id = bus_read_4(r, EDU_ID);
	KT_CHECK((id & 0xffff) == 0x00ed, "identification %#x, want "
	    "0xRRrr00ed", id);
	bus_write_4(r, EDU_LIVENESS, 0x12345678);
	v = bus_read_4(r, EDU_LIVENESS);
	KT_CHECK(v == ~0x12345678U, "liveness %#x, want %#x", v, ~0x12345678U);
	bus_write_4(r, EDU_FACTORIAL, 10);
	end = sbinuptime() + SBT_1S;
	while ((bus_read_4(r, EDU_STATUS) & EDU_STATUS_COMPUTING) != 0 &&
	    sbinuptime() < end)
		cpu_spinwait();
	v = bus_read_4(r, EDU_FACTORIAL);
	KT_CHECK(v == 3628800, "10! computed as %u", v);
	pci_enable_busmaster(d);
	KT_CHECK((pci_read_config(d, PCIR_COMMAND, 2) &
	    PCIM_CMD_BUSMASTEREN) != 0, "bus master not enabled");
	pci_disable_busmaster(d);
	KT_CHECK((pci_read_config(d, PCIR_COMMAND, 2) &
	    PCIM_CMD_BUSMASTEREN) == 0, "bus master not disabled");
	KT_CHECK(pci_release_resource(d, SYS_RES_MEMORY, rid, r) == 0,
	    "release failed");
	KT_NOTE_OK("id %#x", id);
}

/*
 * pci-testdev.txt: BAR 0 and 1 (one memory, one I/O, up to 4 KB) run
 * numbered tests: each names a width, an offset and a value to write
 * there, and counts the writes.  BAR 2 is 64-bit memory of membar= bytes.
 */
KTEST(pci_testdev_bars)
{
	const struct pci_bar *b0, *b1, *b2;
	device_t d;

	if (pci_test_want(ktest_ctx, PCITEST_VENDOR, PCITEST_DEVICE, &d) != 0)
		return;
	b0 = pci_get_bar(d, 0);
	b1 = pci_get_bar(d, 1);
	b2 = pci_get_bar(d, 2);
	KT_ASSERT(b0 != NULL && b1 != NULL && b2 != NULL, "no BARs 0-2");
	KT_ASSERT(b0->pb_type != b1->pb_type, "BARs 0 and 1 both of type %d",
	    b0->pb_type);
	for (int i = 0; i < 2; i++) {
		const struct pci_bar *b = i == 0 ? b0 : b1;

		KT_ASSERT(b->pb_size > 0 && b->pb_size <= 4096 &&
		    (b->pb_size & (b->pb_size - 1)) == 0,
		    "BAR %d size %#lx", i, (u_long)b->pb_size);
	}
	if (pci_membar == 0 && b2->pb_size == 0)
		KT_SKIP("no membar= (BAR 2 off)");
	KT_ASSERT(b2->pb_type == SYS_RES_MEMORY && b2->pb_64bit,
	    "BAR 2 is not 64-bit memory");
	KT_ASSERT(pci_membar == 0 || b2->pb_size == pci_membar,
	    "BAR 2 is %#lx bytes, membar= said %#lx", (u_long)b2->pb_size,
	    pci_membar);
	/* Its upper half is BAR 3's register, not a BAR of its own. */
	KT_ASSERT(pci_get_bar(d, 3)->pb_size == 0, "BAR 3 decoded as a BAR");
	KT_NOTE("BAR 0 %s %#lx, BAR 1 %s %#lx, BAR 2 mem64%s %#lx at %#lx",
	    b0->pb_type == SYS_RES_IOPORT ? "io" : "mem", (u_long)b0->pb_size,
	    b1->pb_type == SYS_RES_IOPORT ? "io" : "mem", (u_long)b1->pb_size,
	    b2->pb_prefetch ? " prefetchable" : "", (u_long)b2->pb_size,
	    (u_long)b2->pb_base);
}

/* Runs test 0 of one BAR: its write must be counted once. */
static int
pci_testdev_run(device_t d, int type, char *name, size_t namelen)
{
	const struct pci_bar *b;
	struct resource *r;
	uint32_t off, data, before, after;
	int rid, error = 0;
	uint8_t wt;

	for (rid = PCIR_BAR(0); rid <= PCIR_BAR(1); rid += 4) {
		b = pci_get_bar(d, PCI_RID2BAR(rid));
		if (b != NULL && b->pb_type == type)
			break;
	}
	if (rid > PCIR_BAR(1))
		return (ENOENT);
	if ((r = pci_alloc_resource(d, type, &rid, RF_ACTIVE)) == NULL)
		return (ENXIO);
	bus_write_1(r, PT_TEST, 0);
	wt = bus_read_1(r, PT_WIDTH_TYPE);
	off = bus_read_4(r, PT_OFFSET);
	data = bus_read_4(r, PT_DATA);
	for (size_t i = 0; i + 1 < namelen; i++) {
		name[i] = (char)bus_read_1(r, PT_NAME + i);
		name[i + 1] = '\0';
		if (name[i] == '\0')
			break;
	}
	before = bus_read_4(r, PT_COUNT);
	if ((wt != 1 && wt != 2 && wt != 4) || off + wt > r->r_size)
		error = EINVAL;
	else {
		if (wt == 1)
			bus_write_1(r, off, (uint8_t)data);
		else if (wt == 2)
			bus_write_2(r, off, (uint16_t)data);
		else
			bus_write_4(r, off, data);
		after = bus_read_4(r, PT_COUNT);
		if (after != before + 1)
			error = EIO;
	}
	(void)pci_release_resource(d, type, rid, r);
	return (error);
}

KTEST(pci_testdev_io)
{
	char mname[32], pname[32];
	device_t d;
	int e;

	if (pci_test_want(ktest_ctx, PCITEST_VENDOR, PCITEST_DEVICE, &d) != 0)
		return;
	e = pci_testdev_run(d, SYS_RES_MEMORY, mname, sizeof(mname));
	KT_ASSERT(e == 0, "memory BAR test 0: error %d", e);
	e = pci_testdev_run(d, SYS_RES_IOPORT, pname, sizeof(pname));
	KT_ASSERT(e == 0, "I/O BAR test 0: error %d", e);
	KT_ASSERT((pci_read_config(d, PCIR_COMMAND, 2) &
	    (PCIM_CMD_PORTEN | PCIM_CMD_MEMEN)) ==
	    (PCIM_CMD_PORTEN | PCIM_CMD_MEMEN), "decoding not enabled");
	KT_NOTE("memory test 0 \"%s\", I/O test 0 \"%s\": each write counted",
	    mname, pname);
}

/* The boot put a pci-testdev behind a PCI-PCI bridge (ktest.pci_bridge=1). */
KTEST(pci_bridge_secondary)
{
	device_t d, bus, bridge;
	u_int sec;

	if (!pci_bridge_expected)
		KT_SKIP("no bridge in this boot (ktest.pci_bridge=1)");
	d = pci_find_device(PCITEST_VENDOR, PCITEST_DEVICE);
	KT_ASSERT(d != NULL, "no pci-testdev");
	KT_ASSERT(pci_get_bus(d) != 0, "pci-testdev on bus 0, not behind the "
	    "bridge");
	bus = device_get_parent(d);
	bridge = device_get_parent(bus);
	KT_ASSERT(strcmp(device_get_name(bridge), "pcib") == 0 &&
	    device_get_ivars(bridge) != NULL, "parent of its bus is %s",
	    device_get_nameunit(bridge));
	sec = pci_read_config(bridge, PCIR_SECBUS_1, 1);
	KT_ASSERT(sec == pci_get_bus(d), "bridge's secondary bus %u, device "
	    "on bus %u", sec, pci_get_bus(d));
	KT_ASSERT(pci_get_class(bridge) == PCIC_BRIDGE &&
	    pci_get_subclass(bridge) == PCIS_BRIDGE_PCI, "bridge class "
	    "%02x/%02x", pci_get_class(bridge), pci_get_subclass(bridge));
	/* Its registers answer through the bridge. */
	KT_ASSERT(pci_testdev_run(d, SYS_RES_MEMORY, (char[8]){ 0 }, 8) == 0,
	    "memory test behind the bridge failed");
	KT_NOTE("%s at %u:%u.%u, pci-testdev at %u:%u.%u",
	    device_get_nameunit(bridge), pci_get_bus(bridge),
	    pci_get_slot(bridge), pci_get_function(bridge), pci_get_bus(d),
	    pci_get_slot(d), pci_get_function(d));
}
