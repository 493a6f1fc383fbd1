/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * elf_check_header() and elf_check_phdrs(): a well-formed executable's
 * layout, and each malformation a hostile file could carry refused with
 * ENOEXEC before anything is mapped (overflowing sizes and offsets
 * included).  The images are built here field by field.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/imgact_elf.h>
#include <sys/systm.h>

#include <linux/elf.h>

#include "kunit.h"

#define FILESIZE	0x20000UL
#define MAXUSER		0x00007ffffffff000UL

static struct elf64_hdr	eh;
static struct elf64_phdr ph[4];
static struct elf_layout el;

/* A static executable: text at 0x400000, data at 0x401000, PT_GNU_STACK. */
static void
good(void)
{
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_entry = 0x400100;
	eh.e_phoff = sizeof(eh);
	eh.e_phentsize = sizeof(struct elf64_phdr);
	eh.e_phnum = 3;
	memset(ph, 0, sizeof(ph));
	ph[0].p_type = PT_LOAD;
	ph[0].p_flags = PF_R | PF_X;
	ph[0].p_offset = 0;
	ph[0].p_vaddr = 0x400000;
	ph[0].p_filesz = 0x800;
	ph[0].p_memsz = 0x800;
	ph[1].p_type = PT_LOAD;
	ph[1].p_flags = PF_R | PF_W;
	ph[1].p_offset = 0x1010;
	ph[1].p_vaddr = 0x401010;
	ph[1].p_filesz = 0x100;
	ph[1].p_memsz = 0x3000;
	ph[2].p_type = PT_GNU_STACK;
	ph[2].p_flags = PF_R | PF_W;
}

static int
check(void)
{
	int error = elf_check_header(&eh, FILESIZE);

	return (error != 0 ? error : elf_check_phdrs(&eh, ph, FILESIZE, MAXUSER,
	    &el));
}

KUNIT_TEST(elf_good_layout)
{
	good();
	KU_ASSERT(check() == 0, "a well-formed executable refused");
	KU_ASSERT(el.el_lo == 0x400000, "lowest page %#lx", el.el_lo);
	/* 0x401010 + 0x3000 = 0x404010, page rounded. */
	KU_ASSERT(el.el_hi == 0x405000, "end %#lx", el.el_hi);
	KU_ASSERT(el.el_entry == 0x400100, "entry %#lx", el.el_entry);
	/* Headers at file offset 64, inside the first load. */
	KU_ASSERT(el.el_phdr == 0x400040, "phdr %#lx", el.el_phdr);
	KU_ASSERT(el.el_nload == 2 && !el.el_dyn && !el.el_execstack &&
	    el.el_interp_len == 0, "nload %d dyn %d", el.el_nload, el.el_dyn);
}

KUNIT_TEST(elf_interp_recorded)
{
	good();
	ph[2].p_type = PT_INTERP;
	ph[2].p_offset = 0x200;
	ph[2].p_filesz = 28;
	eh.e_type = ET_DYN;
	KU_ASSERT(check() == 0, "a dynamic executable refused");
	KU_ASSERT(el.el_interp_off == 0x200 && el.el_interp_len == 28 &&
	    el.el_dyn, "interp at %#lx len %lu", el.el_interp_off,
	    el.el_interp_len);
	ph[3] = ph[2];
	eh.e_phnum = 4;
	KU_ASSERT(check() == ENOEXEC, "two PT_INTERP accepted");
	eh.e_phnum = 3;
	ph[2].p_filesz = ELF_MAX_INTERP + 1;
	KU_ASSERT(check() == ENOEXEC, "an interpreter path of %d bytes",
	    ELF_MAX_INTERP + 1);
}

KUNIT_TEST(elf_bad_headers)
{
	good();
	eh.e_ident[EI_MAG1] = 'X';
	KU_ASSERT(check() == ENOEXEC, "bad magic");
	good();
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	KU_ASSERT(check() == ENOEXEC, "32-bit class");
	good();
	eh.e_ident[EI_DATA] = ELFDATA2MSB;
	KU_ASSERT(check() == ENOEXEC, "big-endian");
	good();
	eh.e_machine = EM_386;
	KU_ASSERT(check() == ENOEXEC, "i386");
	good();
	eh.e_type = ET_REL;
	KU_ASSERT(check() == ENOEXEC, "relocatable object");
	good();
	KU_ASSERT(elf_check_header(&eh, sizeof(eh) - 1) == ENOEXEC,
	    "file shorter than its header");
}

KUNIT_TEST(elf_bad_phdr_table)
{
	good();
	eh.e_phnum = 0;
	KU_ASSERT(check() == ENOEXEC, "no program headers");
	good();
	eh.e_phnum = ELF_MAX_PHNUM + 1;
	KU_ASSERT(check() == ENOEXEC, "too many program headers");
	good();
	eh.e_phentsize = 40;
	KU_ASSERT(check() == ENOEXEC, "wrong entry size");
	good();
	eh.e_phoff = FILESIZE - 10;
	KU_ASSERT(check() == ENOEXEC, "table past the end of the file");
	good();
	eh.e_phoff = UINT64_MAX - 8;
	KU_ASSERT(check() == ENOEXEC, "table offset that wraps");
}

KUNIT_TEST(elf_bad_loads)
{
	good();
	ph[1].p_filesz = ph[1].p_memsz + 1;
	KU_ASSERT(check() == ENOEXEC, "filesz > memsz");
	good();
	ph[1].p_offset = FILESIZE - 0x10;
	ph[1].p_vaddr = 0x400000 + (FILESIZE - 0x10) + 0x1000;
	KU_ASSERT(check() == ENOEXEC, "file bytes past the end");
	good();
	ph[1].p_offset = UINT64_MAX & ~0xfffUL;
	KU_ASSERT(check() == ENOEXEC, "offset that wraps");
	good();
	ph[1].p_vaddr = UINT64_MAX - 0xfff + 0x010;
	KU_ASSERT(check() == ENOEXEC, "vaddr near the top of the address space");
	good();
	ph[1].p_memsz = UINT64_MAX - 0x1000;
	KU_ASSERT(check() == ENOEXEC, "memsz that wraps vaddr + memsz");
	good();
	ph[1].p_vaddr = MAXUSER - 0x1000 + 0x010;
	KU_ASSERT(check() == ENOEXEC, "segment running out of user space");
	good();
	ph[1].p_vaddr = 0x401020;
	KU_ASSERT(check() == ENOEXEC, "vaddr and offset not congruent");
	good();
	ph[1].p_vaddr = 0x300010;
	ph[1].p_offset = 0x10;
	KU_ASSERT(check() == ENOEXEC, "loads out of order");
	good();
	ph[1].p_vaddr = 0x400010 + 0x1000 - 0x1000;
	ph[1].p_offset = 0x10;
	KU_ASSERT(check() == ENOEXEC, "overlapping loads");
	good();
	ph[0].p_type = PT_NOTE;
	ph[1].p_type = PT_NOTE;
	KU_ASSERT(check() == ENOEXEC, "nothing to load");
}
