/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The Linux x86-64 system-call interface.  Each handler lives in the file
 * of its subsystem and registers itself with LINUX_SYSCALL(); the
 * dispatcher (linux_syscall.c) builds its table from the linker set at
 * boot, so no file lists every call.  Numbers come from <asm/unistd_64.h>.
 *
 * A handler gets the six argument registers as they were in user mode
 * (rdi, rsi, rdx, r10, r8, r9): untrusted, every pointer goes through
 * copyin/copyout.  It returns 0 and sets *retval (rax, preset to 0), or a
 * kernel errno (sys/errno.h), which the dispatcher turns into Linux's
 * -errno.  EJUSTRETURN leaves the user registers as the handler set them
 * (rt_sigreturn, execve).  An unregistered number is -ENOSYS, logged once
 * by name.
 */
#ifndef _COMPAT_LINUX_LINUX_SYSCALL_H_
#define _COMPAT_LINUX_LINUX_SYSCALL_H_

#include <sys/linker_set.h>
#include <sys/types.h>

#include <machine/pmap.h>

struct thread;

/*
 * Linux's access_ok: a buffer that does not lie wholly in user space is
 * EFAULT before anything moves, while one that only runs into an
 * unmapped page moves the bytes before it (read, write, getrandom).
 */
static inline bool
linux_range_ok(uint64_t uaddr, uint64_t len)
{
	return (uaddr <= VM_MAXUSER_ADDRESS &&
	    len <= VM_MAXUSER_ADDRESS - uaddr);
}

typedef int linux_syscall_fn(struct thread *td, const uint64_t args[6],
    int64_t *retval);

struct linux_syscall_ent {
	int			lse_nr;
	const char		*lse_name;
	linux_syscall_fn	*lse_fn;
	int			lse_fallback;	/* used only if no other entry */
};

#define LINUX_SYSCALL_DEFINE(nr, name, fallback)			\
	int linux_sys_##name(struct thread *, const uint64_t[6], int64_t *); \
	static const struct linux_syscall_ent __linux_sysent_##name = {	\
		(nr), #name, linux_sys_##name, (fallback)		\
	};								\
	DATA_SET(linux_syscall_set, __linux_sysent_##name)

/*
 * Registers linux_sys_NAME for system call nr (__NR_NAME).  It declares
 * the handler, so it goes right before its definition.
 */
#define LINUX_SYSCALL(nr, name)	LINUX_SYSCALL_DEFINE(nr, name, 0)
/*
 * A stand-in used only while no other file registers nr (e.g. write(2)
 * to the console before the VFS is linked in).
 */
#define LINUX_SYSCALL_FALLBACK(nr, name) LINUX_SYSCALL_DEFINE(nr, name, 1)

/* Handler return: the user registers were set by the handler itself. */
#define EJUSTRETURN	(-2)

/* Linux's errno for a kernel errno (0 for 0; EIO for one it cannot map). */
int	linux_errno(int error);
/* The name of a system call number, or NULL (from <asm/unistd_64.h>). */
const char *linux_syscall_name(int nr);
/* Calls made so far to a number that has no handler, for tests. */
uint64_t linux_syscall_enosys_count(void);

#endif /* !_COMPAT_LINUX_LINUX_SYSCALL_H_ */
