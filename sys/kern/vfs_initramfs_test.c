/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The initramfs as the kernel unpacked it, checked against the MANIFEST the
 * host wrote into it (tests/vfs/mkinitramfs-test: sizes and CRC-32s from
 * gzip).  Skips when the boot had no initramfs.
 */
#include <sys/types.h>
#include <sys/cpio.h>
#include <sys/crc32.h>
#include <sys/errno.h>
#include <sys/initramfs.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/vnode.h>
#include <sys/bootinfo.h>
#include <machine/vmparam.h>

#define MANIFEST_MAX	4096

static int
lookup(const char *path, u_int flags, struct vnode **vpp)
{
	struct nameidata nd;
	int error;

	NDINIT(&nd, path, UIO_SYSSPACE, rootvnode, rootvnode, flags);
	error = namei(&nd);
	if (error == 0)
		*vpp = nd.ni_vp;
	return (error);
}

/* The next space-separated word of *sp, NUL-terminated in place. */
static char *
word(char **sp)
{
	char *s = *sp, *w;

	while (*s == ' ')
		s++;
	if (*s == '\0')
		return (NULL);
	w = s;
	while (*s != '\0' && *s != ' ')
		s++;
	if (*s == ' ')
		*s++ = '\0';
	*sp = s;
	return (w);
}

static uint32_t
parse_oct(const char *s)
{
	uint32_t v = 0;

	for (; *s >= '0' && *s <= '7'; s++)
		v = v * 8 + (uint32_t)(*s - '0');
	return (v);
}

static int
check_file(char *line, char *why, size_t whylen)
{
	char *f = word(&line), *size_s = word(&line), *crc_s = word(&line);
	char *mode_s = word(&line);
	struct vnode *vp;
	struct vattr va;
	uint64_t size, crc;
	uint32_t got;
	char *buf;
	int error;

	if (f == NULL || size_s == NULL || crc_s == NULL || mode_s == NULL ||
	    parse_uint64(size_s, &size) != 0)
		return (snprintf(why, whylen, "bad manifest line"), EINVAL);
	{
		char hex[16];

		snprintf(hex, sizeof(hex), "0x%s", crc_s);
		if (parse_uint64(hex, &crc) != 0)
			return (snprintf(why, whylen, "bad crc %s", crc_s),
			    EINVAL);
	}
	error = lookup(f, NI_FOLLOW, &vp);
	if (error != 0)
		return (snprintf(why, whylen, "%s: lookup %d", f, error), error);
	error = vn_getattr(vp, &va);
	if (error == 0 && ((va.va_mode & S_IFMT) != S_IFREG ||
	    (uint64_t)va.va_size != size ||
	    (va.va_mode & ALLPERMS) != parse_oct(mode_s))) {
		snprintf(why, whylen, "%s: mode %o size %jd, manifest %s %ju", f,
		    va.va_mode, (intmax_t)va.va_size, mode_s, (uintmax_t)size);
		error = EINVAL;
	}
	if (error == 0) {
		buf = malloc(size + 1, M_TEMP, M_WAITOK);
		error = vn_rdwr(UIO_READ, vp, buf, size, 0, NULL);
		got = crc32_update(0, buf, size);
		free(buf, M_TEMP);
		if (error != 0 || got != crc) {
			snprintf(why, whylen, "%s: read %d crc %08x, manifest %s",
			    f, error, got, crc_s);
			error = error != 0 ? error : EINVAL;
		}
	}
	vrele(vp);
	return (error);
}

