/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Relocatable ELF64 x86-64 objects (ET_REL, what `cc -c` and `ld -r`
 * make) loaded from memory: the checks, the layout, symbol resolution and
 * relocation.  Pure: memory and outside symbols come from the caller, so
 * the hosted tests run the same code as the kernel linker (kld(4)).
 */
#ifndef _SYS_LINK_ELF_H_
#define _SYS_LINK_ELF_H_

#include <sys/types.h>

/* x86-64 psABI relocation types this loader knows by name. */
#define R_X86_64_NONE		0
#define R_X86_64_64		1
#define R_X86_64_PC32		2
#define R_X86_64_GOT32		3
#define R_X86_64_PLT32		4
#define R_X86_64_COPY		5
#define R_X86_64_GLOB_DAT	6
#define R_X86_64_JUMP_SLOT	7
#define R_X86_64_RELATIVE	8
#define R_X86_64_GOTPCREL	9
#define R_X86_64_32		10
#define R_X86_64_32S		11
#define R_X86_64_16		12
#define R_X86_64_PC16		13
#define R_X86_64_8		14
#define R_X86_64_PC8		15
#define R_X86_64_DTPMOD64	16
#define R_X86_64_DTPOFF64	17
#define R_X86_64_TPOFF64	18
#define R_X86_64_TLSGD		19
#define R_X86_64_TLSLD		20
#define R_X86_64_DTPOFF32	21
#define R_X86_64_GOTTPOFF	22
#define R_X86_64_TPOFF32	23
#define R_X86_64_PC64		24
#define R_X86_64_GOTOFF64	25
#define R_X86_64_GOTPC32	26
#define R_X86_64_SIZE32		32
#define R_X86_64_SIZE64		33
#define R_X86_64_GOTPCRELX	41
#define R_X86_64_REX_GOTPCRELX	42

/* Bounds on what an object may ask for. */
#define ELF_OBJ_MAX_SHNUM	4096
#define ELF_OBJ_MAX_ALIGN	4096		/* the allocator's page */
#define ELF_OBJ_MAX_MEM		(64UL << 20)	/* laid-out size */

/*
 * What the caller provides.  alloc returns zeroed, page-aligned memory,
 * within 2 GiB of every address lookup can return (the relocations of
 * code built with -mcmodel=kernel are 32 bits wide), or NULL.  lookup
 * gives the value of a symbol the object uses but does not define: 0 if
 * found, else ENOENT.
 */
struct elf_obj_env {
	void	*(*alloc)(size_t size, void *arg);
	void	(*free)(void *mem, size_t size, void *arg);
	int	(*lookup)(const char *name, uint64_t *value, void *arg);
	void	*arg;
};

/* A loaded section (SHF_ALLOC, non-empty). */
struct elf_obj_sect {
	const char	*name;		/* in the image's section name table */
	uintptr_t	addr;
	uint64_t	size;
};

/*
 * A loaded object.  It points into the image it was loaded from (names,
 * the symbol table), which must stay unchanged while the object lives:
 * the kernel linker loads from its own private copy.
 */
struct elf_obj {
	const uint8_t		*eo_image;
	size_t			eo_size;
	void			*eo_mem;	/* from env->alloc */
	size_t			eo_memsize;
	uintptr_t		*eo_secaddr;	/* per section: address or 0 */
	uint32_t		eo_shnum;
	struct elf_obj_sect	*eo_sects;	/* loaded sections */
	int			eo_nsects;
	const void		*eo_syms;	/* Elf64_Sym[eo_nsyms] */
	uint32_t		eo_nsyms;
	const char		*eo_strtab;
	uint64_t		eo_strsz;
};

/*
 * Checks the image (every offset, size, index and alignment against the
 * image and each other), lays out and copies its SHF_ALLOC sections into
 * memory from env->alloc, resolves its undefined symbols (a module's
 * __start_set_X/__stop_set_X are the bounds of its own section set_X;
 * everything else through env->lookup; an unresolved weak symbol is 0)
 * and applies its RELA relocations.  0, or an errno with a one-line
 * reason in err (ENOEXEC: malformed or not for this machine; ENOENT: an
 * unresolved symbol, named; EOPNOTSUPP: a relocation type, named;
 * EFBIG: too large; ENOMEM) and nothing left allocated.
 */
int	elf_obj_load(struct elf_obj *eo, const void *image, size_t size,
	    const struct elf_obj_env *env, char *err, size_t errlen);
/* Frees what elf_obj_load allocated. */
void	elf_obj_unload(struct elf_obj *eo, const struct elf_obj_env *env);
/* The address of a global symbol the object defines: 0 or ENOENT. */
int	elf_obj_lookup(const struct elf_obj *eo, const char *name,
	    uint64_t *value);
/* A loaded section by name, or NULL. */
const struct elf_obj_sect *elf_obj_section(const struct elf_obj *eo,
	    const char *name);
/* "R_X86_64_GOTPCREL" for a type, or NULL if this file does not know it. */
const char *elf_reloc_name(uint32_t type);

#endif /* !_SYS_LINK_ELF_H_ */
