/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The line discipline (see sys/tty.h).
 *
 * Input ring: t_inq[t_inhead ...] holds t_incnt bytes; the first t_avail
 * are readable.  In canonical mode t_avail ends after the last completed
 * line (NL, EOL or EOF), and the bytes after it are the line being edited;
 * the EOF character stays in the ring as a line end that read consumes
 * without returning.  Outside canonical mode everything is readable.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/selinfo.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/tty.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <asm/ioctls.h>
#include <asm/signal.h>

/* proc's, not linked in every image yet: weak, checked before use. */
#pragma weak pgsignal
#pragma weak pgfind
#pragma weak proctree_lock
#pragma weak proctree_unlock

#define CTRL(c)		((c) & 037)
#define TTY_CHAR(tp, i)	((tp)->t_inq[((tp)->t_inhead + (i)) % TTY_INQ_SIZE])

void
tty_init(struct tty *tp, void (*oproc)(struct tty *, const char *, size_t),
    void *softc)
{
	struct termios *t = &tp->t_termios;

	memset(tp, 0, sizeof(*tp));
	mtx_init(&tp->t_mtx, "tty", NULL, MTX_SPIN);
	seldrain_init(&tp->t_rsel);
	tp->t_oproc = oproc;
	tp->t_softc = softc;
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B38400 | CS8 | CREAD | HUPCL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
	    IEXTEN;
	t->c_cc[VINTR] = CTRL('c');
	t->c_cc[VQUIT] = CTRL('\\');
	t->c_cc[VERASE] = 0177;
	t->c_cc[VKILL] = CTRL('u');
	t->c_cc[VEOF] = CTRL('d');
	t->c_cc[VSTART] = CTRL('q');
	t->c_cc[VSTOP] = CTRL('s');
	t->c_cc[VSUSP] = CTRL('z');
	t->c_cc[VWERASE] = CTRL('w');
	t->c_cc[VLNEXT] = CTRL('v');
	t->c_cc[VREPRINT] = CTRL('r');
	t->c_cc[VMIN] = 1;
	tp->t_winsize.ws_row = 24;
	tp->t_winsize.ws_col = 80;
}

/* Output with OPOST processing; t_mtx held. */
static void
tty_out(struct tty *tp, const char *buf, size_t len)
{
	const struct termios *t = &tp->t_termios;
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\n' && (t->c_oflag & (OPOST | ONLCR)) ==
		    (OPOST | ONLCR)) {
			tp->t_oproc(tp, buf + start, i - start);
			tp->t_oproc(tp, "\r\n", 2);
			start = i + 1;
			tp->t_column = 0;
		} else if (c == '\r')
			tp->t_column = 0;
		else if (c == '\b') {
			if (tp->t_column > 0)
				tp->t_column--;
		} else if (c == '\t')
			tp->t_column = (tp->t_column | 7) + 1;
		else if ((unsigned char)c >= ' ')
			tp->t_column++;
	}
	if (start < len)
		tp->t_oproc(tp, buf + start, len - start);
}

/* Echo of one input character (ECHOCTL shows controls as ^X). */
static void
tty_echo(struct tty *tp, char c)
{
	const struct termios *t = &tp->t_termios;
	char ctl[2] = { '^', (char)(c ^ 0100) };

	if ((t->c_lflag & ECHO) == 0) {
		if (c == '\n' && (t->c_lflag & (ECHONL | ICANON)) ==
		    (ECHONL | ICANON))
			tty_out(tp, "\n", 1);
		return;
	}
	if ((t->c_lflag & ECHOCTL) != 0 && (unsigned char)c < ' ' &&
	    c != '\n' && c != '\t')
		tty_out(tp, ctl, 2);
	else if ((unsigned char)c == 0177 && (t->c_lflag & ECHOCTL) != 0)
		tty_out(tp, "^?", 2);
	else
		tty_out(tp, &c, 1);
}

/* Erases the last character of the line being edited, if any. */
static bool
tty_erase(struct tty *tp)
{
	const struct termios *t = &tp->t_termios;
	char c;

	if (tp->t_incnt == tp->t_avail)
		return (false);
	c = TTY_CHAR(tp, tp->t_incnt - 1);
	tp->t_incnt--;
	if ((t->c_lflag & (ECHO | ECHOE)) == (ECHO | ECHOE)) {
		int w = ((unsigned char)c < ' ' || (unsigned char)c == 0177) &&
		    (t->c_lflag & ECHOCTL) != 0 ? 2 : 1;

		while (w-- > 0)
			tty_out(tp, "\b \b", 3);
	}
	return (true);
}

