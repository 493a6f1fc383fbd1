/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * xenpci(4): the Xen platform PCI device of an HVM guest, what its driver
 * found and registered (for tests and the boot report).
 */
#ifndef _DEV_XEN_XENPCI_XENPCI_H_
#define _DEV_XEN_XENPCI_XENPCI_H_

#include <sys/types.h>
#include <sys/bus.h>

#define XENPCI_VENDOR	0x5853	/* XenSource */
#define XENPCI_DEVICE	0x0001	/* the platform device */

struct xenpci_info {
	device_t	xi_dev;		/* NULL: not attached */
	uint8_t		xi_bus, xi_slot, xi_func;
	uint8_t		xi_intpin;	/* 1-4: INTA-INTD */
	uint8_t		xi_irq;		/* the interrupt line */
	uint32_t	xi_gsi;		/* where our I/O APIC takes it */
	bool		xi_intr;	/* the upcall handler is on the line */
	uint64_t	xi_via;		/* HVM_PARAM_CALLBACK_IRQ set (0: none) */
};

/* The attached platform device, or NULL. */
const struct xenpci_info *xenpci_get_info(void);

/* The HVM_PARAM_CALLBACK_IRQ values of the two line types (pure). */
uint64_t	xenpci_via_intx(uint8_t bus, uint8_t slot, uint8_t func,
		    uint8_t intpin);
uint64_t	xenpci_via_gsi(uint32_t gsi);

#endif /* !_DEV_XEN_XENPCI_XENPCI_H_ */
