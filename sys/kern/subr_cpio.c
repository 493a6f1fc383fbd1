/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The newc cpio parser (see sys/cpio.h).  A newc header is 110 ASCII
 * bytes: a 6-byte magic and 13 fields of 8 hex digits; the name follows,
 * then the data, each padded to a multiple of 4 from the archive's start.
 */
#include <sys/types.h>
#include <sys/cpio.h>
#include <sys/errno.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#define CPIO_HDRLEN	110
#define CPIO_TRAILER	"TRAILER!!!"

enum {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK,
	F_COUNT
};

bool
cpio_is_newc(const void *buf, size_t len)
{
	return (len >= 6 && (memcmp(buf, "070701", 6) == 0 ||
	    memcmp(buf, "070702", 6) == 0));
}

void
cpio_iter_init(struct cpio_iter *ci, const void *buf, size_t len)
{
	ci->ci_base = buf;
	ci->ci_len = len;
	ci->ci_off = 0;
	ci->ci_done = false;
}

static int
cpio_hex8(const char *p, uint32_t *vp)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		char c = p[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return (EFTYPE);
		v = v << 4 | d;
	}
	*vp = v;
	return (0);
}

/* off rounded up to 4; false if that passes len. */
static bool
cpio_align(size_t off, size_t len, size_t *outp)
{
	size_t a = (off + 3) & ~(size_t)3;

	if (a < off || a > len)
		return (false);
	*outp = a;
	return (true);
}

int
cpio_next(struct cpio_iter *ci, struct cpio_entry *ep)
{
	const char *h;
	uint32_t f[F_COUNT];
	size_t name_off, data_off, end;
	int error;

	if (ci->ci_done)
		return (ENOENT);
	if (ci->ci_len - ci->ci_off < CPIO_HDRLEN)
		return (EFBIG);
	h = ci->ci_base + ci->ci_off;
	if (!cpio_is_newc(h, CPIO_HDRLEN))
		return (EFTYPE);
	for (int i = 0; i < F_COUNT; i++) {
		error = cpio_hex8(h + 6 + 8 * i, &f[i]);
		if (error != 0)
			return (error);
	}
	/* At least one character and the NUL; no longer than a path. */
	if (f[F_NAMESIZE] < 2 || f[F_NAMESIZE] > PATH_MAX)
		return (EINVAL);
	name_off = ci->ci_off + CPIO_HDRLEN;
	if (ci->ci_len - name_off < f[F_NAMESIZE])
		return (EFBIG);
	if (h[CPIO_HDRLEN + f[F_NAMESIZE] - 1] != '\0' ||
	    strnlen(h + CPIO_HDRLEN, f[F_NAMESIZE]) != f[F_NAMESIZE] - 1)
		return (EINVAL);
	if (!cpio_align(name_off + f[F_NAMESIZE], ci->ci_len, &data_off))
		return (EFBIG);
	if (ci->ci_len - data_off < f[F_FILESIZE])
		return (EFBIG);
	end = data_off + f[F_FILESIZE];

	ep->ce_name = h + CPIO_HDRLEN;
	ep->ce_namelen = f[F_NAMESIZE] - 1;
	ep->ce_mode = f[F_MODE];
	ep->ce_ino = f[F_INO];
	ep->ce_nlink = f[F_NLINK];
	ep->ce_rdevmajor = f[F_RDEVMAJOR];
	ep->ce_rdevminor = f[F_RDEVMINOR];
	ep->ce_mtime = f[F_MTIME];
	ep->ce_data = ci->ci_base + data_off;
	ep->ce_size = f[F_FILESIZE];

	if (strcmp(ep->ce_name, CPIO_TRAILER) == 0) {
		ci->ci_done = true;
		ci->ci_off = end;
		return (ENOENT);
	}
	switch (ep->ce_mode & S_IFMT) {
	case S_IFREG:
		break;
	case S_IFLNK:
		if (ep->ce_size == 0 || ep->ce_size >= PATH_MAX)
			return (EINVAL);
		break;
	case S_IFDIR: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		/* No contents to these. */
		if (ep->ce_size != 0)
			return (EFTYPE);
		break;
	default:
		return (EFTYPE);
	}
	/* The last entry may end the archive without padding. */
	if (!cpio_align(end, ci->ci_len, &ci->ci_off))
		ci->ci_off = ci->ci_len;
	return (0);
}