KTEST(vfs_initramfs_manifest)
{
	struct vnode *vp, *vp2;
	struct vattr va, va2;
	char *manifest, *line, *next, why[120];
	size_t resid;
	u_int nf = 0, nd = 0, nl = 0;
	int error;

	if (initramfs_error == ENOENT)
		KT_SKIP("no initramfs among the boot modules");
	KT_ASSERT(initramfs_error == 0, "unpacking failed: %d", initramfs_error);
	KT_ASSERT(lookup("/MANIFEST", 0, &vp) == 0, "no /MANIFEST");
	memset(&va, 0, sizeof(va));
	manifest = malloc(MANIFEST_MAX, M_TEMP, M_WAITOK | M_ZERO);
	error = vn_rdwr(UIO_READ, vp, manifest, MANIFEST_MAX - 1, 0, &resid);
	vrele(vp);
	if (!KT_CHECK(error == 0 && resid > 0, "read MANIFEST: %d", error))
		goto out;
	for (line = manifest; *line != '\0'; line = next) {
		char *kind, *p, *target;
		char lbuf[PATH_MAX > 256 ? 256 : PATH_MAX];
		struct iovec iov;
		struct uio uio;

		next = strchr(line, '\n');
		if (next == NULL)
			break;
		*next++ = '\0';
		kind = word(&line);
		if (kind == NULL)
			continue;
		why[0] = '\0';
		switch (kind[0]) {
		case 'f':
			error = check_file(line, why, sizeof(why));
			nf++;
			break;
		case 'd':
			p = word(&line);
			error = lookup(p, NI_FOLLOW, &vp);
			if (error == 0) {
				error = vn_getattr(vp, &va);
				if (error == 0 && (!S_ISDIR(va.va_mode) ||
				    (va.va_mode & ALLPERMS) != parse_oct(line)))
					error = EINVAL;
				vrele(vp);
			}
			if (error != 0)
				snprintf(why, sizeof(why), "dir %s: %d mode %o",
				    p, error, va.va_mode);
			nd++;
			break;
		case 'l':
			p = word(&line);
			target = word(&line);
			error = lookup(p, 0, &vp);
			if (error == 0) {
				uio_init_sys(&uio, &iov, lbuf, sizeof(lbuf) - 1,
				    0, UIO_READ);
				error = vp->v_op->vop_readlink(vp, &uio);
				lbuf[sizeof(lbuf) - 1 - uio.uio_resid] = '\0';
				if (error == 0 && strcmp(lbuf, target) != 0)
					error = EINVAL;
				vrele(vp);
			}
			if (error != 0)
				snprintf(why, sizeof(why), "link %s: %d '%s'", p,
				    error, lbuf);
			nl++;
			break;
		case 'h':
			p = word(&line);
			target = word(&line);
			error = lookup(p, 0, &vp);
			if (error == 0) {
				error = lookup(target, 0, &vp2);
				if (error == 0) {
					vn_getattr(vp, &va);
					vn_getattr(vp2, &va2);
					if (vp != vp2 || va.va_nlink != 2 ||
					    va.va_ino != va2.va_ino)
						error = EINVAL;
					vrele(vp2);
				}
				vrele(vp);
			}
			if (error != 0)
				snprintf(why, sizeof(why), "hard link %s %s: %d "
				    "nlink %u", p, target, error, va.va_nlink);
			break;
		default:
			error = EINVAL;
			snprintf(why, sizeof(why), "manifest kind %s", kind);
		}
		if (!KT_CHECK(error == 0, "%s", why))
			goto out;
	}
	/* Through the links too: relative from /lib, absolute from /. */
	if (KT_CHECK(lookup("/lib/link", NI_FOLLOW, &vp) == 0,
	    "/lib/link: no lookup")) {
		if (KT_CHECK(lookup("/hello.txt", 0, &vp2) == 0, "/hello.txt")) {
			KT_CHECK(vp == vp2, "/lib/link leads elsewhere");
			vrele(vp2);
		}
		vrele(vp);
	}
	KT_NOTE_OK("%u files, %u dirs, %u links as the manifest says; "
	    "unpacked %u files %ju bytes", nf, nd, nl, initramfs_stats.is_files,
	    (uintmax_t)initramfs_stats.is_bytes);
out:
	free(manifest, M_TEMP);
}
