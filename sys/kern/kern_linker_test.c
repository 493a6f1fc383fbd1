/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * kld(4) in the running kernel.  The boot tests (tests/kld) boot the
 * image without the hypervisor layer with kldtest.ko and damaged modules
 * (bad_*.ko) as boot modules; these tests check what the linker made of
 * them, unload and reload kldtest, and load damaged copies from memory.
 * In an image or a boot without them they skip.
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/bus.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/linker.h>
#include <sys/malloc.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/vmparam.h>

#include <linux/elf.h>

MALLOC_DECLARE(M_LINKER);

/* The kernel's table: sorted, and it agrees with the compiler. */
KTEST(kld_ksyms_table)
{
	uint64_t v;
	size_t n = linker_ksym_count();

	if (n == 0)
		KT_SKIP("this image carries no symbol table (the one "
		    "built without the hypervisor layer does)");
	KT_ASSERT(n > 500, "only %zu symbols", n);
	KT_ASSERT(linker_ksym("printf", &v) == 0 && v == (uint64_t)&printf,
	    "printf: %#lx, the compiler says %p", v, (void *)&printf);
	KT_ASSERT(linker_ksym("linker_load", &v) == 0 &&
	    v == (uint64_t)&linker_load, "linker_load: %#lx", v);
	KT_ASSERT(linker_ksym("bootinfo", &v) == 0 &&
	    v == (uint64_t)&bootinfo, "bootinfo: %#lx", v);
	KT_ASSERT(linker_ksym("kld_no_such_symbol", &v) == ENOENT,
	    "found a symbol that does not exist");
	/* Sorted, so the search finds every entry, with its own value. */
	for (size_t i = 0; i < n; i++) {
		uint64_t want, got;
		const char *name = linker_ksym_entry(i, &want);
		const char *prev = i > 0 ? linker_ksym_entry(i - 1, &got) : NULL;

		KT_ASSERT(prev == NULL || strcmp(prev, name) < 0,
		    "entry %zu \"%s\" after \"%s\"", i, name, prev);
		KT_ASSERT(linker_ksym(name, &got) == 0 && got == want,
		    "%s: search gave %#lx, entry %#lx", name, got, want);
	}
	KT_NOTE("%zu symbols", n);
}

static const struct {
	const char	*name;
	int		error;
	const char	*msg;
} kld_expect[] = {
	{ "bad_trunc", ENOEXEC, "section headers at" },
	{ "bad_machine", ENOEXEC, "wrong machine 3" },
	{ "bad_unresolved", ENOENT, "unresolved symbol kld_no_such_symbol" },
	{ "bad_reloc", EOPNOTSUPP,
	    "unsupported relocation R_X86_64_REX_GOTPCRELX" },
	{ "bad_shoff", ENOEXEC, "(.text): offset" },
	{ "bad_symsize", ENOEXEC, "does not match 24-byte symbols" },
	{ "bad_depend", EINVAL,
	    "bad_depend needs kernel version 2 to 3, this is version 1" },
	{ "bad_noversion", EINVAL, "no MODULE_VERSION" },
	{ "bad_set", EINVAL, "linker set vfsops_set cannot be registered" },
};

/* Each damaged boot module refused with its reason, the others linked. */
KTEST(kld_boot_modules)
{
	const struct linker_boot_result *r;
	int n = linker_boot_results(&r), seen = 0;

	if (n == 0)
		KT_SKIP("no kernel module among the boot modules");
	for (int i = 0; i < n; i++) {
		bool damaged = false;

		if (r[i].lb_error == -1) {
			/* Left out by module=: never linked. */
			KT_ASSERT(linker_find(r[i].lb_name) == NULL,
			    "%s is loaded", r[i].lb_name);
			seen++;
			continue;
		}
		for (size_t k = 0; k < nitems(kld_expect); k++) {
			if (strcmp(r[i].lb_name, kld_expect[k].name) != 0)
				continue;
			damaged = true;
			KT_ASSERT(r[i].lb_error == kld_expect[k].error &&
			    strstr_simple(r[i].lb_msg, kld_expect[k].msg) !=
			    NULL, "%s: error %d \"%s\", wanted %d \"%s\"",
			    r[i].lb_name, r[i].lb_error, r[i].lb_msg,
			    kld_expect[k].error, kld_expect[k].msg);
			KT_ASSERT(linker_find(r[i].lb_name) == NULL,
			    "%s is loaded", r[i].lb_name);
		}
		/* Every other module the tests give must link. */
		KT_ASSERT(damaged || (r[i].lb_error == 0 &&
		    linker_find(r[i].lb_name) != NULL), "%s: error %d: %s",
		    r[i].lb_name, r[i].lb_error, r[i].lb_msg);
		seen++;
	}
	KT_NOTE("%d of %d boot modules checked", seen, n);
}

static const struct bootinfo_module *
kldtest_boot_module(void)
{
	const struct linker_boot_result *r;
	int n = linker_boot_results(&r);

	for (int i = 0; i < n; i++)
		if (strcmp(r[i].lb_name, "kldtest") == 0 && r[i].lb_error == 0)
			return (&bootinfo.mods[r[i].lb_index]);
	return (NULL);
}

static int
module_int(const struct linker_file *lf, const char *sym)
{
	uint64_t v;

	if (elf_obj_lookup(&lf->lf_obj, sym, &v) != 0)
		return (-1000);
	return (*(const int *)v);
}

/*
 * Unload is refused while kldtest0 is attached, allowed once it is not,
 * and gives the module's pages back; a reload from the same bytes runs
 * its SYSINITs and attaches its driver again (its ktests, which run
 * after the built-in ones, then check the reloaded copy).
 */
