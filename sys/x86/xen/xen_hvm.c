/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Xen HVM guests (a device model in dom0, as on EC2's Xen instances): what
 * differs from PVH.  Both enter through the PVH entry point (xl's PVH
 * builder, or QEMU's PVH loader after hvmloader and SeaBIOS), so the entry
 * cannot tell them apart.  What only HVM has is the emulated PC platform:
 * Xen emulates the RTC for every HVM guest and for no PVH domU, and an
 * unemulated port reads as all ones.  RTC register D reads 0x80 on a real
 * RTC (valid-RAM-and-time set, the other bits reserved as zero) and 0xff
 * where nothing answers.  A dom0 reaches the real RTC, so the test is for
 * domUs only (a dom0 is never HVM).
 *
 * HVM brings legacy devices PVH lacks: the firmware leaves the 8259s
 * running (the PIT on IRQ 0, delivered at vector 8 through LINT0 in
 * virtual-wire mode), so they are masked before interrupts are first
 * enabled; and QEMU's emulated IDE disks and NICs, which the unplug
 * protocol of the Xen platform device (fixed I/O ports 0x10-0x13) removes
 * before any driver could claim them, so that the PV disk and NIC are the
 * only view of the guest's disks and vifs.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include <x86/xen/xen_hvm.h>

#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xen/hvm/pvdrivers.h>
#include <xen/xen_guest.h>

#define RTC_INDEX		0x70
#define RTC_DATA		0x71
#define RTC_REG_D		0x0d
#define RTC_REG_D_VRT		0x80

#define PIC_MASTER_IMR		0x21
#define PIC_SLAVE_IMR		0xa1

/*
 * The platform device's fixed ports (Xen's docs/misc/hvm-emulated-unplug:
 * not part of the public headers).  16-bit reads of 0x10 give the magic;
 * 8-bit reads of 0x12 the protocol version; the product id is written to
 * 0x12 (16 bits), the build number to 0x10 (32 bits), the unplug mask to
 * 0x10 (16 bits).
 */
#define UNPLUG_PORT_MAGIC	0x10
#define UNPLUG_PORT_PROTOVER	0x12
#define UNPLUG_MAGIC		0x49d2
#define UNPLUG_BUILD		1

struct xen_hvm_unplug	xen_hvm_unplug;

static int	xen_unplug_mask = XEN_UNPLUG_IDE_DISKS | XEN_UNPLUG_NICS;
TUNABLE_INT("xen.unplug", &xen_unplug_mask,
    "HVM: emulated devices to unplug (1 IDE disks, 2 NICs, 4 secondary "
    "IDE disks; default 3, 0 keeps them)");

bool
xen_hvm_detect(const struct bootinfo *bi)
{
	uint8_t d;

	if ((bi->loader_flags & SIF_INITDOMAIN) != 0)
		return (false);
	outb(RTC_INDEX, RTC_REG_D);
	d = inb(RTC_DATA);
	return (d == RTC_REG_D_VRT);
}

void
xen_hvm_early(void)
{
	outb(PIC_MASTER_IMR, 0xff);
	outb(PIC_SLAVE_IMR, 0xff);
}

/* Our product id: the "experimental" entry of Xen's list. */
static uint16_t
unplug_product(void)
{
#define PRODUCT_ENTRY(name, id)	{ name, id },
	static const struct {
		const char	*name;
		uint16_t	id;
	} products[] = { PVDRIVERS_PRODUCT_LIST(PRODUCT_ENTRY) };
#undef PRODUCT_ENTRY

	for (size_t i = 0; i < nitems(products); i++) {
		if (strcmp(products[i].name, "experimental") == 0)
			return (products[i].id);
	}
	return (0);
}

int
xen_hvm_unplug_run(int mask)
{
	struct xen_hvm_unplug *u = &xen_hvm_unplug;

	u->magic_seen = inw(UNPLUG_PORT_MAGIC) == UNPLUG_MAGIC;
	if (!u->magic_seen)
		return (ENXIO);		/* no platform device */
	u->protocol = inb(UNPLUG_PORT_PROTOVER);
	if (u->protocol != 1)
		return (EPROTONOSUPPORT);
	/* The host may refuse this product/build: it then hides the magic. */
	outw(UNPLUG_PORT_PROTOVER, unplug_product());
	outl(UNPLUG_PORT_MAGIC, UNPLUG_BUILD);
	if (inw(UNPLUG_PORT_MAGIC) != UNPLUG_MAGIC) {
		u->blacklisted = true;
		return (EPERM);
	}
	outw(UNPLUG_PORT_MAGIC, (uint16_t)mask);
	u->mask = (u_int)mask;
	u->done = true;
	return (0);
}

/* Before the device tree (SI_SUB_CONFIGURE): nothing can claim them yet. */
static void
xen_hvm_unplug_init(void *arg __unused)
{
	int error;

	if (!xen_guest.hvm)
		return;
	if ((xen_unplug_mask & ~XEN_UNPLUG_VALID) != 0) {
		printf("xen: xen.unplug=%#x has unknown bits; using %#x\n",
		    xen_unplug_mask, xen_unplug_mask & XEN_UNPLUG_VALID);
		xen_unplug_mask &= XEN_UNPLUG_VALID;
	}
	if (xen_unplug_mask == 0) {
		printf("xen: HVM: emulated devices kept (xen.unplug=0)\n");
		return;
	}
	error = xen_hvm_unplug_run(xen_unplug_mask);
	if (error != 0)
		printf("xen: HVM: unplug not done (%s)\n",
		    error == ENXIO ? "no platform device" :
		    error == EPERM ? "refused by the host" :
		    "unknown protocol version");
	else
		printf("xen: HVM: emulated devices unplugged (mask %#x, "
		    "protocol %u)\n", xen_hvm_unplug.mask,
		    xen_hvm_unplug.protocol);
}
SYSINIT(xen_hvm_unplug, SI_SUB_HYPERVISOR, SI_ORDER_FIRST, xen_hvm_unplug_init,
    NULL);
