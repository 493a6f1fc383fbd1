/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copies between kernel and user memory.  The range is checked against
 * user space first, so a user pointer can never reach kernel memory; a
 * page that is not there yet is made by the page-fault handler as for a
 * user access, and one that cannot be (unmapped, not allowed) ends in
 * the trap catch armed here: EFAULT.  A fault at a kernel address under
 * the catch is a kernel bug and still panics.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/pmap.h>
#include <machine/trap.h>

static bool
user_range(const void *uaddr, size_t len)
{
	uintptr_t a = (uintptr_t)uaddr;

	return (curthread->td_proc != NULL && a < VM_MAXUSER_ADDRESS &&
	    len <= VM_MAXUSER_ADDRESS - a);
}

/* After a caught trap: EFAULT if it was the user side's, else panic. */
static int
copy_fault(const char *what, const struct trap_catch *tc)
{
	if (tc->tc_trapno != T_PAGEFLT || tc->tc_addr >= VM_MAXUSER_ADDRESS)
		panic("%s: trap %d at %#lx (rip %#lx) on the kernel side", what,
		    tc->tc_trapno, tc->tc_addr, tc->tc_rip);
	return (EFAULT);
}

int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	struct trap_catch tc;

	if (len == 0)
		return (0);
	if (!user_range(uaddr, len))
		return (EFAULT);
	if (trap_catch_arm(&tc) != 0)
		return (copy_fault("copyin", &tc));
	memcpy(kaddr, uaddr, len);
	trap_catch_disarm();
	return (0);
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	struct trap_catch tc;

	if (len == 0)
		return (0);
	if (!user_range(uaddr, len))
		return (EFAULT);
	if (trap_catch_arm(&tc) != 0)
		return (copy_fault("copyout", &tc));
	memcpy(uaddr, kaddr, len);
	trap_catch_disarm();
	return (0);
}

int
copyinstr(const void *uaddr, void *kaddr, size_t maxlen, size_t *done)
{
	struct trap_catch tc;
	const volatile char *src = uaddr;
	char *dst = kaddr;
	size_t n, lim;

	if (maxlen == 0)
		return (ENAMETOOLONG);
	if (!user_range(uaddr, 1))
		return (EFAULT);
	/* Stop at the end of user space: past it is EFAULT, not a kernel read. */
	lim = MIN(maxlen, VM_MAXUSER_ADDRESS - (uintptr_t)uaddr);
	if (trap_catch_arm(&tc) != 0)
		return (copy_fault("copyinstr", &tc));
	for (n = 0; n < lim; n++) {
		dst[n] = src[n];
		if (dst[n] == '\0') {
			trap_catch_disarm();
			if (done != NULL)
				*done = n + 1;
			return (0);
		}
	}
	trap_catch_disarm();
	return (lim < maxlen ? EFAULT : ENAMETOOLONG);
}
