/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * namei over tmpfs, tmpfs itself and the initramfs unpacker, hosted.  The
 * expected errors are POSIX's (and Linux's) for each case, written out
 * here; leaks are checked with the allocator's own counters (M_TMPFS,
 * M_VNODE) and the physical page count, which return to where they were.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/initramfs.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/param.h>
#include <sys/physmem.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <machine/vmparam.h>

#include <fs/tmpfs/tmpfs.h>

#include "cpio_build.h"
#include "kunit.h"

MALLOC_DECLARE(M_TMPFS);
MALLOC_DECLARE(M_VNODE);

static uint64_t	fake_ns;

uint64_t	nanouptime_ns(void);

/* tmpfs stamps times; any increasing clock will do here. */
uint64_t
nanouptime_ns(void)
{
	return (fake_ns += 1000);
}

static struct vnode *root;

/* tmpfs's data pages in use (the count its ENOSPC limit applies to). */
static u_long
tmpfs_pages(void)
{
	return (((struct tmpfs_mount *)root->v_mount->mnt_data)->tm_pages);
}

static void
fresh_root(void)
{
	struct mount *mp;

	KU_ASSERT(vfs_mount_detached("tmpfs", NULL, &mp) == 0, "mount tmpfs");
	root = mp->mnt_rootvp;
	rootvnode = root;
}

static void
setup(void)
{
	kunit_ram(16 * 1024 * 1024, 8 * 1024 * 1024);
	kunit_sysinit(SI_SUB_KMEM);
	fresh_root();
}

static int
lookup_at(struct vnode *start, const char *path, u_int flags,
    struct vnode **vpp)
{
	struct nameidata nd;
	int error;

	NDINIT(&nd, path, UIO_SYSSPACE, start, root, flags);
	error = namei(&nd);
	if (error == 0) {
		if (vpp != NULL)
			*vpp = nd.ni_vp;
		else
			vrele(nd.ni_vp);
	}
	return (error);
}

static int
lookup(const char *path, u_int flags, struct vnode **vpp)
{
	return (lookup_at(root, path, flags, vpp));
}

/* Makes path (type, link target); returns the error, no reference kept. */
static int
mk(const char *path, enum vtype type, const char *target)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	NDINIT(&nd, path, UIO_SYSSPACE, root, root, NI_WANTPARENT);
	error = namei(&nd);
	if (error != 0)
		return (error);
	if (nd.ni_vp != NULL || nd.ni_dvp == NULL)
		error = EEXIST;
	else
		error = nd.ni_dvp->v_op->vop_create(nd.ni_dvp, nd.ni_name,
		    nd.ni_namelen, type, 0644, target, 0, &vp);
	if (error == 0)
		vrele(vp);
	NDFREE(&nd);
	return (error);
}

static int
rm(const char *path, int flags)
{
	struct nameidata nd;
	int error;

	NDINIT(&nd, path, UIO_SYSSPACE, root, root, NI_WANTPARENT);
	error = namei(&nd);
	if (error != 0)
		return (error);
	if (nd.ni_dvp == NULL)
		error = EINVAL;
	else
		error = nd.ni_dvp->v_op->vop_remove(nd.ni_dvp, nd.ni_name,
		    nd.ni_namelen, flags);
	NDFREE(&nd);
	return (error);
}

static int
mv(const char *from, const char *to)
{
	struct nameidata a, b;
	int error;

	NDINIT(&a, from, UIO_SYSSPACE, root, root, NI_WANTPARENT);
	if ((error = namei(&a)) != 0)
		return (error);
	NDINIT(&b, to, UIO_SYSSPACE, root, root, NI_WANTPARENT);
	if ((error = namei(&b)) != 0) {
		NDFREE(&a);
		return (error);
	}
	if (a.ni_vp == NULL)
		error = ENOENT;
	else
		error = a.ni_dvp->v_op->vop_rename(a.ni_dvp, a.ni_name,
		    a.ni_namelen, b.ni_dvp, b.ni_name, b.ni_namelen);
	NDFREE(&a);
	NDFREE(&b);
	return (error);
}

