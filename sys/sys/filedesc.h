/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Descriptor tables.  A process owns one (p_fd); clone(CLONE_FILES)
 * threads share it (fdshare), fork copies it (fdcopy).  The table also
 * holds the current and root directories and the open-files limit
 * (RLIMIT_NOFILE: proc sets it with fdsetlimit when the rlimit changes, and
 * fork copies it).
 *
 * Locking: fd_lock (a sleep mutex) covers the table; a file taken out with
 * fget() is referenced, so it stays valid after fd_lock is dropped even if
 * another thread closes the descriptor meanwhile.
 *
 * The kern_* calls are the file system calls for any ABI layer: they take
 * the table (not a thread), so ktests drive them with kernel buffers
 * (UIO_SYSSPACE) and no process.
 */
#ifndef _SYS_FILEDESC_H_
#define _SYS_FILEDESC_H_

#include <sys/mutex.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/vnode.h>

struct file;
struct thread;
struct vattr;
struct vnode;

/* The default and the highest RLIMIT_NOFILE (Linux's defaults). */
#define NOFILE_DEFAULT	1024
#define NOFILE_MAX	1048576

/* fde_flags */
#define UF_EXCLOSE	0x01	/* close on execve */

struct filedescent {
	struct file	*fde_file;
	uint8_t		fde_flags;
};

struct filedesc {
	struct mtx		fd_lock;
	struct filedescent	*fd_ofiles;	/* fd_nfiles slots */
	int			fd_nfiles;
	int			fd_freefile;	/* no free slot below it */
	int			fd_lastfile;	/* highest open, or -1 */
	int			fd_nofile;	/* RLIMIT_NOFILE */
	volatile u_int		fd_refcnt;	/* sharers (fdshare) */
	struct vnode		*fd_cdir;	/* referenced */
	struct vnode		*fd_rdir;	/* referenced */
	uint32_t		fd_cmask;	/* umask */
	u_int			fd_flags;	/* FDF_* */
};

#define FDF_CONSOLE	0x0001	/* init's console descriptors were set up */

/* An empty table with cwd and root at rootvnode. */
struct filedesc *fdinit(void);
/* fork: the same files (each referenced again) and directories. */
struct filedesc *fdcopy(struct filedesc *fdp);
struct filedesc *fdshare(struct filedesc *fdp);
/* Drops a sharer; the last one closes every descriptor. */
void	fdfree(struct filedesc *fdp);
/* execve: closes the UF_EXCLOSE descriptors. */
void	fdcloseexec(struct filedesc *fdp);
/* Lowering below an open descriptor is allowed (as Linux): new ones fail. */
int	fdsetlimit(struct filedesc *fdp, int nofile);

/* A referenced file for fd; EBADF if none.  fdrop() when done. */
int	fget(struct filedesc *fdp, int fd, struct file **fpp);
/* Installs fp (taking a reference) at the lowest free fd >= minfd; EMFILE. */
int	finstall(struct filedesc *fdp, struct file *fp, int minfd, int fdflags,
	    int *fdp_out);

int	kern_openat(struct filedesc *fdp, int dirfd, const char *path,
	    enum uio_seg seg, int oflags, uint32_t mode, int *fdout);
int	kern_close(struct filedesc *fdp, int fd);
/* Closes (or marks close-on-exec) the open ones of [first, last]; EINVAL. */
int	kern_close_range(struct filedesc *fdp, u_int first, u_int last,
	    bool cloexec);
int	kern_read(struct filedesc *fdp, int fd, struct uio *uio);
int	kern_write(struct filedesc *fdp, int fd, struct uio *uio);
/* pread/pwrite: uio_offset is the position; the file's offset stays. */
int	kern_pread(struct filedesc *fdp, int fd, struct uio *uio);
int	kern_pwrite(struct filedesc *fdp, int fd, struct uio *uio);
int	kern_lseek(struct filedesc *fdp, int fd, off_t offset, int whence,
	    off_t *newoff);
/* dup, dup2/dup3 (newfd >= 0; same fd: dup2 returns it, dup3 EINVAL). */
int	kern_dup(struct filedesc *fdp, int oldfd, int *newfd);
int	kern_dup2(struct filedesc *fdp, int oldfd, int newfd, int fdflags,
	    bool dup3, int *retfd);
int	kern_fcntl(struct filedesc *fdp, int fd, int cmd, long arg, long *ret);
int	kern_fstat(struct filedesc *fdp, int fd, struct vattr *vap);
int	kern_fstatat(struct filedesc *fdp, int dirfd, const char *path,
	    enum uio_seg seg, int atflags, struct vattr *vap);
int	kern_mkdirat(struct filedesc *fdp, int dirfd, const char *path,
	    enum uio_seg seg, uint32_t mode);
/* mknod: FIFOs, regular files and sockets; devices are EPERM (devfs's). */
int	kern_mknodat(struct filedesc *fdp, int dirfd, const char *path,
	    enum uio_seg seg, uint32_t mode);
int	kern_unlinkat(struct filedesc *fdp, int dirfd, const char *path,
	    enum uio_seg seg, int atflags);
int	kern_symlinkat(struct filedesc *fdp, const char *target,
	    enum uio_seg tseg, int dirfd, const char *path, enum uio_seg seg);
int	kern_readlinkat(struct filedesc *fdp, int dirfd, const char *path,
	    enum uio_seg seg, struct uio *uio);
int	kern_renameat(struct filedesc *fdp, int ofd, const char *old,
	    int nfd, const char *new, enum uio_seg seg);
int	kern_chdir(struct filedesc *fdp, const char *path, enum uio_seg seg);
int	kern_fchdir(struct filedesc *fdp, int fd);
/* The current directory's path into buf (NUL-terminated); ERANGE. */
int	kern_getcwd(struct filedesc *fdp, char *buf, size_t buflen);
/* Directory vp's path below rdir; both referenced by the caller, released. */
int	vn_dirpath(struct vnode *vp, struct vnode *rdir, char *buf,
	    size_t buflen);
int	kern_ftruncate(struct filedesc *fdp, int fd, off_t length);
/*
 * Directory entries of fd from its offset (the resume cookie) on, one cb
 * call each (see vop_readdir); the offset advances past those cb took.
 */
int	kern_getdirentries(struct filedesc *fdp, int fd, vop_dirent_cb_t *cb,
	    void *arg);
/* data: the argument in kernel memory, as the ABI layer sized it. */
int	kern_ioctl(struct filedesc *fdp, int fd, u_long cmd, void *data,
	    struct thread *td);
int	kern_linkat(struct filedesc *fdp, int ofd, const char *old, int nfd,
	    const char *new, enum uio_seg seg, int atflags);
int	kern_fchmodat(struct filedesc *fdp, int dirfd, const char *path,
	    enum uio_seg seg, uint32_t mode, int atflags);
int	kern_fchmod(struct filedesc *fdp, int fd, uint32_t mode);
int	kern_truncate(struct filedesc *fdp, const char *path, enum uio_seg seg,
	    off_t length);
/* The umask: sets it, returns the old one. */
uint32_t kern_umask(struct filedesc *fdp, uint32_t mask);

/*
 * For init: /dev/console as descriptors 0, 1 and 2 of an empty table (and
 * the controlling terminal of the calling session leader).
 */
int	fd_open_console(struct filedesc *fdp);
/* pipe2: fds[0] reads, fds[1] writes; oflags O_CLOEXEC, O_NONBLOCK. */
int	kern_pipe(struct filedesc *fdp, int fds[2], int oflags);

#endif /* !_SYS_FILEDESC_H_ */
