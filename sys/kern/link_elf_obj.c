/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Relocatable ELF64 x86-64 objects loaded from memory (sys/link_elf.h).
 * The image is hostile until checked: every header, section, symbol and
 * relocation field is checked against the image, and the loaded sections,
 * before it is used.  Nothing of the object runs here.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/link_elf.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <linux/elf.h>

#include <stdarg.h>

MALLOC_DEFINE(M_LINKER, "linker", "kernel linker");

static const struct {
	uint32_t	type;
	const char	*name;
} reloc_names[] = {
#define RN(t)	{ R_X86_64_##t, "R_X86_64_" #t }
	RN(NONE), RN(64), RN(PC32), RN(GOT32), RN(PLT32), RN(COPY),
	RN(GLOB_DAT), RN(JUMP_SLOT), RN(RELATIVE), RN(GOTPCREL), RN(32),
	RN(32S), RN(16), RN(PC16), RN(8), RN(PC8), RN(DTPMOD64),
	RN(DTPOFF64), RN(TPOFF64), RN(TLSGD), RN(TLSLD), RN(DTPOFF32),
	RN(GOTTPOFF), RN(TPOFF32), RN(PC64), RN(GOTOFF64), RN(GOTPC32),
	RN(SIZE32), RN(SIZE64), RN(GOTPCRELX), RN(REX_GOTPCRELX),
#undef RN
};

const char *
elf_reloc_name(uint32_t type)
{
	for (size_t i = 0; i < nitems(reloc_names); i++)
		if (reloc_names[i].type == type)
			return (reloc_names[i].name);
	return (NULL);
}

struct ld_ctx {
	const uint8_t		*img;
	size_t			size;
	const struct elf64_hdr	*eh;
	const struct elf64_shdr	*sh;
	uint16_t		shnum;
	const char		*shstr;
	uint64_t		shstrsz;
	uint64_t		*secoff;	/* layout offset per section */
	char			*err;
	size_t			errlen;
};

static int __printflike(3, 4)
fail(struct ld_ctx *c, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return (error);
}

/* [off, off + len) lies inside the image. */
static bool
in_image(const struct ld_ctx *c, uint64_t off, uint64_t len)
{
	return (off <= c->size && len <= c->size - off);
}

/* A NUL-terminated name at off in a table of sz bytes, or NULL. */
static const char *
table_str(const char *tab, uint64_t sz, uint64_t off)
{
	if (off >= sz || strnlen(tab + off, sz - off) == sz - off)
		return (NULL);
	return (tab + off);
}

static const char *
sect_name(const struct ld_ctx *c, uint32_t i)
{
	const char *n = table_str(c->shstr, c->shstrsz, c->sh[i].sh_name);

	return (n != NULL ? n : "?");
}

static bool
loaded(const struct elf64_shdr *s)
{
	return ((s->sh_flags & SHF_ALLOC) != 0 && s->sh_size > 0);
}

