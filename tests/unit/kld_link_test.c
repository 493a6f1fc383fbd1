/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * elf_obj_load() (sys/kern/link_elf_obj.c) on objects the build compiled
 * for this test like modules (tests/unit/kldobj): the good one linked
 * against this program's symbols and then run, its relocated fields
 * compared with the addresses this program itself sees; and damaged
 * copies (every truncation, wrong machine, bad offsets and sizes, bad
 * relocations, an unresolved symbol, a GOT relocation from -fpic), each
 * refused with its reason and nothing left allocated.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/link_elf.h>
#include <sys/systm.h>

#include <linux/elf.h>

#include "kunit.h"

#define RINFO(sym, type)	(((uint64_t)(sym) << 32) | (uint32_t)(type))

extern const uint8_t kldobj_good[], kldobj_good_end[];
extern const uint8_t kldobj_unres[], kldobj_unres_end[];
extern const uint8_t kldobj_pic[], kldobj_pic_end[];

void	*hosted_kldmem_alloc(size_t size);
void	hosted_kldmem_free(void *p, size_t size);

/* What the objects use from "the kernel". */
int	host_counter;
const char host_name[] = "host program";
int	host_add(int, int);
static int host_add_calls;

int
host_add(int a, int b)
{
	host_add_calls++;
	return (a + b);
}

static int	outstanding;		/* allocations not freed */
static uint64_t	counter_value;		/* what host_counter resolves to */

static void *
t_alloc(size_t size, void *arg __unused)
{
	void *p = hosted_kldmem_alloc(size);

	if (p != NULL)
		outstanding++;
	return (p);
}

static void
t_free(void *p, size_t size, void *arg __unused)
{
	outstanding--;
	hosted_kldmem_free(p, size);
}

static int
t_lookup(const char *name, uint64_t *value, void *arg __unused)
{
	if (strcmp(name, "host_counter") == 0)
		*value = counter_value;
	else if (strcmp(name, "host_add") == 0)
		*value = (uint64_t)(uintptr_t)&host_add;
	else if (strcmp(name, "host_name") == 0)
		*value = (uint64_t)(uintptr_t)host_name;
	else
		return (ENOENT);
	return (0);
}

static const struct elf_obj_env env = { t_alloc, t_free, t_lookup, NULL };

static uint8_t	img[65536];
static size_t	imgsz;
static char	err[160];

static void
setup(const uint8_t *b, const uint8_t *e)
{
	kunit_ram(16 * 1024 * 1024, 8 * 1024 * 1024);
	kunit_sysinit(SI_SUB_KMEM);
	imgsz = (size_t)(e - b);
	KU_ASSERT(imgsz <= sizeof(img), "object of %zu bytes", imgsz);
	memcpy(img, b, imgsz);
	outstanding = 0;
	counter_value = (uint64_t)(uintptr_t)&host_counter;
}

static uint64_t
sym(const struct elf_obj *eo, const char *name)
{
	uint64_t v = 0;

	KU_ASSERT(elf_obj_lookup(eo, name, &v) == 0, "no symbol %s", name);
	return (v);
}

static struct elf64_hdr *
ehdr(void)
{
	return ((struct elf64_hdr *)img);
}

static struct elf64_shdr *
shdr_named(const char *name)
{
	struct elf64_shdr *sh = (struct elf64_shdr *)(img + ehdr()->e_shoff);
	const char *str = (const char *)img + sh[ehdr()->e_shstrndx].sh_offset;

	for (int i = 0; i < ehdr()->e_shnum; i++)
		if (strcmp(str + sh[i].sh_name, name) == 0)
			return (&sh[i]);
	kunit_fail(__FILE__, __LINE__, "no section %s", name);
}

static struct elf64_shdr *
shdr_type(uint32_t type)
{
	struct elf64_shdr *sh = (struct elf64_shdr *)(img + ehdr()->e_shoff);

	for (int i = 0; i < ehdr()->e_shnum; i++)
		if (sh[i].sh_type == type)
			return (&sh[i]);
	kunit_fail(__FILE__, __LINE__, "no section of type %u", type);
}

/* Loading the damaged image fails with error and a reason containing why. */
static void
refused(int error, const char *why)
{
	struct elf_obj eo;
	int e = elf_obj_load(&eo, img, imgsz, &env, err, sizeof(err));

	KU_ASSERT(e == error, "error %d (\"%s\"), wanted %d \"%s\"", e, err,
	    error, why);
	KU_ASSERT(strstr_simple(err, why) != NULL, "reason \"%s\" lacks \"%s\"",
	    err, why);
	KU_ASSERT(outstanding == 0, "%d allocations left after a refusal",
	    outstanding);
}

