/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Terminals: a line discipline between a device's input and output and
 * the processes reading and writing it.  Its settings are Linux's termios
 * (<asm/termbits.h>), the ABI user space speaks: canonical input with
 * erase/kill/EOF, echo, CR/NL mapping, ISIG characters sending SIGINT,
 * SIGQUIT, SIGTSTP to the foreground process group, and VMIN/VTIME reads.
 *
 * t_mtx is a spin lock: input may arrive from any context.  Readers sleep
 * on &t_rsel with it (msleep drops it).  Output goes to t_oproc, called
 * with t_mtx held, so it must not sleep.
 */
#ifndef _SYS_TTY_H_
#define _SYS_TTY_H_

#include <sys/mutex.h>
#include <sys/selinfo.h>
#include <sys/types.h>
#include <asm/termbits.h>
#include <asm-generic/termios.h>

#define TTY_INQ_SIZE	4096	/* Linux's N_TTY_BUF_SIZE */

struct pgrp;
struct session;
struct thread;
struct uio;

struct tty {
	struct mtx	t_mtx;
	struct termios	t_termios;
	struct winsize	t_winsize;
	char		t_inq[TTY_INQ_SIZE];
	size_t		t_inhead;	/* first unread byte */
	size_t		t_incnt;	/* bytes queued */
	size_t		t_avail;	/* of those, readable (whole lines) */
	u_int		t_column;	/* output column, for erasing tabs */
	struct selinfo	t_rsel;
	void		(*t_oproc)(struct tty *, const char *, size_t);
	void		*t_softc;
	struct session	*t_session;	/* controlling terminal of */
	struct pgrp	*t_pgrp;	/* foreground process group */
	/* Signals to send once t_mtx is dropped (bit sig - 1). */
	uint64_t	t_sigpend;
};

/* Sane defaults: canonical, echo, ISIG, ICRNL, OPOST|ONLCR, 38400 8N1. */
void	tty_init(struct tty *tp, void (*oproc)(struct tty *, const char *,
	    size_t), void *softc);
/* One input character from the device (any context but t_mtx held). */
void	tty_input(struct tty *tp, int c);
/* After tty_input from thread context: deliver the ISIG signals. */
void	tty_signal_pending(struct tty *tp);
int	tty_read(struct tty *tp, struct uio *uio, int ioflag);
int	tty_write(struct tty *tp, struct uio *uio, int ioflag);
/* cmd: Linux's tty ioctls; data in kernel memory (sized by the caller). */
int	tty_ioctl(struct tty *tp, u_long cmd, void *data, struct thread *td);
int	tty_poll(struct tty *tp, int events, struct pollscan *ps);
/*
 * Ends tp's role as s's controlling terminal: for TIOCNOTTY, and for proc
 * when a session goes away (else t_session would point at freed memory).
 */
void	tty_drop_session(struct tty *tp, struct session *s);
/* Makes tp the controlling terminal of td's session if it has none. */
void	tty_open_ctty(struct tty *tp, struct thread *td);

#endif /* !_SYS_TTY_H_ */
