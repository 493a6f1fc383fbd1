/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A dynamically linked program: Debian's ld.so (PT_INTERP) maps libc.so.6
 * from the file system itself (open, mmap of the file, mprotect) before
 * main runs.
 */
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
	char *p = malloc(1 << 20);

	if (p == NULL)
		return (1);
	memset(p, 7, 1 << 20);
	printf("gdyn: dynamic main runs, glibc %s, heap %d, argc %d\n",
	    gnu_get_libc_version(), p[(1 << 20) - 1], argc);
	free(p);
	return (0);
}
