/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linux memory calls: brk, mmap (anonymous, and files through the VFS's
 * vm_mmap_fd hook), munmap, mprotect, madvise.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/pmap.h>

#include <vm/vm_map.h>

#include <asm/unistd_64.h>
#include <linux/mman.h>

#include <compat/linux/linux_syscall.h>

int (*vm_mmap_fd)(struct thread *, int, bool, int,
    const struct vm_pager_ops **, void **);

static int
linux_prot(uint64_t prot)
{
	int p = 0;

	if (prot & PROT_READ)
		p |= VM_PROT_READ;
	if (prot & PROT_WRITE)
		p |= VM_PROT_WRITE | VM_PROT_READ;
	if (prot & PROT_EXEC)
		p |= VM_PROT_EXEC | VM_PROT_READ;
	return (p);
}

LINUX_SYSCALL(__NR_brk, brk);
int
linux_sys_brk(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct vmspace *vs = td->td_proc->p_vmspace;
	vm_offset_t want = args[0], oldend, newend, va;

	/* Linux answers with the break in force, moved or not. */
	oldend = round_page(vs->vm_brk);
	newend = round_page(want);
	if (want < vs->vm_brk_base || want >= vs->vm_mmap_base ||
	    newend < want) {
		*rv = (int64_t)vs->vm_brk;
		return (0);
	}
	if (newend > oldend) {
		va = oldend;
		if (vm_map_insert(vs, &va, newend - oldend,
		    VM_PROT_READ | VM_PROT_WRITE, 0, false, NULL, NULL, 0) != 0) {
			*rv = (int64_t)vs->vm_brk;
			return (0);
		}
	} else if (newend < oldend) {
		vm_map_remove(vs, newend, oldend);
	}
	vs->vm_brk = want;
	*rv = (int64_t)want;
	return (0);
}

LINUX_SYSCALL(__NR_mmap, mmap);
int
linux_sys_mmap(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	struct vmspace *vs = td->td_proc->p_vmspace;
	vm_offset_t addr = args[0];
	uint64_t len = args[1], flags = args[3], off = args[5];
	const struct vm_pager_ops *ops = NULL;
	void *obj = NULL;
	int prot = linux_prot(args[2]), mflags = 0, error;
	bool fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;

	if (len == 0 || (off & PAGE_MASK) || round_page(len) < len)
		return (EINVAL);
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
	case MAP_SHARED_VALIDATE:
		mflags |= MAP_ENTRY_SHARED;
		break;
	case MAP_PRIVATE:
		break;
	default:
		return (EINVAL);
	}
	if (fixed && (addr & PAGE_MASK))
		return (EINVAL);
	if ((flags & MAP_ANONYMOUS) == 0) {
		if (vm_mmap_fd == NULL)
			return (ENODEV);
		if ((error = vm_mmap_fd(td, (int)args[4],
		    (mflags & MAP_ENTRY_SHARED) != 0, prot, &ops, &obj)) != 0)
			return (error);
	} else {
		off = 0;
	}
	if (!fixed) {
		/* A hint is taken if the range is free, else we choose. */
		addr = trunc_page(addr);
		if (addr < VM_MIN_USER_ADDRESS || addr >= VM_MAXUSER_ADDRESS ||
		    round_page(len) > VM_MAXUSER_ADDRESS - addr)
			addr = 0;
	}
	error = vm_map_insert(vs, &addr, len, prot, mflags,
	    (flags & MAP_FIXED) != 0, ops, obj, (off_t)off);
	if (error == EEXIST && !fixed) {
		addr = 0;
		error = vm_map_insert(vs, &addr, len, prot, mflags, false, ops,
		    obj, (off_t)off);
	}
	/* The mapping took its own reference to obj. */
	if (ops != NULL && ops->vpo_release != NULL)
		ops->vpo_release(obj);
	if (error != 0)
		return (error == EEXIST ? EEXIST : error == EINVAL ? EINVAL :
		    ENOMEM);
	*rv = (int64_t)addr;
	return (0);
}

LINUX_SYSCALL(__NR_munmap, munmap);
int
linux_sys_munmap(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	uint64_t addr = args[0], len = round_page(args[1]);

	if ((addr & PAGE_MASK) || args[1] == 0 || len < args[1])
		return (EINVAL);
	return (vm_map_remove(td->td_proc->p_vmspace, addr, addr + len));
}