KUNIT_TEST(namei_errors)
{
	char name[300], path[PATH_MAX + 10];

	setup();
	KU_ASSERT(mk("/d", VDIR, NULL) == 0, "mkdir /d");
	KU_ASSERT(mk("/d/f", VREG, NULL) == 0, "create /d/f");
	KU_ASSERT(lookup("/d/f", 0, NULL) == 0, "/d/f found");
	KU_ASSERT(lookup("/nope", 0, NULL) == ENOENT, "missing: ENOENT");
	KU_ASSERT(lookup("/d/nope/x", 0, NULL) == ENOENT, "missing dir: ENOENT");
	KU_ASSERT(lookup("", 0, NULL) == ENOENT, "empty path: ENOENT");
	KU_ASSERT(lookup("/d/f/x", 0, NULL) == ENOTDIR, "through a file: ENOTDIR");
	KU_ASSERT(lookup("/d/f/", 0, NULL) == ENOTDIR, "file with slash: ENOTDIR");
	KU_ASSERT(lookup("/d/", 0, NULL) == 0, "dir with slash");
	KU_ASSERT(mk("/d/f/new", VREG, NULL) == ENOTDIR, "create under a file");
	KU_ASSERT(mk("/d/f", VREG, NULL) == EEXIST, "create twice: EEXIST");
	memset(name, 'n', sizeof(name));
	name[0] = '/';
	name[NAME_MAX + 1] = '\0';	/* "/" and 255 bytes */
	KU_ASSERT(lookup(name, 0, NULL) == ENOENT, "255-byte name: ENOENT");
	name[NAME_MAX + 1] = 'n';
	name[NAME_MAX + 2] = '\0';	/* 256 bytes */
	KU_ASSERT(lookup(name, 0, NULL) == ENAMETOOLONG, "256-byte name");
	KU_ASSERT(mk(name, VREG, NULL) == ENAMETOOLONG, "create 256-byte name");
	memset(path, '/', sizeof(path));
	path[PATH_MAX] = '\0';	/* PATH_MAX bytes before the NUL: too long */
	KU_ASSERT(lookup(path, 0, NULL) == ENAMETOOLONG, "PATH_MAX path");
	path[PATH_MAX - 1] = '\0';
	KU_ASSERT(lookup(path, 0, NULL) == 0, "PATH_MAX - 1 slashes is /");
}

KUNIT_TEST(namei_dots_and_mounts)
{
	struct vnode *vp, *d, *f;

	setup();
	KU_ASSERT(mk("/d", VDIR, NULL) == 0 && mk("/d/f", VREG, NULL) == 0,
	    "tree");
	KU_ASSERT(lookup("/d/f", 0, &f) == 0 && lookup("/d", 0, &d) == 0,
	    "lookups");
	KU_ASSERT(lookup("/..", 0, &vp) == 0 && vp == root, "/.. is /");
	vrele(vp);
	KU_ASSERT(lookup("/d/../d/./f", 0, &vp) == 0 && vp == f, "dots");
	vrele(vp);
	KU_ASSERT(lookup_at(d, "f", 0, &vp) == 0 && vp == f, "relative");
	vrele(vp);
	KU_ASSERT(lookup_at(d, "../../../d/f", 0, &vp) == 0 && vp == f,
	    ".. stops at the root");
	vrele(vp);

	/* A second tmpfs on /d: /d/f is hidden, /d/.. is / again. */
	KU_ASSERT(vfs_mount("tmpfs", "/d", NULL) == 0, "mount on /d");
	KU_ASSERT(lookup("/d/f", 0, NULL) == ENOENT, "covered file hidden");
	KU_ASSERT(mk("/d/g", VREG, NULL) == 0, "create in the mount");
	KU_ASSERT(lookup("/d", 0, &vp) == 0 && vp != d &&
	    vp == d->v_mountedhere->mnt_rootvp, "/d is the mount's root");
	vrele(vp);
	KU_ASSERT(lookup("/d/..", 0, &vp) == 0 && vp == root, "/d/.. is /");
	vrele(vp);
	KU_ASSERT(lookup_at(d, "g", 0, NULL) == ENOENT,
	    "the covered vnode itself is still the old directory");
	/* A second mount on /d stacks (as Linux): g hidden, .. still /. */
	KU_ASSERT(vfs_mount("tmpfs", "/d", NULL) == 0, "mount on /d again");
	KU_ASSERT(lookup("/d/g", 0, NULL) == ENOENT, "stacked mount on top");
	KU_ASSERT(lookup("/d/../d/..", 0, &vp) == 0 && vp == root,
	    "out of both mounts");
	vrele(vp);
	KU_ASSERT(vfs_mount("nofs", "/d", NULL) == ENODEV, "unknown type");
	vrele(f);
	vrele(d);
}

