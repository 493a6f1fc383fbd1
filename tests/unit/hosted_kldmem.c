/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Executable memory below 2 GiB for kld_link_test (the libc half): the
 * objects it links are built like modules, with 32-bit relocations, and
 * the program is linked at a fixed low address (-no-pie).
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <stddef.h>
#include <stdint.h>

void	*hosted_kldmem_alloc(size_t size);
void	hosted_kldmem_free(void *p, size_t size);

void *
hosted_kldmem_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	return (p == MAP_FAILED ? NULL : p);
}

void
hosted_kldmem_free(void *p, size_t size)
{
	(void)munmap(p, size);
}
