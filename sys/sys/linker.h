/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The kernel linker (kld(4)): modules are relocatable ELF objects linked
 * into the running kernel against its own symbol table (.ksyms), with
 * their linker sets registered as if they had been built in.
 */
#ifndef _SYS_LINKER_H_
#define _SYS_LINKER_H_

#include <sys/link_elf.h>
#include <sys/linker_set.h>
#include <sys/queue.h>
#include <sys/types.h>

/*
 * Module metadata, in linker set modmetadata_set.  A module has exactly
 * one MODULE_VERSION (its name and version); each MODULE_DEPEND names a
 * module, or "kernel", that must be there (built in or loaded before it)
 * with a version in [min, max].
 */
enum mod_mdt { MDT_VERSION = 1, MDT_DEPEND = 2 };

struct mod_metadata {
	enum mod_mdt	md_type;
	const char	*md_name;	/* the module (MDT_DEPEND: the needer) */
	int		md_ver;		/* MDT_VERSION */
	const char	*md_dep;	/* MDT_DEPEND: what is needed */
	int		md_minver;
	int		md_maxver;
};

#define MODULE_VERSION(name, ver)					\
	static const struct mod_metadata __mdt_version_##name = {	\
		MDT_VERSION, #name, (ver), NULL, 0, 0			\
	};								\
	DATA_SET(modmetadata_set, __mdt_version_##name)
#define MODULE_DEPEND(name, dep, minver, maxver)			\
	static const struct mod_metadata __mdt_depend_##name##_##dep = { \
		MDT_DEPEND, #name, 0, #dep, (minver), (maxver)		\
	};								\
	DATA_SET(modmetadata_set, __mdt_depend_##name##_##dep)

/* The built-in kernel's version, for MODULE_DEPEND(x, kernel, ...). */
#define KERNEL_MODULE_VERSION	1

#define LINKER_NAME_MAX		32
#define LINKER_ERR_MAX		160

struct linker_file {
	TAILQ_ENTRY(linker_file) lf_link;
	char			lf_name[LINKER_NAME_MAX];
	int			lf_version;
	int			lf_id;
	void			*lf_image;	/* private copy of the object */
	size_t			lf_imagesize;
	struct elf_obj		lf_obj;
	bool			lf_sysinits_merged; /* boot runs them */
};

/*
 * Loads a module from memory (copied first: the caller's bytes are read
 * once).  what names the source in messages.  On any error the module
 * has not run, its memory is freed, the reason is printed as
 * "kld: <what>: <reason>" and kept for linker_last_error().
 * 0, ENOEXEC (malformed, wrong machine), ENOENT (unresolved symbol),
 * EOPNOTSUPP (relocation), EFTYPE-like metadata errors as EINVAL,
 * EEXIST (a module of that name is loaded), ENOMEM, EFBIG.
 * Thread context, one load or unload at a time.
 */
int	linker_load(const char *what, const void *image, size_t size,
	    struct linker_file **lfp);
/* EBUSY while one of the module's drivers has a device attached. */
int	linker_unload(struct linker_file *lf);
struct linker_file *linker_find(const char *name);
const char *linker_last_error(void);
/* The kernel's own symbol table (.ksyms, where the build made one): 0 or ENOENT. */
int	linker_ksym(const char *name, uint64_t *value);
size_t	linker_ksym_count(void);
/* Entry i of that table (name, or NULL past the end), for tests. */
const char *linker_ksym_entry(size_t i, uint64_t *value);
/* A linker set of a loaded module: its entries and their count. */
void	*const *linker_file_set(const struct linker_file *lf, const char *set,
	    size_t *count);

/*
 * Calls fn on each entry of a linker set in every loaded module, in load
 * order (for the sets whose readers list them: boot and shutdown reports).
 */
void	linker_foreach_entry(const char *set, void (*fn)(void *entry, void *arg),
	    void *arg);

/* Pages the linker holds for loaded modules' sections (for leak checks). */
u_long	linker_pages_held(void);

/* Boot modules: an ELF relocatable object (not an executable or cpio). */
bool	linker_is_module(const void *image, size_t size);

/* What became of each boot module that is a kernel module (for tests). */
struct linker_boot_result {
	int		lb_index;		/* in bootinfo.mods */
	char		lb_name[LINKER_NAME_MAX]; /* file name, no .ko */
	int		lb_error;		/* -1: not selected */
	char		lb_msg[LINKER_ERR_MAX];
};
int	linker_boot_results(const struct linker_boot_result **res);

#endif /* !_SYS_LINKER_H_ */
