/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Byte order (the machine is little-endian; the network is big-endian).
 */
#ifndef _SYS_ENDIAN_H_
#define _SYS_ENDIAN_H_

#include <sys/types.h>

#define bswap16(x)	((uint16_t)__builtin_bswap16(x))
#define bswap32(x)	((uint32_t)__builtin_bswap32(x))
#define htobe16(x)	bswap16(x)
#define htobe32(x)	bswap32(x)
#define be16toh(x)	bswap16(x)
#define be32toh(x)	bswap32(x)
#define htons(x)	htobe16(x)
#define ntohs(x)	be16toh(x)
#define htonl(x)	htobe32(x)
#define ntohl(x)	be32toh(x)

static inline uint16_t
be16dec(const void *p)
{
	const uint8_t *b = p;

	return ((uint16_t)((b[0] << 8) | b[1]));
}

static inline uint32_t
be32dec(const void *p)
{
	const uint8_t *b = p;

	return (((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
	    ((uint32_t)b[2] << 8) | b[3]);
}

static inline void
be16enc(void *p, uint16_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static inline void
be32enc(void *p, uint32_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

#endif /* !_SYS_ENDIAN_H_ */
