/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The PVH boot ABI: locore hands us the physical address of the loader's
 * struct hvm_start_info; we copy what it says into the loader-neutral
 * struct bootinfo and enter the machine-dependent start.  Both QEMU's direct
 * boot and Xen's PVH loader use this ABI.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>
#include <machine/vmparam.h>

#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

#define CMDLINE_MAX	2048

static char	pvh_cmdline[CMDLINE_MAX];
static char	pvh_modcmd[BOOTINFO_MAXMODS][256];

/* Boot structures live in the first 4 GiB, which locore maps. */
static bool
pa_ok(uint64_t pa, uint64_t len)
{
	return (pa != 0 && pa < DMAP_BOOT_SIZE && len <= DMAP_BOOT_SIZE - pa);
}

static void
copy_str(char *dst, size_t dstsz, uint64_t pa)
{
	const char *src;
	size_t i;

	dst[0] = '\0';
	if (!pa_ok(pa, 1))
		return;
	src = (const char *)PHYS_TO_DMAP(pa);
	for (i = 0; i + 1 < dstsz && pa_ok(pa + i, 1) && src[i] != '\0'; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

void
boot_entry(uint32_t start_info_pa)
{
	const struct hvm_start_info *si;

	bootinfo.start_pa = start_info_pa;
	bootinfo.cmdline = pvh_cmdline;
	if (!pa_ok(start_info_pa, sizeof(*si)))
		goto out;
	si = (const struct hvm_start_info *)PHYS_TO_DMAP(start_info_pa);
	if (si->magic != XEN_HVM_START_MAGIC_VALUE)
		goto out;

	copy_str(pvh_cmdline, sizeof(pvh_cmdline), si->cmdline_paddr);
	bootinfo.rsdp_pa = si->rsdp_paddr;
	bootinfo.loader_flags = si->flags;

	if (si->version >= 1 && si->memmap_entries > 0 &&
	    pa_ok(si->memmap_paddr, (uint64_t)si->memmap_entries *
	    sizeof(struct hvm_memmap_table_entry))) {
		const struct hvm_memmap_table_entry *e =
		    (const void *)PHYS_TO_DMAP(si->memmap_paddr);

		for (uint32_t i = 0; i < si->memmap_entries; i++)
			(void)memmap_add(&bootinfo.memmap, e[i].addr, e[i].size,
			    e[i].type);
	}

	if (si->nr_modules > 0 && pa_ok(si->modlist_paddr,
	    (uint64_t)si->nr_modules * sizeof(struct hvm_modlist_entry))) {
		const struct hvm_modlist_entry *m =
		    (const void *)PHYS_TO_DMAP(si->modlist_paddr);

		for (uint32_t i = 0; i < si->nr_modules &&
		    bootinfo.nmods < BOOTINFO_MAXMODS; i++) {
			struct bootinfo_module *bm = &bootinfo.mods[bootinfo.nmods];

			copy_str(pvh_modcmd[bootinfo.nmods],
			    sizeof(pvh_modcmd[0]), m[i].cmdline_paddr);
			bm->paddr = m[i].paddr;
			bm->size = m[i].size;
			bm->cmdline = pvh_modcmd[bootinfo.nmods];
			bootinfo.nmods++;
		}
	}
out:
	hammer_time(&bootinfo);
}
