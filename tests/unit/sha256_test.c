/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * sys/libkern/sha256.c against the digests FIPS 180-4's examples and
 * sha256sum give, whole and fed in uneven pieces.
 */
#include <sys/param.h>
#include <sys/sha256.h>
#include <sys/systm.h>

#include "kunit.h"

static void
digest_of(const void *p, size_t len, size_t piece, char hex[65])
{
	struct sha256_ctx c;
	uint8_t d[SHA256_DIGEST_LENGTH];
	const uint8_t *b = p;

	sha256_init(&c);
	while (len > 0) {
		size_t n = piece == 0 ? len : MIN(piece, len);

		sha256_update(&c, b, n);
		b += n;
		len -= n;
	}
	sha256_final(&c, d);
	sha256_hex(d, hex);
}

KUNIT_TEST(sha256_known_digests)
{
	static const struct {
		const char *msg, *hex;
	} v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		/* 55 and 64 bytes: the padding's two edge cases. */
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
	};
	char hex[65];

	for (size_t i = 0; i < nitems(v); i++) {
		for (size_t piece = 0; piece < 8; piece += 3) {
			digest_of(v[i].msg, strlen(v[i].msg), piece, hex);
			KU_ASSERT(strcmp(hex, v[i].hex) == 0,
			    "\"%s\" in pieces of %zu: %s", v[i].msg, piece, hex);
		}
	}
}

KUNIT_TEST(sha256_million_a)
{
	static uint8_t buf[1000000];
	char hex[65];

	memset(buf, 'a', sizeof(buf));
	digest_of(buf, sizeof(buf), 4093, hex);
	KU_ASSERT(strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e"
	    "046d39ccc7112cd0") == 0, "a million 'a': %s", hex);
}
