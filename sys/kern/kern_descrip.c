/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Open files and descriptor tables (see sys/file.h, sys/filedesc.h).
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/systm.h>
#include <sys/vnode.h>
#include <machine/atomic.h>

#include <kern/vfs_lockf.h>

MALLOC_DEFINE(M_FILE, "file", "open files");
MALLOC_DEFINE(M_FILEDESC, "filedesc", "descriptor tables");

static const struct fileops badfileops;

struct file *
falloc_noinstall(void)
{
	struct file *fp;

	fp = malloc(sizeof(*fp), M_FILE, M_WAITOK | M_ZERO);
	fp->f_count = 1;
	fp->f_ops = &badfileops;
	mtx_init(&fp->f_offmtx, "f_offset", NULL, MTX_DEF);
	return (fp);
}

void
finit(struct file *fp, u_int flag, short type, void *data,
    const struct fileops *ops)
{
	fp->f_flag = flag;
	fp->f_type = type;
	fp->f_data = data;
	fp->f_ops = ops;
}

void
fhold(struct file *fp)
{
	u_int old = atomic_fetchadd_int(&fp->f_count, 1);

	KASSERT(old > 0, ("fhold: file %p already closed", fp));
}

int
fdrop(struct file *fp)
{
	u_int old = atomic_fetchadd_int(&fp->f_count, -1);
	int error = 0;

	KASSERT(old > 0, ("fdrop: file %p has no reference", fp));
	if (old > 1)
		return (0);
	if (fp->f_ops->fo_close != NULL)
		error = fp->f_ops->fo_close(fp);
	mtx_destroy(&fp->f_offmtx);
	free(fp, M_FILE);
	return (error);
}

static struct filedesc *
fdalloc_table(void)
{
	struct filedesc *fdp;

	fdp = malloc(sizeof(*fdp), M_FILEDESC, M_WAITOK | M_ZERO);
	mtx_init(&fdp->fd_lock, "filedesc", NULL, MTX_DEF);
	fdp->fd_lastfile = -1;
	fdp->fd_nofile = NOFILE_DEFAULT;
	fdp->fd_refcnt = 1;
	fdp->fd_cmask = 022;
	return (fdp);
}

struct filedesc *
fdinit(void)
{
	struct filedesc *fdp = fdalloc_table();

	KASSERT(rootvnode != NULL, ("fdinit before the root is mounted"));
	fdp->fd_cdir = rootvnode;
	vref(fdp->fd_cdir);
	fdp->fd_rdir = rootvnode;
	vref(fdp->fd_rdir);
	return (fdp);
}

/* Makes room for descriptor fd (fd < fd_nofile); fd_lock held. */
static void
fdgrow(struct filedesc *fdp, int fd)
{
	struct filedescent *nt;
	int n;

	mtx_assert(&fdp->fd_lock, MA_OWNED);
	if (fd < fdp->fd_nfiles)
		return;
	n = fdp->fd_nfiles == 0 ? 32 : fdp->fd_nfiles;
	while (n <= fd)
		n *= 2;
	nt = mallocarray((size_t)n, sizeof(*nt), M_FILEDESC, M_WAITOK | M_ZERO);
	if (fdp->fd_nfiles > 0)
		memcpy(nt, fdp->fd_ofiles, (size_t)fdp->fd_nfiles * sizeof(*nt));
	free(fdp->fd_ofiles, M_FILEDESC);
	fdp->fd_ofiles = nt;
	fdp->fd_nfiles = n;
}

struct filedesc *
fdcopy(struct filedesc *fdp)
{
	struct filedesc *nfdp = fdalloc_table();

	/* The new table is nobody else's yet: its lock is only for fdgrow. */
	mtx_lock(&fdp->fd_lock);
	mtx_lock(&nfdp->fd_lock);
	if (fdp->fd_lastfile >= 0)
		fdgrow(nfdp, fdp->fd_lastfile);
	for (int i = 0; i <= fdp->fd_lastfile; i++) {
		if (fdp->fd_ofiles[i].fde_file == NULL)
			continue;
		nfdp->fd_ofiles[i] = fdp->fd_ofiles[i];
		fhold(nfdp->fd_ofiles[i].fde_file);
	}
	nfdp->fd_lastfile = fdp->fd_lastfile;
	nfdp->fd_freefile = fdp->fd_freefile;
	nfdp->fd_nofile = fdp->fd_nofile;
	nfdp->fd_cmask = fdp->fd_cmask;
	nfdp->fd_cdir = fdp->fd_cdir;
	vref(nfdp->fd_cdir);
	nfdp->fd_rdir = fdp->fd_rdir;
	vref(nfdp->fd_rdir);
	mtx_unlock(&nfdp->fd_lock);
	mtx_unlock(&fdp->fd_lock);
	return (nfdp);
}

struct filedesc *
fdshare(struct filedesc *fdp)
{
	atomic_add_int(&fdp->fd_refcnt, 1);
	return (fdp);
}

