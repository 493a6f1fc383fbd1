/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Loading an ELF64 executable into a new address space: the PT_LOAD
 * segments (private copies of the file's bytes, zero-filled beyond), the
 * interpreter of a dynamic program (PT_INTERP: Linux's ld.so, loaded at
 * its own base; it maps the libraries itself), then the initial stack
 * Linux's start-up code expects: argc, argv, envp, the auxiliary vector
 * and the strings they point to.  Everything is built on the side and
 * only swapped in once complete, so a failed execve leaves the caller as
 * it was.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/imgact_elf.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/pcb.h>
#include <machine/pmap.h>

#include <vm/vm_map.h>

#include <linux/auxvec.h>
#include <linux/elf.h>

#include "kern_proc_priv.h"

MALLOC_DEFINE(M_EXEC, "exec", "program loading");

#define EXEC_ARG_MAX	(256 * 1024)	/* argv + envp strings */
#define EXEC_ARGC_MAX	8192
#define ET_DYN_BASE	0x0000555555554000UL	/* a PIE program */
#define INTERP_BASE	0x00007ff7f0000000UL	/* ld.so */
#define AUXV_MAX	24

int (*exec_file_open)(struct thread *, const char *, struct exec_image *);
void (*exec_file_close)(struct exec_image *);

static int
prot_of(uint32_t pflags)
{
	return (((pflags & PF_R) ? VM_PROT_READ : 0) |
	    ((pflags & PF_W) ? VM_PROT_WRITE : 0) |
	    ((pflags & PF_X) ? VM_PROT_EXEC : 0));
}

/* Copies len bytes of the image at off to uva in vs. */
static int
copy_segment(struct vmspace *vs, struct exec_image *img, uint64_t off,
    uint64_t uva, uint64_t len, char *buf)
{
	int error;

	while (len > 0) {
		size_t n = MIN(len, PAGE_SIZE);

		if ((error = img->ei_read(img->ei_arg, off, buf, n)) != 0 ||
		    (error = vm_copyout_space(vs, buf, uva, n)) != 0)
			return (error);
		off += n;
		uva += n;
		len -= n;
	}
	return (0);
}

#define __DECONST_CHAR(s)	((char *)(uintptr_t)(s))

static int	exec_image_activate_one(struct proc *, struct thread *,
		    struct exec_image *, char *const[], char *const[], bool);

struct loaded {
	struct elf_layout	l_layout;
	uint64_t		l_base;		/* added to every vaddr */
	uint64_t		l_phnum;
};

/*
 * Maps img's loads into vs at base (ET_DYN) or where they say (ET_EXEC).
 * Two loads may share a page (one ends, the next starts in it): the page
 * is mapped once, with both protections.
 */
static int
load_elf(struct vmspace *vs, struct exec_image *img, uint64_t dynbase,
    struct loaded *ld, char *buf)
{
	struct elf64_hdr eh;
	struct elf64_phdr *ph;
	struct elf_layout *el = &ld->l_layout;
	uint64_t mapped_end = 0;
	int error;

	if (img->ei_size < sizeof(eh) ||
	    (error = img->ei_read(img->ei_arg, 0, &eh, sizeof(eh))) != 0)
		return (ENOEXEC);
	if ((error = elf_check_header(&eh, img->ei_size)) != 0)
		return (error);
	ph = malloc(eh.e_phnum * sizeof(*ph), M_EXEC, M_WAITOK);
	if (ph == NULL)
		return (ENOMEM);
	if ((error = img->ei_read(img->ei_arg, eh.e_phoff, ph,
	    eh.e_phnum * sizeof(*ph))) != 0)
		goto out;
	ld->l_base = eh.e_type == ET_DYN ? dynbase : 0;
	if ((error = elf_check_phdrs(&eh, ph, img->ei_size,
	    VM_MAXUSER_ADDRESS - ld->l_base, el)) != 0)
		goto out;
	if (el->el_lo + ld->l_base < VM_MIN_USER_ADDRESS ||
	    el->el_entry >= VM_MAXUSER_ADDRESS - ld->l_base) {
		error = ENOEXEC;
		goto out;
	}
	ld->l_phnum = eh.e_phnum;
	for (int i = 0; i < eh.e_phnum && error == 0; i++) {
		const struct elf64_phdr *p = &ph[i];
		uint64_t start, end;
		vm_offset_t va;
		int prot = prot_of(p->p_flags);

		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		start = trunc_page(ld->l_base + p->p_vaddr);
		end = round_page(ld->l_base + p->p_vaddr + p->p_memsz);
		if (start < mapped_end) {
			/* The shared page: widen its rights to both loads'. */
			struct vm_map_entry *me;
			int old;

			mtx_lock(&vs->vm_mtx);
			me = vm_map_lookup(vs, start);
			old = me != NULL ? me->me_prot : 0;
			mtx_unlock(&vs->vm_mtx);
			error = vm_map_protect(vs, start, start + PAGE_SIZE,
			    old | prot);
			start += PAGE_SIZE;
		}
		if (error == 0 && start < end) {
			va = start;
			error = vm_map_insert(vs, &va, end - start, prot, 0,
			    true, NULL, NULL, 0);
		}
		if (error == 0)
			error = copy_segment(vs, img, p->p_offset,
			    ld->l_base + p->p_vaddr, p->p_filesz, buf);
		mapped_end = MAX(mapped_end, end);
	}
out:
	free(ph, M_EXEC);
	return (error);
}

/* Kernel copies of the argument and environment strings. */
struct exec_args {
	char		*ea_buf;
	size_t		ea_len;
	int		ea_argc;
	int		ea_envc;
};

static int
args_collect(struct exec_args *ea, char *const argv[], char *const envp[])
{
	size_t len = 0;

	ea->ea_argc = ea->ea_envc = 0;
	for (; argv != NULL && argv[ea->ea_argc] != NULL; ea->ea_argc++)
		len += strlen(argv[ea->ea_argc]) + 1;
	for (; envp != NULL && envp[ea->ea_envc] != NULL; ea->ea_envc++)
		len += strlen(envp[ea->ea_envc]) + 1;
	if (len > EXEC_ARG_MAX || ea->ea_argc + ea->ea_envc > EXEC_ARGC_MAX)
		return (E2BIG);
	ea->ea_buf = malloc(len + 1, M_EXEC, M_WAITOK);
	if (ea->ea_buf == NULL)
		return (ENOMEM);
	ea->ea_len = 0;
	for (int i = 0; i < ea->ea_argc; i++) {
		size_t n = strlen(argv[i]) + 1;

		memcpy(ea->ea_buf + ea->ea_len, argv[i], n);
		ea->ea_len += n;
	}
	for (int i = 0; i < ea->ea_envc; i++) {
		size_t n = strlen(envp[i]) + 1;

		memcpy(ea->ea_buf + ea->ea_len, envp[i], n);
		ea->ea_len += n;
	}
	return (0);
}

static uint64_t
exec_random64(void)
{
	uint64_t x = rdtsc();

	/* Not cryptographic: seeds glibc's stack guard and pointer mangling. */
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return (x ^ (x >> 33));
}

/*
 * The initial stack, from the top down: strings (args, execfn, platform),
 * 16 random bytes, then aligned: argc, argv[], NULL, envp[], NULL, auxv.
 */
static int
build_stack(struct vmspace *vs, struct exec_args *ea, const char *execfn,
    const struct loaded *prog, const struct loaded *interp, uint64_t *rspp)
{
	static const char platform[] = "x86_64";
	uint64_t sp = vs->vm_stack_top, strs, fn, plat, rnd, *vec;
	uint64_t random[2] = { exec_random64(), exec_random64() };
	size_t nvec, fnlen = strlen(execfn) + 1;
	size_t i, n = 0, off;
	int error;

	sp -= ea->ea_len;
	strs = sp;
	sp -= fnlen;
	fn = sp;
	sp -= sizeof(platform);
	plat = sp;
	sp = (sp - sizeof(random)) & ~15UL;
	rnd = sp;
	if ((error = vm_copyout_space(vs, ea->ea_buf, strs, ea->ea_len)) != 0 ||
	    (error = vm_copyout_space(vs, execfn, fn, fnlen)) != 0 ||
	    (error = vm_copyout_space(vs, platform, plat, sizeof(platform))) != 0 ||
	    (error = vm_copyout_space(vs, random, rnd, sizeof(random))) != 0)
		return (error);

	nvec = 1 + ea->ea_argc + 1 + ea->ea_envc + 1 + 2 * AUXV_MAX;
	vec = malloc(nvec * sizeof(uint64_t), M_EXEC, M_WAITOK | M_ZERO);
	if (vec == NULL)
		return (ENOMEM);
	vec[n++] = (uint64_t)ea->ea_argc;
	for (i = 0, off = 0; i < (size_t)ea->ea_argc; i++) {
		vec[n++] = strs + off;
		off += strlen(ea->ea_buf + off) + 1;
	}
	vec[n++] = 0;
	for (i = 0; i < (size_t)ea->ea_envc; i++) {
		vec[n++] = strs + off;
		off += strlen(ea->ea_buf + off) + 1;
	}
	vec[n++] = 0;
#define AUX(t, v) do { vec[n++] = (t); vec[n++] = (v); } while (0)
	AUX(AT_PHDR, prog->l_base + prog->l_layout.el_phdr);
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, prog->l_phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, interp != NULL ? interp->l_base : 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, prog->l_base + prog->l_layout.el_entry);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_SECURE, 0);
	AUX(AT_CLKTCK, 100);
	AUX(AT_HWCAP, 0);
	AUX(AT_RANDOM, rnd);
	AUX(AT_EXECFN, fn);
	AUX(AT_PLATFORM, plat);
	AUX(AT_NULL, 0);
