/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The Multiboot (version 1) boot ABI: locore hands us the physical address
 * of the loader's information structure; we copy what it says into the
 * loader-neutral struct bootinfo and enter the machine-dependent start.
 * Everything the loader wrote is checked against the boot mapping before
 * it is read.  The loader gives no ACPI RSDP: the MADT code scans for it.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>
#include <machine/vmparam.h>

#include "multiboot.h"

#define CMDLINE_MAX	2048

static char	mb_cmdline[CMDLINE_MAX];
static char	mb_modcmd[BOOTINFO_MAXMODS][256];

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

/*
 * Multiboot loaders (QEMU, GRUB) put the image's own name before the
 * arguments; the kernel's command line is what follows it.
 */
static void
skip_image_name(char *s)
{
	size_t i = 0, j = 0;

	while (s[i] != '\0' && s[i] != ' ')
		i++;
	while (s[i] == ' ')
		i++;
	while (s[i] != '\0')
		s[j++] = s[i++];
	s[j] = '\0';
}

static void
mb_memmap(const struct mb_info *mbi)
{
	uint64_t off = 0;

	if (!pa_ok(mbi->mmap_addr, mbi->mmap_length))
		return;
	/* Each entry: 'size' (4 bytes) then 'size' bytes, at least 20. */
	while (off + sizeof(struct mb_mmap_entry) <= mbi->mmap_length) {
		const struct mb_mmap_entry *e =
		    (const void *)PHYS_TO_DMAP(mbi->mmap_addr + off);

		if (e->size < sizeof(*e) - sizeof(e->size))
			break;
		(void)memmap_add(&bootinfo.memmap, e->base, e->len, e->type);
		off += (uint64_t)e->size + sizeof(e->size);
	}
}

static void
mb_modules(const struct mb_info *mbi)
{
	const struct mb_module *m;

	if (mbi->mods_count == 0 || !pa_ok(mbi->mods_addr,
	    (uint64_t)mbi->mods_count * sizeof(*m)))
		return;
	m = (const void *)PHYS_TO_DMAP(mbi->mods_addr);
	for (uint32_t i = 0; i < mbi->mods_count &&
	    bootinfo.nmods < BOOTINFO_MAXMODS; i++) {
		struct bootinfo_module *bm = &bootinfo.mods[bootinfo.nmods];

		if (m[i].mod_end < m[i].mod_start)
			continue;
		copy_str(mb_modcmd[bootinfo.nmods], sizeof(mb_modcmd[0]),
		    m[i].string);
		bm->paddr = m[i].mod_start;
		bm->size = m[i].mod_end - m[i].mod_start;
		bm->cmdline = mb_modcmd[bootinfo.nmods];
		bootinfo.nmods++;
	}
}

void
boot_entry(uint32_t mbi_pa)
{
	const struct mb_info *mbi;

	bootinfo.start_pa = mbi_pa;
	bootinfo.cmdline = mb_cmdline;
	if (!pa_ok(mbi_pa, sizeof(*mbi)))
		goto out;
	mbi = (const struct mb_info *)PHYS_TO_DMAP(mbi_pa);
	bootinfo.loader_flags = mbi->flags;
	if (mbi->flags & MBI_CMDLINE) {
		copy_str(mb_cmdline, sizeof(mb_cmdline), mbi->cmdline);
		skip_image_name(mb_cmdline);
	}
	if (mbi->flags & MBI_MMAP)
		mb_memmap(mbi);
	if (mbi->flags & MBI_MODS)
		mb_modules(mbi);
out:
	hammer_time(&bootinfo);
}