KTEST(kld_unload_reload)
{
	const struct bootinfo_module *bm = kldtest_boot_module();
	struct linker_file *lf;
	device_t nexus, dev;
	u_long before, pages;
	int error;

	if (bm == NULL || (lf = linker_find("kldtest")) == NULL)
		KT_SKIP("kldtest.ko is not a boot module");
	nexus = device_find_child(root_bus, "nexus", 0);
	dev = nexus != NULL ? device_find_child(nexus, "kldtest", 0) : NULL;
	KT_ASSERT(dev != NULL && device_is_attached(dev), "kldtest0 missing");
	error = linker_unload(lf);
	KT_ASSERT(error == EBUSY, "unload with kldtest0 attached: %d", error);
	KT_ASSERT(strstr_simple(linker_last_error(), "kldtest0") != NULL,
	    "reason \"%s\" does not name kldtest0", linker_last_error());
	KT_ASSERT(linker_find("kldtest") == lf, "kldtest gone after EBUSY");
	KT_ASSERT(device_detach(dev) == 0, "detach failed");
	pages = atop(lf->lf_obj.eo_memsize);
	before = phys_free_count();
	error = linker_unload(lf);
	KT_ASSERT(error == 0, "unload with nothing attached: %d (%s)", error,
	    linker_last_error());
	KT_ASSERT(linker_find("kldtest") == NULL, "kldtest still listed");
	/* Its pages, and the private copy of its image if malloc gave pages. */
	KT_ASSERT(phys_free_count() >= before + pages,
	    "free pages %lu -> %lu, the module had %lu", before,
	    phys_free_count(), pages);
	error = linker_load("kldtest again", (const void *)PHYS_TO_DMAP(bm->paddr),
	    bm->size, &lf);
	KT_ASSERT(error == 0, "reload: %d (%s)", error, linker_last_error());
	KT_ASSERT(module_int(lf, "kldtest_nsysinit") == 3,
	    "reloaded copy ran %d SYSINITs", module_int(lf, "kldtest_nsysinit"));
	KT_ASSERT(module_int(lf, "kldtest_attached") == 1,
	    "reloaded driver attached %d times", module_int(lf,
	    "kldtest_attached"));
	KT_ASSERT(device_is_attached(dev), "kldtest0 not attached again");
}

/*
 * Damaged copies of kldtest loaded from memory: each refused, no page
 * kept.  Truncations (the header, the section headers), the machine, an
 * unresolved symbol, a second load of a loaded module.
 */
KTEST(kld_load_refusals)
{
	const struct bootinfo_module *bm = kldtest_boot_module();
	const uint8_t *img;
	uint8_t *copy;
	size_t cuts[] = { 0, 1, 16, 63, 64, 65, 0, 0, 0 };
	u_long pages, inuse, memuse;
	int error;

	if (bm == NULL || linker_find("kldtest") == NULL)
		KT_SKIP("kldtest.ko is not a boot module");
	img = (const uint8_t *)PHYS_TO_DMAP(bm->paddr);
	cuts[6] = bm->size / 2;
	cuts[7] = bm->size - 1;
	cuts[8] = ((const struct elf64_hdr *)img)->e_shoff + 1;
	/*
	 * A refusal keeps nothing: no module page and no linker allocation
	 * (counted by malloc itself).  Free pages overall are not compared:
	 * malloc may keep a page for its buckets (CI saw one).
	 */
	copy = malloc(bm->size, M_TEMP, M_WAITOK);
	pages = linker_pages_held();
	inuse = M_LINKER->ks_inuse;
	memuse = M_LINKER->ks_memuse;
	for (size_t i = 0; i < nitems(cuts); i++) {
		error = linker_load("truncated kldtest", img, cuts[i], NULL);
		KT_ASSERT(error == ENOEXEC, "%zu of %zu bytes: error %d (%s)",
		    cuts[i], (size_t)bm->size, error, linker_last_error());
	}
	memcpy(copy, img, bm->size);
	((struct elf64_hdr *)copy)->e_machine = EM_AARCH64;
	error = linker_load("aarch64 kldtest", copy, bm->size, NULL);
	KT_ASSERT(error == ENOEXEC && strstr_simple(linker_last_error(),
	    "wrong machine") != NULL, "wrong machine: %d (%s)", error,
	    linker_last_error());
	/* Its use of strlen renamed in the string table: unresolved. */
	memcpy(copy, img, bm->size);
	for (size_t i = 0; i + 8 <= bm->size; i++) {
		if (memcmp(copy + i, "\0strlen\0", 8) == 0) {
			copy[i + 6] = 'm';
			break;
		}
	}
	error = linker_load("kldtest with strlem", copy, bm->size, NULL);
	KT_ASSERT(error == ENOENT && strcmp(linker_last_error(),
	    "unresolved symbol strlem") == 0, "unresolved: %d (%s)", error,
	    linker_last_error());
	error = linker_load("kldtest twice", img, bm->size, NULL);
	KT_ASSERT(error == EEXIST, "second load: %d (%s)", error,
	    linker_last_error());
	KT_ASSERT(linker_pages_held() == pages, "module pages %lu -> %lu",
	    pages, linker_pages_held());
	KT_ASSERT(M_LINKER->ks_inuse == inuse && M_LINKER->ks_memuse == memuse,
	    "linker allocations %lu (%lu bytes) -> %lu (%lu bytes)", inuse,
	    memuse, M_LINKER->ks_inuse, M_LINKER->ks_memuse);
	free(copy, M_TEMP);
}
