/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Native CPU enumeration from the ACPI MADT.
 */
#ifndef _X86_ACPI_MADT_H_
#define _X86_ACPI_MADT_H_

#include <sys/types.h>

/* Physical address of a valid RSDP, or 0. */
vm_paddr_t	acpi_find_rsdp(void);
/* Direct-map pointer to a checksummed table with this signature, or NULL. */
const void	*acpi_find_table(const char *sig, uint32_t *lenp);
/*
 * Collects the APIC IDs of the enabled processors of a MADT image of len
 * bytes.  Returns how many were found (at most max are stored), or -1 if the
 * table is malformed (signature, length, checksum or an entry out of
 * bounds).  Pure, so tests can feed it crafted tables.
 */
int		madt_parse(const void *madt, size_t len, u_int *apic_ids,
		    int max);
/* Where the last enumeration got its answer ("MADT" or a fallback). */
extern const char *madt_source;

#endif /* !_X86_ACPI_MADT_H_ */
