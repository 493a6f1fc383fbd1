/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * devfs and the memory devices through the file calls, and the ChaCha20
 * block against RFC 8439's test vector (section 2.3.2).
 */
#include <sys/types.h>
#include <sys/conf.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/filedesc.h>
#include <sys/ktest.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

static int
xfer(struct filedesc *fdp, int fd, void *buf, size_t len, enum uio_rw rw,
    ssize_t *n)
{
	struct iovec iov;
	struct uio uio;
	int error;

	uio_init_sys(&uio, &iov, buf, len, 0, rw);
	error = rw == UIO_READ ? kern_read(fdp, fd, &uio) :
	    kern_write(fdp, fd, &uio);
	*n = (ssize_t)len - uio.uio_resid;
	return (error);
}

struct dev_names {
	char	seen[128];
};

static int
dev_collect(void *arg, const char *name, size_t len, uint64_t ino,
    enum vtype type, off_t next)
{
	struct dev_names *dn = arg;
	size_t l = strlen(dn->seen);

	if (l + len + 2 < sizeof(dn->seen)) {
		dn->seen[l] = ' ';
		memcpy(dn->seen + l + 1, name, len);
		dn->seen[l + 1 + len] = '\0';
	}
	return (0);
}

KTEST(vfs_dev_memory_devices)
{
	struct filedesc *fdp = fdinit();
	struct dev_names dn = { "" };
	struct vattr va;
	char buf[300], buf2[64];
	ssize_t n;
	int fd, e;

	KT_ASSERT(kern_openat(fdp, AT_FDCWD, "/dev/null", UIO_SYSSPACE, O_RDWR, 0,
	    &fd) == 0, "open /dev/null");
	KT_CHECK(kern_fstat(fdp, fd, &va) == 0 && S_ISCHR(va.va_mode) &&
	    va.va_rdev == 0x103, "null: mode %o rdev %jx", va.va_mode,
	    (uintmax_t)va.va_rdev);
	KT_CHECK(xfer(fdp, fd, buf, sizeof(buf), UIO_WRITE, &n) == 0 &&
	    n == sizeof(buf), "write to null: %zd", n);
	KT_CHECK(xfer(fdp, fd, buf, sizeof(buf), UIO_READ, &n) == 0 && n == 0,
	    "read null: EOF");
	KT_CHECK(kern_close(fdp, fd) == 0, "close");
	KT_ASSERT(kern_openat(fdp, AT_FDCWD, "/dev/zero", UIO_SYSSPACE, O_RDONLY,
	    0, &fd) == 0, "open /dev/zero");
	memset(buf, 0x5a, sizeof(buf));
	KT_CHECK(xfer(fdp, fd, buf, sizeof(buf), UIO_READ, &n) == 0 &&
	    n == sizeof(buf), "read zero: %zd", n);
	for (size_t i = 0; i < sizeof(buf); i++)
		if (!KT_CHECK(buf[i] == 0, "zero byte %zu is %d", i, buf[i]))
			break;
	KT_CHECK((e = xfer(fdp, fd, buf, 1, UIO_WRITE, &n)) == EBADF,
	    "write on O_RDONLY: %d", e);
	KT_ASSERT(kern_openat(fdp, AT_FDCWD, "/dev/full", UIO_SYSSPACE, O_WRONLY,
	    0, &fd) == 0, "open /dev/full");
	KT_CHECK((e = xfer(fdp, fd, buf, 1, UIO_WRITE, &n)) == ENOSPC,
	    "write to full: %d", e);
	KT_ASSERT(kern_openat(fdp, AT_FDCWD, "/dev/urandom", UIO_SYSSPACE,
	    O_RDONLY, 0, &fd) == 0, "open /dev/urandom");
	KT_CHECK(xfer(fdp, fd, buf, 64, UIO_READ, &n) == 0 && n == 64 &&
	    xfer(fdp, fd, buf2, 64, UIO_READ, &n) == 0 && n == 64 &&
	    memcmp(buf, buf2, 64) != 0, "two reads differ");
	KT_CHECK((e = kern_openat(fdp, AT_FDCWD, "/dev/nothing", UIO_SYSSPACE,
	    O_RDONLY, 0, &fd)) == ENOENT, "missing device: %d", e);
	KT_CHECK((e = kern_openat(fdp, AT_FDCWD, "/dev/new", UIO_SYSSPACE,
	    O_CREAT | O_RDWR, 0644, &fd)) == EPERM, "create in devfs: %d", e);
	KT_ASSERT(kern_openat(fdp, AT_FDCWD, "/dev", UIO_SYSSPACE,
	    O_RDONLY | O_DIRECTORY, 0, &fd) == 0, "open /dev");
	KT_CHECK(kern_getdirentries(fdp, fd, dev_collect, &dn) == 0 &&
	    strstr_simple(dn.seen, " null") != NULL &&
	    strstr_simple(dn.seen, " urandom") != NULL &&
	    strstr_simple(dn.seen, " . ..") != NULL, "/dev lists '%s'", dn.seen);
	fdfree(fdp);
	KT_NOTE_OK("/dev:%s", dn.seen);
}

KTEST(vfs_chacha20_rfc8439)
{
	/* RFC 8439 2.3.2: key 00 01 .. 1f, nonce 00:00:00:09:00:00:00:4a:00:00:00:00. */
	static const uint32_t want[16] = {
		0xe4e7f110, 0x15593bd1, 0x1fdd0f50, 0xc47120a3,
		0xc7f4d1c7, 0x0368c033, 0x9aaa2204, 0x4e6cd4c3,
		0x466482d2, 0x09aa9f07, 0x05d7c214, 0xa2028bd9,
		0xd19c12b5, 0xb94e16de, 0xe883d0cb, 0x4e3c50a2,
	};
	uint32_t key[8], nonce[3] = { 0x09000000, 0x4a000000, 0 }, out[16];

	for (int i = 0; i < 8; i++)
		key[i] = (uint32_t)(4 * i) | (uint32_t)(4 * i + 1) << 8 |
		    (uint32_t)(4 * i + 2) << 16 | (uint32_t)(4 * i + 3) << 24;
	chacha20_block(key, 1, nonce, out);
	for (int i = 0; i < 16; i++)
		KT_ASSERT(out[i] == want[i], "word %d: %08x, RFC says %08x", i,
		    out[i], want[i]);
}
