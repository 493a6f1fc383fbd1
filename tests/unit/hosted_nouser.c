/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Hosted: a test program has no user address space, so every user access
 * fails (the kernel's copyin/copyout are machine code, sys/amd64).
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/systm.h>

int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	return (EFAULT);
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	return (EFAULT);
}

int
copyinstr(const void *uaddr, void *kaddr, size_t maxlen, size_t *done)
{
	return (EFAULT);
}
