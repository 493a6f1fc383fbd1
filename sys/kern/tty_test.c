/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The line discipline on a private terminal whose output is captured:
 * canonical editing, EOF, echo, signals, raw reads, output mapping and the
 * termios ioctls.  Expected bytes are what a Linux terminal does for the
 * same keys with the same settings.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/systm.h>
#include <sys/tty.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <asm/ioctls.h>

static char	tout[256];
static size_t	toutlen;

static void
capture(struct tty *tp, const char *buf, size_t len)
{
	if (len > sizeof(tout) - 1 - toutlen)
		len = sizeof(tout) - 1 - toutlen;
	memcpy(tout + toutlen, buf, len);
	toutlen += len;
	tout[toutlen] = '\0';
}

static void
type(struct tty *tp, const char *s)
{
	for (; *s != '\0'; s++)
		tty_input(tp, (unsigned char)*s);
}

/* A non-blocking read: bytes got (or -errno). */
static ssize_t
tread(struct tty *tp, char *buf, size_t len)
{
	struct iovec iov;
	struct uio uio;
	int error;

	uio_init_sys(&uio, &iov, buf, len - 1, 0, UIO_READ);
	error = tty_read(tp, &uio, IO_NDELAY);
	if (error != 0)
		return (-error);
	buf[len - 1 - uio.uio_resid] = '\0';
	return ((ssize_t)(len - 1) - uio.uio_resid);
}

static struct tty ttp;

KTEST(vfs_tty_canonical)
{
	struct tty *tp = &ttp;
	char buf[64];
	ssize_t n;

	tty_init(tp, capture, NULL);
	toutlen = 0;
	type(tp, "ab\177c");
	KT_ASSERT((n = tread(tp, buf, sizeof(buf))) == -EAGAIN,
	    "an unfinished line is not readable: %zd", n);
	type(tp, "\r");
	KT_ASSERT((n = tread(tp, buf, sizeof(buf))) == 3 &&
	    strcmp(buf, "ac\n") == 0, "line with erase, CR mapped: %zd '%s'",
	    n, buf);
	KT_ASSERT(strcmp(tout, "ab\b \bc\r\n") == 0, "echo '%s'", tout);
	/* Two lines typed ahead: one read returns one line. */
	type(tp, "one\ntwo\n");
	KT_ASSERT(tread(tp, buf, sizeof(buf)) == 4 && strcmp(buf, "one\n") == 0,
	    "first line '%s'", buf);
	KT_ASSERT(tread(tp, buf, sizeof(buf)) == 4 && strcmp(buf, "two\n") == 0,
	    "second line '%s'", buf);
	/* Kill, then EOF: on an empty line EOF reads as 0 bytes. */
	type(tp, "junk\025xy\004");
	KT_ASSERT((n = tread(tp, buf, sizeof(buf))) == 2 &&
	    strcmp(buf, "xy") == 0, "^U then xy^D: %zd '%s'", n, buf);
	type(tp, "\004");
	KT_ASSERT((n = tread(tp, buf, sizeof(buf))) == 0, "^D alone: %zd", n);
	KT_ASSERT((n = tread(tp, buf, sizeof(buf))) == -EAGAIN,
	    "then nothing: %zd", n);
	/* A short read takes the rest of the line next time. */
	type(tp, "abcdef\n");
	KT_ASSERT(tread(tp, buf, 4) == 3 && strcmp(buf, "abc") == 0, "short");
	KT_ASSERT(tread(tp, buf, sizeof(buf)) == 4 && strcmp(buf, "def\n") == 0,
	    "rest '%s'", buf);
}

KTEST(vfs_tty_signals_raw_output)
{
	struct tty *tp = &ttp;
	struct termios t;
	struct winsize ws;
	struct iovec iov;
	struct uio uio;
	char buf[64];
	ssize_t n;

	tty_init(tp, capture, NULL);
	toutlen = 0;
	type(tp, "partial\003");
	KT_ASSERT(tp->t_sigpend == 1ULL << (2 - 1), "^C: SIGINT (2) pending, "
	    "%jx", (uintmax_t)tp->t_sigpend);
	KT_ASSERT(strcmp(tout, "partial^C") == 0, "echo '%s'", tout);
	type(tp, "\n");
	KT_ASSERT(tread(tp, buf, sizeof(buf)) == 1 && buf[0] == '\n',
	    "^C flushed the line: '%s'", buf);
	tp->t_sigpend = 0;
	type(tp, "\034\032");
	KT_ASSERT(tp->t_sigpend == (1ULL << (3 - 1) | 1ULL << (20 - 1)),
	    "^\\ and ^Z: SIGQUIT and SIGTSTP, %jx", (uintmax_t)tp->t_sigpend);
	tp->t_sigpend = 0;

	/* Raw: no echo, VMIN 0 VTIME 0 reads whatever is there, at once. */
	KT_ASSERT(tty_ioctl(tp, TCGETS, &t, NULL) == 0, "TCGETS");
	KT_ASSERT((t.c_lflag & (ICANON | ECHO)) == (ICANON | ECHO) &&
	    t.c_cc[VINTR] == 3, "defaults lflag %o", t.c_lflag);
	t.c_lflag &= ~(ICANON | ECHO | ISIG);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	KT_ASSERT(tty_ioctl(tp, TCSETS, &t, NULL) == 0, "TCSETS");
	uio_init_sys(&uio, &iov, buf, sizeof(buf), 0, UIO_READ);
	KT_ASSERT(tty_read(tp, &uio, 0) == 0 && uio.uio_resid == sizeof(buf),
	    "VMIN 0 VTIME 0 with nothing: returns 0 at once");
	toutlen = 0;
	tout[0] = '\0';
	type(tp, "x\003");
	KT_ASSERT((n = tread(tp, buf, sizeof(buf))) == 2 && buf[0] == 'x' &&
	    buf[1] == 3 && toutlen == 0 && tp->t_sigpend == 0,
	    "raw: %zd bytes, no echo (%zu), no signal", n, toutlen);

	/* Output: ONLCR, then without OPOST. */
	toutlen = 0;
	uio_init_sys(&uio, &iov, "a\nb", 3, 0, UIO_WRITE);
	KT_ASSERT(tty_write(tp, &uio, 0) == 0 && strcmp(tout, "a\r\nb") == 0,
	    "ONLCR: '%s'", tout);
	t.c_oflag &= ~OPOST;
	KT_ASSERT(tty_ioctl(tp, TCSETS, &t, NULL) == 0, "TCSETS");
	toutlen = 0;
	uio_init_sys(&uio, &iov, "a\nb", 3, 0, UIO_WRITE);
	KT_ASSERT(tty_write(tp, &uio, 0) == 0 && strcmp(tout, "a\nb") == 0,
	    "no OPOST: '%s'", tout);

	KT_ASSERT(tty_ioctl(tp, TIOCGWINSZ, &ws, NULL) == 0 && ws.ws_row == 24 &&
	    ws.ws_col == 80, "winsize %ux%u", ws.ws_col, ws.ws_row);
	KT_ASSERT(tty_ioctl(tp, 0x5499, buf, NULL) == ENOTTY, "unknown ioctl");
}