KUNIT_TEST(good_object_links_and_runs)
{
	struct elf_obj eo;
	const struct elf_obj_sect *set;
	int (*call)(int);
	const char *(*msg)(void);
	int *(*bss_at)(int);
	int *(*data_addr)(void);
	const char *(*hname)(void);
	int (*set_sum)(void);
	uint64_t (*r32s)(void);
	uint64_t r64, rpc64, rpc32a, r32a, data;
	int e;

	setup(kldobj_good, kldobj_good_end);
	e = elf_obj_load(&eo, img, imgsz, &env, err, sizeof(err));
	KU_ASSERT(e == 0, "load: %d (%s)", e, err);
	KU_ASSERT(outstanding == 1, "%d allocations", outstanding);
	KU_ASSERT((uintptr_t)eo.eo_mem + eo.eo_memsize <= (1UL << 31),
	    "memory at %p", eo.eo_mem);

	call = (int (*)(int))(uintptr_t)sym(&eo, "obj_call");
	msg = (const char *(*)(void))(uintptr_t)sym(&eo, "obj_msg_get");
	bss_at = (int *(*)(int))(uintptr_t)sym(&eo, "obj_bss_at");
	data_addr = (int *(*)(void))(uintptr_t)sym(&eo, "obj_data_addr");
	hname = (const char *(*)(void))(uintptr_t)sym(&eo, "obj_host_name");
	set_sum = (int (*)(void))(uintptr_t)sym(&eo, "obj_set_sum");
	r32s = (uint64_t (*)(void))(uintptr_t)sym(&eo, "obj_r32s");

	/* Run it: calls into this program, through a relocated pointer. */
	host_counter = 7;
	host_add_calls = 0;
	KU_ASSERT(call(5) == 5 + 41 + 2, "obj_call(5) = %d", call(5));
	KU_ASSERT(host_counter == 8 && host_add_calls == 2,
	    "host_counter %d, host_add called %d times", host_counter,
	    host_add_calls);
	KU_ASSERT(strcmp(msg(), "relocated") == 0, "obj_msg_get: \"%s\"", msg());
	KU_ASSERT(hname() == host_name, "obj_host_name: %p, not %p",
	    (const void *)hname(), (const void *)host_name);
	data = sym(&eo, "obj_data");
	KU_ASSERT((uint64_t)(uintptr_t)data_addr() == data,
	    "code says obj_data is at %p, the symbol %#lx", (void *)data_addr(),
	    data);
	KU_ASSERT(*(int *)(uintptr_t)data == 41, "obj_data is %d",
	    *(int *)(uintptr_t)data);
	KU_ASSERT(bss_at(3) == (int *)(uintptr_t)sym(&eo, "obj_bss") + 3 &&
	    *bss_at(3) == 0, "obj_bss");
	KU_ASSERT(set_sum() == 21, "the module's own set sums to %d", set_sum());
	set = elf_obj_section(&eo, "set_obj_set");
	KU_ASSERT(set != NULL && set->size == 2 * sizeof(void *),
	    "set_obj_set: %p", (const void *)set);

	/* Each relocation type, against this program's own addresses. */
	r64 = *(uint64_t *)(uintptr_t)sym(&eo, "obj_r64");
	KU_ASSERT(r64 == (uint64_t)(uintptr_t)&host_counter + 8,
	    "R_X86_64_64: %#lx", r64);
	rpc64 = sym(&eo, "obj_rpc64");
	KU_ASSERT(*(uint64_t *)(uintptr_t)rpc64 ==
	    (uint64_t)(uintptr_t)&host_counter - rpc64, "R_X86_64_PC64: %#lx",
	    *(uint64_t *)(uintptr_t)rpc64);
	r32a = sym(&eo, "obj_r32");
	KU_ASSERT(*(uint32_t *)(uintptr_t)r32a == (uint32_t)(data + 4),
	    "R_X86_64_32: %#x", *(uint32_t *)(uintptr_t)r32a);
	rpc32a = sym(&eo, "obj_rpc32");
	KU_ASSERT(*(int32_t *)(uintptr_t)rpc32a ==
	    (int32_t)((uint64_t)(uintptr_t)&host_counter - rpc32a + 2),
	    "R_X86_64_PC32: %#x", *(uint32_t *)(uintptr_t)rpc32a);
	KU_ASSERT(r32s() == (uint64_t)(uintptr_t)host_name + 3,
	    "R_X86_64_32S: %#lx", r32s());

	elf_obj_unload(&eo, &env);
	KU_ASSERT(outstanding == 0, "unload left %d allocations", outstanding);
}

KUNIT_TEST(every_truncation_refused)
{
	size_t full;

	setup(kldobj_good, kldobj_good_end);
	full = imgsz;
	for (imgsz = 0; imgsz < full; imgsz++)
		refused(ENOEXEC, "");
}

