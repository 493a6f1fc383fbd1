/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The console terminal: /dev/console (5:1) and /dev/tty (5:0, which is
 * the same terminal: the console is the only one).  Console drivers are
 * polled for input (cn_getc), so once the device is first opened a thread
 * polls them every 10 ms, feeds the line discipline and delivers the
 * signals it asks for (^C -> SIGINT) from thread context.
 */
#include <sys/types.h>
#include <sys/conf.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kernel.h>
#include <sys/param.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/tty.h>
#include <machine/atomic.h>

static struct tty cons_tty;
static volatile u_int cons_tty_polling;

static void
cons_tty_oproc(struct tty *tp, const char *buf, size_t len)
{
	cons_lock();
	for (size_t i = 0; i < len; i++)
		cons_putc((unsigned char)buf[i]);
	cons_unlock();
}

static void
cons_tty_poll_thread(void *arg)
{
	for (;;) {
		int c, n = 0;

		/* A bounded batch, so a flood of input cannot starve the CPU. */
		while (n++ < 256 && (c = cons_getc()) >= 0)
			tty_input(&cons_tty, c);
		tty_signal_pending(&cons_tty);
		(void)tsleep(&cons_tty, "conspoll", 10 * SBT_1MS);
	}
}

static int
cons_tty_open(struct cdev *dev, int oflags, struct file *fp)
{
	if (atomic_cmpset_int(&cons_tty_polling, 0, 1) &&
	    kthread_add(cons_tty_poll_thread, NULL, NULL, 0, "conspoll") != 0)
		printf("console tty: no input thread\n");
	if ((oflags & O_NOCTTY) == 0)
		tty_open_ctty(&cons_tty, curthread);
	return (0);
}

static int
cons_tty_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	return (tty_read(&cons_tty, uio, ioflag));
}

static int
cons_tty_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	return (tty_write(&cons_tty, uio, ioflag));
}

static int
cons_tty_ioctl(struct cdev *dev, u_long cmd, void *data, struct file *fp,
    struct thread *td)
{
	return (tty_ioctl(&cons_tty, cmd, data, td));
}

static int
cons_tty_poll(struct cdev *dev, int events, struct pollscan *ps)
{
	return (tty_poll(&cons_tty, events, ps));
}

static const struct cdevsw cons_tty_cdevsw = {
	.d_name = "console",
	.d_open = cons_tty_open,
	.d_read = cons_tty_read,
	.d_write = cons_tty_write,
	.d_ioctl = cons_tty_ioctl,
	.d_poll = cons_tty_poll,
};

static void
cons_tty_init(void *arg)
{
	tty_init(&cons_tty, cons_tty_oproc, NULL);
	make_dev(&cons_tty_cdevsw, makedev(5, 1), 0600, "console");
	make_dev(&cons_tty_cdevsw, makedev(5, 0), 0666, "tty");
}
SYSINIT(cons_tty_init, SI_SUB_DRIVERS, SI_ORDER_ANY, cons_tty_init, NULL);