KUNIT_TEST(namei_symlinks)
{
	struct vnode *vp, *f;
	char a[8], b[8];

	setup();
	KU_ASSERT(mk("/d", VDIR, NULL) == 0 && mk("/d/f", VREG, NULL) == 0,
	    "tree");
	KU_ASSERT(lookup("/d/f", 0, &f) == 0, "f");
	KU_ASSERT(mk("/d/rel", VLNK, "f") == 0, "relative link");
	KU_ASSERT(mk("/abs", VLNK, "/d/f") == 0, "absolute link");
	KU_ASSERT(mk("/dl", VLNK, "d") == 0, "link to a dir");
	KU_ASSERT(mk("/dangle", VLNK, "nothing") == 0, "dangling link");
	KU_ASSERT(mk("/self", VLNK, "self") == 0, "loop link");
	KU_ASSERT(mk("/empty", VLNK, "") == ENOENT, "empty target: ENOENT");

	KU_ASSERT(lookup("/d/rel", NI_FOLLOW, &vp) == 0 && vp == f,
	    "relative link from its own directory");
	vrele(vp);
	KU_ASSERT(lookup("/abs", NI_FOLLOW, &vp) == 0 && vp == f, "absolute");
	vrele(vp);
	KU_ASSERT(lookup("/abs", 0, &vp) == 0 && vp->v_type == VLNK,
	    "no FOLLOW: the link itself");
	vrele(vp);
	KU_ASSERT(lookup("/dl/f", 0, &vp) == 0 && vp == f,
	    "links inside a path are always followed");
	vrele(vp);
	KU_ASSERT(lookup("/dl/", 0, &vp) == 0 && vp->v_type == VDIR,
	    "a trailing slash follows the last link");
	vrele(vp);
	KU_ASSERT(lookup("/dangle", NI_FOLLOW, NULL) == ENOENT, "dangling");
	KU_ASSERT(lookup("/self", NI_FOLLOW, NULL) == ELOOP, "self loop: ELOOP");
	KU_ASSERT(lookup("/self", 0, NULL) == 0, "loop, not followed");
	KU_ASSERT(lookup("/abs/x", 0, NULL) == ENOTDIR, "link to file, then /x");

	/* A chain of MAXSYMLINKS links resolves; one more is ELOOP. */
	for (int i = 1; i <= MAXSYMLINKS + 1; i++) {
		snprintf(a, sizeof(a), "/c%d", i);
		if (i == 1)
			snprintf(b, sizeof(b), "/d/f");
		else
			snprintf(b, sizeof(b), "c%d", i - 1);
		KU_ASSERT(mk(a, VLNK, b) == 0, "chain link %d", i);
	}
	snprintf(a, sizeof(a), "/c%d", MAXSYMLINKS);
	KU_ASSERT(lookup(a, NI_FOLLOW, &vp) == 0 && vp == f,
	    "%d links resolve", MAXSYMLINKS);
	vrele(vp);
	snprintf(a, sizeof(a), "/c%d", MAXSYMLINKS + 1);
	KU_ASSERT(lookup(a, NI_FOLLOW, NULL) == ELOOP, "%d links: ELOOP",
	    MAXSYMLINKS + 1);
	vrele(f);
}

static int
rw(enum uio_rw dir, struct vnode *vp, void *buf, size_t len, off_t off,
    size_t *resid)
{
	return (vn_rdwr(dir, vp, buf, len, off, resid));
}