static int
check_header(struct ld_ctx *c)
{
	const struct elf64_hdr *eh = c->eh;
	uint64_t tabsz;

	if (c->size < sizeof(*eh))
		return (fail(c, ENOEXEC, "truncated: %zu bytes, an ELF header "
		    "is %zu", c->size, sizeof(*eh)));
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return (fail(c, ENOEXEC, "not an ELF file (bad magic)"));
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT ||
	    eh->e_version != EV_CURRENT)
		return (fail(c, ENOEXEC, "not a little-endian ELF64 object "
		    "of version 1"));
	if (eh->e_type != ET_REL)
		return (fail(c, ENOEXEC, "ELF type %u is not ET_REL (a "
		    "module is a relocatable object)", eh->e_type));
	if (eh->e_machine != EM_X86_64)
		return (fail(c, ENOEXEC, "wrong machine %u (x86-64 is %u)",
		    eh->e_machine, EM_X86_64));
	if (eh->e_ehsize != sizeof(*eh))
		return (fail(c, ENOEXEC, "ELF header size %u, not %zu",
		    eh->e_ehsize, sizeof(*eh)));
	if (eh->e_shentsize != sizeof(struct elf64_shdr))
		return (fail(c, ENOEXEC, "section header size %u, not %zu",
		    eh->e_shentsize, sizeof(struct elf64_shdr)));
	if (eh->e_shnum == 0 || eh->e_shnum > ELF_OBJ_MAX_SHNUM)
		return (fail(c, ENOEXEC, "%u section headers (1 to %u)",
		    eh->e_shnum, ELF_OBJ_MAX_SHNUM));
	tabsz = (uint64_t)eh->e_shnum * sizeof(struct elf64_shdr);
	if (!in_image(c, eh->e_shoff, tabsz))
		return (fail(c, ENOEXEC, "section headers at %#llx (+%#llx) "
		    "past the end of the image (%zu bytes)",
		    (unsigned long long)eh->e_shoff,
		    (unsigned long long)tabsz, c->size));
	if (eh->e_shoff % 8 != 0)
		return (fail(c, ENOEXEC, "section headers misaligned at %#llx",
		    (unsigned long long)eh->e_shoff));
	if (eh->e_shstrndx == SHN_UNDEF || eh->e_shstrndx >= eh->e_shnum)
		return (fail(c, ENOEXEC, "section name table index %u out of "
		    "range", eh->e_shstrndx));
	c->sh = (const struct elf64_shdr *)(c->img + eh->e_shoff);
	c->shnum = eh->e_shnum;
	return (0);
}

static int
check_sections(struct ld_ctx *c)
{
	const struct elf64_shdr *ss = &c->sh[c->eh->e_shstrndx];

	if (ss->sh_type != SHT_STRTAB || !in_image(c, ss->sh_offset,
	    ss->sh_size) || ss->sh_size == 0)
		return (fail(c, ENOEXEC, "bad section name table"));
	c->shstr = (const char *)(c->img + ss->sh_offset);
	c->shstrsz = ss->sh_size;
	for (uint32_t i = 1; i < c->shnum; i++) {
		const struct elf64_shdr *s = &c->sh[i];
		uint64_t al = s->sh_addralign;

		if (table_str(c->shstr, c->shstrsz, s->sh_name) == NULL)
			return (fail(c, ENOEXEC, "section %u: name offset %u "
			    "outside the name table", i, s->sh_name));
		if (s->sh_type != SHT_NOBITS && s->sh_type != SHT_NULL &&
		    !in_image(c, s->sh_offset, s->sh_size))
			return (fail(c, ENOEXEC, "section %u (%s): offset %#llx "
			    "size %#llx past the end of the image (%zu bytes)",
			    i, sect_name(c, i),
			    (unsigned long long)s->sh_offset,
			    (unsigned long long)s->sh_size, c->size));
		if (al != 0 && (al & (al - 1)) != 0)
			return (fail(c, ENOEXEC, "section %u (%s): alignment "
			    "%llu is not a power of two", i, sect_name(c, i),
			    (unsigned long long)al));
		if (loaded(s) && al > ELF_OBJ_MAX_ALIGN)
			return (fail(c, ENOEXEC, "section %u (%s): alignment "
			    "%llu above %u", i, sect_name(c, i),
			    (unsigned long long)al, ELF_OBJ_MAX_ALIGN));
		if (loaded(s) && s->sh_size > ELF_OBJ_MAX_MEM)
			return (fail(c, EFBIG, "section %u (%s): %llu bytes",
			    i, sect_name(c, i), (unsigned long long)s->sh_size));
		if (s->sh_type == SHT_REL)
			return (fail(c, ENOEXEC, "section %u (%s): REL "
			    "relocations (x86-64 objects use RELA)", i,
			    sect_name(c, i)));
	}
	return (0);
}

