/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * PCI configuration space through configuration mechanism #1 (the address
 * port 0xcf8 and the data port 0xcfc).
 */
#ifndef _X86_PCI_CFGREG_H_
#define _X86_PCI_CFGREG_H_

#include <sys/types.h>

/* True if mechanism #1 answers (checked once, then remembered). */
bool		pci_cfgregopen(void);
/*
 * width 1, 2 or 4 and reg aligned to it.  A read outside the geometry or
 * before the mechanism was found returns all ones; such a write is dropped.
 */
uint32_t	pci_cfgregread(u_int bus, u_int slot, u_int func, u_int reg,
		    int width);
void		pci_cfgregwrite(u_int bus, u_int slot, u_int func, u_int reg,
		    uint32_t val, int width);

#endif /* !_X86_PCI_CFGREG_H_ */
