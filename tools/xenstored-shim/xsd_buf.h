/* growable buffer (buf.c) */
#ifndef XSD_BUF_H
#define XSD_BUF_H

#include "xsd_types.h"

struct buf {
	uint8_t *p;
	size_t len, cap;
};
int buf_reserve(struct buf *b, size_t extra);
int buf_add(struct buf *b, const void *p, size_t n);
int buf_addstr0(struct buf *b, const char *s); /* with its NUL */
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_free(struct buf *b);

#endif
