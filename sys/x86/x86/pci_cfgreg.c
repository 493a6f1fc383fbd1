/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Configuration mechanism #1.  A cycle is two port accesses (select the
 * register through 0xcf8, move the data through 0xcfc + offset): the pair
 * must not interleave with another CPU's or an interrupt handler's, so it
 * runs under a spin mutex, which also keeps interrupts off on this CPU.
 */
#include <sys/param.h>
#include <sys/mutex.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include <dev/pci/pcireg.h>

#include <x86/pci_cfgreg.h>

#define CONF1_ADDR_PORT		0x0cf8
#define CONF1_DATA_PORT		0x0cfc
#define CONF1_ENABLE		0x80000000U

static struct mtx	pcicfg_mtx;
static int		pcicfg_state;	/* 0: not probed, 1: present, -1: absent */

static bool
pci_cfg_args_ok(u_int bus, u_int slot, u_int func, u_int reg, int width)
{
	return (bus <= PCI_BUSMAX && slot <= PCI_SLOTMAX &&
	    func <= PCI_FUNCMAX && (width == 1 || width == 2 || width == 4) &&
	    reg + (u_int)width <= PCI_REGMAX + 1 &&
	    (reg & (u_int)(width - 1)) == 0);
}

static uint32_t
conf1_addr(u_int bus, u_int slot, u_int func, u_int reg)
{
	return (CONF1_ENABLE | bus << 16 | slot << 11 | func << 8 |
	    (reg & 0xfc));
}

/*
 * The address port of mechanism #1 is a 32-bit register that reads back
 * what was written with the enable bit; nothing else at 0xcf8 does.
 */
bool
pci_cfgregopen(void)
{
	uint32_t saved, probe;

	if (pcicfg_state != 0)
		return (pcicfg_state > 0);
	mtx_init(&pcicfg_mtx, "pcicfg", NULL, MTX_SPIN);
	mtx_lock_spin(&pcicfg_mtx);
	saved = inl(CONF1_ADDR_PORT);
	outl(CONF1_ADDR_PORT, CONF1_ENABLE);
	probe = inl(CONF1_ADDR_PORT);
	outl(CONF1_ADDR_PORT, saved);
	mtx_unlock_spin(&pcicfg_mtx);
	pcicfg_state = probe == CONF1_ENABLE ? 1 : -1;
	return (pcicfg_state > 0);
}

uint32_t
pci_cfgregread(u_int bus, u_int slot, u_int func, u_int reg, int width)
{
	u_int port = CONF1_DATA_PORT + (reg & 3);
	uint32_t v;

	if (pcicfg_state <= 0 || !pci_cfg_args_ok(bus, slot, func, reg, width))
		return (0xffffffffU);
	mtx_lock_spin(&pcicfg_mtx);
	outl(CONF1_ADDR_PORT, conf1_addr(bus, slot, func, reg));
	switch (width) {
	case 1:
		v = inb(port);
		break;
	case 2:
		v = inw(port);
		break;
	default:
		v = inl(port);
		break;
	}
	mtx_unlock_spin(&pcicfg_mtx);
	return (v);
}

void
pci_cfgregwrite(u_int bus, u_int slot, u_int func, u_int reg, uint32_t val,
    int width)
{
	u_int port = CONF1_DATA_PORT + (reg & 3);

	if (pcicfg_state <= 0 || !pci_cfg_args_ok(bus, slot, func, reg, width))
		return;
	mtx_lock_spin(&pcicfg_mtx);
	outl(CONF1_ADDR_PORT, conf1_addr(bus, slot, func, reg));
	switch (width) {
	case 1:
		outb(port, (uint8_t)val);
		break;
	case 2:
		outw(port, (uint16_t)val);
		break;
	default:
		outl(port, val);
		break;
	}
	mtx_unlock_spin(&pcicfg_mtx);
}
