/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * read, write, pread, pwrite over a descriptor.  A seekable file's offset
 * is held (f_offmtx) for the whole transfer, so two threads sharing the
 * file each get their own stretch of it.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/systm.h>
#include <sys/uio.h>

static int
dofileio(struct filedesc *fdp, int fd, struct uio *uio, enum uio_rw rw,
    bool positioned)
{
	struct file *fp;
	u_int need = rw == UIO_READ ? FREAD : FWRITE;
	int error;

	error = fget(fdp, fd, &fp);
	if (error != 0)
		return (error);
	if ((fp->f_flag & need) == 0) {
		fdrop(fp);
		return (EBADF);
	}
	if (positioned && !fp->f_ops->fo_seekable) {
		fdrop(fp);
		return (ESPIPE);
	}
	if (positioned && uio->uio_offset < 0) {
		fdrop(fp);
		return (EINVAL);
	}
	uio->uio_rw = rw;
	if (positioned || !fp->f_ops->fo_seekable) {
		if (!positioned)
			uio->uio_offset = 0;
		error = rw == UIO_READ ? fp->f_ops->fo_read(fp, uio, 0) :
		    fp->f_ops->fo_write(fp, uio, 0);
	} else {
		mtx_lock(&fp->f_offmtx);
		uio->uio_offset = fp->f_offset;
		error = rw == UIO_READ ? fp->f_ops->fo_read(fp, uio, 0) :
		    fp->f_ops->fo_write(fp, uio, 0);
		fp->f_offset = uio->uio_offset;
		mtx_unlock(&fp->f_offmtx);
	}
	fdrop(fp);
	return (error);
}

int
kern_read(struct filedesc *fdp, int fd, struct uio *uio)
{
	return (dofileio(fdp, fd, uio, UIO_READ, false));
}

int
kern_write(struct filedesc *fdp, int fd, struct uio *uio)
{
	return (dofileio(fdp, fd, uio, UIO_WRITE, false));
}

int
kern_pread(struct filedesc *fdp, int fd, struct uio *uio)
{
	return (dofileio(fdp, fd, uio, UIO_READ, true));
}

int
kern_pwrite(struct filedesc *fdp, int fd, struct uio *uio)
{
	return (dofileio(fdp, fd, uio, UIO_WRITE, true));
}

int
kern_ioctl(struct filedesc *fdp, int fd, u_long cmd, void *data,
    struct thread *td)
{
	struct file *fp;
	int error;

	error = fget(fdp, fd, &fp);
	if (error != 0)
		return (error);
	if ((fp->f_flag & FPATH) != 0)
		error = EBADF;
	else if (fp->f_ops->fo_ioctl == NULL)
		error = ENOTTY;
	else
		error = fp->f_ops->fo_ioctl(fp, cmd, data, td);
	fdrop(fp);
	return (error);
}
