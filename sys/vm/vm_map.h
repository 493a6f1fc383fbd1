/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * User address spaces.  A vmspace is a pmap plus a sorted list of map
 * entries; an entry says what a range may hold (protection) and where its
 * pages come from: zero-filled anonymous memory, or a pager (a file, the
 * VFS's vn_getpage behind struct vm_pager_ops).  Pages are made on first
 * touch by vm_fault().
 *
 * Private memory (anonymous or MAP_PRIVATE of a file) is owned by the page
 * tables: a fault copies the file's page; fork shares every resident page
 * copy-on-write (vm/vm_pageref.h).  MAP_SHARED of a file maps the
 * pager's own page.
 * MAP_SHARED|MAP_ANONYMOUS shares a vm_anon_shared object (one page array)
 * between the processes that inherit it.
 *
 * Locking: vm_mtx (a sleep mutex) protects the entry list and the page
 * tables.  A vmspace is used by one process, whose threads all run on one
 * CPU (struct proc's p_cpu), so its TLB entries live on that CPU only.
 */
#ifndef _VM_VM_MAP_H_
#define _VM_VM_MAP_H_

#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/types.h>
#include <machine/pmap.h>

struct vm_pager_ops {
	/*
	 * The physical page holding byte off of obj (a page boundary), held
	 * until the mapping goes (release); beyond the end of the file the
	 * pager returns a zeroed page or EFAULT (SIGBUS).
	 */
	int	(*vpo_getpage)(void *obj, off_t off, vm_paddr_t *pap);
	void	(*vpo_ref)(void *obj);
	void	(*vpo_release)(void *obj);
};

struct vm_anon_shared;

#define MAP_ENTRY_SHARED	0x0001	/* MAP_SHARED */
#define MAP_ENTRY_STACK		0x0002	/* the main thread's stack */

struct vm_map_entry {
	TAILQ_ENTRY(vm_map_entry) me_link;
	vm_offset_t		me_start;
	vm_offset_t		me_end;
	int			me_prot;	/* VM_PROT_* */
	int			me_flags;
	const struct vm_pager_ops *me_pager;	/* NULL: anonymous */
	void			*me_obj;
	off_t			me_offset;	/* of me_start in me_obj */
	struct vm_anon_shared	*me_shared;	/* MAP_SHARED anonymous */
};

struct vmspace {
	struct pmap		vm_pmap;
	struct mtx		vm_mtx;
	TAILQ_HEAD(, vm_map_entry) vm_entries;
	u_int			vm_nentries;
	vm_offset_t		vm_brk_base;	/* end of the image, page aligned */
	vm_offset_t		vm_brk;		/* current break (unaligned) */
	vm_offset_t		vm_mmap_base;	/* mmap searches down from here */
	vm_offset_t		vm_stack_top;
	u_long			vm_faults;	/* pages made by vm_fault */
};

#define VM_STACK_TOP		VM_MAXUSER_ADDRESS
#define VM_STACK_SIZE		(8UL << 20)
#define VM_MMAP_BASE		(VM_STACK_TOP - VM_STACK_SIZE - (1UL << 30))
#define VM_MAX_ENTRIES		4096

struct vmspace	*vmspace_alloc(void);
void		vmspace_free(struct vmspace *);
/* A copy for fork: same entries, private pages copied, shared ones shared. */
struct vmspace	*vmspace_fork(struct vmspace *);

/*
 * Maps [start, start + len) (page aligned, inside user space).  With
 * fixed, whatever was there is unmapped first; otherwise the range must
 * be free (EEXIST) and *startp is chosen when *startp == 0.  ENOMEM when
 * there is no room or too many entries.
 */
int	vm_map_insert(struct vmspace *, vm_offset_t *startp, vm_size_t len,
	    int prot, int flags, bool fixed, const struct vm_pager_ops *pager,
	    void *obj, off_t offset);
/* Unmaps a page-aligned range, splitting entries at its ends. */
int	vm_map_remove(struct vmspace *, vm_offset_t start, vm_offset_t end);
/* 0 if every page of [start, end) is mapped, else ENOMEM (msync, mlock). */
int	vm_map_mapped(struct vmspace *, vm_offset_t start, vm_offset_t end);
/* mprotect: ENOMEM if part of the range is not mapped. */
int	vm_map_protect(struct vmspace *, vm_offset_t start, vm_offset_t end,
	    int prot);
/*
 * madvise(MADV_DONTNEED): drops the pages of [start, end); private ones
 * read back as zeroes (or the file's bytes), shared ones as they were.
 */
int	vm_map_dontneed(struct vmspace *, vm_offset_t start, vm_offset_t end);
/* The entry holding va, or NULL; vm_mtx held. */
struct vm_map_entry *vm_map_lookup(struct vmspace *, vm_offset_t va);
/* Free range of len bytes below hint (top-down), or 0. */
vm_offset_t vm_map_findspace(struct vmspace *, vm_offset_t hint, vm_size_t len);

/*
 * Makes the page at va present for an access of type prot (VM_PROT_*):
 * 0, or EFAULT (nothing mapped there, or not allowed: SIGSEGV), ENOMEM
 * (no memory), or the pager's error (SIGBUS).  The physical page, when
 * pap is not NULL.  Takes vm_mtx.
 */
int	vm_fault(struct vmspace *, vm_offset_t va, int prot, vm_paddr_t *pap);
/*
 * Copies to or from another (or the current) address space through the
 * direct map, faulting pages in as a user access would: exec builds its
 * new image and stack this way before switching to it.
 */
int	vm_copyout_space(struct vmspace *, const void *kaddr, vm_offset_t uaddr,
	    size_t len);

/*
 * File mappings: the VFS sets this hook to turn a descriptor of the
 * calling process into a pager and its object (one reference for the
 * caller), checking the open mode against shared and prot (EACCES),
 * EBADF, ENODEV for files that cannot be mapped.
 */
struct thread;
extern int (*vm_mmap_fd)(struct thread *td, int fd, bool shared, int prot,
	    const struct vm_pager_ops **opsp, void **objp);

/* Prints the entries around va (debug.user_traps=2). */
void	vm_map_print_near(struct vmspace *vs, vm_offset_t va);

#endif /* !_VM_VM_MAP_H_ */
