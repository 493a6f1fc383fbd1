/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Boot modules that are kernel modules (kld(4)): every boot module that
 * is an ELF relocatable object is linked right after malloc(9) comes up,
 * so its SYSINITs, drivers and ktests join the start-up run in their
 * places.  A module's name is the last part of the first word of its
 * boot module command line (QEMU's -initrd "path args", GRUB's module
 * line), less ".ko"; module=a,b links only those.  A module refused is
 * reported and the boot goes on.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/linker.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

static char	kld_boot_select[128];
TUNABLE_STR("module", kld_boot_select, sizeof(kld_boot_select),
    "comma-separated names of the boot modules to link (default: all)");

static struct linker_boot_result kld_boot_res[BOOTINFO_MAXMODS];
static int	kld_boot_nres;

int
linker_boot_results(const struct linker_boot_result **res)
{
	*res = kld_boot_res;
	return (kld_boot_nres);
}

static void
module_name(const char *cmdline, char *name, size_t size)
{
	const char *p = cmdline, *base = cmdline;
	size_t len;

	while (*p != '\0' && *p != ' ') {
		if (*p == '/')
			base = p + 1;
		p++;
	}
	len = (size_t)(p - base);
	if (len >= 3 && strncmp(p - 3, ".ko", 3) == 0)
		len -= 3;
	len = MIN(len, size - 1);
	memcpy(name, base, len);
	name[len] = '\0';
}

static bool
selected(const char *name)
{
	const char *p = kld_boot_select;
	size_t len = strlen(name);

	if (p[0] == '\0')
		return (true);
	while (*p != '\0') {
		const char *e = strchr(p, ',');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);

		if (n == len && strncmp(p, name, n) == 0)
			return (true);
		p += n;
		if (*p == ',')
			p++;
	}
	return (false);
}

static void
kld_boot(void *arg __unused)
{
	for (int i = 0; i < bootinfo.nmods; i++) {
		const struct bootinfo_module *bm = &bootinfo.mods[i];
		const void *img = (const void *)PHYS_TO_DMAP(bm->paddr);
		struct linker_boot_result *r;
		char what[LINKER_NAME_MAX + 32];

		if (!linker_is_module(img, bm->size))
			continue;
		r = &kld_boot_res[kld_boot_nres++];
		r->lb_index = i;
		module_name(bm->cmdline != NULL ? bm->cmdline : "", r->lb_name,
		    sizeof(r->lb_name));
		if (!selected(r->lb_name)) {
			printf("kld: boot module %d (%s) not linked: module=%s\n",
			    i, r->lb_name, kld_boot_select);
			r->lb_error = -1;
			continue;
		}
		snprintf(what, sizeof(what), "boot module %d (%s)", i,
		    r->lb_name);
		r->lb_error = linker_load(what, img, bm->size, NULL);
		strlcpy(r->lb_msg, linker_last_error(), sizeof(r->lb_msg));
	}
}
SYSINIT(kld_boot, SI_SUB_KLD, SI_ORDER_FIRST, kld_boot, NULL);