KUNIT_TEST(tmpfs_read_write_holes_truncate)
{
	static char wbuf[3 * PAGE_SIZE], rbuf[4 * PAGE_SIZE];
	struct vnode *vp;
	struct vattr va;
	vm_paddr_t pa, pa2;
	size_t resid;

	setup();
	KU_ASSERT(mk("/f", VREG, NULL) == 0 && lookup("/f", 0, &vp) == 0, "f");
	for (size_t i = 0; i < sizeof(wbuf); i++)
		wbuf[i] = (char)(i * 7 + 1);
	/* Bytes 100 .. 100 + 3 pages: four pages touched. */
	KU_ASSERT(rw(UIO_WRITE, vp, wbuf, sizeof(wbuf), 100, NULL) == 0, "write");
	KU_ASSERT(vn_getattr(vp, &va) == 0 && va.va_size == 100 + 3 * PAGE_SIZE,
	    "size %jd", (intmax_t)va.va_size);
	KU_ASSERT(tmpfs_pages() == 4, "4 pages used, %lu",
	    tmpfs_pages());
	memset(rbuf, 0x55, sizeof(rbuf));
	KU_ASSERT(rw(UIO_READ, vp, rbuf, sizeof(rbuf), 0, &resid) == 0 &&
	    resid == sizeof(rbuf) - (100 + 3 * PAGE_SIZE), "read, resid %zu",
	    resid);
	for (int i = 0; i < 100; i++)
		KU_ASSERT(rbuf[i] == 0, "unwritten head byte %d is %d", i, rbuf[i]);
	KU_ASSERT(memcmp(rbuf + 100, wbuf, sizeof(wbuf)) == 0, "data back");
	KU_ASSERT(rw(UIO_READ, vp, rbuf, 10, 1 << 20, &resid) == 0 &&
	    resid == 10, "read past EOF: nothing");

	/* A hole: a write far out leaves unallocated zero pages between. */
	KU_ASSERT(rw(UIO_WRITE, vp, "x", 1, 10 * PAGE_SIZE, NULL) == 0, "far");
	KU_ASSERT(tmpfs_pages() == 5, "hole costs no page");
	KU_ASSERT(rw(UIO_READ, vp, rbuf, PAGE_SIZE, 6 * PAGE_SIZE, NULL) == 0,
	    "read the hole");
	for (size_t i = 0; i < PAGE_SIZE; i++)
		KU_ASSERT(rbuf[i] == 0, "hole byte %zu", i);

	/* Shrink into page 1, grow back: the cut tail reads as zeroes. */
	KU_ASSERT(vp->v_op->vop_truncate(vp, PAGE_SIZE + 10) == 0, "truncate");
	KU_ASSERT(tmpfs_pages() == 2, "pages freed: %lu in use",
	    tmpfs_pages());
	KU_ASSERT(vp->v_op->vop_truncate(vp, 2 * PAGE_SIZE) == 0, "grow");
	KU_ASSERT(rw(UIO_READ, vp, rbuf, PAGE_SIZE, PAGE_SIZE, NULL) == 0, "rd");
	KU_ASSERT(memcmp(rbuf, wbuf + PAGE_SIZE - 100, 10) == 0, "kept bytes");
	for (size_t i = 10; i < PAGE_SIZE; i++)
		KU_ASSERT(rbuf[i] == 0, "byte %zu past the cut is %d", i, rbuf[i]);

	/* The pager hook: the same page each time, ENXIO at EOF. */
	KU_ASSERT(vn_getpage(vp, PAGE_SIZE, &pa) == 0 &&
	    vn_getpage(vp, PAGE_SIZE, &pa2) == 0 && pa == pa2, "getpage");
	KU_ASSERT(memcmp((void *)PHYS_TO_DMAP(pa), wbuf + PAGE_SIZE - 100, 10) ==
	    0, "getpage gives the file's bytes");
	KU_ASSERT(vn_getpage(vp, 2 * PAGE_SIZE, &pa) == ENXIO, "getpage at EOF");
	KU_ASSERT(vn_getpage(vp, 5, &pa) == EINVAL, "unaligned getpage");
	vrele(vp);
	KU_ASSERT(rm("/f", 0) == 0, "unlink");
	KU_ASSERT(tmpfs_pages() == 0, "all pages back");
}

KUNIT_TEST(tmpfs_unlink_while_open)
{
	struct vnode *vp;
	char buf[8];
	u_long vn0, tm0;

	setup();
	vn0 = M_VNODE->ks_inuse;
	tm0 = M_TMPFS->ks_inuse;
	KU_ASSERT(mk("/f", VREG, NULL) == 0 && lookup("/f", 0, &vp) == 0, "f");
	KU_ASSERT(rw(UIO_WRITE, vp, "abcdef", 6, 0, NULL) == 0, "write");
	KU_ASSERT(rm("/f", 0) == 0, "unlink");
	KU_ASSERT(lookup("/f", 0, NULL) == ENOENT, "name gone");
	KU_ASSERT(rw(UIO_READ, vp, buf, 6, 0, NULL) == 0 &&
	    memcmp(buf, "abcdef", 6) == 0, "still readable while referenced");
	KU_ASSERT(M_VNODE->ks_inuse == vn0 + 1, "vnode alive");
	vrele(vp);
	KU_ASSERT(M_VNODE->ks_inuse == vn0 && M_TMPFS->ks_inuse == tm0 &&
	    tmpfs_pages() == 0, "freed with the last reference: "
	    "vnodes %lu/%lu tmpfs %lu/%lu", M_VNODE->ks_inuse, vn0,
	    M_TMPFS->ks_inuse, tm0);
	KU_ASSERT(rm("/", 0) == EINVAL, "unlink / : no parent");
}