#undef AUX
	KASSERT(n <= nvec, ("build_stack: %zu words for %zu", n, nvec));
	/* rsp 16-byte aligned at the entry, pointing at argc. */
	sp = (sp - n * sizeof(uint64_t)) & ~15UL;
	error = vm_copyout_space(vs, vec, sp, n * sizeof(uint64_t));
	free(vec, M_EXEC);
	*rspp = sp;
	return (error);
}

#define SHEBANG_MAX	256
#define SHEBANG_ARGS	4

/*
 * "#!interp [arg]": runs interp with argv interp, arg, the script's path,
 * then the script's argv from argv[1].  Returns ENOEXEC if img is not a
 * script.  One level only: an interpreter that is a script is ENOEXEC.
 */
static int
exec_script(struct proc *p, struct thread *td, struct exec_image *img,
    char *const argv[], char *const envp[])
{
	char line[SHEBANG_MAX], *interp, *arg = NULL, *s, **nargv;
	struct exec_image iimg;
	size_t len = MIN(img->ei_size, sizeof(line) - 1), n, argc;
	int error;

	if (len < 3 || img->ei_read(img->ei_arg, 0, line, len) != 0 ||
	    line[0] != '#' || line[1] != '!')
		return (ENOEXEC);
	line[len] = '\0';
	if ((s = strchr(line, '\n')) == NULL)
		return (ENOEXEC);	/* no end of line in the first bytes */
	*s = '\0';
	for (s = line + 2; *s == ' ' || *s == '\t'; s++)
		;
	interp = s;
	while (*s != '\0' && *s != ' ' && *s != '\t')
		s++;
	if (*s != '\0') {
		*s++ = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s != '\0') {
			arg = s;
			/* Linux passes the rest as one argument, trailing blanks cut. */
			for (n = strlen(arg); n > 0 && (arg[n - 1] == ' ' ||
			    arg[n - 1] == '\t'); n--)
				arg[n - 1] = '\0';
		}
	}
	if (*interp == '\0' || exec_file_open == NULL || img->ei_path == NULL)
		return (ENOEXEC);
	for (argc = 0; argv != NULL && argv[argc] != NULL; argc++)
		;
	nargv = malloc((argc + SHEBANG_ARGS) * sizeof(char *), M_EXEC,
	    M_WAITOK | M_ZERO);
	if (nargv == NULL)
		return (ENOMEM);
	n = 0;
	nargv[n++] = interp;
	if (arg != NULL)
		nargv[n++] = arg;
	nargv[n++] = __DECONST_CHAR(img->ei_path);
	for (size_t i = 1; i < argc; i++)
		nargv[n++] = argv[i];
	nargv[n] = NULL;
	if ((error = exec_file_open(td, interp, &iimg)) == 0) {
		iimg.ei_path = interp;
		error = exec_image_activate_one(p, td, &iimg, nargv, envp, false);
		if (exec_file_close != NULL)
			exec_file_close(&iimg);
	}
	free(nargv, M_EXEC);
	return (error);
}

