/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A newc cpio writer for the tests, written from the format's description
 * (110-byte header of "070701" and 13 eight-digit hex fields, name, data,
 * each padded to 4), independent of the kernel's parser.
 */
#ifndef _CPIO_BUILD_H_
#define _CPIO_BUILD_H_

#include <sys/types.h>
#include <sys/systm.h>

struct cpio_build {
	char	*buf;
	size_t	len;
	size_t	cap;
};

static inline void
cb_pad(struct cpio_build *cb)
{
	while (cb->len % 4 != 0)
		cb->buf[cb->len++] = '\0';
}

/* Appends one entry (ino and nlink as given, everything else plain). */
static inline void
cb_add(struct cpio_build *cb, const char *name, uint32_t mode, uint32_t ino,
    uint32_t nlink, const void *data, size_t size)
{
	size_t nsz = strlen(name) + 1;
	int n;

	n = snprintf(cb->buf + cb->len, cb->cap - cb->len,
	    "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08zx%08x",
	    ino, mode, 0u, 0u, nlink, 0u, (uint32_t)size, 0u, 0u, 0u, 0u, nsz,
	    0u);
	cb->len += (size_t)n;
	memcpy(cb->buf + cb->len, name, nsz);
	cb->len += nsz;
	cb_pad(cb);
	if (size > 0)
		memcpy(cb->buf + cb->len, data, size);
	cb->len += size;
	cb_pad(cb);
}

static inline void
cb_trailer(struct cpio_build *cb)
{
	cb_add(cb, "TRAILER!!!", 0, 0, 1, NULL, 0);
}

#endif /* !_CPIO_BUILD_H_ */
