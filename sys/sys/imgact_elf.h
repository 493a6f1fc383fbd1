/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ELF64 x86-64 executables: the checks made before anything is mapped
 * (pure, also run by the hosted tests) and the loader's interface.
 */
#ifndef _SYS_IMGACT_ELF_H_
#define _SYS_IMGACT_ELF_H_

#include <sys/types.h>

#define ELF_MAX_PHNUM		64
#define ELF_MAX_INTERP		256	/* PT_INTERP path, NUL included */

struct elf64_hdr;
struct elf64_phdr;

/* What the program headers describe, relative to the load base. */
struct elf_layout {
	uint64_t	el_lo;		/* lowest PT_LOAD page */
	uint64_t	el_hi;		/* end of the highest PT_LOAD, page rounded */
	uint64_t	el_entry;
	uint64_t	el_phdr;	/* program headers in memory, or 0 */
	uint64_t	el_interp_off;	/* PT_INTERP in the file, or 0 */
	uint64_t	el_interp_len;
	int		el_nload;
	bool		el_dyn;		/* ET_DYN: placed at a base of our choice */
	bool		el_execstack;
};

/*
 * Checks the header of a file of filesize bytes: ELF64, little-endian,
 * x86-64, ET_EXEC or ET_DYN, sane program header table.  0 or ENOEXEC.
 */
int	elf_check_header(const struct elf64_hdr *eh, uint64_t filesize);
/*
 * Checks the program headers (eh checked) and computes the layout: every
 * PT_LOAD inside the file and inside user space (base + vaddr below
 * maxuser), filesz <= memsz, vaddr and offset congruent modulo the page,
 * loads in ascending order without overlap; at most one PT_INTERP, of
 * bounded length.  0 or ENOEXEC.
 */
int	elf_check_phdrs(const struct elf64_hdr *eh, const struct elf64_phdr *ph,
	    uint64_t filesize, uint64_t maxuser, struct elf_layout *el);

/* A file to load, read through the callback (memory, or a vnode). */
struct exec_image {
	int		(*ei_read)(void *arg, uint64_t off, void *buf, size_t len);
	void		*ei_arg;
	uint64_t	ei_size;
	const char	*ei_path;	/* AT_EXECFN, p_comm */
};

struct proc;
struct thread;
/*
 * Builds a new address space for p from img (and its PT_INTERP through
 * exec_file_open) with argv and envp (kernel strings) on its stack,
 * then, on success only, replaces p's and points td's registers at the
 * entry.  td is a thread of p that has not run yet, or the caller
 * (execve).  On failure p is untouched.
 */
int	exec_image_activate(struct proc *p, struct thread *td,
	    struct exec_image *img, char *const argv[], char *const envp[]);
/*
 * Opens a path as an exec_image (execve's program, a PT_INTERP
 * interpreter): set by the VFS (vn_open_exec and vn_rdwr behind it);
 * ENOENT while unset.  The close releases what the open took.
 */
extern int (*exec_file_open)(struct thread *td, const char *path,
	    struct exec_image *img);
extern void (*exec_file_close)(struct exec_image *img);

/* Starts a process running img (kernel-made, e.g. init or a test). */
int	exec_spawn(struct proc *p, struct exec_image *img, char *const argv[],
	    char *const envp[]);

#endif /* !_SYS_IMGACT_ELF_H_ */
