/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * MADT parsing against crafted tables: good entries are found, disabled
 * ones skipped, and every kind of damage is refused.
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/systm.h>

#include <x86/acpi_madt.h>

#define HDR	36
#define BODY	8

static uint8_t	mt[128];

static void
mt_put32(size_t off, uint32_t v)
{
	memcpy(&mt[off], &v, 4);
}

static void
mt_fix_checksum(void)
{
	uint32_t len;
	uint8_t s = 0;

	memcpy(&len, &mt[4], 4);
	mt[9] = 0;
	for (uint32_t i = 0; i < len; i++)
		s += mt[i];
	mt[9] = (uint8_t)-s;
}

/* Builds: LAPIC id 0 on, LAPIC id 1 off, an unknown entry, x2APIC 300 on. */
static size_t
mt_build(void)
{
	size_t p = HDR + BODY;

	memset(mt, 0, sizeof(mt));
	memcpy(mt, "APIC", 4);
	mt[8] = 4;
	mt_put32(HDR, 0xfee00000);
	mt[p] = 0; mt[p + 1] = 8; mt[p + 2] = 0; mt[p + 3] = 0;
	mt_put32(p + 4, 1);
	p += 8;
	mt[p] = 0; mt[p + 1] = 8; mt[p + 2] = 1; mt[p + 3] = 1;
	mt_put32(p + 4, 0);
	p += 8;
	mt[p] = 0x7f; mt[p + 1] = 4;
	p += 4;
	mt[p] = 9; mt[p + 1] = 16;
	mt_put32(p + 4, 300);
	mt_put32(p + 8, 1);
	mt_put32(p + 12, 2);
	p += 16;
	mt_put32(4, (uint32_t)p);
	mt_fix_checksum();
	return (p);
}

KTEST(madt_parse_validates)
{
	u_int ids[4];
	size_t len = mt_build();
	int n;

	n = madt_parse(mt, sizeof(mt), ids, 4);
	KT_ASSERT(n == 2, "good table: %d CPUs", n);
	KT_ASSERT(ids[0] == 0 && ids[1] == 300, "good table: ids %u %u", ids[0],
	    ids[1]);
	KT_ASSERT(madt_parse(mt, sizeof(mt), ids, 1) == 2,
	    "count must not depend on room");

	mt[20] ^= 1;
	KT_ASSERT(madt_parse(mt, sizeof(mt), ids, 4) == -1,
	    "bad checksum taken");

	mt_build();
	KT_ASSERT(madt_parse(mt, len - 1, ids, 4) == -1,
	    "table longer than its buffer taken");

	/* The last entry claims more than is left. */
	mt_build();
	mt[len - 16 + 1] = 32;
	mt_fix_checksum();
	KT_ASSERT(madt_parse(mt, sizeof(mt), ids, 4) == -1,
	    "entry past the end taken");

	/* A zero-length entry would loop forever. */
	mt_build();
	mt[HDR + BODY + 1] = 0;
	mt_fix_checksum();
	KT_ASSERT(madt_parse(mt, sizeof(mt), ids, 4) == -1,
	    "zero-length entry taken");

	/* A processor entry too short for its fields. */
	mt_build();
	mt[HDR + BODY + 16 + 1] = 2;
	mt_fix_checksum();
	KT_ASSERT(madt_parse(mt, sizeof(mt), ids, 4) == -1,
	    "short x2APIC/LAPIC entry taken");

	mt_build();
	memcpy(mt, "APIX", 4);
	mt_fix_checksum();
	KT_ASSERT(madt_parse(mt, sizeof(mt), ids, 4) == -1,
	    "wrong signature taken");
}