LINUX_SYSCALL(__NR_mprotect, mprotect);
int
linux_sys_mprotect(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	uint64_t addr = args[0], len = round_page(args[1]);

	if (addr & PAGE_MASK)
		return (EINVAL);
	if (args[1] == 0)
		return (0);
	if (len < args[1])
		return (ENOMEM);
	return (vm_map_protect(td->td_proc->p_vmspace, addr, addr + len,
	    linux_prot(args[2])));
}

/*
 * MADV_DONTNEED (and MADV_FREE, treated alike) drop the pages: glibc's
 * malloc counts on the zeroes when it reuses a trimmed heap.  Other
 * advice is only advice.
 */
/*
 * msync: a MAP_SHARED mapping maps the file's own page (no copy to write
 * back) and tmpfs is memory, so only the checks remain.
 */
#define LINUX_MS_ASYNC		0x1
#define LINUX_MS_INVALIDATE	0x2
#define LINUX_MS_SYNC		0x4
LINUX_SYSCALL(__NR_msync, msync);
int
linux_sys_msync(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	uint64_t addr = args[0], len = round_page(args[1]), flags = args[2];

	if ((addr & PAGE_MASK) || (flags & ~(uint64_t)(LINUX_MS_ASYNC |
	    LINUX_MS_INVALIDATE | LINUX_MS_SYNC)) != 0 ||
	    (flags & (LINUX_MS_ASYNC | LINUX_MS_SYNC)) ==
	    (LINUX_MS_ASYNC | LINUX_MS_SYNC))
		return (EINVAL);
	if (len < args[1])
		return (ENOMEM);
	if (len == 0)
		return (0);
	return (vm_map_mapped(td->td_proc->p_vmspace, addr, addr + len));
}

/*
 * mlock and the like: pages are never paged out here, so a mapped range
 * is as locked as it gets; the pages are made on first touch still.
 * Linux takes any address (rounded down) and wants the range mapped.
 */
static int
linux_mlock_range(struct thread *td, uint64_t addr, uint64_t len)
{
	uint64_t start = trunc_page(addr), end = round_page(addr + len);

	if (len == 0)
		return (0);
	if (addr + len < addr || end < addr + len)
		return (ENOMEM);
	return (vm_map_mapped(td->td_proc->p_vmspace, start, end));
}

LINUX_SYSCALL(__NR_mlock, mlock);
int
linux_sys_mlock(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_mlock_range(td, args[0], args[1]));
}

#define LINUX_MLOCK_ONFAULT	0x1
LINUX_SYSCALL(__NR_mlock2, mlock2);
int
linux_sys_mlock2(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	if ((args[2] & ~(uint64_t)LINUX_MLOCK_ONFAULT) != 0)
		return (EINVAL);
	return (linux_mlock_range(td, args[0], args[1]));
}

LINUX_SYSCALL(__NR_munlock, munlock);
int
linux_sys_munlock(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (linux_mlock_range(td, args[0], args[1]));
}

#define LINUX_MCL_CURRENT	0x1
#define LINUX_MCL_FUTURE	0x2
#define LINUX_MCL_ONFAULT	0x4
LINUX_SYSCALL(__NR_mlockall, mlockall);
int
linux_sys_mlockall(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	uint64_t f = args[0];

	/* At least one of CURRENT and FUTURE; ONFAULT only with them. */
	if (f == 0 || (f & ~(uint64_t)(LINUX_MCL_CURRENT | LINUX_MCL_FUTURE |
	    LINUX_MCL_ONFAULT)) != 0 || f == LINUX_MCL_ONFAULT)
		return (EINVAL);
	return (0);
}

LINUX_SYSCALL(__NR_munlockall, munlockall);
int
linux_sys_munlockall(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	return (0);
}

LINUX_SYSCALL(__NR_madvise, madvise);
int
linux_sys_madvise(struct thread *td, const uint64_t args[6], int64_t *rv)
{
	uint64_t addr = args[0], len = round_page(args[1]);

	if ((addr & PAGE_MASK) || len < args[1])
		return (EINVAL);
	if (len == 0)
		return (0);
	switch (args[2]) {
	case MADV_DONTNEED:
	case MADV_FREE:
		return (vm_map_dontneed(td->td_proc->p_vmspace, addr,
		    addr + len));
	default:
		return (0);
	}
}