KUNIT_TEST(tmpfs_remove_rename)
{
	struct vnode *vp, *a;
	u_long tm0;

	setup();
	tm0 = M_TMPFS->ks_inuse;
	KU_ASSERT(mk("/d", VDIR, NULL) == 0 && mk("/d/x", VREG, NULL) == 0 &&
	    mk("/e", VDIR, NULL) == 0 && mk("/a", VREG, NULL) == 0 &&
	    mk("/b", VREG, NULL) == 0, "tree");
	KU_ASSERT(rm("/d", VRM_DIR) == ENOTEMPTY, "rmdir non-empty");
	KU_ASSERT(rm("/d", 0) == EISDIR, "unlink a dir: EISDIR");
	KU_ASSERT(rm("/a", VRM_DIR) == ENOTDIR, "rmdir a file: ENOTDIR");
	KU_ASSERT(rm("/nope", 0) == ENOENT, "unlink missing");

	KU_ASSERT(lookup("/a", 0, &a) == 0, "a");
	KU_ASSERT(mv("/a", "/b") == 0, "rename over a file");
	KU_ASSERT(lookup("/a", 0, NULL) == ENOENT, "old name gone");
	KU_ASSERT(lookup("/b", 0, &vp) == 0 && vp == a, "b is a's file");
	vrele(vp);
	vrele(a);
	KU_ASSERT(mv("/b", "/b") == 0, "rename onto itself");
	KU_ASSERT(mv("/b", "/d") == EISDIR, "file over dir: EISDIR");
	KU_ASSERT(mv("/e", "/b") == ENOTDIR, "dir over file: ENOTDIR");
	KU_ASSERT(mv("/e", "/d") == ENOTEMPTY, "over a non-empty dir");
	KU_ASSERT(mv("/d", "/d/x/y") == ENOTDIR, "under a file");
	KU_ASSERT(mk("/d/s", VDIR, NULL) == 0, "d/s");
	KU_ASSERT(mv("/d", "/d/s/t") == EINVAL, "into its own subtree: EINVAL");
	KU_ASSERT(mv("/e", "/d/s/e") == 0, "move a dir down");
	KU_ASSERT(lookup("/d/s/e/..", 0, &vp) == 0, "its ..");
	KU_ASSERT(lookup("/d/s", 0, &a) == 0 && a == vp, ".. follows the move");
	vrele(a);
	vrele(vp);
	KU_ASSERT(mv("/nope", "/z") == ENOENT, "rename missing");
	KU_ASSERT(rm("/d/s/e", VRM_DIR) == 0 && rm("/d/s", VRM_DIR) == 0 &&
	    rm("/d/x", 0) == 0 && rm("/d", VRM_DIR) == 0 && rm("/b", 0) == 0,
	    "clean up");
	KU_ASSERT(M_TMPFS->ks_inuse == tm0, "tmpfs allocations back: %lu/%lu",
	    M_TMPFS->ks_inuse, tm0);
}

struct names {
	char	buf[256];
	int	n, stop_after;
};

static int
collect(void *arg, const char *name, size_t len, uint64_t ino,
    enum vtype type, off_t next)
{
	struct names *nm = arg;
	size_t l;

	if (nm->stop_after >= 0 && nm->n >= nm->stop_after)
		return (1);
	l = strlen(nm->buf);
	KU_ASSERT(l + 1 + len < sizeof(nm->buf), "names overflow");
	nm->buf[l] = ' ';
	memcpy(nm->buf + l + 1, name, len);
	nm->buf[l + 1 + len] = '\0';
	nm->n++;
	return (0);
}