static int
find_symtab(struct ld_ctx *c, struct elf_obj *eo)
{
	const struct elf64_shdr *st = NULL, *str;
	uint32_t idx = 0;

	for (uint32_t i = 1; i < c->shnum; i++) {
		if (c->sh[i].sh_type != SHT_SYMTAB)
			continue;
		if (st != NULL)
			return (fail(c, ENOEXEC, "more than one symbol table"));
		st = &c->sh[i];
		idx = i;
	}
	if (st == NULL)
		return (fail(c, ENOEXEC, "no symbol table"));
	if (st->sh_entsize != sizeof(Elf64_Sym) ||
	    st->sh_size % sizeof(Elf64_Sym) != 0 ||
	    st->sh_size / sizeof(Elf64_Sym) > UINT32_MAX ||
	    st->sh_offset % 8 != 0)
		return (fail(c, ENOEXEC, "symbol table %u: size %llu or entry "
		    "size %llu does not match %zu-byte symbols", idx,
		    (unsigned long long)st->sh_size,
		    (unsigned long long)st->sh_entsize, sizeof(Elf64_Sym)));
	if (st->sh_link == 0 || st->sh_link >= c->shnum ||
	    c->sh[st->sh_link].sh_type != SHT_STRTAB)
		return (fail(c, ENOEXEC, "symbol table %u: string table %u "
		    "is not one", idx, st->sh_link));
	str = &c->sh[st->sh_link];
	if (str->sh_size == 0)
		return (fail(c, ENOEXEC, "empty symbol string table"));
	eo->eo_syms = c->img + st->sh_offset;
	eo->eo_nsyms = (uint32_t)(st->sh_size / sizeof(Elf64_Sym));
	eo->eo_strtab = (const char *)(c->img + str->sh_offset);
	eo->eo_strsz = str->sh_size;
	return (0);
}

/* Offsets of the SHF_ALLOC sections in one block, in header order. */
static int
layout(struct ld_ctx *c, size_t *total)
{
	uint64_t off = 0;

	for (uint32_t i = 1; i < c->shnum; i++) {
		const struct elf64_shdr *s = &c->sh[i];
		uint64_t al = MAX(s->sh_addralign, 1);

		if (!loaded(s))
			continue;
		off = roundup2(off, al);
		c->secoff[i] = off;
		off += s->sh_size;
		if (off > ELF_OBJ_MAX_MEM)
			return (fail(c, EFBIG, "laid out, the sections need "
			    "more than %lu bytes", ELF_OBJ_MAX_MEM));
	}
	*total = (size_t)roundup2(MAX(off, 1), ELF_OBJ_MAX_ALIGN);
	return (0);
}

static const char *
sym_name(const struct elf_obj *eo, const Elf64_Sym *sym)
{
	const char *n = table_str(eo->eo_strtab, eo->eo_strsz, sym->st_name);

	return (n != NULL ? n : "?");
}

/* A module's own set bounds: __start_set_X and __stop_set_X. */
static bool
set_bound(const struct elf_obj *eo, const char *name, uint64_t *value)
{
	const struct elf_obj_sect *es;
	bool start;

	if (strncmp(name, "__start_", 8) == 0)
		start = true;
	else if (strncmp(name, "__stop_", 7) == 0)
		start = false;
	else
		return (false);
	name += start ? 8 : 7;
	if (strncmp(name, "set_", 4) != 0 ||
	    (es = elf_obj_section(eo, name)) == NULL)
		return (false);
	*value = es->addr + (start ? 0 : es->size);
	return (true);
}

