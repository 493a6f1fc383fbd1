/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Open files.  A struct file is what a descriptor points at: its type's
 * operations, the open flags and, for seekable files, the offset.  Several
 * descriptors (dup, fork) share one; f_count counts them plus the
 * operations in flight (fget ... fdrop), and the last fdrop closes it.
 */
#ifndef _SYS_FILE_H_
#define _SYS_FILE_H_

#include <sys/mutex.h>
#include <sys/types.h>

struct file;
struct pollscan;
struct thread;
struct uio;
struct vattr;
struct vnode;

/* f_type */
#define DTYPE_NONE	0
#define DTYPE_VNODE	1	/* regular file, directory, link, device */
#define DTYPE_PIPE	2
#define DTYPE_SOCKET	3

/* f_flag: the open mode and the status flags fcntl(F_SETFL) changes. */
#define FREAD		0x0001
#define FWRITE		0x0002
#define FNONBLOCK	0x0004
#define FAPPEND		0x0008
#define FPATH		0x0010	/* O_PATH: no I/O */
#define FCNTLFLAGS	(FNONBLOCK | FAPPEND)

/* Poll events: Linux's (<asm-generic/poll.h>), the historical values. */
#include <asm-generic/poll.h>

struct fileops {
	/*
	 * uio_offset is the file's offset (seekable files) or 0; flags may
	 * hold IO_NDELAY (sys/vnode.h): this call does not block.
	 */
	int	(*fo_read)(struct file *fp, struct uio *uio, int flags);
	int	(*fo_write)(struct file *fp, struct uio *uio, int flags);
	/* data: the argument, already copied in (or NULL for none). */
	int	(*fo_ioctl)(struct file *fp, u_long cmd, void *data,
		    struct thread *td);
	/* Returns the ready events of events; ps != NULL: record a waiter. */
	int	(*fo_poll)(struct file *fp, int events, struct pollscan *ps);
	int	(*fo_stat)(struct file *fp, struct vattr *vap);
	/* The last reference is gone. */
	int	(*fo_close)(struct file *fp);
	bool	fo_seekable;
};

struct file {
	volatile u_int		f_count;
	short			f_type;
	u_int			f_flag;
	const struct fileops	*f_ops;
	void			*f_data;	/* the pipe, socket, ... */
	struct vnode		*f_vnode;	/* DTYPE_VNODE: referenced */
	struct mtx		f_offmtx;	/* f_offset: one mover at a time */
	off_t			f_offset;
};

/* A file with one reference, no type yet (finit sets it). */
struct file *falloc_noinstall(void);
void	finit(struct file *fp, u_int flag, short type, void *data,
	    const struct fileops *ops);
void	fhold(struct file *fp);
/* Drops a reference; the last one calls fo_close. */
int	fdrop(struct file *fp);

/* File operations for DTYPE_VNODE files. */
extern const struct fileops vnops;
/* Opens vp for fp with the open flags (O_*): devices, FIFOs, truncation. */
int	vn_open_file(struct vnode *vp, int oflags, struct file *fp);

#endif /* !_SYS_FILE_H_ */
