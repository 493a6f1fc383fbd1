/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The PCI bus's pure parts: BAR decoding from sizing read-backs worked out
 * by hand from the PCI sizing rule (write all ones, the lowest writable
 * address bit is the size), and the capability walk over a fake
 * configuration space: good lists, reserved pointer bits, pointers into the
 * header, loops, the longest possible list, and random spaces (the walk
 * must end, stay inside the 256 bytes and never report more than 48).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/rman.h>
#include <sys/systm.h>

#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

#include "kunit.h"

static int
decode(uint32_t orig, uint32_t sized, uint32_t orig_hi, uint32_t sized_hi,
    struct pci_bar *b)
{
	return (pci_bar_decode(orig, sized, orig_hi, sized_hi, b));
}

KUNIT_TEST(bar_mem32)
{
	struct pci_bar b;

	KU_ASSERT(decode(0xfea00000, 0xfff00000, 0, 0, &b) == 1, "regs");
	KU_ASSERT(b.pb_type == SYS_RES_MEMORY && !b.pb_64bit &&
	    !b.pb_prefetch, "type");
	KU_ASSERT(b.pb_size == 0x100000 && b.pb_base == 0xfea00000,
	    "size %#lx base %#lx", (u_long)b.pb_size, (u_long)b.pb_base);
	KU_ASSERT(decode(0xe0000008, 0xf0000008, 0, 0, &b) == 1 &&
	    b.pb_prefetch && b.pb_size == 0x10000000, "prefetchable 256 MiB");
	KU_ASSERT(decode(0, 0x80000000, 0, 0, &b) == 1 &&
	    b.pb_size == 0x80000000, "2 GiB: %#lx", (u_long)b.pb_size);
	KU_ASSERT(decode(0xfeb00000, 0xfffff000, 0, 0, &b) == 1 &&
	    b.pb_size == 4096, "4 KiB");
	/* The legacy below-1 MiB type sizes like 32-bit memory. */
	KU_ASSERT(decode(0x000d0002, 0xffff0002, 0, 0, &b) == 1 &&
	    b.pb_size == 0x10000 && b.pb_base == 0xd0000, "1 MiB type");
}

KUNIT_TEST(bar_io)
{
	struct pci_bar b;

	KU_ASSERT(decode(0xc001, 0xffffff01, 0, 0, &b) == 1 &&
	    b.pb_type == SYS_RES_IOPORT && b.pb_size == 0x100 &&
	    b.pb_base == 0xc000, "256 ports: size %#lx base %#lx",
	    (u_long)b.pb_size, (u_long)b.pb_base);
	/* A decoder of 16 address bits reads the upper half back as 0. */
	KU_ASSERT(decode(0xc041, 0x0000ffe1, 0, 0, &b) == 1 &&
	    b.pb_size == 0x20 && b.pb_base == 0xc040, "16-bit decoder: %#lx",
	    (u_long)b.pb_size);
	KU_ASSERT(decode(0x701, 0xffffffc1, 0, 0, &b) == 1 &&
	    b.pb_size == 0x40, "64 ports");
}

KUNIT_TEST(bar_mem64)
{
	struct pci_bar b;

	KU_ASSERT(decode(0xf800000c, 0xfc00000c, 0, 0xffffffff, &b) == 2,
	    "two registers");
	KU_ASSERT(b.pb_64bit && b.pb_prefetch && b.pb_size == 0x4000000 &&
	    b.pb_base == 0xf8000000, "64 MiB: size %#lx base %#lx",
	    (u_long)b.pb_size, (u_long)b.pb_base);
	/* Larger than 4 GiB: the size lives in the upper register only. */
	KU_ASSERT(decode(0x0000000c, 0x0000000c, 0x4, 0xfffffffe, &b) == 2 &&
	    b.pb_size == 0x200000000ULL && b.pb_base == 0x400000000ULL,
	    "8 GiB at 16 GiB: size %#lx base %#lx", (u_long)b.pb_size,
	    (u_long)b.pb_base);
	KU_ASSERT(decode(0x4, 0xffffc004, 0x1, 0xffffffff, &b) == 2 &&
	    b.pb_size == 0x4000 && b.pb_base == 0x100000000ULL && !b.pb_prefetch,
	    "16 KiB above 4 GiB");
}

KUNIT_TEST(bar_absent_and_bad)
{
	struct pci_bar b;

	KU_ASSERT(decode(0, 0, 0, 0, &b) == 1 && b.pb_size == 0, "absent");
	KU_ASSERT(decode(0x1, 0x1, 0, 0, &b) == 1 && b.pb_size == 0,
	    "absent I/O");
	KU_ASSERT(decode(0x4, 0x4, 0, 0, &b) == 2 && b.pb_size == 0,
	    "absent 64-bit");
	/* Writable bits below a hardwired zero: no power-of-two size. */
	KU_ASSERT(decode(0xfe000000, 0xfff0f000, 0, 0, &b) == -1, "holes");
	KU_ASSERT(decode(0xc001, 0xfff0ff01, 0, 0, &b) == -1, "I/O holes");
	/* Type 3 (bits 2:1 = 11) is reserved. */
	KU_ASSERT(decode(0x6, 0xfffff006, 0, 0, &b) == -1, "reserved type");
}

