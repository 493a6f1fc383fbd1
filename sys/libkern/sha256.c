/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * SHA-256 as FIPS 180-4 describes it (see sys/sha256.h).
 */
#include <sys/param.h>
#include <sys/sha256.h>
#include <sys/systm.h>

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t
ror32(uint32_t x, u_int n)
{
	return ((x >> n) | (x << (32 - n)));
}

static void
sha256_block(struct sha256_ctx *c, const uint8_t *p)
{
	uint32_t w[64], s[8];

	for (u_int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (u_int i = 16; i < 64; i++) {
		uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^
		    (w[i - 15] >> 3);
		uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^
		    (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(s, c->state, sizeof(s));
	for (u_int i = 0; i < 64; i++) {
		uint32_t e = s[4], a = s[0];
		uint32_t t1 = s[7] + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) +
		    ((e & s[5]) ^ (~e & s[6])) + sha256_k[i] + w[i];
		uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) +
		    ((a & s[1]) ^ (a & s[2]) ^ (s[1] & s[2]));

		memmove(&s[1], &s[0], 7 * sizeof(s[0]));
		s[4] += t1;
		s[0] = t1 + t2;
	}
	for (u_int i = 0; i < 8; i++)
		c->state[i] += s[i];
}

void
sha256_init(struct sha256_ctx *c)
{
	static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
		0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	memcpy(c->state, h0, sizeof(h0));
	c->count = 0;
}

void
sha256_update(struct sha256_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t have = c->count % SHA256_BLOCK_LENGTH;

	c->count += len;
	if (have > 0) {
		size_t n = MIN(len, SHA256_BLOCK_LENGTH - have);

		memcpy(c->buf + have, p, n);
		p += n;
		len -= n;
		if (have + n < SHA256_BLOCK_LENGTH)
			return;
		sha256_block(c, c->buf);
	}
	for (; len >= SHA256_BLOCK_LENGTH; p += SHA256_BLOCK_LENGTH,
	    len -= SHA256_BLOCK_LENGTH)
		sha256_block(c, p);
	memcpy(c->buf, p, len);
}

void
sha256_final(struct sha256_ctx *c, uint8_t digest[SHA256_DIGEST_LENGTH])
{
	uint64_t bits = c->count * 8;
	size_t have = c->count % SHA256_BLOCK_LENGTH;

	c->buf[have++] = 0x80;
	if (have > SHA256_BLOCK_LENGTH - 8) {
		memset(c->buf + have, 0, SHA256_BLOCK_LENGTH - have);
		sha256_block(c, c->buf);
		have = 0;
	}
	memset(c->buf + have, 0, SHA256_BLOCK_LENGTH - 8 - have);
	for (u_int i = 0; i < 8; i++)
		c->buf[SHA256_BLOCK_LENGTH - 1 - i] = (uint8_t)(bits >> (8 * i));
	sha256_block(c, c->buf);
	for (u_int i = 0; i < 8; i++) {
		digest[4 * i] = (uint8_t)(c->state[i] >> 24);
		digest[4 * i + 1] = (uint8_t)(c->state[i] >> 16);
		digest[4 * i + 2] = (uint8_t)(c->state[i] >> 8);
		digest[4 * i + 3] = (uint8_t)c->state[i];
	}
}

void
sha256_hex(const uint8_t digest[SHA256_DIGEST_LENGTH], char out[65])
{
	static const char hex[] = "0123456789abcdef";

	for (u_int i = 0; i < SHA256_DIGEST_LENGTH; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 0xf];
	}
	out[64] = '\0';
}
