/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tmpfs node and directory helpers (tmpfs_subr.c); tm_lock held.
 */
#ifndef _FS_TMPFS_TMPFS_SUBR_H_
#define _FS_TMPFS_TMPFS_SUBR_H_

#include <fs/tmpfs/tmpfs.h>

MALLOC_DECLARE(M_TMPFS);

/* Cookies 0 and 1 are "." and ".."; entries count from here. */
#define TMPFS_COOKIE_FIRST	2
/* One file's largest size: 1 TiB is far past any memory it could hold. */
#define TMPFS_MAXFILESIZE	((off_t)1 << 40)

void	tmpfs_now(struct ktimespec *);
struct tmpfs_node *tmpfs_node_alloc(struct tmpfs_mount *, struct mount *,
	    enum vtype, uint32_t mode);
void	tmpfs_node_free(struct tmpfs_mount *, struct tmpfs_node *);
struct tmpfs_dirent *tmpfs_dir_lookup(struct tmpfs_node *dn, const char *name,
	    size_t len);
void	tmpfs_dir_attach(struct tmpfs_node *dn, const char *name, size_t len,
	    struct tmpfs_node *tn);
void	tmpfs_dir_detach(struct tmpfs_mount *, struct tmpfs_node *dn,
	    struct tmpfs_dirent *de);
int	tmpfs_reg_page(struct tmpfs_mount *, struct tmpfs_node *, off_t off,
	    void **pagep);
int	tmpfs_reg_resize(struct tmpfs_mount *, struct tmpfs_node *, off_t size);

#endif /* !_FS_TMPFS_TMPFS_SUBR_H_ */
