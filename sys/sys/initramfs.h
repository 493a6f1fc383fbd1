/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Unpacking a newc cpio archive into a directory tree (the initramfs).
 */
#ifndef _SYS_INITRAMFS_H_
#define _SYS_INITRAMFS_H_

#include <sys/types.h>

struct vnode;

struct initramfs_stats {
	u_int		is_files;
	u_int		is_dirs;
	u_int		is_symlinks;
	u_int		is_other;	/* device nodes, FIFOs, sockets */
	u_int		is_skipped;	/* block devices: no such thing here */
	uint64_t	is_bytes;
	/* On failure: the entry (NUL-terminated copy) and where it starts. */
	char		is_failname[64];
	size_t		is_failoff;
};

/*
 * Creates the archive's entries below root (names are relative to it and
 * cannot climb out of it: ".." stops at root).  An existing file of the
 * same name is replaced, an existing directory kept (its mode updated).
 * Returns 0, or the parser's error (EFTYPE, EINVAL, EFBIG: see sys/cpio.h)
 * or the file system's for the entry named in is_failname.  What was
 * created before a failure stays.
 */
int	initramfs_unpack(struct vnode *root, const void *buf, size_t len,
	    struct initramfs_stats *st);

/* The boot's unpacking: ENOENT if no module was an archive, else its error. */
extern int			initramfs_error;
extern struct initramfs_stats	initramfs_stats;

#endif /* !_SYS_INITRAMFS_H_ */