/* Checks every symbol, then gives each its final value (in place). */
static int
resolve(struct ld_ctx *c, struct elf_obj *eo, uint64_t *val,
    const struct elf_obj_env *env)
{
	const Elf64_Sym *syms = eo->eo_syms;
	const char *first = NULL;
	int unresolved = 0;

	for (uint32_t i = 1; i < eo->eo_nsyms; i++) {
		const Elf64_Sym *sym = &syms[i];
		const char *name;
		int bind = ELF64_ST_BIND(sym->st_info);

		if (table_str(eo->eo_strtab, eo->eo_strsz, sym->st_name) ==
		    NULL)
			return (fail(c, ENOEXEC, "symbol %u: name offset %u "
			    "outside the string table", i, sym->st_name));
		name = sym_name(eo, sym);
		switch (sym->st_shndx) {
		case SHN_UNDEF:
			if (set_bound(eo, name, &val[i]))
				break;
			if (env->lookup(name, &val[i], env->arg) == 0)
				break;
			val[i] = 0;
			if (bind == STB_WEAK)
				break;
			if (unresolved++ == 0)
				first = name;
			printf("kld: unresolved symbol %s\n", name);
			break;
		case SHN_ABS:
			val[i] = sym->st_value;
			break;
		case SHN_COMMON:
			return (fail(c, ENOEXEC, "common symbol %s (build with "
			    "-fno-common)", name));
		default:
			if (sym->st_shndx >= c->shnum)
				return (fail(c, ENOEXEC, "symbol %s: section "
				    "index %u out of range", name,
				    sym->st_shndx));
			if (!loaded(&c->sh[sym->st_shndx])) {
				/* Debug and other unloaded sections. */
				val[i] = 0;
				break;
			}
			if (sym->st_value > c->sh[sym->st_shndx].sh_size ||
			    sym->st_size > c->sh[sym->st_shndx].sh_size -
			    sym->st_value)
				return (fail(c, ENOEXEC, "symbol %s: value %#llx "
				    "size %#llx outside section %s", name,
				    (unsigned long long)sym->st_value,
				    (unsigned long long)sym->st_size,
				    sect_name(c, sym->st_shndx)));
			val[i] = eo->eo_secaddr[sym->st_shndx] + sym->st_value;
			break;
		}
	}
	if (unresolved > 0)
		return (fail(c, ENOENT, "unresolved symbol %s%s", first,
		    unresolved > 1 ? " (and others)" : ""));
	return (0);
}

/* The relocation types of one RELA section, before anything is resolved. */
static int
check_rela_types(struct ld_ctx *c, uint32_t ri)
{
	const struct elf64_shdr *rs = &c->sh[ri];
	const Elf64_Rela *r;
	const char *tn;

	if (rs->sh_info == 0 || rs->sh_info >= c->shnum ||
	    !loaded(&c->sh[rs->sh_info]) || rs->sh_entsize !=
	    sizeof(Elf64_Rela) || rs->sh_size % sizeof(Elf64_Rela) != 0)
		return (0);	/* apply_rela reports, or skips, these */
	r = (const Elf64_Rela *)(c->img + rs->sh_offset);
	for (uint64_t k = 0; k < rs->sh_size / sizeof(Elf64_Rela); k++) {
		uint32_t type = (uint32_t)ELF64_R_TYPE(r[k].r_info);

		switch (type) {
		case R_X86_64_NONE:
		case R_X86_64_64:
		case R_X86_64_PC64:
		case R_X86_64_PC32:
		case R_X86_64_PLT32:
		case R_X86_64_32:
		case R_X86_64_32S:
			continue;
		}
		if ((tn = elf_reloc_name(type)) != NULL)
			return (fail(c, EOPNOTSUPP, "unsupported relocation %s "
			    "in %s (build with -mcmodel=kernel -fno-pic)", tn,
			    sect_name(c, ri)));
		return (fail(c, EOPNOTSUPP, "unknown relocation type %u in %s",
		    type, sect_name(c, ri)));
	}
	return (0);
}