/* Takes fd's file out of the table (NULL if none); fd_lock held. */
static struct file *
fdunused(struct filedesc *fdp, int fd)
{
	struct file *fp;

	mtx_assert(&fdp->fd_lock, MA_OWNED);
	if (fd < 0 || fd >= fdp->fd_nfiles)
		return (NULL);
	fp = fdp->fd_ofiles[fd].fde_file;
	if (fp == NULL)
		return (NULL);
	fdp->fd_ofiles[fd].fde_file = NULL;
	fdp->fd_ofiles[fd].fde_flags = 0;
	if (fd < fdp->fd_freefile)
		fdp->fd_freefile = fd;
	while (fdp->fd_lastfile >= 0 &&
	    fdp->fd_ofiles[fdp->fd_lastfile].fde_file == NULL)
		fdp->fd_lastfile--;
	return (fp);
}

void
fdfree(struct filedesc *fdp)
{
	if (atomic_fetchadd_int(&fdp->fd_refcnt, -1) > 1)
		return;
	/* The last sharer: nobody else can reach the table now. */
	for (int i = 0; i <= fdp->fd_lastfile; i++) {
		struct file *fp = fdp->fd_ofiles[i].fde_file;

		if (fp != NULL) {
			fd_lockf_drop(fdp, fp);
			(void)fdrop(fp);
		}
	}
	vrele(fdp->fd_cdir);
	vrele(fdp->fd_rdir);
	free(fdp->fd_ofiles, M_FILEDESC);
	mtx_destroy(&fdp->fd_lock);
	free(fdp, M_FILEDESC);
}

void
fdcloseexec(struct filedesc *fdp)
{
	for (int i = 0;; i++) {
		struct file *fp = NULL;

		mtx_lock(&fdp->fd_lock);
		if (i > fdp->fd_lastfile) {
			mtx_unlock(&fdp->fd_lock);
			break;
		}
		if ((fdp->fd_ofiles[i].fde_flags & UF_EXCLOSE) != 0)
			fp = fdunused(fdp, i);
		mtx_unlock(&fdp->fd_lock);
		if (fp != NULL) {
			fd_lockf_drop(fdp, fp);
			(void)fdrop(fp);
		}
	}
}

int
fdsetlimit(struct filedesc *fdp, int nofile)
{
	if (nofile < 1 || nofile > NOFILE_MAX)
		return (EINVAL);
	mtx_lock(&fdp->fd_lock);
	fdp->fd_nofile = nofile;
	mtx_unlock(&fdp->fd_lock);
	return (0);
}

int
fget(struct filedesc *fdp, int fd, struct file **fpp)
{
	struct file *fp = NULL;

	mtx_lock(&fdp->fd_lock);
	if (fd >= 0 && fd < fdp->fd_nfiles)
		fp = fdp->fd_ofiles[fd].fde_file;
	if (fp != NULL)
		fhold(fp);
	mtx_unlock(&fdp->fd_lock);
	if (fp == NULL)
		return (EBADF);
	*fpp = fp;
	return (0);
}

/* The lowest free descriptor >= minfd, or -1 past the limit; fd_lock held. */
static int
fdfind(struct filedesc *fdp, int minfd)
{
	int fd = minfd > fdp->fd_freefile ? minfd : fdp->fd_freefile;

	mtx_assert(&fdp->fd_lock, MA_OWNED);
	for (; fd < fdp->fd_nfiles; fd++) {
		if (fdp->fd_ofiles[fd].fde_file == NULL)
			break;
	}
	return (fd < fdp->fd_nofile ? fd : -1);
}

/* Puts fp (a new reference) at fd, which is free and within the limit. */
static void
fdset(struct filedesc *fdp, int fd, struct file *fp, int fdflags)
{
	mtx_assert(&fdp->fd_lock, MA_OWNED);
	fdgrow(fdp, fd);
	KASSERT(fdp->fd_ofiles[fd].fde_file == NULL, ("fdset: fd %d in use", fd));
	fhold(fp);
	fdp->fd_ofiles[fd].fde_file = fp;
	fdp->fd_ofiles[fd].fde_flags = (uint8_t)fdflags;
	if (fd > fdp->fd_lastfile)
		fdp->fd_lastfile = fd;
	if (fd == fdp->fd_freefile)
		fdp->fd_freefile = fd + 1;
}

int
finstall(struct filedesc *fdp, struct file *fp, int minfd, int fdflags,
    int *fdout)
{
	int fd;

	if (minfd < 0)
		return (EINVAL);
	mtx_lock(&fdp->fd_lock);
	fd = fdfind(fdp, minfd);
	if (fd < 0) {
		mtx_unlock(&fdp->fd_lock);
		return (EMFILE);
	}
	fdset(fdp, fd, fp, fdflags);
	mtx_unlock(&fdp->fd_lock);
	*fdout = fd;
	return (0);
}

int
kern_close(struct filedesc *fdp, int fd)
{
	struct file *fp;

	mtx_lock(&fdp->fd_lock);
	fp = fdunused(fdp, fd);
	mtx_unlock(&fdp->fd_lock);
	if (fp == NULL)
		return (EBADF);
	fd_lockf_drop(fdp, fp);
	return (fdrop(fp));
}