int
exec_image_activate(struct proc *p, struct thread *td, struct exec_image *img,
    char *const argv[], char *const envp[])
{
	return (exec_image_activate_one(p, td, img, argv, envp, true));
}

static int
exec_image_activate_one(struct proc *p, struct thread *td,
    struct exec_image *img, char *const argv[], char *const envp[],
    bool scripts)
{
	struct vmspace *vs, *old;
	struct exec_args ea = { NULL, 0, 0, 0 };
	struct exec_image iimg;
	struct loaded prog, interp;
	bool have_interp = false;
	uint64_t entry, rsp;
	vm_offset_t stack;
	char *buf;
	int error;

	if (scripts && (error = exec_script(p, td, img, argv, envp)) != ENOEXEC)
		return (error);
	if ((error = args_collect(&ea, argv, envp)) != 0)
		return (error);
	buf = malloc(PAGE_SIZE, M_EXEC, M_WAITOK);
	vs = vmspace_alloc();
	if (buf == NULL || vs == NULL) {
		error = ENOMEM;
		goto fail;
	}
	if ((error = load_elf(vs, img, ET_DYN_BASE, &prog, buf)) != 0)
		goto fail;
	if (prog.l_layout.el_interp_len != 0) {
		char path[ELF_MAX_INTERP];
		size_t len = prog.l_layout.el_interp_len;

		if ((error = img->ei_read(img->ei_arg,
		    prog.l_layout.el_interp_off, path, len)) != 0)
			goto fail;
		if (path[len - 1] != '\0' || strlen(path) != len - 1) {
			error = ENOEXEC;
			goto fail;
		}
		if (exec_file_open == NULL) {
			error = ENOENT;
			goto fail;
		}
		if ((error = exec_file_open(td, path, &iimg)) != 0)
			goto fail;
		error = load_elf(vs, &iimg, INTERP_BASE, &interp, buf);
		if (exec_file_close != NULL)
			exec_file_close(&iimg);
		if (error != 0)
			goto fail;
		if (interp.l_layout.el_interp_len != 0) {
			error = ENOEXEC;	/* an interpreter of its own */
			goto fail;
		}
		have_interp = true;
	}
	vs->vm_brk_base = prog.l_base + prog.l_layout.el_hi;
	vs->vm_brk = vs->vm_brk_base;
	stack = vs->vm_stack_top - VM_STACK_SIZE;
	if ((error = vm_map_insert(vs, &stack, VM_STACK_SIZE,
	    VM_PROT_READ | VM_PROT_WRITE, MAP_ENTRY_STACK, true, NULL, NULL,
	    0)) != 0)
		goto fail;
	if ((error = build_stack(vs, &ea, img->ei_path != NULL ? img->ei_path :
	    "", &prog, have_interp ? &interp : NULL, &rsp)) != 0)
		goto fail;
	entry = have_interp ? interp.l_base + interp.l_layout.el_entry :
	    prog.l_base + prog.l_layout.el_entry;

	/* The point of no return: the new image replaces the old. */
	old = p->p_vmspace;
	p->p_vmspace = vs;
	if (td == curthread)
		pmap_activate(&vs->vm_pmap);
	if (old != NULL)
		vmspace_free(old);
	memset(td->td_frame, 0, __builtin_offsetof(struct trapframe, tf_trapno));
	td->td_frame->tf_rip = entry;
	td->td_frame->tf_rsp = rsp;
	td->td_frame->tf_rflags = PSL_I | 0x2;
	cpu_set_fsbase(td, 0);
	fpu_reset(td);
	if (img->ei_path != NULL) {
		const char *base = img->ei_path, *s;

		for (s = img->ei_path; *s != '\0'; s++)
			if (*s == '/')
				base = s + 1;
		strlcpy(p->p_comm, base, sizeof(p->p_comm));
		strlcpy(td->td_name, base, sizeof(td->td_name));
		/*
		 * Only an absolute path: glibc takes /proc/self/exe to be
		 * one (it asserts so).  execve makes a relative one absolute;
		 * a boot module ("module:0") has none.
		 */
		proc_set_exe(p, img->ei_path[0] == '/' ? img->ei_path : NULL);
	}
	free(buf, M_EXEC);
	free(ea.ea_buf, M_EXEC);
	return (0);
fail:
	if (vs != NULL)
		vmspace_free(vs);
	free(buf, M_EXEC);
	free(ea.ea_buf, M_EXEC);
	return (error);
}

int
exec_spawn(struct proc *p, struct exec_image *img, char *const argv[],
    char *const envp[])
{
	struct thread *td;
	int error;

	if ((error = uthread_create(p, &td)) != 0)
		return (error);
	td->td_utid = p->p_pid;
	error = exec_image_activate(p, td, img, argv, envp);
	if (error != 0) {
		/* Never ran: undo by hand. */
		uthread_destroy_unstarted(td);
		return (error);
	}
	proctree_lock();
	p->p_state = PRS_NORMAL;
	proctree_unlock();
	uthread_run(td);
	return (0);
}
