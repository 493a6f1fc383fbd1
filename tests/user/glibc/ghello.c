/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * glibc's static start-up (TLS, brk/mmap for malloc, stdio), then exit 3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char *big = malloc(1 << 20), *small = malloc(100);

	if (big == NULL || small == NULL)
		return (1);
	memset(big, 'x', 1 << 20);
	snprintf(small, 100, "%d", getpid() > 0 ? 42 : -1);
	printf("hello from glibc %s argc=%d argv0=%s\n", small, argc,
	    argc > 0 ? argv[0] : "(none)");
	fflush(stdout);
	free(big);
	return (3);
}
