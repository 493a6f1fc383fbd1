/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * BAR decoding from a sizing probe (pci_bar_decode(), pcivar.h).  A BAR
 * hardwires its low address bits to zero: after all ones are written, the
 * lowest bit that reads back set is the size.  Pure, so hosted tests can
 * feed it any read-back.
 */
#include <sys/param.h>
#include <sys/rman.h>

#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

static bool
powerof2_64(uint64_t v)
{
	return (v != 0 && (v & (v - 1)) == 0);
}

int
pci_bar_decode(uint32_t orig, uint32_t sized, uint32_t orig_hi,
    uint32_t sized_hi, struct pci_bar *bar)
{
	uint64_t mask;

	memset(bar, 0, sizeof(*bar));
	if ((orig & PCIM_BAR_SPACE) == PCIM_BAR_IO_SPACE) {
		bar->pb_type = SYS_RES_IOPORT;
		mask = sized & PCIM_BAR_IO_BASE;
		if (mask == 0)
			return (1);
		/* A 16-bit decoder leaves the upper half at zero. */
		if ((mask & 0xffff0000U) == 0)
			mask |= 0xffff0000U;
		bar->pb_size = (uint32_t)(~mask + 1);
		bar->pb_base = orig & PCIM_BAR_IO_BASE;
		return (powerof2_64(bar->pb_size) ? 1 : -1);
	}
	bar->pb_type = SYS_RES_MEMORY;
	bar->pb_prefetch = (orig & PCIM_BAR_MEM_PREFETCH) != 0;
	switch (orig & PCIM_BAR_MEM_TYPE) {
	case PCIM_BAR_MEM_32:
	case PCIM_BAR_MEM_1MB:
		mask = sized & PCIM_BAR_MEM_BASE;
		if (mask == 0)
			return (1);
		bar->pb_size = (uint32_t)(~mask + 1);
		bar->pb_base = orig & PCIM_BAR_MEM_BASE;
		return (powerof2_64(bar->pb_size) ? 1 : -1);
	case PCIM_BAR_MEM_64:
		bar->pb_64bit = true;
		mask = ((uint64_t)sized_hi << 32) | (sized & PCIM_BAR_MEM_BASE);
		if (mask == 0)
			return (2);
		bar->pb_size = ~mask + 1;
		bar->pb_base = ((uint64_t)orig_hi << 32) |
		    (orig & PCIM_BAR_MEM_BASE);
		return (powerof2_64(bar->pb_size) ? 2 : -1);
	default:
		bar->pb_type = 0;
		return (-1);
	}
}