KUNIT_TEST(header_damage_refused)
{
	setup(kldobj_good, kldobj_good_end);
	ehdr()->e_machine = EM_386;
	refused(ENOEXEC, "wrong machine 3");
	setup(kldobj_good, kldobj_good_end);
	ehdr()->e_ident[EI_MAG1] = 'X';
	refused(ENOEXEC, "bad magic");
	setup(kldobj_good, kldobj_good_end);
	ehdr()->e_ident[EI_CLASS] = ELFCLASS32;
	refused(ENOEXEC, "ELF64");
	setup(kldobj_good, kldobj_good_end);
	ehdr()->e_type = ET_EXEC;
	refused(ENOEXEC, "not ET_REL");
	setup(kldobj_good, kldobj_good_end);
	ehdr()->e_shentsize = 32;
	refused(ENOEXEC, "section header size 32");
	setup(kldobj_good, kldobj_good_end);
	ehdr()->e_shoff = imgsz - 8;
	refused(ENOEXEC, "past the end of the image");
	setup(kldobj_good, kldobj_good_end);
	ehdr()->e_shoff = UINT64_MAX - 7;	/* offset + size wraps */
	refused(ENOEXEC, "past the end of the image");
	setup(kldobj_good, kldobj_good_end);
	ehdr()->e_shstrndx = ehdr()->e_shnum;
	refused(ENOEXEC, "name table index");
}

KUNIT_TEST(section_damage_refused)
{
	setup(kldobj_good, kldobj_good_end);
	shdr_named(".text")->sh_offset = imgsz + 0x1000;
	refused(ENOEXEC, "(.text): offset");
	setup(kldobj_good, kldobj_good_end);
	shdr_named(".text")->sh_size = UINT64_MAX;
	refused(ENOEXEC, "past the end of the image");
	setup(kldobj_good, kldobj_good_end);
	shdr_named(".data")->sh_addralign = 24;
	refused(ENOEXEC, "not a power of two");
	setup(kldobj_good, kldobj_good_end);
	shdr_named(".data")->sh_addralign = 1UL << 20;
	refused(ENOEXEC, "above 4096");
	setup(kldobj_good, kldobj_good_end);
	shdr_named(".bss")->sh_size = 1UL << 40;	/* NOBITS: no file bytes */
	refused(EFBIG, ".bss");
	setup(kldobj_good, kldobj_good_end);
	shdr_named(".data")->sh_name = 0xffffff;
	refused(ENOEXEC, "outside the name table");
	setup(kldobj_good, kldobj_good_end);
	shdr_type(SHT_SYMTAB)->sh_size -= 1;
	refused(ENOEXEC, "does not match 24-byte symbols");
	setup(kldobj_good, kldobj_good_end);
	shdr_type(SHT_SYMTAB)->sh_link = 0;
	refused(ENOEXEC, "string table 0");
	setup(kldobj_good, kldobj_good_end);
	shdr_type(SHT_RELA)->sh_type = SHT_REL;
	refused(ENOEXEC, "REL relocations");
}

KUNIT_TEST(symbol_and_relocation_damage_refused)
{
	Elf64_Rela *r;
	Elf64_Sym *s;
	struct elf64_shdr *rs;

	setup(kldobj_good, kldobj_good_end);
	rs = shdr_named(".rela.text");
	r = (Elf64_Rela *)(img + rs->sh_offset);
	r[0].r_info = RINFO(ELF64_R_SYM(r[0].r_info), 200);
	refused(EOPNOTSUPP, "unknown relocation type 200");
	setup(kldobj_good, kldobj_good_end);
	r[0].r_info = RINFO(ELF64_R_SYM(r[0].r_info), R_X86_64_GOTPCREL);
	refused(EOPNOTSUPP, "unsupported relocation R_X86_64_GOTPCREL ");
	setup(kldobj_good, kldobj_good_end);
	r[0].r_offset = shdr_named(".text")->sh_size - 2;
	refused(ENOEXEC, "outside .text");
	setup(kldobj_good, kldobj_good_end);
	r[0].r_info = RINFO(0xfffffff, ELF64_R_TYPE(r[0].r_info));
	refused(ENOEXEC, "out of range");
	setup(kldobj_good, kldobj_good_end);
	rs->sh_info = 0;
	refused(ENOEXEC, "target section 0");
	setup(kldobj_good, kldobj_good_end);
	s = (Elf64_Sym *)(img + shdr_type(SHT_SYMTAB)->sh_offset);
	s[1].st_shndx = ehdr()->e_shnum + 5;
	refused(ENOEXEC, "section index");
	setup(kldobj_good, kldobj_good_end);
	s[1].st_name = 0xfffffff;
	refused(ENOEXEC, "outside the string table");
}

KUNIT_TEST(unresolved_symbol_named)
{
	setup(kldobj_unres, kldobj_unres_end);
	refused(ENOENT, "unresolved symbol host_missing");
}

KUNIT_TEST(got_relocation_refused)
{
	setup(kldobj_pic, kldobj_pic_end);
	refused(EOPNOTSUPP, "unsupported relocation R_X86_64_REX_GOTPCRELX");
}

/* A 32-bit field cannot reach a symbol past 4 GiB: refused, not cut. */
KUNIT_TEST(relocation_overflow_refused)
{
	setup(kldobj_good, kldobj_good_end);
	counter_value = 0x500000000UL;
	refused(ENOEXEC, "does not fit in 32 bits");
}
