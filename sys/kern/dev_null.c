/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * /dev/null, /dev/zero and /dev/full (Linux's numbers: 1:3, 1:5, 1:7).
 */
#include <sys/types.h>
#include <sys/conf.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/uio.h>

static const char zeroes[PAGE_SIZE];

static int
null_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	/* Taken whole, without touching the caller's memory. */
	uio->uio_offset += uio->uio_resid;
	uio->uio_resid = 0;
	return (0);
}

static int
null_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	return (0);
}

static int
zero_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	int error = 0;

	while (uio->uio_resid > 0 && error == 0) {
		size_t n = uio->uio_resid > (ssize_t)sizeof(zeroes) ?
		    sizeof(zeroes) : (size_t)uio->uio_resid;

		error = uiomove((void *)(uintptr_t)zeroes, n, uio);
	}
	return (error);
}

static int
full_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	return (ENOSPC);
}

static const struct cdevsw null_cdevsw = {
	.d_name = "null", .d_read = null_read, .d_write = null_write,
};
static const struct cdevsw zero_cdevsw = {
	.d_name = "zero", .d_read = zero_read, .d_write = null_write,
};
static const struct cdevsw full_cdevsw = {
	.d_name = "full", .d_read = zero_read, .d_write = full_write,
};

static void
null_init(void *arg)
{
	make_dev(&null_cdevsw, makedev(1, 3), 0666, "null");
	make_dev(&zero_cdevsw, makedev(1, 5), 0666, "zero");
	make_dev(&full_cdevsw, makedev(1, 7), 0666, "full");
}
SYSINIT(null_init, SI_SUB_DRIVERS, SI_ORDER_ANY, null_init, NULL);