int
kern_close_range(struct filedesc *fdp, u_int first, u_int last, bool cloexec)
{
	int fd;

	if (first > last)
		return (EINVAL);
	for (u_int i = first; i <= last; i++) {
		/* The next open one at or above i, or none. */
		mtx_lock(&fdp->fd_lock);
		fd = -1;
		for (int j = i > (u_int)INT32_MAX ? INT32_MAX : (int)i;
		    j <= fdp->fd_lastfile && (u_int)j <= last; j++) {
			if (fdp->fd_ofiles[j].fde_file != NULL) {
				fd = j;
				break;
			}
		}
		if (fd >= 0 && cloexec)
			fdp->fd_ofiles[fd].fde_flags |= UF_EXCLOSE;
		mtx_unlock(&fdp->fd_lock);
		if (fd < 0)
			break;
		if (!cloexec)
			(void)kern_close(fdp, fd);
		i = (u_int)fd;
		if (i == UINT32_MAX)
			break;
	}
	return (0);
}

int
kern_dup(struct filedesc *fdp, int oldfd, int *newfd)
{
	struct file *fp;
	int error;

	error = fget(fdp, oldfd, &fp);
	if (error != 0)
		return (error);
	error = finstall(fdp, fp, 0, 0, newfd);
	fdrop(fp);
	return (error);
}

int
kern_dup2(struct filedesc *fdp, int oldfd, int newfd, int fdflags, bool dup3,
    int *retfd)
{
	struct file *fp, *old = NULL;
	int error;

	error = fget(fdp, oldfd, &fp);
	if (error != 0)
		return (error);
	if (oldfd == newfd) {
		fdrop(fp);
		if (dup3)
			return (EINVAL);
		*retfd = newfd;
		return (0);
	}
	mtx_lock(&fdp->fd_lock);
	if (newfd < 0 || newfd >= fdp->fd_nofile) {
		mtx_unlock(&fdp->fd_lock);
		fdrop(fp);
		return (EBADF);
	}
	/* Closing what was at newfd and installing are one step. */
	old = fdunused(fdp, newfd);
	fdset(fdp, newfd, fp, fdflags);
	mtx_unlock(&fdp->fd_lock);
	if (old != NULL) {
		fd_lockf_drop(fdp, old);
		(void)fdrop(old);
	}
	fdrop(fp);
	*retfd = newfd;
	return (0);
}

int
kern_fcntl(struct filedesc *fdp, int fd, int cmd, long arg, long *ret)
{
	struct file *fp;
	int error, nfd;
	u_int fl;

	error = fget(fdp, fd, &fp);
	if (error != 0)
		return (error);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= fdp->fd_nofile) {
			error = EINVAL;
			break;
		}
		error = finstall(fdp, fp, (int)arg,
		    cmd == F_DUPFD_CLOEXEC ? UF_EXCLOSE : 0, &nfd);
		if (error == 0)
			*ret = nfd;
		break;
	case F_GETFD:
	case F_SETFD:
		mtx_lock(&fdp->fd_lock);
		/* fd may have been closed (or reused) since fget. */
		if (fd >= fdp->fd_nfiles || fdp->fd_ofiles[fd].fde_file != fp)
			error = EBADF;
		else if (cmd == F_GETFD)
			*ret = (fdp->fd_ofiles[fd].fde_flags & UF_EXCLOSE) != 0 ?
			    FD_CLOEXEC : 0;
		else {
			fdp->fd_ofiles[fd].fde_flags = (arg & FD_CLOEXEC) != 0 ?
			    UF_EXCLOSE : 0;
			*ret = 0;
		}
		mtx_unlock(&fdp->fd_lock);
		break;
	case F_GETFL:
		fl = fp->f_flag;
		*ret = ((fl & (FREAD | FWRITE)) == (FREAD | FWRITE) ? O_RDWR :
		    (fl & FWRITE) != 0 ? O_WRONLY : O_RDONLY) |
		    ((fl & FAPPEND) != 0 ? O_APPEND : 0) |
		    ((fl & FNONBLOCK) != 0 ? O_NONBLOCK : 0) |
		    ((fl & FPATH) != 0 ? O_PATH : 0);
		break;
	case F_SETFL:
		fl = ((arg & O_APPEND) != 0 ? FAPPEND : 0) |
		    ((arg & O_NONBLOCK) != 0 ? FNONBLOCK : 0);
		/* Other bits are ignored, as Linux does. */
		for (;;) {
			u_int old = fp->f_flag;

			if (atomic_cmpset_int(&fp->f_flag, old,
			    (old & ~(u_int)FCNTLFLAGS) | fl))
				break;
		}
		*ret = 0;
		break;
	default:
		error = EINVAL;
	}
	fdrop(fp);
	return (error);
}

int
kern_fstat(struct filedesc *fdp, int fd, struct vattr *vap)
{
	struct file *fp;
	int error;

	error = fget(fdp, fd, &fp);
	if (error != 0)
		return (error);
	memset(vap, 0, sizeof(*vap));
	error = fp->f_ops->fo_stat != NULL ? fp->f_ops->fo_stat(fp, vap) :
	    EOPNOTSUPP;
	fdrop(fp);
	return (error);
}