static void
tty_flush_input(struct tty *tp)
{
	tp->t_inhead = tp->t_incnt = tp->t_avail = 0;
}

static void
tty_put(struct tty *tp, char c)
{
	if (tp->t_incnt == TTY_INQ_SIZE)
		return;	/* full: dropped, as Linux does past its buffer */
	TTY_CHAR(tp, tp->t_incnt) = c;
	tp->t_incnt++;
}

void
tty_input(struct tty *tp, int ci)
{
	const struct termios *t = &tp->t_termios;
	const cc_t *cc = t->c_cc;
	char c = (char)ci;

	mtx_lock_spin(&tp->t_mtx);
	if ((t->c_iflag & ISTRIP) != 0)
		c &= 0177;
	if (c == '\r') {
		if ((t->c_iflag & IGNCR) != 0)
			goto out;
		if ((t->c_iflag & ICRNL) != 0)
			c = '\n';
	} else if (c == '\n' && (t->c_iflag & INLCR) != 0)
		c = '\r';
	if ((t->c_lflag & ISIG) != 0) {
		int sig = 0;

		if (c == (char)cc[VINTR] && cc[VINTR] != 0)
			sig = SIGINT;
		else if (c == (char)cc[VQUIT] && cc[VQUIT] != 0)
			sig = SIGQUIT;
		else if (c == (char)cc[VSUSP] && cc[VSUSP] != 0)
			sig = SIGTSTP;
		if (sig != 0) {
			if ((t->c_lflag & NOFLSH) == 0)
				tty_flush_input(tp);
			tty_echo(tp, c);
			tp->t_sigpend |= 1ULL << (sig - 1);
			goto wake;
		}
	}
	if ((t->c_lflag & ICANON) != 0) {
		if (c == (char)cc[VERASE] || c == '\b') {
			(void)tty_erase(tp);
			goto out;
		}
		if (c == (char)cc[VKILL]) {
			while (tty_erase(tp))
				;
			goto out;
		}
		if (c == (char)cc[VWERASE] && (t->c_lflag & IEXTEN) != 0) {
			while (tp->t_incnt > tp->t_avail &&
			    TTY_CHAR(tp, tp->t_incnt - 1) == ' ')
				(void)tty_erase(tp);
			while (tp->t_incnt > tp->t_avail &&
			    TTY_CHAR(tp, tp->t_incnt - 1) != ' ')
				(void)tty_erase(tp);
			goto out;
		}
		/* Leave room for the line end, so a full line still ends. */
		if (tp->t_incnt >= TTY_INQ_SIZE - 1 && c != '\n' &&
		    c != (char)cc[VEOF])
			goto out;
		tty_put(tp, c);
		if (c == '\n' || c == (char)cc[VEOF] ||
		    (c == (char)cc[VEOL] && cc[VEOL] != 0)) {
			if (c != (char)cc[VEOF])
				tty_echo(tp, c);
			tp->t_avail = tp->t_incnt;
			goto wake;
		}
		tty_echo(tp, c);
		goto out;
	}
	tty_put(tp, c);
	tty_echo(tp, c);
	tp->t_avail = tp->t_incnt;
wake:
	wakeup(&tp->t_rsel);
	selwakeup(&tp->t_rsel);
out:
	mtx_unlock_spin(&tp->t_mtx);
}

void
tty_signal_pending(struct tty *tp)
{
	struct pgrp *pg;
	uint64_t sigs;

	mtx_lock_spin(&tp->t_mtx);
	sigs = tp->t_sigpend;
	tp->t_sigpend = 0;
	pg = tp->t_pgrp;
	mtx_unlock_spin(&tp->t_mtx);
	if (sigs == 0 || pg == NULL || pgsignal == NULL)
		return;
	proctree_lock();
	for (int sig = 1; sig <= 64; sig++)
		if ((sigs & (1ULL << (sig - 1))) != 0)
			pgsignal(pg, sig);
	proctree_unlock();
}

/* True once a read may return; t_mtx held. */
static bool
tty_readable(struct tty *tp)
{
	return (tp->t_avail > 0);
}

