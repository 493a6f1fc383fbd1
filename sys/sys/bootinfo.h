/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What the boot loader handed over, in a loader-neutral form.  The boot ABI
 * code fills it; the machine-dependent start consumes it.
 */
#ifndef _SYS_BOOTINFO_H_
#define _SYS_BOOTINFO_H_

#include <sys/physmem.h>

#define BOOTINFO_MAXMODS	16

struct bootinfo_module {
	vm_paddr_t	paddr;
	vm_size_t	size;
	const char	*cmdline;	/* direct-map pointer, may be "" */
};

struct bootinfo {
	vm_paddr_t		start_pa;	/* the loader's own structure */
	const char		*cmdline;
	vm_paddr_t		rsdp_pa;	/* 0 if the loader gave none */
	uint32_t		loader_flags;	/* loader-specific flags word */
	struct memmap		memmap;		/* raw, unsanitised */
	int			nmods;
	struct bootinfo_module	mods[BOOTINFO_MAXMODS];
};

extern struct bootinfo	bootinfo;

#endif /* !_SYS_BOOTINFO_H_ */
