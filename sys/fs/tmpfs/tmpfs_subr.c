/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * tmpfs nodes, directory entries and file pages.  Every function here runs
 * with tm_lock held.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/vnode.h>

#include <fs/tmpfs/tmpfs.h>
#include <fs/tmpfs/tmpfs_subr.h>

MALLOC_DEFINE(M_TMPFS, "tmpfs", "tmpfs nodes and names");

void
tmpfs_now(struct ktimespec *ts)
{
	uint64_t ns = nanouptime_ns();

	ts->tv_sec = (int64_t)(ns / 1000000000);
	ts->tv_nsec = (long)(ns % 1000000000);
}

struct tmpfs_node *
tmpfs_node_alloc(struct tmpfs_mount *tm, struct mount *mp, enum vtype type,
    uint32_t mode)
{
	struct tmpfs_node *tn;

	mtx_assert(&tm->tm_lock, MA_OWNED);
	tn = malloc(sizeof(*tn), M_TMPFS, M_WAITOK | M_ZERO);
	tn->tn_type = type;
	tn->tn_mode = mode & ALLPERMS;
	tn->tn_ino = tm->tm_nextino++;
	tmpfs_now(&tn->tn_mtime);
	tn->tn_atime = tn->tn_ctime = tn->tn_mtime;
	if (type == VDIR) {
		TAILQ_INIT(&tn->tn_dir.entries);
		tn->tn_dir.nextcookie = TMPFS_COOKIE_FIRST;
	}
	/* The vnode's one reference is the caller's. */
	tn->tn_vnode = vnode_alloc(mp, &tmpfs_vnops, type, tn);
	return (tn);
}

/* Frees a node with no name and no vnode reference. */
void
tmpfs_node_free(struct tmpfs_mount *tm, struct tmpfs_node *tn)
{
	mtx_assert(&tm->tm_lock, MA_OWNED);
	KASSERT(tn->tn_links == 0, ("tmpfs: freeing node %ju with %u links",
	    (uintmax_t)tn->tn_ino, tn->tn_links));
	switch (tn->tn_type) {
	case VREG:
		tmpfs_reg_resize(tm, tn, 0);
		free(tn->tn_reg.pages, M_TMPFS);
		break;
	case VLNK:
		free(tn->tn_lnk.target, M_TMPFS);
		break;
	case VDIR:
		KASSERT(TAILQ_EMPTY(&tn->tn_dir.entries),
		    ("tmpfs: freeing non-empty directory %ju",
		    (uintmax_t)tn->tn_ino));
		break;
	default:
		break;
	}
	tn->tn_vnode->v_data = NULL;
	vnode_free(tn->tn_vnode);
	free(tn, M_TMPFS);
}

struct tmpfs_dirent *
tmpfs_dir_lookup(struct tmpfs_node *dn, const char *name, size_t len)
{
	struct tmpfs_dirent *de;

	KASSERT(dn->tn_type == VDIR, ("tmpfs_dir_lookup: not a directory"));
	TAILQ_FOREACH(de, &dn->tn_dir.entries, td_entries) {
		if (de->td_namelen == len && memcmp(de->td_name, name, len) == 0)
			return (de);
	}
	return (NULL);
}

void
tmpfs_dir_attach(struct tmpfs_node *dn, const char *name, size_t len,
    struct tmpfs_node *tn)
{
	struct tmpfs_dirent *de;

	KASSERT(len > 0 && len <= NAME_MAX, ("tmpfs: name length %zu", len));
	de = malloc(sizeof(*de) + len, M_TMPFS, M_WAITOK);
	memcpy(de->td_name, name, len);
	de->td_namelen = (uint16_t)len;
	de->td_node = tn;
	de->td_cookie = dn->tn_dir.nextcookie++;
	TAILQ_INSERT_TAIL(&dn->tn_dir.entries, de, td_entries);
	tn->tn_links++;
	if (tn->tn_type == VDIR) {
		tn->tn_dir.parent = dn;
		dn->tn_dir.nsubdirs++;
	}
	tmpfs_now(&dn->tn_mtime);
	dn->tn_ctime = dn->tn_mtime;
}

