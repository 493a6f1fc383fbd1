/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Kernel random bytes (ChaCha20 keystream, re-keyed from itself after every
 * request so earlier output cannot be recomputed from a later state).  The
 * seed is timer jitter and the TSC, plus RDRAND when the CPU has it:
 * unpredictable enough for stack guards and hash seeds, not a vetted
 * entropy source.
 */
#ifndef _SYS_RANDOM_H_
#define _SYS_RANDOM_H_

#include <sys/types.h>

void	read_random(void *buf, size_t len);
/* One ChaCha20 block (RFC 8439, 2.3); for read_random and its test. */
void	chacha20_block(const uint32_t key[8], uint32_t counter,
	    const uint32_t nonce[3], uint32_t out[16]);

#endif /* !_SYS_RANDOM_H_ */
