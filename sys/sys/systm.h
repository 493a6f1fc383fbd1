/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The kernel's basic services: console output, panic, assertions and the
 * string routines of libkern.
 */
#ifndef _SYS_SYSTM_H_
#define _SYS_SYSTM_H_

#include <sys/types.h>
#include <stdarg.h>

#define CTASSERT(x)	_Static_assert(x, "compile-time assertion failed: " #x)

int	printf(const char *, ...) __printflike(1, 2);
int	vprintf(const char *, va_list) __printflike(1, 0);
int	snprintf(char *, size_t, const char *, ...) __printflike(3, 4);
int	vsnprintf(char *, size_t, const char *, va_list) __printflike(3, 0);
/* Formats through a character sink; the core of every printf flavour. */
int	kvprintf(const char *, void (*)(int, void *), void *, va_list) __printflike(1, 0);
void	panic(const char *, ...) __dead2 __printflike(1, 2);
/* Orderly power-off (status 0 = success) and reboot. */
void	kern_poweroff(int status) __dead2;
void	kern_reboot(void) __dead2;

#ifdef INVARIANTS
#define KASSERT(exp, msg) do {						\
	if (__predict_false(!(exp)))					\
		panic msg;						\
} while (0)
#else
#define KASSERT(exp, msg) do { } while (0)
#endif
/* Always-on assertion for invariants whose violation would corrupt state. */
#define MPASS(exp) do {							\
	if (__predict_false(!(exp)))					\
		panic("assertion %s failed at %s:%d", #exp, __FILE__, __LINE__); \
} while (0)

/* Busy-wait for at least the given number of microseconds. */
void	DELAY(int usec);

void	*memcpy(void *, const void *, size_t);
void	*memmove(void *, const void *, size_t);
void	*memset(void *, int, size_t);
int	memcmp(const void *, const void *, size_t);
size_t	strlen(const char *);
size_t	strnlen(const char *, size_t);
int	strcmp(const char *, const char *);
int	strncmp(const char *, const char *, size_t);
char	*strchr(const char *, int);
char	*strstr_simple(const char *, const char *);
size_t	strlcpy(char *, const char *, size_t);
size_t	strlcat(char *, const char *, size_t);
int	fnmatch_simple(const char *pattern, const char *string);
/* Parses an unsigned number (0x prefix for hex); returns 0 or EINVAL/ERANGE. */
int	parse_uint64(const char *, uint64_t *);
#define bzero(p, n)	memset((p), 0, (n))
#define bcopy(s, d, n)	memmove((d), (s), (n))

/*
 * User memory.  An address range outside user space, unmapped or without
 * the access asked for is EFAULT, never a kernel fault; copyinstr also
 * returns ENAMETOOLONG when no NUL is found within maxlen bytes (done, if
 * not NULL, gets the length copied including the NUL).  Thread context of
 * a process (curthread->td_proc), on that process's address space.
 */
int	copyin(const void *uaddr, void *kaddr, size_t len);
int	copyout(const void *kaddr, void *uaddr, size_t len);
int	copyinstr(const void *uaddr, void *kaddr, size_t maxlen, size_t *done);

extern int	bootverbose;
extern const char *panicstr;

#endif /* !_SYS_SYSTM_H_ */