/* Unlinks de; frees its node if that was the last name and reference. */
void
tmpfs_dir_detach(struct tmpfs_mount *tm, struct tmpfs_node *dn,
    struct tmpfs_dirent *de)
{
	struct tmpfs_node *tn = de->td_node;

	TAILQ_REMOVE(&dn->tn_dir.entries, de, td_entries);
	free(de, M_TMPFS);
	KASSERT(tn->tn_links > 0, ("tmpfs: node %ju has no link",
	    (uintmax_t)tn->tn_ino));
	tn->tn_links--;
	if (tn->tn_type == VDIR) {
		dn->tn_dir.nsubdirs--;
		/* An open removed directory answers ".." with itself. */
		tn->tn_dir.parent = NULL;
	}
	tmpfs_now(&dn->tn_mtime);
	dn->tn_ctime = tn->tn_ctime = dn->tn_mtime;
	if (tn->tn_links == 0 && tn->tn_vnode->v_usecount == 0)
		tmpfs_node_free(tm, tn);
}

/* Grows pages[] to hold npages slots. */
static int
tmpfs_reg_slots(struct tmpfs_node *tn, size_t npages)
{
	void **np;
	size_t n;

	if (npages <= tn->tn_reg.npages)
		return (0);
	n = tn->tn_reg.npages == 0 ? 4 : tn->tn_reg.npages;
	while (n < npages)
		n *= 2;
	np = mallocarray(n, sizeof(*np), M_TMPFS, M_NOWAIT | M_ZERO);
	if (np == NULL)
		return (ENOSPC);
	if (tn->tn_reg.npages != 0)
		memcpy(np, tn->tn_reg.pages, tn->tn_reg.npages * sizeof(*np));
	free(tn->tn_reg.pages, M_TMPFS);
	tn->tn_reg.pages = np;
	tn->tn_reg.npages = n;
	return (0);
}

/* The page holding offset off, made if it is a hole (ENOSPC when full). */
int
tmpfs_reg_page(struct tmpfs_mount *tm, struct tmpfs_node *tn, off_t off,
    void **pagep)
{
	size_t idx = (size_t)(off >> PAGE_SHIFT);
	int error;

	error = tmpfs_reg_slots(tn, idx + 1);
	if (error != 0)
		return (error);
	if (tn->tn_reg.pages[idx] == NULL) {
		if (tm->tm_pages >= tm->tm_pages_max)
			return (ENOSPC);
		tn->tn_reg.pages[idx] = tmpfs_page_alloc();
		if (tn->tn_reg.pages[idx] == NULL)
			return (ENOSPC);
		tm->tm_pages++;
	}
	*pagep = tn->tn_reg.pages[idx];
	return (0);
}

/* Sets the size: pages past it are freed, the tail of the last zeroed. */
int
tmpfs_reg_resize(struct tmpfs_mount *tm, struct tmpfs_node *tn, off_t size)
{
	size_t keep, i;

	if (size < 0 || size > TMPFS_MAXFILESIZE)
		return (EFBIG);
	keep = (size_t)((size + (off_t)PAGE_MASK) >> PAGE_SHIFT);
	for (i = keep; i < tn->tn_reg.npages; i++) {
		if (tn->tn_reg.pages[i] != NULL) {
			tmpfs_page_free(tn->tn_reg.pages[i]);
			tn->tn_reg.pages[i] = NULL;
			tm->tm_pages--;
		}
	}
	if (size < tn->tn_size && (size & (off_t)PAGE_MASK) != 0) {
		char *pg = keep - 1 < tn->tn_reg.npages ?
		    tn->tn_reg.pages[keep - 1] : NULL;

		/* Bytes past the new end read as zero if it grows again. */
		if (pg != NULL)
			memset(pg + (size & (off_t)PAGE_MASK), 0,
			    PAGE_SIZE - (size_t)(size & (off_t)PAGE_MASK));
	}
	tn->tn_size = size;
	tmpfs_now(&tn->tn_mtime);
	tn->tn_ctime = tn->tn_mtime;
	return (0);
}
