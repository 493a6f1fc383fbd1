/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * uiomove and the uio set-up helpers (see sys/uio.h).
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>
#include <sys/uio.h>

/*
 * After a fault: copies what it can of a user range, page by page, up to
 * the first page that faults, and says how much.  Linux's read and write
 * count the bytes moved before a bad page, and so do we.
 */
static size_t
uio_copy_part(char *kp, char *up, size_t cnt, enum uio_rw rw)
{
	size_t done = 0, n;
	int error;

	while (done < cnt) {
		n = MIN(cnt - done,
		    PAGE_SIZE - ((uintptr_t)up + done) % PAGE_SIZE);
		error = rw == UIO_READ ? copyout(kp + done, up + done, n) :
		    copyin(up + done, kp + done, n);
		if (error != 0)
			break;
		done += n;
	}
	return (done);
}

int
uiomove(void *cp, size_t n, struct uio *uio)
{
	char *kp = cp;
	int error = 0;

	KASSERT(uio->uio_rw == UIO_READ || uio->uio_rw == UIO_WRITE,
	    ("uiomove: bad direction %d", uio->uio_rw));
	while (n > 0 && uio->uio_resid > 0) {
		struct iovec *iov = uio->uio_iov;
		size_t cnt;

		KASSERT(uio->uio_iovcnt > 0,
		    ("uiomove: resid %zd with no iovec left", uio->uio_resid));
		cnt = iov->iov_len;
		if (cnt == 0) {
			uio->uio_iov++;
			uio->uio_iovcnt--;
			continue;
		}
		if (cnt > n)
			cnt = n;
		if (uio->uio_segflg == UIO_USERSPACE) {
			if (uio->uio_rw == UIO_READ)
				error = copyout(kp, iov->iov_base, cnt);
			else
				error = copyin(iov->iov_base, kp, cnt);
			if (error != 0) {
				cnt = uio_copy_part(kp, iov->iov_base, cnt,
				    uio->uio_rw);
				iov->iov_base = (char *)iov->iov_base + cnt;
				iov->iov_len -= cnt;
				uio->uio_resid -= cnt;
				uio->uio_offset += cnt;
				break;
			}
		} else if (uio->uio_rw == UIO_READ)
			memcpy(iov->iov_base, kp, cnt);
		else
			memcpy(kp, iov->iov_base, cnt);
		iov->iov_base = (char *)iov->iov_base + cnt;
		iov->iov_len -= cnt;
		uio->uio_resid -= cnt;
		uio->uio_offset += cnt;
		kp += cnt;
		n -= cnt;
	}
	return (error);
}

int
uiomove_frombuf(const void *buf, size_t buflen, struct uio *uio)
{
	size_t off;

	if (uio->uio_offset < 0)
		return (EINVAL);
	off = (size_t)uio->uio_offset;
	if (off >= buflen)
		return (0);
	/* The read direction only: uiomove does not write through cp then. */
	KASSERT(uio->uio_rw == UIO_READ, ("uiomove_frombuf: not a read"));
	return (uiomove((char *)(uintptr_t)buf + off, buflen - off, uio));
}

void
uio_init_sys(struct uio *uio, struct iovec *iov, void *buf, size_t len,
    off_t offset, enum uio_rw rw)
{
	iov->iov_base = buf;
	iov->iov_len = len;
	uio->uio_iov = iov;
	uio->uio_iovcnt = 1;
	uio->uio_offset = offset;
	uio->uio_resid = (ssize_t)len;
	uio->uio_segflg = UIO_SYSSPACE;
	uio->uio_rw = rw;
	uio->uio_td = NULL;
}

int
uio_setup(struct uio *uio, struct iovec *iov, int iovcnt, off_t offset,
    enum uio_seg seg, enum uio_rw rw, struct thread *td)
{
	size_t total = 0;

	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return (EINVAL);
	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > UIO_RESID_MAX - total)
			return (EINVAL);
		total += iov[i].iov_len;
	}
	uio->uio_iov = iov;
	uio->uio_iovcnt = iovcnt;
	uio->uio_offset = offset;
	uio->uio_resid = (ssize_t)total;
	uio->uio_segflg = seg;
	uio->uio_rw = rw;
	uio->uio_td = td;
	return (0);
}