static int
apply_rela(struct ld_ctx *c, struct elf_obj *eo, uint32_t ri,
    const uint64_t *val)
{
	const struct elf64_shdr *rs = &c->sh[ri];
	const struct elf64_shdr *ts;
	const Elf64_Rela *r;
	uint64_t n;

	if (rs->sh_entsize != sizeof(Elf64_Rela) ||
	    rs->sh_size % sizeof(Elf64_Rela) != 0 || rs->sh_offset % 8 != 0)
		return (fail(c, ENOEXEC, "relocations %s: size %llu or entry "
		    "size %llu does not match %zu-byte entries",
		    sect_name(c, ri), (unsigned long long)rs->sh_size,
		    (unsigned long long)rs->sh_entsize, sizeof(Elf64_Rela)));
	if (rs->sh_info == 0 || rs->sh_info >= c->shnum)
		return (fail(c, ENOEXEC, "relocations %s: target section %u "
		    "out of range", sect_name(c, ri), rs->sh_info));
	ts = &c->sh[rs->sh_info];
	if (!loaded(ts))
		return (0);	/* debug information: not loaded, not needed */
	if (ts->sh_type == SHT_NOBITS)
		return (fail(c, ENOEXEC, "relocations %s target %s, which has "
		    "no contents", sect_name(c, ri), sect_name(c, rs->sh_info)));
	if (rs->sh_link >= c->shnum ||
	    c->sh[rs->sh_link].sh_type != SHT_SYMTAB)
		return (fail(c, ENOEXEC, "relocations %s: symbol table %u is "
		    "not the symbol table", sect_name(c, ri), rs->sh_link));
	r = (const Elf64_Rela *)(c->img + rs->sh_offset);
	n = rs->sh_size / sizeof(Elf64_Rela);
	for (uint64_t k = 0; k < n; k++) {
		uint32_t type = (uint32_t)ELF64_R_TYPE(r[k].r_info);
		uint64_t si = ELF64_R_SYM(r[k].r_info);
		uint64_t off = r[k].r_offset, width, s, p, v;
		uint8_t *where;
		const char *tn;

		switch (type) {
		case R_X86_64_NONE:
			continue;
		case R_X86_64_64:
		case R_X86_64_PC64:
			width = 8;
			break;
		case R_X86_64_PC32:
		case R_X86_64_PLT32:
		case R_X86_64_32:
		case R_X86_64_32S:
			width = 4;
			break;
		default:
			tn = elf_reloc_name(type);
			if (tn != NULL)
				return (fail(c, EOPNOTSUPP, "unsupported "
				    "relocation %s in %s (build with "
				    "-mcmodel=kernel -fno-pic)", tn,
				    sect_name(c, ri)));
			return (fail(c, EOPNOTSUPP, "unknown relocation type %u "
			    "in %s", type, sect_name(c, ri)));
		}
		if (si == 0 || si >= eo->eo_nsyms)
			return (fail(c, ENOEXEC, "relocation %llu in %s: symbol "
			    "%llu out of range", (unsigned long long)k,
			    sect_name(c, ri), (unsigned long long)si));
		if (off > ts->sh_size || width > ts->sh_size - off)
			return (fail(c, ENOEXEC, "relocation %llu in %s: offset "
			    "%#llx outside %s (%#llx bytes)",
			    (unsigned long long)k, sect_name(c, ri),
			    (unsigned long long)off, sect_name(c, rs->sh_info),
			    (unsigned long long)ts->sh_size));
		s = val[si];
		p = eo->eo_secaddr[rs->sh_info] + off;
		where = (uint8_t *)(uintptr_t)p;
		v = s + (uint64_t)r[k].r_addend;
		switch (type) {
		case R_X86_64_64:
			break;
		case R_X86_64_PC64:
			v -= p;
			break;
		case R_X86_64_PC32:
		case R_X86_64_PLT32:
			v -= p;
			/* FALLTHROUGH */
		case R_X86_64_32S:
			if ((int64_t)v != (int64_t)(int32_t)v)
				goto overflow;
			break;
		case R_X86_64_32:
			if (v != (uint32_t)v)
				goto overflow;
			break;
		}
		memcpy(where, &v, width);	/* little-endian: low bytes */
		continue;
overflow:
		return (fail(c, ENOEXEC, "relocation %s against %s in %s: "
		    "%#llx does not fit in 32 bits", elf_reloc_name(type),
		    sym_name(eo, &((const Elf64_Sym *)eo->eo_syms)[si]),
		    sect_name(c, ri), (unsigned long long)v));
	}
	return (0);
}