KUNIT_TEST(tmpfs_readdir_resumes)
{
	struct names nm;
	off_t cookie = 0;

	setup();
	KU_ASSERT(mk("/a", VREG, NULL) == 0 && mk("/b", VDIR, NULL) == 0 &&
	    mk("/c", VLNK, "a") == 0, "tree");
	memset(&nm, 0, sizeof(nm));
	nm.stop_after = 3;
	KU_ASSERT(root->v_op->vop_readdir(root, &cookie, collect, &nm) == 0,
	    "readdir");
	KU_ASSERT(strcmp(nm.buf, " . .. a") == 0, "first part: '%s'", nm.buf);
	KU_ASSERT(rm("/a", 0) == 0, "remove an entry already seen");
	nm.stop_after = -1;
	KU_ASSERT(root->v_op->vop_readdir(root, &cookie, collect, &nm) == 0,
	    "readdir on");
	KU_ASSERT(strcmp(nm.buf, " . .. a b c") == 0, "resumed: '%s'", nm.buf);
	memset(nm.buf, 0, sizeof(nm.buf));
	KU_ASSERT(root->v_op->vop_readdir(root, &cookie, collect, &nm) == 0 &&
	    nm.buf[0] == '\0', "at the end: nothing more");
}

KUNIT_TEST(initramfs_unpack_and_reject)
{
	static char arch[4096];
	struct cpio_build cb = { arch, 0, sizeof(arch) };
	struct initramfs_stats st;
	struct vnode *vp, *vp2;
	struct vattr va;
	char buf[16];
	int error;

	setup();
	cb_add(&cb, ".", S_IFDIR | 0755, 1, 2, NULL, 0);
	cb_add(&cb, "./bin", S_IFDIR | 0711, 2, 2, NULL, 0);
	cb_add(&cb, "bin/h1", S_IFREG | 0755, 3, 2, NULL, 0);
	cb_add(&cb, "bin/h2", S_IFREG | 0755, 3, 2, "hello", 5);
	cb_add(&cb, "/sh", S_IFLNK | 0777, 4, 1, "bin/h1", 6);
	cb_add(&cb, "../../up", S_IFREG | 0600, 5, 1, "u", 1);
	cb_trailer(&cb);
	KU_ASSERT(initramfs_unpack(root, cb.buf, cb.len, &st) == 0,
	    "unpack: %s", st.is_failname);
	KU_ASSERT(st.is_files == 3 && st.is_dirs == 1 && st.is_symlinks == 1,
	    "counts %u %u %u", st.is_files, st.is_dirs, st.is_symlinks);
	KU_ASSERT(lookup("/bin", 0, &vp) == 0 && vn_getattr(vp, &va) == 0 &&
	    va.va_mode == (S_IFDIR | 0711), "bin mode %o", va.va_mode);
	vrele(vp);
	KU_ASSERT(lookup("/sh", NI_FOLLOW, &vp) == 0 &&
	    lookup("/bin/h2", 0, &vp2) == 0 && vp == vp2,
	    "link and hard link lead to one file");
	KU_ASSERT(vn_getattr(vp, &va) == 0 && va.va_nlink == 2 &&
	    va.va_size == 5, "nlink %u size %jd", va.va_nlink,
	    (intmax_t)va.va_size);
	KU_ASSERT(rw(UIO_READ, vp, buf, 5, 0, NULL) == 0 &&
	    memcmp(buf, "hello", 5) == 0, "data on the last name");
	vrele(vp);
	vrele(vp2);
	KU_ASSERT(lookup("/up", 0, NULL) == 0, "../../up stays at the root");

	/* Cut inside the fifth header: what came before stays. */
	fresh_root();
	error = initramfs_unpack(root, cb.buf, 110 * 4 + 40, &st);
	KU_ASSERT(error == EFBIG, "truncated: %d", error);
	KU_ASSERT(strcmp(st.is_failname, "(header)") == 0 && st.is_failoff > 0,
	    "failure located at %zu", st.is_failoff);
	KU_ASSERT(lookup("/bin", 0, NULL) == 0, "earlier entries kept");

	/* An entry under a missing directory is the file system's ENOENT. */
	fresh_root();
	cb = (struct cpio_build){ arch, 0, sizeof(arch) };
	cb_add(&cb, "no/such/dir/f", S_IFREG | 0644, 1, 1, "x", 1);
	cb_trailer(&cb);
	KU_ASSERT(initramfs_unpack(root, cb.buf, cb.len, &st) == ENOENT &&
	    strcmp(st.is_failname, "no/such/dir/f") == 0, "missing parent: %s",
	    st.is_failname);
}
