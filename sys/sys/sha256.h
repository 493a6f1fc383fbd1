/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * SHA-256 (FIPS 180-4), for checks that compare bytes with another
 * system's sha256sum (the block backends' lab checks).  Not constant time:
 * not for secrets.
 */
#ifndef _SYS_SHA256_H_
#define _SYS_SHA256_H_

#include <sys/types.h>

#define SHA256_DIGEST_LENGTH	32
#define SHA256_BLOCK_LENGTH	64

struct sha256_ctx {
	uint32_t	state[8];
	uint64_t	count;		/* bytes hashed */
	uint8_t		buf[SHA256_BLOCK_LENGTH];
};

void	sha256_init(struct sha256_ctx *);
void	sha256_update(struct sha256_ctx *, const void *, size_t);
void	sha256_final(struct sha256_ctx *, uint8_t digest[SHA256_DIGEST_LENGTH]);
/* The digest as 64 lowercase hex digits and a NUL. */
void	sha256_hex(const uint8_t digest[SHA256_DIGEST_LENGTH], char out[65]);

#endif /* !_SYS_SHA256_H_ */
