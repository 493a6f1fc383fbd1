/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Scatter/gather I/O descriptions: a uio names the caller's buffers (user or
 * kernel addresses), the direction and the file offset.  File systems and
 * drivers move data with uiomove(), which advances the uio, so a short
 * transfer leaves uio_resid at what was not moved.
 */
#ifndef _SYS_UIO_H_
#define _SYS_UIO_H_

#include <sys/types.h>

/* struct iovec and UIO_MAXIOV (the most vectors one readv takes). */
#include <linux/uio.h>
/* The largest transfer a uio describes (uio_resid is an ssize_t). */
#define UIO_RESID_MAX	((size_t)__LONG_MAX__)

enum uio_seg { UIO_USERSPACE, UIO_SYSSPACE };
enum uio_rw { UIO_READ, UIO_WRITE };

struct thread;

struct uio {
	struct iovec	*uio_iov;	/* advanced as data moves */
	int		uio_iovcnt;
	off_t		uio_offset;
	ssize_t		uio_resid;	/* bytes still to move */
	enum uio_seg	uio_segflg;
	enum uio_rw	uio_rw;		/* UIO_READ: kernel to the buffers */
	struct thread	*uio_td;
};

/*
 * Moves up to n bytes between the kernel buffer cp and the uio (direction
 * uio_rw).  Returns 0 or EFAULT (a bad user address: what was moved before
 * it stays counted).
 */
int	uiomove(void *cp, size_t n, struct uio *uio);
/* uiomove() from buf[uio_offset ...] (bounded by buflen): read of a blob. */
int	uiomove_frombuf(const void *buf, size_t buflen, struct uio *uio);
/* A uio over one kernel buffer (iov is the caller's storage). */
void	uio_init_sys(struct uio *uio, struct iovec *iov, void *buf, size_t len,
	    off_t offset, enum uio_rw rw);
/*
 * Sums iov_len into uio_resid; EINVAL if the count is out of range or the
 * total overflows ssize_t.
 */
int	uio_setup(struct uio *uio, struct iovec *iov, int iovcnt, off_t offset,
	    enum uio_seg seg, enum uio_rw rw, struct thread *td);

#endif /* !_SYS_UIO_H_ */
