/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tmpfs internals: a file system in memory.  Every node has exactly one
 * vnode for its whole life (tn_vnode), so a lookup is a pointer walk.  A
 * node is freed when it has no name left (tn_links == 0) and its vnode no
 * reference; both counts change under tm_lock only (see sys/vnode.h).
 */
#ifndef _FS_TMPFS_TMPFS_H_
#define _FS_TMPFS_TMPFS_H_

#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/types.h>
#include <sys/vnode.h>

struct tmpfs_node;

struct tmpfs_dirent {
	TAILQ_ENTRY(tmpfs_dirent) td_entries;
	struct tmpfs_node	*td_node;
	off_t			td_cookie;	/* readdir position, increasing */
	uint16_t		td_namelen;
	char			td_name[];
};

TAILQ_HEAD(tmpfs_dir, tmpfs_dirent);

struct tmpfs_node {
	enum vtype		tn_type;
	uint32_t		tn_mode;	/* permission bits */
	uint32_t		tn_links;	/* names (directory entries) */
	uint64_t		tn_ino;
	off_t			tn_size;
	uint64_t		tn_rdev;
	struct ktimespec		tn_atime, tn_mtime, tn_ctime;
	struct vnode		*tn_vnode;
	union {
		struct {
			struct tmpfs_dir	entries;
			struct tmpfs_node	*parent;
			off_t			nextcookie;
			uint32_t		nsubdirs;
		} tn_dir;
		struct {
			void		**pages;	/* NULL entries: holes */
			size_t		npages;		/* slots in pages[] */
		} tn_reg;
		struct {
			char		*target;
			size_t		len;
		} tn_lnk;
	};
};

struct tmpfs_mount {
	struct mtx		tm_lock;
	struct tmpfs_node	*tm_root;
	uint64_t		tm_nextino;
	u_long			tm_pages;	/* data pages in use */
	u_long			tm_pages_max;
};

/* Data pages (tmpfs_page.c): zeroed, page-aligned, with a physical address. */
void		*tmpfs_page_alloc(void);
void		tmpfs_page_free(void *);
vm_paddr_t	tmpfs_page_pa(void *);
/* How many data pages one tmpfs may hold. */
u_long		tmpfs_page_limit(void);

extern const struct vop_vector tmpfs_vnops;

#define VP_TO_TMPFS(vp)		((struct tmpfs_node *)(vp)->v_data)
#define VP_TO_TMPFS_MNT(vp)	((struct tmpfs_mount *)(vp)->v_mount->mnt_data)

#endif /* !_FS_TMPFS_TMPFS_H_ */