int
elf_obj_load(struct elf_obj *eo, const void *image, size_t size,
    const struct elf_obj_env *env, char *err, size_t errlen)
{
	struct ld_ctx c;
	uint64_t *val = NULL;
	size_t total = 0;
	int error, n;

	memset(eo, 0, sizeof(*eo));
	memset(&c, 0, sizeof(c));
	c.img = image;
	c.size = size;
	c.eh = image;
	c.err = err;
	c.errlen = errlen;
	err[0] = '\0';
	if ((error = check_header(&c)) != 0 ||
	    (error = check_sections(&c)) != 0 ||
	    (error = find_symtab(&c, eo)) != 0)
		return (error);
	eo->eo_image = image;
	eo->eo_size = size;
	eo->eo_shnum = c.shnum;
	c.secoff = mallocarray(c.shnum, sizeof(*c.secoff), M_LINKER,
	    M_WAITOK | M_ZERO);
	if ((error = layout(&c, &total)) != 0)
		goto out;
	eo->eo_secaddr = mallocarray(c.shnum, sizeof(*eo->eo_secaddr),
	    M_LINKER, M_WAITOK | M_ZERO);
	n = 0;
	for (uint32_t i = 1; i < c.shnum; i++)
		n += loaded(&c.sh[i]);
	eo->eo_sects = mallocarray(MAX(n, 1), sizeof(*eo->eo_sects),
	    M_LINKER, M_WAITOK | M_ZERO);
	if ((eo->eo_mem = env->alloc(total, env->arg)) == NULL) {
		error = fail(&c, ENOMEM, "no memory for %zu bytes", total);
		goto out;
	}
	eo->eo_memsize = total;
	for (uint32_t i = 1; i < c.shnum; i++) {
		const struct elf64_shdr *s = &c.sh[i];
		struct elf_obj_sect *es;

		if (!loaded(s))
			continue;
		eo->eo_secaddr[i] = (uintptr_t)eo->eo_mem + c.secoff[i];
		if (s->sh_type != SHT_NOBITS)
			memcpy((void *)eo->eo_secaddr[i], c.img + s->sh_offset,
			    s->sh_size);
		es = &eo->eo_sects[eo->eo_nsects++];
		es->name = sect_name(&c, i);
		es->addr = eo->eo_secaddr[i];
		es->size = s->sh_size;
	}
	for (uint32_t i = 1; i < c.shnum; i++)
		if (c.sh[i].sh_type == SHT_RELA &&
		    (error = check_rela_types(&c, i)) != 0)
			goto out;
	val = mallocarray(eo->eo_nsyms, sizeof(*val), M_LINKER,
	    M_WAITOK | M_ZERO);
	if ((error = resolve(&c, eo, val, env)) != 0)
		goto out;
	for (uint32_t i = 1; i < c.shnum; i++)
		if (c.sh[i].sh_type == SHT_RELA &&
		    (error = apply_rela(&c, eo, i, val)) != 0)
			goto out;
out:
	free(val, M_LINKER);
	free(c.secoff, M_LINKER);
	if (error != 0)
		elf_obj_unload(eo, env);
	return (error);
}

void
elf_obj_unload(struct elf_obj *eo, const struct elf_obj_env *env)
{
	if (eo->eo_mem != NULL)
		env->free(eo->eo_mem, eo->eo_memsize, env->arg);
	free(eo->eo_secaddr, M_LINKER);
	free(eo->eo_sects, M_LINKER);
	memset(eo, 0, sizeof(*eo));
}

int
elf_obj_lookup(const struct elf_obj *eo, const char *name, uint64_t *value)
{
	const Elf64_Sym *syms = eo->eo_syms;

	for (uint32_t i = 1; i < eo->eo_nsyms; i++) {
		const Elf64_Sym *sym = &syms[i];
		int bind = ELF64_ST_BIND(sym->st_info);

		if ((bind != STB_GLOBAL && bind != STB_WEAK) ||
		    sym->st_shndx == SHN_UNDEF || sym->st_shndx == SHN_COMMON ||
		    strcmp(sym_name(eo, sym), name) != 0)
			continue;
		if (sym->st_shndx == SHN_ABS)
			*value = sym->st_value;
		else if (sym->st_shndx < eo->eo_shnum &&
		    eo->eo_secaddr[sym->st_shndx] != 0)
			*value = eo->eo_secaddr[sym->st_shndx] + sym->st_value;
		else
			continue;
		return (0);
	}
	return (ENOENT);
}

const struct elf_obj_sect *
elf_obj_section(const struct elf_obj *eo, const char *name)
{
	for (int i = 0; i < eo->eo_nsects; i++)
		if (strcmp(eo->eo_sects[i].name, name) == 0)
			return (&eo->eo_sects[i]);
	return (NULL);
}