/* A fake configuration space; every read is checked to stay inside it. */
static uint8_t	cfg[256];
static u_int	cfg_reads;

static uint8_t
cfg_rd(void *arg __unused, int reg)
{
	KU_ASSERT(reg >= 0 && reg <= 255, "read at %#x", reg);
	/* A walk that does not end fails here instead of hanging. */
	KU_ASSERT(++cfg_reads <= 4 * PCI_MAXCAPS, "%u reads: the walk does "
	    "not end", cfg_reads);
	return (cfg[reg]);
}

static int
walk(uint8_t *ids, uint8_t *regs, int max)
{
	cfg_reads = 0;
	return (pci_cap_list(cfg_rd, NULL, PCIR_CAP_PTR, ids, regs, max));
}

static void
cap_put(int at, uint8_t id, uint8_t next)
{
	cfg[at] = id;
	cfg[at + 1] = next;
}

KUNIT_TEST(cap_list_good)
{
	uint8_t ids[8], regs[8];
	int n;

	memset(cfg, 0, sizeof(cfg));
	cfg[PCIR_CAP_PTR] = 0x40;
	cap_put(0x40, PCIY_MSI, 0x50);
	cap_put(0x50, PCIY_EXPRESS, 0x73);	/* reserved low bits set */
	cap_put(0x70, PCIY_MSIX, 0);
	n = walk(ids, regs, 8);
	KU_ASSERT(n == 3, "n %d", n);
	KU_ASSERT(ids[0] == 0x05 && regs[0] == 0x40, "first %#x@%#x", ids[0],
	    regs[0]);
	KU_ASSERT(ids[1] == 0x10 && regs[1] == 0x50, "second");
	KU_ASSERT(ids[2] == 0x11 && regs[2] == 0x70, "third %#x@%#x", ids[2],
	    regs[2]);
	cfg[PCIR_CAP_PTR] = 0;
	KU_ASSERT(walk(ids, regs, 8) == 0,
	    "empty list");
}

KUNIT_TEST(cap_list_malformed)
{
	uint8_t ids[8], regs[8];

	memset(cfg, 0, sizeof(cfg));
	cfg[PCIR_CAP_PTR] = 0x40;
	cap_put(0x40, 1, 0x40);
	KU_ASSERT(walk(ids, regs, 8) ==
	    -ELOOP, "self loop");
	cap_put(0x40, 1, 0x60);
	cap_put(0x60, 2, 0x80);
	cap_put(0x80, 3, 0x61);		/* back to 0x60 via reserved bits */
	KU_ASSERT(walk(ids, regs, 8) ==
	    -ELOOP, "loop of three");
	cap_put(0x80, 3, 0x20);
	KU_ASSERT(walk(ids, regs, 8) ==
	    -EFTYPE, "pointer into the header");
	cfg[PCIR_CAP_PTR] = 0x3c;
	KU_ASSERT(walk(ids, regs, 8) ==
	    -EFTYPE, "first pointer into the header");
}

/* Every dword from 0x40 up is a capability: 48, the most there can be. */
KUNIT_TEST(cap_list_longest)
{
	uint8_t ids[4], regs[4];
	int n;

	memset(cfg, 0, sizeof(cfg));
	cfg[PCIR_CAP_PTR] = 0x40;
	for (int at = 0x40; at <= 0xfc; at += 4)
		cap_put(at, (uint8_t)at, at == 0xfc ? 0 : (uint8_t)(at + 4));
	n = walk(ids, regs, 4);
	KU_ASSERT(n == 48, "n %d", n);
	KU_ASSERT(regs[3] == 0x4c && ids[3] == 0x4c, "only the first four "
	    "stored");
	/* The last one pointing back to the first is a loop, not 49. */
	cfg[0xfd] = 0x40;
	KU_ASSERT(walk(ids, regs, 4) ==
	    -ELOOP, "wrap-around loop");
}

KUNIT_TEST(cap_list_random)
{
	uint8_t ids[PCI_MAXCAPS], regs[PCI_MAXCAPS];
	uint32_t x = 0x2545f491;
	int looped = 0, bad = 0, long_lists = 0;

	for (int round = 0; round < 20000; round++) {
		int n;

		for (int i = 0; i < 256; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			cfg[i] = (uint8_t)x;
		}
		/* Bias pointers into the capability area so walks run long. */
		if (round % 2 == 0)
			for (int i = 0x41; i < 256; i += 4)
				cfg[i] |= 0x40;
		n = walk(ids, regs, PCI_MAXCAPS);
		KU_ASSERT(n <= PCI_MAXCAPS && (n >= 0 || n == -ELOOP ||
		    n == -EFTYPE), "round %d: %d", round, n);
		KU_ASSERT(cfg_reads <= 2 * PCI_MAXCAPS + 3, "round %d: %u reads",
		    round, cfg_reads);
		for (int i = 0; i < n; i++)
			KU_ASSERT(regs[i] >= 0x40 && (regs[i] & 3) == 0,
			    "round %d: entry at %#x", round, regs[i]);
		looped += n == -ELOOP;
		bad += n == -EFTYPE;
		long_lists += n > 8;
	}
	/* The biased half must have exercised the loop guard. */
	KU_ASSERT(looped > 1000 && bad > 1000, "loops %d, bad pointers %d",
	    looped, bad);
	(void)long_lists;
}
