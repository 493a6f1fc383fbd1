/* protocol helpers (proto.c); pure, fuzzed */
#ifndef XSD_PROTO_H
#define XSD_PROTO_H

#include "xsd_types.h"

const char *proto_errname(int err);
int proto_errnum(const char *name);
const char *proto_typename(uint32_t type);
/* Checks a header; returns 0, or E2BIG when the frame must be refused. */
int proto_check_header(const struct xsd_sockmsg *h);
/*
 * Splits a payload into NUL-terminated strings.  Returns the number of
 * strings found (at most max) and sets *rest and *restlen to the bytes after
 * the last NUL consumed.  Returns -1 when fewer than min strings end in NUL.
 */
int proto_split(const uint8_t *p, size_t len, const char **argv, int min,
    int max, const uint8_t **rest, size_t *restlen);
/* Decimal parser for domids and counters: digits only, no overflow. */
int proto_parse_u32(const char *s, uint32_t max, uint32_t *out);

#endif
