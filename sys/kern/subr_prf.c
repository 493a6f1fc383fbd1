/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * printf and friends over a character sink.
 */
#include <sys/param.h>
#include <sys/cons.h>
#include <sys/systm.h>

static void
emit_pad(void (*put)(int, void *), void *arg, int n, char c, int *count)
{
	while (n-- > 0) {
		put(c, arg);
		(*count)++;
	}
}

int
kvprintf(const char *fmt, void (*put)(int, void *), void *arg, va_list ap)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";
	int count = 0;

	for (; *fmt != '\0'; fmt++) {
		char buf[66], *p;
		const char *digits = lower;
		const char *s;
		bool left = false, zero = false, alt = false, neg = false;
		bool plus = false;
		int width = 0, prec = -1, lng = 0, base = 10, len;
		uint64_t u = 0;
		char c;

		if (*fmt != '%') {
			put(*fmt, arg);
			count++;
			continue;
		}
		for (;;) {
			c = *++fmt;
			if (c == '-')
				left = true;
			else if (c == '0')
				zero = true;
			else if (c == '#')
				alt = true;
			else if (c == '+')
				plus = true;
			else
				break;
		}
		if (c == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			c = *++fmt;
		}
		while (c >= '0' && c <= '9') {
			width = width * 10 + (c - '0');
			c = *++fmt;
		}
		if (c == '.') {
			prec = 0;
			c = *++fmt;
			if (c == '*') {
				prec = va_arg(ap, int);
				c = *++fmt;
			}
			while (c >= '0' && c <= '9') {
				prec = prec * 10 + (c - '0');
				c = *++fmt;
			}
		}
		for (;; c = *++fmt) {
			if (c == 'l')
				lng++;
			else if (c == 'z' || c == 'j' || c == 't')
				lng = 2;
			else if (c == 'h')
				;
			else
				break;
		}
		switch (c) {
		case 'c':
			buf[0] = (char)va_arg(ap, int);
			buf[1] = '\0';
			s = buf;
			len = 1;
			goto string;
		case 's':
			s = va_arg(ap, const char *);
			if (s == NULL)
				s = "(null)";
			len = 0;
			while (s[len] != '\0' && (prec < 0 || len < prec))
				len++;
string:
			if (!left)
				emit_pad(put, arg, width - len, ' ', &count);
			for (int i = 0; i < len; i++, count++)
				put(s[i], arg);
			if (left)
				emit_pad(put, arg, width - len, ' ', &count);
			continue;
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

			neg = v < 0;
			u = neg ? (uint64_t)-(v + 1) + 1 : (uint64_t)v;
			break;
		}
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			base = 16;
			alt = true;
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng ? va_arg(ap, uint64_t) : va_arg(ap, u_int);
			base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
			if (c == 'X')
				digits = upper;
			break;
		case '%':
			put('%', arg);
			count++;
			continue;
		case '\0':
			fmt--;
			continue;
		default:
			put('%', arg);
			put(c, arg);
			count += 2;
			continue;
		}
		p = buf + sizeof(buf);
		*--p = '\0';
		do {
			*--p = digits[u % (unsigned)base];
			u /= (unsigned)base;
		} while (u != 0);
		while (prec > 0 && (buf + sizeof(buf) - 1 - p) < prec)
			*--p = '0';
		len = (int)(buf + sizeof(buf) - 1 - p);
		{
			/* Sign and radix prefix go before zero padding, after space padding. */
			char pfx[3];
			int npfx = 0;

			if (neg || plus)
				pfx[npfx++] = neg ? '-' : '+';
			if (alt && base == 16) {
				pfx[npfx++] = '0';
				pfx[npfx++] = digits == upper ? 'X' : 'x';
			}
			if (!left && !zero)
				emit_pad(put, arg, width - len - npfx, ' ', &count);
			for (int i = 0; i < npfx; i++, count++)
				put(pfx[i], arg);
			if (!left && zero)
				emit_pad(put, arg, width - len - npfx, '0', &count);
			for (; *p != '\0'; p++, count++)
				put(*p, arg);
			if (left)
				emit_pad(put, arg, width - len - npfx, ' ', &count);
		}
	}
	return (count);
}

static void
cons_sink(int c, void *arg __unused)
{
	if (c == '\n')
		cons_putc('\r');
	cons_putc(c);
}

int
vprintf(const char *fmt, va_list ap)
{
	int n;

	cons_lock();
	n = kvprintf(fmt, cons_sink, NULL, ap);
	cons_unlock();
	return (n);
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return (n);
}

struct snbuf {
	char	*buf;
	size_t	size;
	size_t	len;
};

static void
sn_sink(int c, void *arg)
{
	struct snbuf *sb = arg;

	if (sb->len + 1 < sb->size)
		sb->buf[sb->len] = (char)c;
	sb->len++;
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct snbuf sb = { buf, size, 0 };
	int n;

	n = kvprintf(fmt, sn_sink, &sb, ap);
	if (size > 0)
		buf[MIN(sb.len, size - 1)] = '\0';
	return (n);
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return (n);
}