int
tty_read(struct tty *tp, struct uio *uio, int ioflag)
{
	const struct termios *t = &tp->t_termios;
	ssize_t start = uio->uio_resid;
	int error = 0;

	mtx_lock_spin(&tp->t_mtx);
	while (!tty_readable(tp)) {
		sbintime_t timo = 0;

		if ((ioflag & IO_NDELAY) != 0) {
			error = EAGAIN;
			goto out;
		}
		if ((t->c_lflag & ICANON) == 0 && t->c_cc[VMIN] == 0) {
			/* VMIN 0: VTIME tenths of a second at most, or none. */
			if (t->c_cc[VTIME] == 0)
				goto out;
			timo = (sbintime_t)t->c_cc[VTIME] * (SBT_1S / 10);
			error = msleep_sig(&tp->t_rsel, &tp->t_mtx, "ttyin",
			    timo);
			if (error == EWOULDBLOCK) {
				error = 0;
				if (!tty_readable(tp))
					goto out;
			} else if (error != 0)
				goto out;	/* EINTR */
			continue;
		}
		error = msleep_sig(&tp->t_rsel, &tp->t_mtx, "ttyin", 0);
		if (error != 0)
			goto out;
	}
	while (tp->t_avail > 0 && uio->uio_resid > 0) {
		char c = TTY_CHAR(tp, 0);
		bool canon = (t->c_lflag & ICANON) != 0;

		tp->t_inhead = (tp->t_inhead + 1) % TTY_INQ_SIZE;
		tp->t_incnt--;
		tp->t_avail--;
		if (canon && c == (char)t->c_cc[VEOF])
			break;	/* a line end that is not data */
		/*
		 * uiomove may fault on a user page: the spin lock goes for
		 * the copy of this one byte (rare; lines are short).
		 */
		mtx_unlock_spin(&tp->t_mtx);
		error = uiomove(&c, 1, uio);
		mtx_lock_spin(&tp->t_mtx);
		if (error != 0 || (canon && c == '\n'))
			break;
	}
out:
	mtx_unlock_spin(&tp->t_mtx);
	if (uio->uio_resid < start)
		error = 0;
	return (error);
}

int
tty_write(struct tty *tp, struct uio *uio, int ioflag)
{
	char buf[128];
	int error = 0;

	while (uio->uio_resid > 0) {
		size_t n = uio->uio_resid > (ssize_t)sizeof(buf) ? sizeof(buf) :
		    (size_t)uio->uio_resid;
		ssize_t before = uio->uio_resid;

		error = uiomove(buf, n, uio);
		n = (size_t)(before - uio->uio_resid);
		mtx_lock_spin(&tp->t_mtx);
		if ((tp->t_termios.c_oflag & OPOST) != 0)
			tty_out(tp, buf, n);
		else
			tp->t_oproc(tp, buf, n);
		mtx_unlock_spin(&tp->t_mtx);
		if (error != 0)
			break;
	}
	return (error);
}

int
tty_poll(struct tty *tp, int events, struct pollscan *ps)
{
	int rev = events & (POLLOUT | POLLWRNORM);

	mtx_lock_spin(&tp->t_mtx);
	if (tty_readable(tp))
		rev |= events & (POLLIN | POLLRDNORM);
	else if ((events & (POLLIN | POLLRDNORM)) != 0)
		selrecord(ps, &tp->t_rsel);
	mtx_unlock_spin(&tp->t_mtx);
	return (rev);
}

void
tty_open_ctty(struct tty *tp, struct thread *td)
{
	struct proc *p = td != NULL ? td->td_proc : NULL;
	struct session *s;

	if (p == NULL || proctree_lock == NULL)
		return;
	proctree_lock();
	s = p->p_pgrp != NULL ? p->p_pgrp->pg_session : NULL;
	if (s != NULL && s->s_leader == p && s->s_ttyp == NULL &&
	    tp->t_session == NULL) {
		s->s_ttyp = tp;
		p->p_flag |= P_CONTROLT;
		mtx_lock_spin(&tp->t_mtx);
		tp->t_session = s;
		tp->t_pgrp = p->p_pgrp;
		mtx_unlock_spin(&tp->t_mtx);
	}
	proctree_unlock();
}

/* Canonical: a completed line's length, else all that is readable. */
static int
tty_nread(struct tty *tp)
{
	return ((int)tp->t_avail);
}

