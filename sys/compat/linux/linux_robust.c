/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Robust futex lists (set_robust_list, get_robust_list): glibc keeps, per
 * thread, a list in user memory of the robust mutexes the thread holds.
 * When the thread ends, every futex word on the list that still names it
 * as owner gets FUTEX_OWNER_DIED (keeping FUTEX_WAITERS), and one waiter
 * is woken; the next locker sees EOWNERDEAD.  The list is the program's:
 * every pointer is copied in and checked, the walk stops at the first bad
 * one, and it is bounded (ROBUST_LIST_LIMIT entries) against a loop.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/vmparam.h>

#include <vm/vm_map.h>

#include <asm/unistd_64.h>
#include <linux/futex.h>

#include <compat/linux/linux_syscall.h>

void	futex_wake_key(vm_paddr_t key, int n);
void	futex_robust_exit(struct thread *td);

/* The low bit of a list pointer marks a PI futex (not supported here). */
#define ROBUST_PI	1UL

LINUX_SYSCALL(__NR_set_robust_list, set_robust_list);
int
linux_sys_set_robust_list(struct thread *td, const uint64_t args[6],
    int64_t *rv)
{
	if (args[1] != sizeof(struct robust_list_head))
		return (EINVAL);
	/* Not read until the thread ends: a bad pointer only ends the walk. */
	td->td_robust_head = args[0];
	return (0);
}

LINUX_SYSCALL(__NR_get_robust_list, get_robust_list);
int
linux_sys_get_robust_list(struct thread *td, const uint64_t args[6],
    int64_t *rv)
{
	struct proc *p = td->td_proc;
	struct thread *t = NULL;
	uint64_t head, len = sizeof(struct robust_list_head);
	int error;

	/* Threads of this process only: there is no ptrace. */
	if (args[0] == 0)
		t = td;
	else {
		PROC_LOCK(p);
		TAILQ_FOREACH(t, &p->p_threads, td_plist) {
			if ((uint64_t)t->td_utid == args[0])
				break;
		}
		head = t != NULL ? t->td_robust_head : 0;
		PROC_UNLOCK(p);
		if (t == NULL)
			return (ESRCH);
	}
	if (t == td)
		head = td->td_robust_head;
	if ((error = copyout(&head, (void *)args[1], sizeof(head))) != 0)
		return (error);
	return (copyout(&len, (void *)args[2], sizeof(len)));
}

/*
 * The futex word at uaddr: marked as its owner's death if tid owns it
 * (pending: also woken when it is free, as a lock being released when
 * the thread died may not have woken anyone yet).  False when the word
 * cannot be reached, which ends the walk.
 */
static bool
robust_word_died(struct proc *p, uint64_t uaddr, uint32_t tid, bool pending)
{
	volatile uint32_t *w;
	vm_paddr_t pa;
	uint32_t old, new;

	if ((uaddr & 3) != 0 || !linux_range_ok(uaddr, sizeof(*w)))
		return (false);
	/* Written through the direct map: the page made private and present. */
	if (vm_fault(p->p_vmspace, uaddr, VM_PROT_READ | VM_PROT_WRITE,
	    &pa) != 0)
		return (false);
	pa += uaddr & PAGE_MASK;
	w = (volatile uint32_t *)PHYS_TO_DMAP(pa);
	for (;;) {
		old = *w;
		if (pending && old == 0) {
			futex_wake_key(pa, 1);
			return (true);
		}
		if ((old & FUTEX_TID_MASK) != tid)
			return (true);
		new = (old & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		/* User code may change the word at the same time: retry. */
		if (__atomic_compare_exchange_n(w, &old, new, false,
		    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			break;
	}
	if (new & FUTEX_WAITERS)
		futex_wake_key(pa, 1);
	return (true);
}

/* Reads one user pointer (a list link); false if it cannot be read. */
static bool
robust_fetch(uint64_t uaddr, uint64_t *val)
{
	return (copyin((void *)uaddr, val, sizeof(*val)) == 0);
}

/* At a thread's end (uthread_exit, on its own address space). */
void
futex_robust_exit(struct thread *td)
{
	struct robust_list_head head;
	uint64_t uhead = td->td_robust_head, entry, next, pending;
	uint32_t tid = (uint32_t)td->td_utid;
	struct proc *p = td->td_proc;

	td->td_robust_head = 0;
	if (uhead == 0 || copyin((void *)uhead, &head, sizeof(head)) != 0)
		return;
	entry = (uint64_t)(uintptr_t)head.list.next & ~ROBUST_PI;
	pending = (uint64_t)(uintptr_t)head.list_op_pending & ~ROBUST_PI;
	for (int n = 0; entry != uhead && n < ROBUST_LIST_LIMIT; n++) {
		/* The next link first: the word's owner may reuse the entry. */
		if (!robust_fetch(entry, &next))
			return;
		if (entry != pending &&
		    !robust_word_died(p, entry + (uint64_t)head.futex_offset,
		    tid, false))
			return;
		entry = next & ~ROBUST_PI;
	}
	if (pending != 0)
		(void)robust_word_died(p, pending + (uint64_t)head.futex_offset,
		    tid, true);
}
