/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Small calls with their failure paths, through syscall() so that glibc
 * adds nothing: the credentials getresuid, getresgid and getgroups; mlock,
 * mlock2, munlock, mlockall and munlockall; msync.  Prints each result and
 * errno name; only what holds on any Linux for a process run as root
 * with its memory (the ids themselves and the group count may differ
 * between build machines: compared, not printed).  No file calls (the
 * process ktests run it without a descriptor table).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PG	4096

#define T(what, expr) do {						\
	errno = 0;							\
	long r_ = (long)(expr);						\
	printf("gsys: %s = %ld %s\n", what, r_ < 0 ? -1L : r_,		\
	    r_ < 0 ? strerrorname_np(errno) : "ok");			\
} while (0)

int
main(void)
{
	unsigned int r = 1, e = 1, s = 1;
	void *bad = (void *)16;
	char *a, *hole;
	long n;

	/* Credentials: the three ids agree with getuid/geteuid. */
	T("getresuid", syscall(SYS_getresuid, &r, &e, &s));
	printf("gsys: getresuid matches getuid and geteuid %d\n",
	    r == getuid() && e == geteuid() && s == geteuid());
	T("getresuid bad pointer", syscall(SYS_getresuid, &r, bad, &s));
	T("getresgid", syscall(SYS_getresgid, &r, &e, &s));
	printf("gsys: getresgid matches getgid and getegid %d\n",
	    r == getgid() && e == getegid() && s == getegid());
	T("getresgid bad pointer", syscall(SYS_getresgid, bad, &e, &s));
	n = syscall(SYS_getgroups, 0, NULL);
	printf("gsys: getgroups count not negative %d\n", n >= 0);
	T("getgroups -1", syscall(SYS_getgroups, -1, NULL));

	/* Three pages, the middle one unmapped: a hole for ENOMEM. */
	a = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T("mmap", a == MAP_FAILED ? -1 : 0);
	hole = a + PG;
	T("munmap middle", munmap(hole, PG));
	T("mlock page", syscall(SYS_mlock, a, PG));
	T("mlock unaligned in page", syscall(SYS_mlock, a + 100, 10));
	T("mlock 0 bytes", syscall(SYS_mlock, hole, 0));
	T("mlock over the hole", syscall(SYS_mlock, a, 3 * PG));
	T("mlock the hole", syscall(SYS_mlock, hole, PG));
	T("mlock2 page", syscall(SYS_mlock2, a, PG, 0));
	T("mlock2 onfault", syscall(SYS_mlock2, a, PG, MLOCK_ONFAULT));
	T("mlock2 bad flags", syscall(SYS_mlock2, a, PG, 8));
	T("munlock page", syscall(SYS_munlock, a, PG));
	T("munlock the hole", syscall(SYS_munlock, hole, PG));
	T("mlockall current", syscall(SYS_mlockall, MCL_CURRENT));
	T("mlockall 0", syscall(SYS_mlockall, 0));
	T("mlockall onfault alone", syscall(SYS_mlockall, MCL_ONFAULT));
	T("mlockall bad flag", syscall(SYS_mlockall, 64));
	T("munlockall", syscall(SYS_munlockall));
	a[0] = 'x';
	printf("gsys: memory usable after the locks %d\n", a[0] == 'x');

	T("msync sync", syscall(SYS_msync, a, PG, MS_SYNC));
	T("msync async invalidate", syscall(SYS_msync, a, PG,
	    MS_ASYNC | MS_INVALIDATE));
	T("msync 0 bytes", syscall(SYS_msync, a, 0, MS_SYNC));
	T("msync unaligned", syscall(SYS_msync, a + 1, PG, MS_SYNC));
	T("msync sync and async", syscall(SYS_msync, a, PG,
	    MS_SYNC | MS_ASYNC));
	T("msync bad flag", syscall(SYS_msync, a, PG, 64));
	T("msync the hole", syscall(SYS_msync, hole, PG, MS_SYNC));
	T("msync over the hole", syscall(SYS_msync, a, 3 * PG, MS_SYNC));
	T("msync past user space", syscall(SYS_msync, (void *)(UINTPTR_MAX &
	    ~(uintptr_t)(PG - 1)), PG, MS_SYNC));
	return (0);
}
