/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * kld_corrupt MODE IN OUT: a damaged copy of a module for the kld(4)
 * refusal tests (a host program, built by mk/kld.mk).
 *   trunc    the first half of the file only
 *   machine  e_machine says i386
 *   shoff    .text's sh_offset points past the end of the file
 *   symsize  the symbol table's sh_size is not a whole number of symbols
 */
#include <elf.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char	*buf;
static long		len;

static Elf64_Shdr *
section(const char *name, Elf64_Word type)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Shdr *sh = (Elf64_Shdr *)(buf + eh->e_shoff);
	const char *str = (const char *)buf + sh[eh->e_shstrndx].sh_offset;

	for (int i = 0; i < eh->e_shnum; i++)
		if ((name != NULL && strcmp(str + sh[i].sh_name, name) == 0) ||
		    (name == NULL && sh[i].sh_type == type))
			return (&sh[i]);
	errx(1, "no section %s", name != NULL ? name : "of that type");
}

int
main(int argc, char **argv)
{
	FILE *f;

	if (argc != 4)
		errx(2, "usage: kld_corrupt trunc|machine|shoff|symsize in out");
	if ((f = fopen(argv[2], "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (len = ftell(f)) < (long)sizeof(Elf64_Ehdr) ||
	    fseek(f, 0, SEEK_SET) != 0)
		err(1, "%s", argv[2]);
	if ((buf = malloc((size_t)len)) == NULL ||
	    fread(buf, 1, (size_t)len, f) != (size_t)len)
		err(1, "%s", argv[2]);
	fclose(f);
	if (strcmp(argv[1], "trunc") == 0)
		len /= 2;
	else if (strcmp(argv[1], "machine") == 0)
		((Elf64_Ehdr *)buf)->e_machine = EM_386;
	else if (strcmp(argv[1], "shoff") == 0)
		section(".text", 0)->sh_offset = (Elf64_Off)len + 0x1000;
	else if (strcmp(argv[1], "symsize") == 0)
		section(NULL, SHT_SYMTAB)->sh_size -= 1;
	else
		errx(2, "unknown mode %s", argv[1]);
	if ((f = fopen(argv[3], "wb")) == NULL ||
	    fwrite(buf, 1, (size_t)len, f) != (size_t)len || fclose(f) != 0)
		err(1, "%s", argv[3]);
	return (0);
}
