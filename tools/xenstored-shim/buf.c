/* Growable byte buffers: every failure is returned, never fatal. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_buf.h"

int
buf_reserve(struct buf *b, size_t extra)
{
	size_t ncap;
	uint8_t *np;

	if (extra > SIZE_MAX / 4 - b->len)
		return ENOMEM;
	if (b->len + extra <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < b->len + extra)
		ncap *= 2;
	np = realloc(b->p, ncap);
	if (np == NULL)
		return ENOMEM;
	b->p = np;
	b->cap = ncap;
	return 0;
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) != 0)
		return ENOMEM;
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

int
buf_addstr0(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s) + 1);
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_reserve(b, (size_t)n + 1) != 0)
		return ENOMEM;
	va_start(ap, fmt);
	vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
