/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * CPU enumeration from ACPI: RSDP (from the loader, else the BIOS areas),
 * RSDT/XSDT, then the MADT's processor entries.  Firmware tables are input
 * from outside: every length and checksum is checked before it is trusted.
 * Without a usable MADT the machine is taken to have one CPU.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

#include <x86/acpi_madt.h>
#include <x86/apicvar.h>
#include <x86/x86_smp.h>

struct acpi_rsdp {
	char		sig[8];
	uint8_t		checksum;
	char		oem[6];
	uint8_t		revision;
	uint32_t	rsdt;
	/* ACPI 2.0 and later. */
	uint32_t	length;
	uint64_t	xsdt;
	uint8_t		xchecksum;
	uint8_t		rsvd[3];
} __packed;

struct acpi_header {
	char		sig[4];
	uint32_t	length;
	uint8_t		revision;
	uint8_t		checksum;
	char		oem[6];
	char		oem_table[8];
	uint32_t	oem_revision;
	uint32_t	creator;
	uint32_t	creator_revision;
} __packed;

#define RSDP_V1_LEN		20
#define MADT_BODY		8	/* local APIC address, flags */
#define MADT_LAPIC		0
#define MADT_X2APIC		9
#define MADT_ENABLED		0x1

const char	*madt_source = "none";

/* Everything ACPI hands us must lie in the boot direct map. */
static bool
acpi_pa_ok(uint64_t pa, uint64_t len)
{
	return (pa != 0 && pa < DMAP_BOOT_SIZE && len <= DMAP_BOOT_SIZE - pa);
}

static uint8_t
acpi_sum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (len-- > 0)
		s += *b++;
	return (s);
}

static bool
rsdp_valid(const struct acpi_rsdp *r)
{
	if (memcmp(r->sig, "RSD PTR ", 8) != 0 || acpi_sum(r, RSDP_V1_LEN) != 0)
		return (false);
	if (r->revision >= 2 && (r->length < sizeof(*r) ||
	    r->length > 4096 || acpi_sum(r, r->length) != 0))
		return (false);
	return (true);
}

static vm_paddr_t
rsdp_scan(vm_paddr_t start, vm_size_t len)
{
	vm_paddr_t end = start + len - sizeof(struct acpi_rsdp);

	for (vm_paddr_t pa = start; pa <= end; pa += 16) {
		if (rsdp_valid((const struct acpi_rsdp *)PHYS_TO_DMAP(pa)))
			return (pa);
	}
	return (0);
}

vm_paddr_t
acpi_find_rsdp(void)
{
	vm_paddr_t ebda, pa;

	pa = bootinfo.rsdp_pa;
	if (acpi_pa_ok(pa, sizeof(struct acpi_rsdp)) &&
	    rsdp_valid((const struct acpi_rsdp *)PHYS_TO_DMAP(pa)))
		return (pa);
	/* The BIOS data area names the EBDA; the RSDP may be in its 1st KiB. */
	ebda = (vm_paddr_t)*(const uint16_t *)PHYS_TO_DMAP(0x40e) << 4;
	if (ebda >= 0x80000 && ebda < 0xa0000 &&
	    (pa = rsdp_scan(ebda, 1024)) != 0)
		return (pa);
	return (rsdp_scan(0xe0000, 0x20000));
}

static const struct acpi_header *
acpi_map_table(uint64_t pa)
{
	const struct acpi_header *h;

	if (!acpi_pa_ok(pa, sizeof(*h)))
		return (NULL);
	h = (const struct acpi_header *)PHYS_TO_DMAP(pa);
	if (h->length < sizeof(*h) || !acpi_pa_ok(pa, h->length) ||
	    acpi_sum(h, h->length) != 0)
		return (NULL);
	return (h);
}

const void *
acpi_find_table(const char *sig, uint32_t *lenp)
{
	const struct acpi_rsdp *r;
	const struct acpi_header *root, *t;
	vm_paddr_t rsdp;
	size_t esz, n;
	bool x;

	if ((rsdp = acpi_find_rsdp()) == 0)
		return (NULL);
	r = (const struct acpi_rsdp *)PHYS_TO_DMAP(rsdp);
	x = r->revision >= 2 && r->xsdt != 0;
	root = acpi_map_table(x ? r->xsdt : r->rsdt);
	if (root == NULL || memcmp(root->sig, x ? "XSDT" : "RSDT", 4) != 0)
		return (NULL);
	esz = x ? 8 : 4;
	n = (root->length - sizeof(*root)) / esz;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *e = (const uint8_t *)(root + 1) + i * esz;
		uint64_t pa;

		/* Entries are not naturally aligned in an XSDT. */
		if (x)
			memcpy(&pa, e, 8);
		else {
			uint32_t pa32;

			memcpy(&pa32, e, 4);
			pa = pa32;
		}
		t = acpi_map_table(pa);
		if (t != NULL && memcmp(t->sig, sig, 4) == 0) {
			if (lenp != NULL)
				*lenp = t->length;
			return (t);
		}
	}
	return (NULL);
}

int
madt_parse(const void *madt, size_t len, u_int *apic_ids, int max)
{
	const struct acpi_header *h = madt;
	const uint8_t *p, *end;
	int n = 0;

	if (len < sizeof(*h) + MADT_BODY || memcmp(h->sig, "APIC", 4) != 0 ||
	    h->length < sizeof(*h) + MADT_BODY || h->length > len ||
	    acpi_sum(h, h->length) != 0)
		return (-1);
	p = (const uint8_t *)madt + sizeof(*h) + MADT_BODY;
	end = (const uint8_t *)madt + h->length;
	while (p < end) {
		uint32_t flags, id;

		/* Every entry has a type and a length, and must fit. */
		if (end - p < 2 || p[1] < 2 || p[1] > end - p)
			return (-1);
		switch (p[0]) {
		case MADT_LAPIC:
			if (p[1] < 8)
				return (-1);
			id = p[3];
			memcpy(&flags, p + 4, 4);
			break;
		case MADT_X2APIC:
			if (p[1] < 16)
				return (-1);
			memcpy(&id, p + 4, 4);
			memcpy(&flags, p + 8, 4);
			break;
		default:
			p += p[1];
			continue;
		}
		p += p[1];
		/* Disabled processors cannot be started (no hot-add here). */
		if ((flags & MADT_ENABLED) == 0)
			continue;
		if (n < max)
			apic_ids[n] = id;
		n++;
	}
	return (n);
}

static int
native_enumerate(u_int *apic_ids, int max)
{
	const void *madt;
	uint32_t len;
	int n;

	if (max < 1)
		return (0);
	madt = acpi_find_table("APIC", &len);
	if (madt != NULL && (n = madt_parse(madt, len, apic_ids, max)) > 0) {
		madt_source = "MADT";
		if (n > max) {
			printf("madt: %d CPUs, only %d supported\n", n, max);
			n = max;
		}
		return (n);
	}
	printf("madt: %s, assuming one CPU\n",
	    madt == NULL ? "no MADT" : "malformed MADT");
	madt_source = "fallback";
	apic_ids[0] = apic_ops.id();
	return (1);
}

struct cpu_ops cpu_ops = {
	.enumerate = native_enumerate,
	.start_ap = mpboot_start_ap,
	.name = "native",
};
