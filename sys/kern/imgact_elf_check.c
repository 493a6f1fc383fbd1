/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ELF64 header and program header checks (see sys/imgact_elf.h).  Pure:
 * the hosted tests run this file unchanged.  Everything here comes from
 * a file a user may have written, so every offset and size is checked
 * for overflow before use.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/imgact_elf.h>

#include <linux/elf.h>

int
elf_check_header(const struct elf64_hdr *eh, uint64_t filesize)
{
	if (filesize < sizeof(*eh) ||
	    eh->e_ident[EI_MAG0] != ELFMAG0 || eh->e_ident[EI_MAG1] != ELFMAG1 ||
	    eh->e_ident[EI_MAG2] != ELFMAG2 || eh->e_ident[EI_MAG3] != ELFMAG3 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT ||
	    eh->e_machine != EM_X86_64 ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN))
		return (ENOEXEC);
	if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_MAX_PHNUM || eh->e_phoff > filesize ||
	    (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr) >
	    filesize - eh->e_phoff)
		return (ENOEXEC);
	return (0);
}

int
elf_check_phdrs(const struct elf64_hdr *eh, const struct elf64_phdr *ph,
    uint64_t filesize, uint64_t maxuser, struct elf_layout *el)
{
	uint64_t prev_end = 0;
	bool have_interp = false;

	el->el_lo = UINT64_MAX;
	el->el_hi = 0;
	el->el_entry = eh->e_entry;
	el->el_phdr = 0;
	el->el_interp_off = 0;
	el->el_interp_len = 0;
	el->el_nload = 0;
	el->el_dyn = eh->e_type == ET_DYN;
	el->el_execstack = false;
	for (int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = &ph[i];

		switch (p->p_type) {
		case PT_LOAD:
			if (p->p_filesz > p->p_memsz ||
			    p->p_offset > filesize ||
			    p->p_filesz > filesize - p->p_offset ||
			    p->p_vaddr >= maxuser ||
			    p->p_memsz > maxuser - p->p_vaddr ||
			    (p->p_vaddr & PAGE_MASK) != (p->p_offset & PAGE_MASK))
				return (ENOEXEC);
			/* Ascending, and no page of one inside the next's span. */
			if (p->p_vaddr < prev_end)
				return (ENOEXEC);
			if (p->p_memsz == 0)
				break;
			prev_end = p->p_vaddr + p->p_memsz;
			el->el_lo = MIN(el->el_lo, trunc_page(p->p_vaddr));
			el->el_hi = MAX(el->el_hi, round_page(prev_end));
			/* The program headers, if a load carries them. */
			if (el->el_phdr == 0 && eh->e_phoff >= p->p_offset &&
			    eh->e_phoff - p->p_offset < p->p_filesz)
				el->el_phdr = p->p_vaddr + (eh->e_phoff - p->p_offset);
			el->el_nload++;
			break;
		case PT_PHDR:
			el->el_phdr = p->p_vaddr;
			break;
		case PT_INTERP:
			if (have_interp || p->p_filesz < 2 ||
			    p->p_filesz > ELF_MAX_INTERP ||
			    p->p_offset > filesize ||
			    p->p_filesz > filesize - p->p_offset)
				return (ENOEXEC);
			have_interp = true;
			el->el_interp_off = p->p_offset;
			el->el_interp_len = p->p_filesz;
			break;
		case PT_GNU_STACK:
			el->el_execstack = (p->p_flags & PF_X) != 0;
			break;
		default:
			break;
		}
	}
	if (el->el_nload == 0 || el->el_hi > maxuser)
		return (ENOEXEC);
	return (0);
}
