/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Reading a cpio archive in the "newc" format (magic 070701, or 070702
 * with checksums), the initramfs format.  The parser trusts nothing in the
 * archive: every header field must be eight hex digits, names must be
 * NUL-terminated within their stated size and at most PATH_MAX, the data
 * must lie inside the archive, and the file type must be one it knows.
 */
#ifndef _SYS_CPIO_H_
#define _SYS_CPIO_H_

#include <sys/types.h>

struct cpio_entry {
	const char	*ce_name;	/* NUL-terminated, inside the archive */
	size_t		ce_namelen;
	uint32_t	ce_mode;	/* S_IFMT | permission bits */
	uint32_t	ce_ino;
	uint32_t	ce_nlink;
	uint32_t	ce_rdevmajor;
	uint32_t	ce_rdevminor;
	uint32_t	ce_mtime;
	const void	*ce_data;	/* file contents or link text */
	size_t		ce_size;
};

struct cpio_iter {
	const char	*ci_base;
	size_t		ci_len;
	size_t		ci_off;		/* next header */
	bool		ci_done;	/* TRAILER!!! seen */
};

void	cpio_iter_init(struct cpio_iter *, const void *buf, size_t len);
/*
 * The next entry: 0 and *ep filled, ENOENT after the trailer, or EFTYPE (a
 * bad magic, field or type), EINVAL (a bad name) or EFBIG (a name or data
 * that runs past the end: a truncated archive).  ci_off then tells where.
 */
int	cpio_next(struct cpio_iter *, struct cpio_entry *ep);
/* True if buf starts with a newc magic. */
bool	cpio_is_newc(const void *buf, size_t len);

#endif /* !_SYS_CPIO_H_ */
