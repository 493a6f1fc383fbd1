/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The capability list walk (pci_cap_list(), pcivar.h).  The list lives in
 * device-written configuration space, so it is not trusted: a pointer must
 * leave the header and stay inside the 256 bytes, and every entry may be
 * visited once, so a list that loops ends the walk instead of spinning.
 * Pure, so hosted tests can feed it any space.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/rman.h>

#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

int
pci_cap_list(pci_cfg_read8_t *rd, void *arg, int ptrreg, uint8_t *ids,
    uint8_t *regs, int max)
{
	uint8_t seen[(PCI_REGMAX + 1) / 4 / 8];
	int n = 0, ptr;

	memset(seen, 0, sizeof(seen));
	/* The two low bits of every pointer are reserved. */
	ptr = rd(arg, ptrreg) & ~3;
	while (ptr != 0) {
		if (ptr < PCI_CAP_FIRST || ptr > PCI_REGMAX - 1)
			return (-EFTYPE);
		if (seen[ptr / 4 / 8] & (1U << (ptr / 4 % 8)))
			return (-ELOOP);
		seen[ptr / 4 / 8] |= 1U << (ptr / 4 % 8);
		if (n < max) {
			ids[n] = rd(arg, ptr + PCICAP_ID);
			regs[n] = (uint8_t)ptr;
		}
		n++;
		ptr = rd(arg, ptr + PCICAP_NEXTPTR) & ~3;
	}
	return (n);
}
