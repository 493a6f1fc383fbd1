/*
 * Wire protocol helpers: header checks, payload splitting, error names.
 * Pure functions over untrusted bytes; the fuzzer drives them directly.
 */
#include <errno.h>
#include <string.h>

#include "xsd_proto.h"

#define NERR (sizeof(xsd_errors) / sizeof(xsd_errors[0]))

const char *
proto_errname(int err)
{
	size_t i;

	for (i = 0; i < NERR; i++)
		if (xsd_errors[i].errnum == err)
			return xsd_errors[i].errstring;
	/* Anything unexpected is reported as the generic first entry. */
	return xsd_errors[0].errstring;
}

int
proto_errnum(const char *name)
{
	size_t i;

	for (i = 0; i < NERR; i++)
		if (strcmp(xsd_errors[i].errstring, name) == 0)
			return xsd_errors[i].errnum;
	return -1;
}

int
proto_check_header(const struct xsd_sockmsg *h)
{
	if (h->len > XENSTORE_PAYLOAD_MAX)
		return E2BIG;
	return 0;
}

int
proto_split(const uint8_t *p, size_t len, const char **argv, int min, int max,
    const uint8_t **rest, size_t *restlen)
{
	size_t off = 0;
	int n = 0;
	const uint8_t *z;

	while (n < max && off < len) {
		z = memchr(p + off, 0, len - off);
		if (z == NULL)
			break;
		argv[n++] = (const char *)p + off;
		off = (size_t)(z - p) + 1;
	}
	if (n < min)
		return -1;
	if (rest != NULL)
		*rest = p + off;
	if (restlen != NULL)
		*restlen = len - off;
	return n;
}

int
proto_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return EINVAL;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}