int
tty_ioctl(struct tty *tp, u_long cmd, void *data, struct thread *td)
{
	struct proc *p = td != NULL ? td->td_proc : NULL;
	int error = 0;

	switch (cmd) {
	case TCGETS:
		mtx_lock_spin(&tp->t_mtx);
		memcpy(data, &tp->t_termios, sizeof(struct termios));
		mtx_unlock_spin(&tp->t_mtx);
		break;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		/* Output is synchronous: nothing to drain for TCSETSW. */
		mtx_lock_spin(&tp->t_mtx);
		memcpy(&tp->t_termios, data, sizeof(struct termios));
		if (cmd == TCSETSF)
			tty_flush_input(tp);
		/* Leaving canonical mode makes the edited line readable. */
		if ((tp->t_termios.c_lflag & ICANON) == 0)
			tp->t_avail = tp->t_incnt;
		wakeup(&tp->t_rsel);
		selwakeup(&tp->t_rsel);
		mtx_unlock_spin(&tp->t_mtx);
		break;
	case TIOCGWINSZ:
		mtx_lock_spin(&tp->t_mtx);
		memcpy(data, &tp->t_winsize, sizeof(struct winsize));
		mtx_unlock_spin(&tp->t_mtx);
		break;
	case TIOCSWINSZ:
		mtx_lock_spin(&tp->t_mtx);
		memcpy(&tp->t_winsize, data, sizeof(struct winsize));
		mtx_unlock_spin(&tp->t_mtx);
		break;
	case FIONREAD:
		mtx_lock_spin(&tp->t_mtx);
		*(int *)data = tty_nread(tp);
		mtx_unlock_spin(&tp->t_mtx);
		break;
	case TCFLSH:
		mtx_lock_spin(&tp->t_mtx);
		if (*(int *)data != TCOFLUSH)
			tty_flush_input(tp);
		mtx_unlock_spin(&tp->t_mtx);
		break;
	case TCXONC:
	case TCSBRK:
		break;
	case TIOCGPGRP:
		mtx_lock_spin(&tp->t_mtx);
		if (tp->t_session == NULL || p == NULL ||
		    p->p_pgrp == NULL || p->p_pgrp->pg_session != tp->t_session)
			error = ENOTTY;
		else
			*(pid_t *)data = tp->t_pgrp != NULL ?
			    tp->t_pgrp->pg_id : 0;
		mtx_unlock_spin(&tp->t_mtx);
		break;
	case TIOCSPGRP: {
		struct pgrp *pg;

		if (p == NULL || pgfind == NULL)
			return (ENOTTY);
		proctree_lock();
		pg = pgfind(*(pid_t *)data);
		if (tp->t_session == NULL || p->p_pgrp == NULL ||
		    p->p_pgrp->pg_session != tp->t_session)
			error = ENOTTY;
		else if (pg == NULL || pg->pg_session != tp->t_session)
			error = EPERM;
		else {
			mtx_lock_spin(&tp->t_mtx);
			tp->t_pgrp = pg;
			mtx_unlock_spin(&tp->t_mtx);
		}
		proctree_unlock();
		break;
	}
	case TIOCGSID:
		if (tp->t_session == NULL)
			error = ENOTTY;
		else
			*(pid_t *)data = tp->t_session->s_sid;
		break;
	case TIOCSCTTY:
		if (p == NULL)
			return (EPERM);
		tty_open_ctty(tp, td);
		if (tp->t_session == NULL || p->p_pgrp == NULL ||
		    tp->t_session != p->p_pgrp->pg_session)
			error = EPERM;
		break;
	case TIOCNOTTY:
		if (p == NULL || p->p_pgrp == NULL ||
		    p->p_pgrp->pg_session != tp->t_session)
			return (ENOTTY);
		tty_drop_session(tp, tp->t_session);
		break;
	case TIOCSTI:
		/* Only into one's own controlling terminal (Linux: or root). */
		if (p == NULL || p->p_pgrp == NULL || tp->t_session == NULL ||
		    p->p_pgrp->pg_session != tp->t_session)
			return (EPERM);
		tty_input(tp, *(unsigned char *)data);
		tty_signal_pending(tp);
		break;
	default:
		error = ENOTTY;
	}
	return (error);
}

void
tty_drop_session(struct tty *tp, struct session *s)
{
	if (s == NULL)
		return;
	mtx_lock_spin(&tp->t_mtx);
	if (tp->t_session == s) {
		tp->t_session = NULL;
		tp->t_pgrp = NULL;
	}
	mtx_unlock_spin(&tp->t_mtx);
	if (s->s_ttyp == tp)
		s->s_ttyp = NULL;
}
