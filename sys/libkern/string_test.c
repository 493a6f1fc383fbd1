/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * memcpy() against a byte-by-byte reference: every size up to 80 and some
 * large ones, at every source and destination offset within a word, with
 * the bytes around the destination left alone.
 */
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#define STR_BUF	(70000 + 64)

KTEST(libkern_memcpy_sizes_offsets)
{
	static const size_t big[] = { 4095, 4096, 4097, 65536 + 7, 70000 };
	unsigned char *src, *dst;
	u_int bad = 0, cases = 0;

	src = malloc(STR_BUF, M_TEMP, M_WAITOK);
	dst = malloc(STR_BUF, M_TEMP, M_WAITOK);
	for (size_t i = 0; i < STR_BUF; i++)
		src[i] = (unsigned char)(i * 31 + i / 251);
	for (size_t n = 0; n < 80 + nitems(big); n++) {
		size_t len = n < 80 ? n : big[n - 80];

		for (u_int so = 0; so < 8; so++) {
			for (u_int dof = 0; dof < 8; dof++) {
				for (size_t i = 0; i < len + 32; i++)
					dst[i] = 0xee;
				KT_ASSERT(memcpy(dst + 8 + dof, src + so, len) ==
				    dst + 8 + dof, "memcpy's return value");
				cases++;
				for (size_t i = 0; i < len + 32; i++) {
					unsigned char want = i >= 8 + dof &&
					    i < 8 + dof + len ?
					    src[so + i - 8 - dof] : 0xee;

					if (dst[i] != want) {
						bad++;
						break;
					}
				}
			}
		}
	}
	free(src, M_TEMP);
	free(dst, M_TEMP);
	KT_ASSERT(bad == 0, "%u of %u copies wrong", bad, cases);
	KT_NOTE("%u copies", cases);
}
