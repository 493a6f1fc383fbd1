/*
 * xsalloc.so: an LD_PRELOAD allocation counter for a daemon under bench.
 * Every malloc, calloc, realloc and aligned allocation adds one to a
 * 64-bit counter kept in the file XSALLOC_FILE names (mapped shared), so
 * that xsload reads the count before and after a run without asking the
 * daemon anything.  The calls go on to glibc's own allocator.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static volatile uint64_t *counter;

static inline void
count(void)
{
	if (counter != NULL)
		__atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
}

__attribute__((constructor)) static void
xsalloc_init(void)
{
	const char *p = getenv("XSALLOC_FILE");
	void *m;
	int fd;

	if (p == NULL)
		return;
	fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (ftruncate(fd, (off_t)sizeof(uint64_t)) == 0) {
		m = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
		if (m != MAP_FAILED)
			counter = m;
	}
	close(fd);
}

void *
malloc(size_t n)
{
	count();
	return __libc_malloc(n);
}

void *
calloc(size_t n, size_t sz)
{
	count();
	return __libc_calloc(n, sz);
}

void *
realloc(void *p, size_t n)
{
	count();
	return __libc_realloc(p, n);
}

void *
memalign(size_t al, size_t n)
{
	count();
	return __libc_memalign(al, n);
}

void *
aligned_alloc(size_t al, size_t n)
{
	count();
	return __libc_memalign(al, n);
}

int
posix_memalign(void **out, size_t al, size_t n)
{
	void *p;

	count();
	p = __libc_memalign(al, n);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}
