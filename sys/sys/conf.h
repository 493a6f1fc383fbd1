/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Character devices: a driver describes its entry points in a cdevsw and
 * makes one struct cdev per device node with make_dev(); devfs shows each
 * under /dev by its name ("null", "misc/dev": '/' makes directories).
 * Devices are never destroyed yet.
 */
#ifndef _SYS_CONF_H_
#define _SYS_CONF_H_

#include <sys/queue.h>
#include <sys/types.h>

struct cdev;
struct file;
struct pollscan;
struct thread;
struct uio;

struct cdevsw {
	const char	*d_name;
	/* fp is the file being opened (f_flag set); d_open may set f_data. */
	int		(*d_open)(struct cdev *, int oflags, struct file *fp);
	/* The last reference to one open file of the device is gone. */
	int		(*d_close)(struct cdev *, struct file *fp);
	int		(*d_read)(struct cdev *, struct uio *, int ioflag);
	int		(*d_write)(struct cdev *, struct uio *, int ioflag);
	/* data: the argument in kernel memory (see fileops' fo_ioctl). */
	int		(*d_ioctl)(struct cdev *, u_long cmd, void *data,
			    struct file *fp, struct thread *td);
	int		(*d_poll)(struct cdev *, int events, struct pollscan *);
	/*
	 * For drivers with state per open file (f_data, set by d_open): when
	 * set, these are called instead of d_read, d_write and d_poll.
	 */
	int		(*d_fread)(struct file *, struct uio *, int ioflag);
	int		(*d_fwrite)(struct file *, struct uio *, int ioflag);
	int		(*d_fpoll)(struct file *, int events, struct pollscan *);
};

/* Linux's dev_t encoding (what stat shows): major in 12 bits, minor in 20. */
#define makedev(ma, mi)	((uint64_t)(((ma) & 0xfff) << 8 | ((mi) & 0xff) | \
			    (((mi) & 0xfff00) << 12)))

struct cdev {
	const struct cdevsw	*si_devsw;
	void			*si_drv1;	/* the driver's */
	uint64_t		si_rdev;
	uint32_t		si_mode;	/* permission bits */
	char			si_name[64];
};

/* Makes the node /dev/<name> (name: printf format). */
struct cdev *make_dev(const struct cdevsw *, uint64_t rdev, uint32_t mode,
	    const char *fmt, ...) __printflike(4, 5);

#endif /* !_SYS_CONF_H_ */
