/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The newc parser against archives written by cpio_build.h: good ones
 * parse entry by entry; every truncation and every corrupted header field
 * is an error, never a read past the buffer (the archive is copied to an
 * exactly-sized allocation for each case, so a sanitizer or valgrind would
 * see an overrun).
 */
#include <sys/types.h>
#include <sys/cpio.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/stat.h>
#include <sys/systm.h>

#include "cpio_build.h"
#include "kunit.h"

static char	arch[8192];

static void
setup(void)
{
	kunit_ram(16 * 1024 * 1024, 8 * 1024 * 1024);
	kunit_sysinit(SI_SUB_KMEM);
}

static struct cpio_build
sample(void)
{
	struct cpio_build cb = { arch, 0, sizeof(arch) };

	cb_add(&cb, ".", S_IFDIR | 0755, 1, 2, NULL, 0);
	cb_add(&cb, "bin", S_IFDIR | 0755, 2, 2, NULL, 0);
	cb_add(&cb, "bin/sh", S_IFREG | 0755, 3, 1, "#!echo\n", 7);
	cb_add(&cb, "lnk", S_IFLNK | 0777, 4, 1, "bin/sh", 6);
	cb_trailer(&cb);
	return (cb);
}

/* Parses buf[0 .. len) to the end; returns the first error (ENOENT: ok). */
static int
parse_all(const char *buf, size_t len, int *nentries)
{
	struct cpio_iter ci;
	struct cpio_entry ce;
	char *copy = malloc(len + 1, M_TEMP, M_WAITOK);
	int error;

	memcpy(copy, buf, len);
	cpio_iter_init(&ci, copy, len);
	*nentries = 0;
	while ((error = cpio_next(&ci, &ce)) == 0) {
		KU_ASSERT((const char *)ce.ce_data + ce.ce_size <= copy + len,
		    "entry data past the buffer");
		(*nentries)++;
	}
	free(copy, M_TEMP);
	return (error);
}

KUNIT_TEST(cpio_parses_entries)
{
	struct cpio_build cb = sample();
	struct cpio_iter ci;
	struct cpio_entry ce;

	setup();

	cpio_iter_init(&ci, cb.buf, cb.len);
	KU_ASSERT(cpio_next(&ci, &ce) == 0 && strcmp(ce.ce_name, ".") == 0,
	    "first entry");
	KU_ASSERT(cpio_next(&ci, &ce) == 0 && strcmp(ce.ce_name, "bin") == 0 &&
	    ce.ce_mode == (S_IFDIR | 0755), "bin: %s %o", ce.ce_name, ce.ce_mode);
	KU_ASSERT(cpio_next(&ci, &ce) == 0 && strcmp(ce.ce_name, "bin/sh") == 0,
	    "bin/sh");
	KU_ASSERT(ce.ce_size == 7 && memcmp(ce.ce_data, "#!echo\n", 7) == 0,
	    "bin/sh data");
	KU_ASSERT(cpio_next(&ci, &ce) == 0 && ce.ce_size == 6 &&
	    memcmp(ce.ce_data, "bin/sh", 6) == 0, "lnk target");
	KU_ASSERT(cpio_next(&ci, &ce) == ENOENT, "trailer ends it");
	KU_ASSERT(cpio_next(&ci, &ce) == ENOENT, "and stays ended");
	KU_ASSERT(ci.ci_off == cb.len, "consumed %zu of %zu", ci.ci_off, cb.len);
}

KUNIT_TEST(cpio_every_truncation_fails)
{
	struct cpio_build cb = sample();
	int n, error;

	setup();

	KU_ASSERT(parse_all(cb.buf, cb.len, &n) == ENOENT && n == 4,
	    "whole archive: %d entries", n);
	/* Short of the trailer's header, nothing may pass as complete. */
	for (size_t len = 0; len < cb.len - 110 - 12; len++) {
		error = parse_all(cb.buf, len, &n);
		KU_ASSERT(error == EFBIG, "cut at %zu: error %d after %d entries",
		    len, error, n);
	}
}

KUNIT_TEST(cpio_bad_fields)
{
	struct cpio_build cb;
	int n;

	setup();

	/* Not hex: a 'g' in the mode field. */
	cb = sample();
	cb.buf[6 + 8 + 3] = 'g';
	KU_ASSERT(parse_all(cb.buf, cb.len, &n) == EFTYPE && n == 0, "bad hex");
	/* Bad magic. */
	cb = sample();
	cb.buf[5] = '7';
	KU_ASSERT(parse_all(cb.buf, cb.len, &n) == EFTYPE, "bad magic");
	/* namesize 1 (no room for a name) and namesize past PATH_MAX. */
	cb = sample();
	memcpy(cb.buf + 6 + 8 * 11, "00000001", 8);
	KU_ASSERT(parse_all(cb.buf, cb.len, &n) == EINVAL, "namesize 1");
	cb = sample();
	memcpy(cb.buf + 6 + 8 * 11, "00001001", 8);
	KU_ASSERT(parse_all(cb.buf, cb.len, &n) == EINVAL, "namesize 4097");
	/* A file size far past the archive. */
	cb = sample();
	memcpy(cb.buf + 6 + 8 * 6, "7fffffff", 8);
	KU_ASSERT(parse_all(cb.buf, cb.len, &n) == EFBIG, "huge file size");
	/* An unknown file type (0170000 bits 0110000). */
	cb = (struct cpio_build){ arch, 0, sizeof(arch) };
	cb_add(&cb, "x", 0110644, 1, 1, NULL, 0);
	cb_trailer(&cb);
	KU_ASSERT(parse_all(cb.buf, cb.len, &n) == EFTYPE, "unknown type");
	/* A directory with contents; an empty link. */
	cb = (struct cpio_build){ arch, 0, sizeof(arch) };
	cb_add(&cb, "d", S_IFDIR | 0755, 1, 1, "abc", 3);
	KU_ASSERT(parse_all(cb.buf, cb.len, &n) == EFTYPE, "dir with data");
	cb = (struct cpio_build){ arch, 0, sizeof(arch) };
	cb_add(&cb, "l", S_IFLNK | 0777, 1, 1, NULL, 0);
	KU_ASSERT(parse_all(cb.buf, cb.len, &n) == EINVAL, "empty link");
	/* A NUL inside the name. */
	cb = (struct cpio_build){ arch, 0, sizeof(arch) };
	cb_add(&cb, "abc", S_IFREG | 0644, 1, 1, NULL, 0);
	cb.buf[110 + 1] = '\0';
	KU_ASSERT(parse_all(cb.buf, cb.len, &n) == EINVAL, "NUL in name");
	/* The name's last byte not a NUL. */
	cb = (struct cpio_build){ arch, 0, sizeof(arch) };
	cb_add(&cb, "abc", S_IFREG | 0644, 1, 1, NULL, 0);
	cb.buf[110 + 3] = 'x';
	KU_ASSERT(parse_all(cb.buf, cb.len, &n) == EINVAL, "unterminated name");
}

KUNIT_TEST(cpio_magic)
{
	setup();
	KU_ASSERT(cpio_is_newc("070701", 6) && cpio_is_newc("070702xx", 8),
	    "newc magics");
	KU_ASSERT(!cpio_is_newc("070707", 6) && !cpio_is_newc("0707", 4),
	    "odc and short are not newc");
}
